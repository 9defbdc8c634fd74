"""The command palette (ctrl+p): every action of the current screen and the app, by name.

Commands come from the bindings themselves (each has an id and a description), so the
palette always matches the keys, including keys remapped in the config's ``[keys]``.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from amtui.domain import i18n
from amtui.domain.i18n import N_, _


def bound_actions(screen, wanted) -> dict[tuple[int, str], list]:
    """The screen's active bindings that ``wanted(binding)`` keeps, one entry per node and
    action (several keys for one action share it): ``[active binding, keys shown]``."""
    app = screen.app
    found: dict[tuple[int, str], list] = {}
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if wanted(binding):
            slot = (id(active.node), binding.action)
            found.setdefault(slot, [active, []])[1].append(app.get_key_display(binding))
    return found


def screen_commands(screen) -> list[tuple[str, str, object, str]]:
    """(name, key shown, node, action) for the screen's and the app's bindings with ids."""
    app = screen.app
    # the tooltip is the longer name ("Move the card to the next stage")
    commands = [(active.binding.tooltip or active.binding.description,
                 " / ".join(dict.fromkeys(keys)), active.node, active.binding.action)
                for active, keys in bound_actions(
                    screen, lambda b: b.id and b.description).values()]
    # the sync screens are always one command away
    names = {c[0] for c in commands}
    for name, action in ((N_("Conflicts"), "conflicts"), (N_("Problems"), "problems"),
                         (N_("Sync log"), "sync_log"), (N_("Sync now"), "sync"),
                         (N_("Undo last edit"), "undo")):
        if name not in names:
            commands.append((name, "", app, action))
    # the language switch names the other language in its own words
    commands.append((N_("Language: switch to English") if i18n.is_chinese()
                     else N_("Language: switch to 简体中文"), "", app, "switch_language"))
    return [(_(name), keys, node, action) for name, keys, node, action in commands]


class AmtuiCommands(Provider):
    """Every bound action of the screen the palette was opened on, plus the app's."""

    def bound_commands(self):
        return screen_commands(self.screen)

    def run_bound(self, node, action: str):
        return self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for name, keys, node, action in self.bound_commands():
            yield DiscoveryHit(name, partial(self.run_bound, node, action),
                               help=_("key: {keys}").format(keys=keys) if keys else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, keys, node, action in self.bound_commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.run_bound, node, action),
                          help=_("key: {keys}").format(keys=keys) if keys else None)
