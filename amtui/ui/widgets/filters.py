"""The filters of a list screen (the board, the inbox): facets chosen in a picker (manager,
client, status…) plus the text typed after ``/``, one ``SearchBox`` and one escape rule.

    filters = Filters(("project", "client", "manager"))
    filters.set("manager", "Li Wei", lambda r: r["manager"] == "Li Wei")
    shown = [r for r in records if filters.passes(r)]

The screen keeps what it shows; this keeps what it is filtered on and the search text of
each record (built once per version of the record, so typing does not rebuild it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.screen import Screen
from textual.widgets import Input

from amtui.domain.i18n import _

Test = Callable[[dict], bool]


class Filters:
    """Facets (``facet -> (choice, label shown, test)``) and a text filter."""

    def __init__(self, search_fields: Iterable[str]):
        self.search_fields = tuple(search_fields)
        self.facets: dict[str, tuple[str, str, Test]] = {}
        self.text = ""
        self.haystacks: dict[str, tuple[dict, str]] = {}

    @property
    def active(self) -> bool:
        return bool(self.facets or self.text)

    def set(self, facet: str, choice: str, test: Test, label: str | None = None) -> None:
        """Filter on ``facet`` (``choice`` ``""`` removes that filter)."""
        if not choice:
            self.facets.pop(facet, None)
        else:
            self.facets[facet] = (choice, label or _("{facet} {choice}").format(facet=facet, choice=choice), test)

    def choice(self, facet: str) -> str:
        return self.facets.get(facet, ("", "", None))[0]

    def clear(self) -> None:
        self.facets.clear()
        self.text = ""

    def haystack(self, record: dict) -> str:
        """The text ``/`` searches in, cached per version of the record."""
        cached = self.haystacks.get(record["id"])
        if cached is None or cached[0] is not record:
            text = " ".join(record.get(f, "") for f in self.search_fields).casefold()
            cached = self.haystacks[record["id"]] = (record, text)
        return cached[1]

    def forget(self, record_ids: Iterable[str]) -> None:
        for record_id in record_ids:
            self.haystacks.pop(record_id, None)

    def matcher(self, skip: str = "") -> Test:
        """``passes`` as one function, for a loop over thousands of records (each
        keystroke in the ``/`` box filters every record again)."""
        tests = [test for facet, (_c, _l, test) in self.facets.items() if facet != skip]
        text, haystacks, haystack = self.text, self.haystacks, self.haystack

        def text_matches(record: dict) -> bool:
            cached = haystacks.get(record["id"])
            return text in (cached[1] if cached is not None and cached[0] is record
                            else haystack(record))

        if not tests:
            return text_matches if text else (lambda record: True)
        if not text:
            return lambda record: all(test(record) for test in tests)
        return lambda record: all(test(record) for test in tests) and text_matches(record)

    def passes(self, record: dict, skip: str = "") -> bool:
        for facet, (_choice, _label, test) in self.facets.items():
            if facet != skip and not test(record):
                return False
        return not self.text or self.text in self.haystack(record)

    def describe(self) -> list:
        """The active filters as ``Content.assemble`` parts (accent coloured)."""
        parts: list = []
        for _choice, label, _test in self.facets.values():
            parts += [(label, "$accent"), ("  ", "")]
        if self.text:
            parts += [(_('text "{text}"').format(text=self.text), "$accent"), ("  ", "")]
        return parts


class SearchBox(Input):
    """The ``/`` box: hidden until opened; what is typed filters as you type. ``changed``
    runs after each keystroke, ``done`` after enter (back to the list)."""

    DEFAULT_CSS = """
    SearchBox {
        display: none;
        width: 44;
    }
    SearchBox.-shown {
        display: block;
    }
    """

    def __init__(self, filters: Filters, changed: Callable[[], None],
                 done: Callable[[], None], *, placeholder: str, id: str | None = None):
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.filters = filters
        self.changed = changed
        self.done = done

    def open(self) -> None:
        self.add_class("-shown")
        self.focus()

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        self.filters.text = event.value.strip().casefold()
        self.changed()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.remove_class("-shown")
        self.done()

    def reset(self) -> None:
        """Empty and hidden, without filtering again (the caller does that once)."""
        with self.prevent(Input.Changed):
            self.value = ""
        self.filters.text = ""
        self.remove_class("-shown")

    def escape(self) -> bool:
        """Escape: first the text being typed, then every filter. Whether the filters
        changed (so the screen shows its records again)."""
        if self.has_focus and self.value:
            self.reset()
            return True
        changed = self.filters.active
        self.filters.clear()
        self.reset()
        return changed


def pick_filter(screen: Screen, filters: Filters, facet: str, title: str, names: list[str],
                test_for: Callable[[str], Test], then: Callable[[], None],
                label: Callable[[str], str] | None = None) -> None:
    """Let the person pick a value of ``facet`` (or "any") and filter on it."""
    from amtui.ui.screens.pickers import PickerScreen

    def picked(choice: str | None) -> None:
        if choice is None:
            return
        filters.set(facet, choice, test_for(choice) if choice else None,
                    label(choice) if label and choice else None)
        then()

    screen.app.push_screen(PickerScreen(title, names, current=filters.choice(facet) or None),
                           picked)
