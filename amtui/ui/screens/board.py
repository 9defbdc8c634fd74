"""The kanban board: one column per project stage, cards as rows of one list per column.

Built for 5,000 projects: each column is a ``RecordList`` (a virtual list that renders only
the cards on screen), and a change rebuilds only the columns whose cards changed (a moved
card touches two).

Narrow terminals show fewer columns: below ``ALL_COLUMNS_WIDTH`` the folded stages are
hidden, and when even the open stages would get less than ``MIN_CARD_WIDTH`` cells each, one
column fills the screen with its stage as the header (← → switch stages).
"""

from __future__ import annotations

import bisect
from typing import Self

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _, ngettext
from amtui.domain.text import fold
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.cards import (
    CARD_HEIGHT,
    card,
    is_overdue,
    money_short,
    needs_attention,
    to_number,
)
from amtui.ui.widgets.filters import Filters, SearchBox, pick_filter
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.lists import RecordList
from amtui.ui.widgets.status import status_bar
from amtui.ui.widgets.updates import update_if_changed

PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}
UNKNOWN = "?"  # the column of projects whose stage is blank or not a known stage
MIN_CARD_WIDTH = 18  # cells per column below which the board shows one column at a time
FOLDED_WIDTH = 10  # a folded stage (On Hold, Cancelled) as a narrow strip
SEARCH_FIELDS = ("project", "client", "manager", "blocker", "next_step", "id")


def sort_key(record: dict) -> tuple:
    """High priority first, then the earliest due date, then the name."""
    return (PRIORITY_RANK.get(record.get("priority", "").casefold(), 3),
            record.get("due") or "9999", record.get("project", "").casefold(), record["id"])


class Column(Vertical):
    """A stage: a two-line header (name, count and total value) and its cards."""

    def __init__(self, stage: str, index: int, collapsed: bool, render_card):
        super().__init__(id=f"col-{index}", classes="column")
        self.stage = stage
        self.index = index
        self.render_card = render_card
        self.set_class(collapsed, "-collapsed")

    def compose(self) -> ComposeResult:
        yield Static("", classes="column-header")
        yield RecordList(self.render_card, row_height=CARD_HEIGHT, classes="cards",
                         is_fresh=lambda record_id: self.app.is_fresh("projects", record_id))

    @property
    def cards(self) -> RecordList:
        return self.query_one(RecordList)

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self.query_one(".column-header").add_class("-focused")

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        self.query_one(".column-header").remove_class("-focused")

    @property
    def empty(self) -> bool:
        """The unknown-stage column with nothing in it: not shown at all."""
        return self.has_class("-empty")

    @property
    def collapsed(self) -> bool:
        return self.has_class("-collapsed")

    def show_header(self, count: int, total: float, shown_all: bool) -> None:
        label = _("Unknown stage") if self.stage == UNKNOWN else schema.shown(self.stage)
        mark = "▸ " if self.collapsed else ""
        if self.screen.has_class("-one-column"):
            label = f"◀ {label} ▶"  # ← → switch stages
        if not total:
            value = "–"
        elif i18n.is_chinese():
            value = i18n.money_text(total, self.app.workspace.config.money)
        else:
            value = money_short(total)
        number = f"{count:,}"
        self.query_one(".column-header", Static).update(Content.assemble(
            (mark + label, "bold"), "\n",
            (number if shown_all else _("{n} shown").format(n=number), "$text-muted"),
            (" · ", "$text-muted"), (value, "$text-muted")), layout=False)

    def on_click(self, event) -> None:
        # a click on a collapsible stage's header (or the folded column) opens or folds it
        if self.stage not in self.app.workspace.config.collapsed_stages:
            return
        if self.collapsed or "column-header" in getattr(event.widget, "classes", ()):
            self.screen.toggle_column(self)


class BoardScreen(DataScreen):
    CSS_PATH = "board.tcss"
    # the cards from the start: keys typed while the app starts (the kept board is on screen
    # before it, see first_frame) would else go to the first focusable widget, the hidden
    # filter box, as text
    AUTO_FOCUS = ".cards"
    BINDINGS = [
        Binding("left,h", "column(-1)", N_("Previous column"), id="board.left", show=False),
        Binding("right,l", "column(1)", N_("Next column"), id="board.right", show=False),
        Binding("j", "cursor('down')", N_("Next card"), id="board.down", show=False),
        Binding("k", "cursor('up')", N_("Previous card"), id="board.up", show=False),
        Binding("shift+left,less_than_sign", "move(-1)", N_("◀ Stage"),
                id="board.move_prev",
                tooltip=N_("Move the card to the previous stage")),
        Binding("shift+right,greater_than_sign", "move(1)", N_("Stage ▶"),
                id="board.move_next",
                tooltip=N_("Move the card to the next stage")),
        Binding("e", "open", N_("Open project"), id="board.open",
                tooltip=N_("Open the project form"), show=False),
        Binding("n", "new", N_("New"), id="board.new",
                tooltip=N_("New project in this column")),
        Binding("b", "block", N_("Blocked"), id="board.block",
                tooltip=N_("Toggle blocked (with a blocker note)")),
        Binding("slash", "search", N_("Filter"), id="board.search",
                tooltip=N_("Filter cards by text")),
        Binding("m", "pick_manager", N_("Manager"), id="board.manager",
                tooltip=N_("Filter the board by manager")),
        Binding("c", "pick_client", N_("Client"), id="board.client",
                tooltip=N_("Filter the board by client")),
        Binding("o", "attention", N_("Overdue/at risk"), id="board.attention",
                tooltip=N_("Show only overdue or at-risk projects")),
        Binding("f", "flow", N_("Flow"), id="board.flow", show=False,
                tooltip=N_("Board flow: cumulative flow and weekly throughput")),
        Binding("z", "toggle_collapsed", N_("Show/hide collapsed stages"), id="board.collapse",
                tooltip=N_("Show or hide On Hold and Cancelled"),
                show=False),
        Binding("escape", "clear", N_("Clear filters"), id="board.clear",
                tooltip=N_("Clear the board filters"), show=False),
    ]

    def __init__(self):
        super().__init__()
        self.filters = Filters(SEARCH_FIELDS)
        self.column_of: dict[str, int] = {}  # record ID -> column index
        self.pending_record: str | None = None
        self.follow: str | None = None  # a moved card the cursor follows
        self.loaded = False
        # what the columns show (see rebuild_all): per column the sorted records, their
        # total value and how many projects are in the stage unfiltered
        self.shown_records: dict[str, dict] | None = None
        self.seen: dict[str, dict] = {}
        self.index_of: dict[str, int] = {}
        self.groups: list[list[dict]] = []
        self.totals: list[float] = []
        self.counts: list[int] = []
        self.overdue = self.blocked = 0
        self.sort_keys: dict[str, tuple[dict, tuple]] = {}
        self.shown_versions: tuple[int, ...] = ()
        # the two columns a focus move between them repaints (see refresh)
        self.focus_moving: tuple[Widget, ...] | None = None
        self.filters_changed = True  # filters or folding changed: rebuild even if no data did

    # -- layout -------------------------------------------------------------------------

    def stages(self) -> list[str]:
        return [UNKNOWN, *self.app.rules.stages]

    def compose(self) -> ComposeResult:
        yield status_bar()
        with Horizontal(id="board-top"):
            yield Static("", id="board-filters")
            yield SearchBox(self.filters, self.rebuild_guarded, self.focus_first_card,
                            placeholder=_("filter: project, client, manager, blocker…"),
                            id="board-search")
        collapsed = set(self.app.workspace.config.collapsed_stages)
        with Horizontal(id="columns"):
            for index, stage in enumerate(self.stages()):
                yield Column(stage, index, stage in collapsed, self.card_content)
        yield KeyBar()

    def on_mount(self) -> None:
        self.seen_version = self.app.data_version
        # a card changed in the sheet is highlighted for a moment (see app.mark_fresh)
        self.watch(self.app, "fresh_version", lambda _v: self.repaint_cards(), init=False)
        self.query_one("#col-0", Column).add_class("-empty")
        self.rebuild()
        self.loaded = True
        first = next((c for c in self.navigable() if c.cards.option_count), None)
        if first is not None:
            self.focus_column(first)
        if self.pending_record:
            self.show_record(self.pending_record)

    def repaint_cards(self) -> None:
        for cards in self.query(RecordList):
            cards.refresh()

    def columns(self) -> list[Column]:
        return list(self.query(Column))

    def column_at(self, index: int) -> Column:
        return self.query_one(f"#col-{index}", Column)

    @property
    def search(self) -> SearchBox:
        return self.query_one("#board-search", SearchBox)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns(event.size.width)

    def fit_columns(self, width: int) -> None:
        """Fewer columns on a narrow terminal: first without the folded stages, then one
        column at a time (the focused stage, switched with ← →)."""
        columns = [c for c in self.columns() if not c.empty]
        open_count = sum(not c.collapsed for c in columns) or 1
        folded = sum(c.collapsed for c in columns) * FOLDED_WIDTH
        hide_folded = width - folded < open_count * MIN_CARD_WIDTH
        one_column = width < open_count * MIN_CARD_WIDTH
        changed = (hide_folded != self.has_class("-no-folded")
                   or one_column != self.has_class("-one-column"))
        self.set_class(hide_folded, "-no-folded")
        self.set_class(one_column, "-one-column")
        if one_column:
            current = self.current()[0] or next(iter(self.navigable()), None)
            if current is not None:
                self.show_single(current)
        if changed:
            for column in self.columns():
                self.show_header(column)

    def show_single(self, column: Column) -> None:
        """In one-column mode: show this column only."""
        for other in self.columns():
            other.set_class(other is column, "-current")

    def focus_column(self, column: Column) -> None:
        if self.has_class("-one-column"):
            self.show_single(column)
        before = self.focused
        if (before is None or before is column.cards or not self.is_current
                or not isinstance(before.parent, Column)):
            column.cards.focus()
            return
        self.focus_moving = (before.parent, column)
        try:
            self.set_focus(column.cards)
        finally:
            self.focus_moving = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual repaints the whole screen when the focus moves (``Screen.focused`` is a
        reactive that repaints): ~40 ms of a card move on the large board. Between two
        columns only those two change (cursor colours, the header of the column with the
        focus), so only they are repainted. They would repaint themselves (Textual's focus
        handlers, the header's ``-focused`` class), but a message later: often after the
        next frame, and a second frame costs ~15 ms of a key press (measured)."""
        moving = self.focus_moving
        if moving is not None and not regions and not layout and not recompose:
            for column in moving:
                column.query_one(".column-header").refresh()
                column.cards.refresh()
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    # -- data ---------------------------------------------------------------------------

    def sort_key_of(self, record: dict) -> tuple:
        """``sort_key``, cached per version of the record."""
        cached = self.sort_keys.get(record["id"])
        if cached is None or cached[0] is not record:
            cached = self.sort_keys[record["id"]] = (record, sort_key(record))
        return cached[1]

    def card_content(self, record: dict, width: int) -> Content:
        return card(record, self.app.today)

    def column_index(self, record: dict) -> int:
        return self.index_of.get(record.get("stage", ""), 0)

    def reload(self, full: bool = False) -> None:
        """Show the store's projects. After one card changed (a move, an edit) only its
        old and new columns are rebuilt; otherwise every column whose cards changed."""
        change = self.app.last_change
        records = self.app.records.get("projects")
        versions = self.app.versions("projects")
        if (full and records is self.shown_records and versions == self.shown_versions
                and not self.filters_changed):
            pass  # nothing the board shows changed (an edit elsewhere)
        elif (not full and change is not None and change[0] == "projects"
                and records is self.shown_records):
            self.apply_change(change[1], records)
        else:
            self.rebuild_all(records)
        self.shown_versions = versions
        self.filters_changed = False
        follow, self.follow = self.follow, None
        if follow is not None:
            self.focus_record(follow)

    def rebuild(self) -> None:
        """Show the cards again after the filters or the folded columns changed."""
        self.filters_changed = True
        self.reload(full=True)

    @guarded
    def rebuild_guarded(self) -> None:
        self.rebuild()

    def rebuild_all(self, records: dict[str, dict]) -> None:
        stages = self.stages()
        self.index_of = {stage: i for i, stage in enumerate(stages)}
        filtering = self.filters.active
        passes = self.filters.matcher()
        # the counts do not depend on the filters: only count again when the data changed
        recount = not (records is self.shown_records and self.seen == records
                       and len(self.counts) == len(stages))
        groups: list[list[dict]] = [[] for _stage in stages]
        totals = [0.0] * len(stages)
        counts = [0] * len(stages) if recount else self.counts
        column_of: dict[str, int] = {}
        today = self.app.today
        overdue = blocked = 0
        index_of = self.index_of
        for record in records.values():
            index = index_of.get(record.get("stage", ""), 0)
            if recount:
                counts[index] += 1
                overdue += is_overdue(record, today)
                blocked += record.get("health", "").casefold() == "blocked"
            if filtering and not passes(record):
                continue
            groups[index].append(record)
            column_of[record["id"]] = index
            totals[index] += to_number(record.get("value", "")) or 0.0
        if not recount:
            overdue, blocked = self.overdue, self.blocked
        gone = set(self.sort_keys) - records.keys()
        for record_id in gone:
            del self.sort_keys[record_id]
        self.filters.forget(gone)
        for group in groups:
            group.sort(key=self.sort_key_of)
        self.shown_records, self.seen = records, dict(records)
        self.groups, self.totals, self.counts = groups, totals, counts
        self.column_of = column_of
        self.overdue, self.blocked = overdue, blocked
        for column in self.columns():
            self.show_column(column)
        self.show_filters(records)

    def apply_change(self, record_id: str, records: dict[str, dict]) -> None:
        """One record changed: move its card between columns, keeping both sorted."""
        old, new = self.seen.get(record_id), records.get(record_id)
        if old is new:
            return
        today = self.app.today
        affected = set()
        for record, sign in ((old, -1), (new, 1)):
            if record is None:
                continue
            self.counts[self.column_index(record)] += sign
            self.overdue += sign * is_overdue(record, today)
            self.blocked += sign * (record.get("health", "").casefold() == "blocked")
        old_column = self.column_of.pop(record_id, None)
        if old_column is not None:
            group = self.groups[old_column]
            at = bisect.bisect_left(group, sort_key(old), key=self.sort_key_of)
            if not (at < len(group) and group[at]["id"] == record_id):
                at = next(i for i, r in enumerate(group) if r["id"] == record_id)
            del group[at]
            self.totals[old_column] -= to_number(old.get("value", "")) or 0.0
            affected.add(old_column)
        if new is not None:
            self.seen[record_id] = new
            if not self.filters.active or self.filters.passes(new):
                column = self.column_index(new)
                bisect.insort(self.groups[column], new, key=self.sort_key_of)
                self.column_of[record_id] = column
                self.totals[column] += to_number(new.get("value", "")) or 0.0
                affected.add(column)
        else:
            self.seen.pop(record_id, None)
            self.sort_keys.pop(record_id, None)
        for index in sorted(affected):
            self.show_column(self.column_at(index))
        self.show_filters(records)

    def show_column(self, column: Column) -> None:
        group = self.groups[column.index]
        if column.index == 0:
            if column.empty == bool(group):
                column.set_class(not group, "-empty")
                if self.size.width:  # else the first resize fits them
                    self.fit_columns(self.size.width)
        cards = column.cards
        if not cards.same_records(group):
            cards.replace_all(group, keep=cards.highlighted_id(),
                              fallback_index=cards.highlighted)
        self.show_header(column)

    def show_header(self, column: Column) -> None:
        if not self.groups:
            return
        group = self.groups[column.index]
        column.show_header(len(group), self.totals[column.index],
                           shown_all=len(group) == self.counts[column.index])

    def show_filters(self, records: dict[str, dict]) -> None:
        parts: list = []
        if self.filters.active:
            parts += [(_("Filters: "), "bold"), *self.filters.describe(),
                      (ngettext("· {shown} of {n} project", "· {shown} of {n} projects",
                                len(records)).format(shown=f"{len(self.column_of):,}",
                                                     n=f"{len(records):,}"),
                       "$text-muted"),
                      (_("   esc clears"), "$text-muted")]
        else:
            overdue, blocked = self.overdue, self.blocked
            parts += [(ngettext("{n} project", "{n} projects", len(records)).format(
                          n=f"{len(records):,}"), "bold"), ("  ·  ", "$text-muted"),
                      (_("{n} overdue").format(n=overdue),
                       "$error" if overdue else "$text-muted"),
                      ("  ·  ", "$text-muted"),
                      (_("{n} blocked").format(n=blocked),
                       "$error" if blocked else "$text-muted"),
                      (_("      / filter · m manager · c client · o overdue/at risk"),
                       "$text-muted")]
        # a fixed-size line: no layout pass (it would cost a second frame per key)
        update_if_changed(self.query_one("#board-filters", Static), Content.assemble(*parts),
                          layout=False)

    # -- the cursor ---------------------------------------------------------------------

    def current(self) -> tuple[Column | None, str | None]:
        """The focused column and its highlighted record ID."""
        focused = self.focused
        if isinstance(focused, RecordList) and isinstance(focused.parent, Column):
            return focused.parent, focused.highlighted_id()
        return None, None

    def navigable(self) -> list[Column]:
        """The stages ← → go through (in one-column mode also the ones not on screen)."""
        return [c for c in self.columns() if not c.empty and not c.collapsed]

    @guarded
    def action_column(self, step: int) -> None:
        columns = self.navigable()
        column, _record_id = self.current()
        if not columns:
            return
        if column not in columns:
            target = columns[0]
            row = 0
        else:
            position = columns.index(column) + step
            if not 0 <= position < len(columns):
                return
            target = columns[position]
            row = column.cards.highlighted or 0
        cards = target.cards
        self.focus_column(target)
        if cards.option_count:
            cards.highlighted = min(row, cards.option_count - 1)

    def action_cursor(self, direction: str) -> None:
        column, _record_id = self.current()
        if column is not None:
            getattr(column.cards, f"action_cursor_{direction}")()

    def show_record(self, record_id: str) -> None:
        """Highlight a project (clearing filters that hide it)."""
        if not self.loaded:
            self.pending_record = record_id
            return
        self.pending_record = None
        if record_id not in self.column_of:
            self.search.escape()
            self.rebuild()
        self.focus_record(record_id)

    def focus_record(self, record_id: str) -> None:
        index = self.column_of.get(record_id)
        if index is None:
            return
        column = self.column_at(index)
        if column.collapsed:
            column.remove_class("-collapsed")
            self.rebuild()
            self.fit_columns(self.size.width)
        cards = column.cards
        self.focus_column(column)
        position = cards.index_of(record_id)
        if position is not None:
            cards.highlighted = position
            if not cards.size.height:  # not laid out yet (just shown): scroll once it is
                self.call_after_refresh(cards.scroll_to_highlight)

    def toggle_column(self, column: Column) -> None:
        column.toggle_class("-collapsed")
        self.rebuild()
        self.fit_columns(self.size.width)
        if not column.collapsed:
            self.focus_column(column)

    def action_toggle_collapsed(self) -> None:
        configured = set(self.app.workspace.config.collapsed_stages)
        targets = [c for c in self.columns() if c.stage in configured]
        collapse = not any(c.collapsed for c in targets)
        for column in targets:
            column.set_class(collapse, "-collapsed")
        self.rebuild()
        self.fit_columns(self.size.width)

    # -- actions on the highlighted card ------------------------------------------------

    def selected(self) -> dict | None:
        _column, record_id = self.current()
        if record_id is None:
            self.app.bell()
            return None
        return self.app.records.get("projects").get(record_id)

    @guarded
    def action_move(self, step: int) -> None:
        record = self.selected()
        if record is None:
            return
        stages = list(self.app.rules.stages)
        stage = record.get("stage", "")
        if stage in stages:
            position = stages.index(stage) + step
            if not 0 <= position < len(stages):
                self.notify((_("{stage} is the first stage.") if step < 0
                             else _("{stage} is the last stage.")).format(
                                 stage=schema.shown(stage)))
                return
        else:
            position = 0  # an unknown stage moves to the first real one
        target = stages[position]
        changes = {"stage": target}
        done = ""
        if target == schema.DELIVERED:
            changes.update(delivered_changes(record, self.app.today))
            done = delivered_note(record, changes)
        elif stage == schema.DELIVERED and record.get("delivered"):
            changes["delivered"] = ""  # not delivered after all
        self.follow = record["id"]
        if not self.app.edit("projects", record["id"], changes):
            self.follow = None
            return
        if done:
            self.notify(_("{project} delivered: {changes}. ctrl+z undoes it all.").format(
                project=record.get('project') or record['id'], changes=done), timeout=6)
        if target == schema.DELIVERED:
            self.offer_retro(record["id"])

    def offer_retro(self, record_id: str) -> None:
        from amtui.ui.screens.confirm import TextEditor

        record = self.app.records.get("projects").get(record_id) or {}

        def done(text: str | None) -> None:
            if text is not None and text != record.get("retro", ""):
                self.app.edit("projects", record_id, {"retro": text})

        self.app.push_screen(TextEditor(
            _("Delivered: {project} — retrospective notes").format(
                project=record.get('project', record_id)),
            value=record.get("retro", ""),
            context=_("What went well, what to change next time (optional; escape skips).")),
            done)

    @on(RecordList.Selected)
    def card_chosen(self, event: RecordList.Selected) -> None:
        event.stop()
        self.action_open()

    @on(RecordList.Highlighted)
    def card_highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()

    @guarded
    def action_open(self) -> None:
        from amtui.ui.screens.project_form import ProjectForm

        record = self.selected()
        if record is None:
            return
        self.app.open_form(ProjectForm(record["id"]))

    def action_flow(self) -> None:
        from amtui.ui.widgets.charts import FlowScreen

        self.app.push_screen(FlowScreen())

    @guarded
    def action_new(self) -> None:
        from amtui.ui.screens.project_form import ProjectForm

        column, _record_id = self.current()
        stage = column.stage if column is not None and column.stage != UNKNOWN else (
            self.app.rules.stages[0])
        defaults = {}
        for facet in ("manager", "client"):
            if self.filters.choice(facet):
                defaults[facet] = self.filters.choice(facet)
        defaults["start"] = self.app.today.isoformat()
        if stage == schema.DELIVERED:
            # made as delivered: it was delivered today unless the person says otherwise
            defaults.update(delivered_changes({}, self.app.today))

        def saved(record_id: str | None) -> None:
            if record_id:
                self.show_record(record_id)
                self.notify(_("Added {id}. ctrl+z undoes it.").format(id=record_id),
                            title=_("New project"))

        self.app.open_form(ProjectForm(None, stage=stage, defaults=defaults), saved)

    @guarded
    def action_block(self) -> None:
        from amtui.ui.screens.confirm import TextPrompt

        record = self.selected()
        if record is None:
            return
        record_id = record["id"]
        if record.get("health", "").casefold() == "blocked":
            if self.app.edit("projects", record_id, {"health": "On track", "blocker": ""}):
                self.notify(_("{project}: unblocked (health {health}). ctrl+z undoes it.")
                            .format(project=record.get('project'),
                                    health=schema.shown("On track")))
            return

        def noted(note: str | None) -> None:
            if note is None:
                return
            self.app.edit("projects", record_id, {"health": "Blocked", "blocker": note})

        self.app.push_screen(TextPrompt(
            _("Blocked: {project}").format(project=record.get('project', record_id)),
            value=record.get("blocker", ""),
            hint=_("What is it waiting for? (the blocker note)")), noted)

    # -- filters ------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search.open()

    def focus_first_card(self) -> None:
        columns = self.navigable()
        column = next((c for c in columns if c.cards.option_count), None)
        if column is None and columns:
            column = columns[0]
        if column is not None:
            self.focus_column(column)

    def filtered(self) -> None:
        self.rebuild()
        self.focus_first_card()

    def name_test(self, facet: str):
        def test_for(name: str):
            key = fold(name)
            return lambda record: fold(record.get(facet, "")) == key
        return test_for

    def action_pick_manager(self) -> None:
        pick_filter(self, self.filters, "manager", _("Show projects of manager"),
                    self.app.store.refs().names("managers"), self.name_test("manager"),
                    self.filtered,
                    label=lambda name: _("manager {name}").format(name=name))

    def action_pick_client(self) -> None:
        pick_filter(self, self.filters, "client", _("Show projects of client"),
                    self.app.store.refs().names("clients"), self.name_test("client"),
                    self.filtered,
                    label=lambda name: _("client {name}").format(name=name))

    def action_attention(self) -> None:
        today = self.app.today
        self.filters.set("attention", "" if self.filters.choice("attention") else "on",
                         lambda record: needs_attention(record, today),
                         _("only overdue / at risk"))
        self.rebuild()
        if self.current()[0] is None:
            self.focus_first_card()

    def action_clear(self) -> None:
        _column, keep = self.current()
        if self.search.escape():
            self.rebuild()
        if keep and keep in self.column_of:
            self.focus_record(keep)
        else:
            self.focus_first_card()


def delivered_changes(record: dict, today) -> dict[str, str]:
    """What delivering a project sets besides its stage: the Delivered date, and a project
    that was stuck is done now: progress 100 %, health On track, no blocker."""
    changes = {"delivered": today.isoformat()}
    if record and to_number(record.get("progress", "")) != 100:
        changes["progress"] = "100"
    if record.get("health", "").casefold() in ("blocked", "at risk"):
        changes["health"] = "On track"
    if record.get("blocker"):
        changes["blocker"] = ""
    return changes


def delivered_note(record: dict, changes: dict[str, str]) -> str:
    """The extra changes of a delivery, in words (for the notification)."""
    said = []
    if "progress" in changes:
        said.append(_("progress {old}% → 100%").format(old=record.get('progress') or '?'))
    if "health" in changes:
        said.append(_("health {old} → {new}").format(
            old=schema.shown(record.get('health') or ""), new=schema.shown("On track")))
    if "blocker" in changes:
        said.append(_("blocker cleared"))
    return ("，" if i18n.is_chinese() else ", ").join(said)
