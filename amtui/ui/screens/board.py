"""The kanban board: one column per project stage, cards as options of one list per column.

Built for 5,000 projects: each column is a ``FixedOptionList`` of lazily rendered cards, and
a change rebuilds only the columns whose cards changed (a moved card touches two).
"""

from __future__ import annotations

import bisect

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from amtui.domain import schema
from amtui.domain.validate import name_key
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.cards import (
    CARD_HEIGHT,
    card,
    is_overdue,
    money_short,
    needs_attention,
    to_number,
)
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.lists import FixedOptionList, LazyOption
from amtui.ui.widgets.status import status_bar

PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}
UNKNOWN = "?"  # the column of projects whose stage is blank or not a known stage


def sort_key(record: dict) -> tuple:
    """High priority first, then the earliest due date, then the name."""
    return (PRIORITY_RANK.get(record.get("priority", "").casefold(), 3),
            record.get("due") or "9999", record.get("project", "").casefold(), record["id"])


class Column(Vertical):
    """A stage: a two-line header (name, count and total value) and its cards."""

    def __init__(self, stage: str, index: int, collapsed: bool):
        super().__init__(id=f"col-{index}", classes="column")
        self.stage = stage
        self.index = index
        self.set_class(collapsed, "-collapsed")

    def compose(self) -> ComposeResult:
        yield Static("", classes="column-header")
        yield FixedOptionList(option_height=CARD_HEIGHT, classes="cards")

    @property
    def cards(self) -> FixedOptionList:
        return self.query_one(FixedOptionList)

    @property
    def collapsed(self) -> bool:
        return self.has_class("-collapsed")

    def show_header(self, count: int, total: float, shown_all: bool) -> None:
        label = "Unknown stage" if self.stage == UNKNOWN else self.stage
        mark = "▸ " if self.collapsed else ""
        value = money_short(total) if total else "–"
        self.query_one(".column-header", Static).update(Content.assemble(
            (mark + label, "bold"), "\n",
            (f"{count:,}" + ("" if shown_all else " shown"), "$text-muted"),
            (" · ", "$text-muted"), (value, "$text-muted")), layout=False)

    def on_click(self, event) -> None:
        # a click on a collapsible stage's header (or the folded column) opens or folds it
        if self.stage not in self.app.workspace.config.collapsed_stages:
            return
        if self.collapsed or "column-header" in getattr(event.widget, "classes", ()):
            self.screen.toggle_column(self)


class BoardScreen(DataScreen):
    CSS_PATH = "board.tcss"
    BINDINGS = [
        Binding("left,h", "column(-1)", "Previous column", id="board.left", show=False),
        Binding("right,l", "column(1)", "Next column", id="board.right", show=False),
        Binding("j", "cursor('down')", "Next card", id="board.down", show=False),
        Binding("k", "cursor('up')", "Previous card", id="board.up", show=False),
        Binding("shift+left,less_than_sign", "move(-1)", "◀ Stage",
                id="board.move_prev",
                tooltip="Move the card to the previous stage"),
        Binding("shift+right,greater_than_sign", "move(1)", "Stage ▶",
                id="board.move_next",
                tooltip="Move the card to the next stage"),
        Binding("e", "open", "Open project", id="board.open",
                tooltip="Open the project form", show=False),
        Binding("n", "new", "New", id="board.new",
                tooltip="New project in this column"),
        Binding("b", "block", "Blocked", id="board.block",
                tooltip="Toggle blocked (with a blocker note)"),
        Binding("slash", "search", "Filter", id="board.search",
                tooltip="Filter cards by text"),
        Binding("m", "pick_manager", "Manager", id="board.manager",
                tooltip="Filter the board by manager"),
        Binding("c", "pick_client", "Client", id="board.client",
                tooltip="Filter the board by client"),
        Binding("o", "attention", "Overdue/at risk", id="board.attention",
                tooltip="Show only overdue or at-risk projects"),
        Binding("f", "flow", "Flow", id="board.flow", show=False,
                tooltip="Board flow: projects per stage per week, and throughput"),
        Binding("z", "toggle_collapsed", "Show/hide collapsed stages", id="board.collapse",
                tooltip="Show or hide On Hold and Cancelled",
                show=False),
        Binding("escape", "clear", "Clear filters", id="board.clear",
                tooltip="Clear the board filters", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.text_filter = ""
        self.manager_filter = ""
        self.client_filter = ""
        self.only_attention = False
        self._options: dict[str, LazyOption] = {}
        self._column_of: dict[str, int] = {}  # record ID -> column index
        self._pending_record: str | None = None
        self._follow: str | None = None  # a moved card the cursor follows
        self._loaded = False
        # what the columns show (see _rebuild): per column the sorted records, their total
        # value and how many projects are in the stage unfiltered
        self._records: dict[str, dict] | None = None
        self._seen: dict[str, dict] = {}
        self._index_of: dict[str, int] = {}
        self._groups: list[list[dict]] = []
        self._totals: list[float] = []
        self._counts: list[int] = []
        self._overdue = self._blocked = 0
        self._card_render = self._card  # one bound method for every card's option
        self._derived_cache: dict[str, tuple[dict, tuple, str]] = {}
        self._filters_shown: Content | None = None
        self._versions: tuple[int, ...] = ()
        self._filters_changed = True  # filters or folding changed: rebuild even if no data did

    # -- layout -------------------------------------------------------------------------

    def stages(self) -> list[str]:
        return [UNKNOWN, *self.app.rules.stages]

    def compose(self) -> ComposeResult:
        yield status_bar()
        with Horizontal(id="board-top"):
            yield Static("", id="board-filters")
            yield Input(placeholder="filter: project, client, manager, blocker…",
                        id="board-search", compact=True)
        collapsed = set(self.app.workspace.config.collapsed_stages)
        with Horizontal(id="columns"):
            for index, stage in enumerate(self.stages()):
                yield Column(stage, index, stage in collapsed)
        yield KeyBar()

    def on_mount(self) -> None:
        self.seen_version = self.app.data_version
        self.query_one("#col-0", Column).display = False
        self.rebuild()
        self._loaded = True
        first = next((c for c in self.columns() if c.display and not c.collapsed
                      and c.cards.option_count), None)
        if first is not None:
            first.cards.focus()
        if self._pending_record:
            self.show_record(self._pending_record)

    def columns(self) -> list[Column]:
        return list(self.query(Column))

    def column_at(self, index: int) -> Column:
        return self.query_one(f"#col-{index}", Column)

    # -- data ---------------------------------------------------------------------------

    def _derived(self, record: dict) -> tuple[dict, tuple, str]:
        """(record, sort key, text for ``/``), cached per version of the record."""
        cached = self._derived_cache.get(record["id"])
        if cached is None or cached[0] is not record:
            text = " ".join((record.get("project", ""), record.get("client", ""),
                             record.get("manager", ""), record.get("blocker", ""),
                             record.get("next_step", ""), record.get("id", ""))).casefold()
            cached = self._derived_cache[record["id"]] = (record, sort_key(record), text)
        return cached

    def _key(self, record: dict) -> tuple:
        return self._derived(record)[1]

    def _passes(self, record: dict) -> bool:
        if self.manager_filter and name_key(record.get("manager", "")) != self.manager_filter:
            return False
        if self.client_filter and name_key(record.get("client", "")) != self.client_filter:
            return False
        if self.only_attention and not needs_attention(record, self.app.today):
            return False
        return not self.text_filter or self.text_filter in self._derived(record)[2]

    def _card(self, record: dict):
        return card(record, self.app.today)

    def _option(self, record: dict) -> LazyOption:
        option = self._options.get(record["id"])
        if option is None:
            option = LazyOption(record["id"], record, self._card_render)
            self._options[record["id"]] = option
        elif option.record is not record:
            option = self._options[record["id"]] = option.changed(record)
        return option

    def _column_index(self, record: dict) -> int:
        return self._index_of.get(record.get("stage", ""), 0)

    def reload(self, full: bool = False) -> None:
        """Show the store's projects. After one card changed (a move, an edit) only its
        old and new columns are rebuilt; otherwise every column whose cards changed."""
        change = self.app.last_change
        records = self.app.records.get("projects")
        versions = self.app.versions("projects")
        if (full and records is self._records and versions == self._versions
                and not self._filters_changed):
            pass  # nothing the board shows changed (an edit elsewhere)
        elif (not full and change is not None and change[0] == "projects"
                and records is self._records):
            self._apply_change(change[1], records)
        else:
            self._rebuild(records)
        self._versions = versions
        self._filters_changed = False
        follow, self._follow = self._follow, None
        if follow is not None:
            self._focus_record(follow)

    def rebuild(self) -> None:
        """Show the cards again after the filters or the folded columns changed."""
        self._filters_changed = True
        self.reload(full=True)

    def _rebuild(self, records: dict[str, dict]) -> None:
        stages = self.stages()
        self._index_of = {stage: i for i, stage in enumerate(stages)}
        filtering = self._filtering()
        groups: list[list[dict]] = [[] for _ in stages]
        totals = [0.0] * len(stages)
        counts = [0] * len(stages)
        column_of: dict[str, int] = {}
        today = self.app.today
        overdue = blocked = 0
        for record in records.values():
            index = self._column_index(record)
            counts[index] += 1
            overdue += is_overdue(record, today)
            blocked += record.get("health", "").casefold() == "blocked"
            if filtering and not self._passes(record):
                continue
            groups[index].append(record)
            column_of[record["id"]] = index
            totals[index] += to_number(record.get("value", "")) or 0.0
        for gone in set(self._options) - records.keys():
            del self._options[gone]
            self._derived_cache.pop(gone, None)
        for group in groups:
            group.sort(key=self._key)
        self._records, self._seen = records, dict(records)
        self._groups, self._totals, self._counts = groups, totals, counts
        self._column_of = column_of
        self._overdue, self._blocked = overdue, blocked
        for column in self.columns():
            self._show_column(column)
        self._show_filters(records)

    def _apply_change(self, record_id: str, records: dict[str, dict]) -> None:
        """One record changed: move its card between columns, keeping both sorted."""
        old, new = self._seen.get(record_id), records.get(record_id)
        if old is new:
            return
        today = self.app.today
        affected = set()
        for record, sign in ((old, -1), (new, 1)):
            if record is None:
                continue
            self._counts[self._column_index(record)] += sign
            self._overdue += sign * is_overdue(record, today)
            self._blocked += sign * (record.get("health", "").casefold() == "blocked")
        old_column = self._column_of.pop(record_id, None)
        if old_column is not None:
            group = self._groups[old_column]
            at = bisect.bisect_left(group, sort_key(old), key=self._key)
            if not (at < len(group) and group[at]["id"] == record_id):
                at = next(i for i, r in enumerate(group) if r["id"] == record_id)
            del group[at]
            self._totals[old_column] -= to_number(old.get("value", "")) or 0.0
            affected.add(old_column)
        if new is not None:
            self._seen[record_id] = new
            if not self._filtering() or self._passes(new):
                column = self._column_index(new)
                bisect.insort(self._groups[column], new, key=self._key)
                self._column_of[record_id] = column
                self._totals[column] += to_number(new.get("value", "")) or 0.0
                affected.add(column)
        else:
            self._seen.pop(record_id, None)
            self._options.pop(record_id, None)
        for index in sorted(affected):
            self._show_column(self.column_at(index))
        self._show_filters(records)

    def _show_column(self, column: Column) -> None:
        group = self._groups[column.index]
        if column.index == 0:
            column.display = bool(group)
        cards = column.cards
        options = [self._option(r) for r in group]
        if not cards.same_options(options):
            cards.replace_all(options, keep=cards.highlighted_id(),
                              fallback_index=cards.highlighted)
        column.show_header(len(group), self._totals[column.index],
                           shown_all=len(group) == self._counts[column.index])

    def _filtering(self) -> bool:
        return bool(self.text_filter or self.manager_filter or self.client_filter
                    or self.only_attention)

    def _show_filters(self, records: dict[str, dict]) -> None:
        parts: list = []
        if self._filtering():
            parts.append(("Filters: ", "bold"))
            if self.text_filter:
                parts.append((f'text "{self.text_filter}"  ', "$accent"))
            if self.manager_filter:
                parts.append((f"manager {self._manager_name}  ", "$accent"))
            if self.client_filter:
                parts.append((f"client {self._client_name}  ", "$accent"))
            if self.only_attention:
                parts.append(("only overdue / at risk  ", "$accent"))
            parts.append((f"· {len(self._column_of):,} of {len(records):,} projects",
                          "$text-muted"))
            parts.append(("   esc clears", "$text-muted"))
        else:
            overdue, blocked = self._overdue, self._blocked
            parts += [(f"{len(records):,} projects", "bold"), ("  ·  ", "$text-muted"),
                      (f"{overdue} overdue", "$error" if overdue else "$text-muted"),
                      ("  ·  ", "$text-muted"),
                      (f"{blocked} blocked", "$error" if blocked else "$text-muted"),
                      ("      / filter · m manager · c client · o overdue/at risk",
                       "$text-muted")]
        content = Content.assemble(*parts)
        if self._filters_shown is None or not content.is_same(self._filters_shown):
            self._filters_shown = content
            # a fixed-size line: no layout pass (it would cost a second frame per key)
            self.query_one("#board-filters", Static).update(content, layout=False)

    # -- the cursor ---------------------------------------------------------------------

    def current(self) -> tuple[Column | None, str | None]:
        """The focused column and its highlighted record ID."""
        focused = self.focused
        if isinstance(focused, FixedOptionList) and isinstance(focused.parent, Column):
            return focused.parent, focused.highlighted_id()
        return None, None

    def _navigable(self) -> list[Column]:
        return [c for c in self.columns() if c.display and not c.collapsed]

    @guarded
    def action_column(self, step: int) -> None:
        columns = self._navigable()
        column, _ = self.current()
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
        cards.focus()
        if cards.option_count:
            cards.highlighted = min(row, cards.option_count - 1)

    def action_cursor(self, direction: str) -> None:
        column, _ = self.current()
        if column is not None:
            getattr(column.cards, f"action_cursor_{direction}")()

    def show_record(self, record_id: str) -> None:
        """Highlight a project (clearing filters that hide it)."""
        if not self._loaded:
            self._pending_record = record_id
            return
        self._pending_record = None
        if record_id not in self._column_of:
            self._clear_filters()
            self.rebuild()
        self._focus_record(record_id)

    def _focus_record(self, record_id: str) -> None:
        index = self._column_of.get(record_id)
        if index is None:
            return
        column = self.column_at(index)
        if column.collapsed:
            column.remove_class("-collapsed")
            self.rebuild()
        cards = column.cards
        cards.focus()
        position = cards.index_of(record_id)
        if position is not None:
            cards.highlighted = position
            if not cards.size.height:  # not laid out yet (just shown): scroll once it is
                self.call_after_refresh(cards.scroll_to_highlight)

    def toggle_column(self, column: Column) -> None:
        column.toggle_class("-collapsed")
        self.rebuild()
        if not column.collapsed:
            column.cards.focus()

    def action_toggle_collapsed(self) -> None:
        configured = set(self.app.workspace.config.collapsed_stages)
        targets = [c for c in self.columns() if c.stage in configured]
        collapse = not any(c.collapsed for c in targets)
        for column in targets:
            column.set_class(collapse, "-collapsed")
        self.rebuild()

    # -- actions on the highlighted card ------------------------------------------------

    def _selected(self) -> dict | None:
        _column, record_id = self.current()
        if record_id is None:
            self.app.bell()
            return None
        return self.app.records.get("projects").get(record_id)

    @guarded
    def action_move(self, step: int) -> None:
        record = self._selected()
        if record is None:
            return
        stages = list(self.app.rules.stages)
        stage = record.get("stage", "")
        if stage in stages:
            position = stages.index(stage) + step
            if not 0 <= position < len(stages):
                self.notify(f"{stage} is the {'first' if step < 0 else 'last'} stage.")
                return
        else:
            position = 0  # an unknown stage moves to the first real one
        target = stages[position]
        changes = {"stage": target}
        if target == schema.DELIVERED:
            changes["delivered"] = self.app.today.isoformat()
        elif stage == schema.DELIVERED and record.get("delivered"):
            changes["delivered"] = ""  # not delivered after all
        self._follow = record["id"]
        if not self.app.edit("projects", record["id"], changes):
            self._follow = None
            return
        if target == schema.DELIVERED:
            self._offer_retro(record["id"])

    def _offer_retro(self, record_id: str) -> None:
        from amtui.ui.screens.confirm import TextEditor

        record = self.app.records.get("projects").get(record_id) or {}

        def done(text: str | None) -> None:
            if text is not None and text != record.get("retro", ""):
                self.app.edit("projects", record_id, {"retro": text})

        self.app.push_screen(TextEditor(
            f"Delivered: {record.get('project', record_id)} — retrospective notes",
            value=record.get("retro", ""),
            context="What went well, what to change next time (optional; escape skips)."),
            done)

    @on(OptionList.OptionSelected)
    def _card_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    @guarded
    def action_open(self) -> None:
        from amtui.ui.screens.project_form import ProjectForm

        record = self._selected()
        if record is None:
            return
        self.app.push_screen(ProjectForm(record["id"]))

    def action_flow(self) -> None:
        from amtui.ui.widgets.charts import FlowScreen

        self.app.push_screen(FlowScreen())

    @guarded
    def action_new(self) -> None:
        from amtui.ui.screens.project_form import ProjectForm

        column, _ = self.current()
        stage = column.stage if column is not None and column.stage != UNKNOWN else (
            self.app.rules.stages[0])
        defaults = {}
        if self.manager_filter:
            defaults["manager"] = self._manager_name
        if self.client_filter:
            defaults["client"] = self._client_name
        defaults["start"] = self.app.today.isoformat()

        def saved(record_id: str | None) -> None:
            if record_id:
                self.show_record(record_id)
                self.notify(f"Added {record_id}. ctrl+z undoes it.", title="New project")

        self.app.push_screen(ProjectForm(None, stage=stage, defaults=defaults), saved)

    @guarded
    def action_block(self) -> None:
        from amtui.ui.screens.confirm import TextPrompt

        record = self._selected()
        if record is None:
            return
        record_id = record["id"]
        if record.get("health", "").casefold() == "blocked":
            if self.app.edit("projects", record_id, {"health": "On track", "blocker": ""}):
                self.notify(f"{record.get('project')}: unblocked (health On track). "
                            "ctrl+z undoes it.")
            return

        def noted(note: str | None) -> None:
            if note is None:
                return
            self.app.edit("projects", record_id, {"health": "Blocked", "blocker": note})

        self.app.push_screen(TextPrompt(
            f"Blocked: {record.get('project', record_id)}", value=record.get("blocker", ""),
            hint="What is it waiting for? (the blocker note)"), noted)

    # -- filters ------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#board-search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#board-search")
    @guarded
    def _search_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip().casefold()
        self.rebuild()

    @on(Input.Submitted, "#board-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            event.input.remove_class("-shown")
        self._focus_first_card()

    def _focus_first_card(self) -> None:
        column = next((c for c in self._navigable() if c.cards.option_count), None)
        if column is not None:
            column.cards.focus()
        elif self._navigable():
            self._navigable()[0].cards.focus()

    def _pick(self, kind: str) -> None:
        from amtui.ui.screens.pickers import PickerScreen

        names = self.app.store.refs().names(kind)
        current = self._manager_name if kind == "managers" else self._client_name
        title = "Show projects of manager" if kind == "managers" else "Show projects of client"

        def picked(name: str | None) -> None:
            if name is None:
                return
            if kind == "managers":
                self._manager_name, self.manager_filter = name, name_key(name)
            else:
                self._client_name, self.client_filter = name, name_key(name)
            self.rebuild()
            self._focus_first_card()

        self.app.push_screen(PickerScreen(title, names, current=current or None), picked)

    _manager_name = ""
    _client_name = ""

    def action_pick_manager(self) -> None:
        self._pick("managers")

    def action_pick_client(self) -> None:
        self._pick("clients")

    def action_attention(self) -> None:
        self.only_attention = not self.only_attention
        self.rebuild()
        if self.current()[0] is None:
            self._focus_first_card()

    def _clear_filters(self) -> None:
        self.text_filter = self.manager_filter = self.client_filter = ""
        self._manager_name = self._client_name = ""
        self.only_attention = False
        search = self.query_one("#board-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        search.remove_class("-shown")

    def action_clear(self) -> None:
        search = self.query_one("#board-search", Input)
        if search.has_focus and search.value:
            with search.prevent(Input.Changed):
                search.value = ""
            self.text_filter = ""
            search.remove_class("-shown")
            self.rebuild()
            self._focus_first_card()
            return
        if not self._filtering():
            if search.has_focus:
                search.remove_class("-shown")
                self._focus_first_card()
            return
        _column, keep = self.current()
        self._clear_filters()
        self.rebuild()
        if keep:
            self._focus_record(keep)
        else:
            self._focus_first_card()
