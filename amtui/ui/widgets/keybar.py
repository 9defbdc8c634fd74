"""The key line at the bottom of a screen: its main keys (bindings with ``show=True``),
clickable, plus ``^p`` for the command palette.

Textual's ``Footer`` rebuilds a widget per key on every focus change (~0.1-0.3 s on this
machine), which moving between board columns does all the time; this is one line of text
redrawn only when the keys change.

    yield KeyBar()
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from amtui.domain.i18n import _
from amtui.ui.commands import bound_actions


class KeyBar(Static):
    def on_mount(self) -> None:
        self.shown_keys: list | None = None
        self.screen.bindings_updated_signal.subscribe(self, self.show_bindings)
        self.show_bindings(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show_bindings(self, screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        app = self.app
        items = []
        shown = bound_actions(screen, lambda b: b.show and b.description)
        for active, keys in shown.values():
            binding = active.binding
            namespace = ("app" if active.node is app else
                         "screen" if active.node is screen else "")
            items.append((keys[0], _(binding.description), namespace, binding.action,
                          active.enabled))
        if items == self.shown_keys:
            return
        self.shown_keys = items
        parts: list = []
        for key, description, namespace, action, enabled in items:
            click = f" @click={namespace}.{action}" if namespace and enabled else ""
            parts += [(f" {key} ", "bold $accent" + click),
                      (f"{description} ", "" if enabled else "$text-disabled")]
        parts.append((" ^p " + _("palette") + " ", "$text-muted @click=app.command_palette"))
        self.update(Content.assemble(*parts), layout=False)
