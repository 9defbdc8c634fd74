"""Timeline mode: projects as a Gantt chart, grouped by manager, with a load row each.

One ``TimelineView`` (a ``ScrollView`` drawn line by line with ``render_line``) shows every
row: only the visible lines are computed, so 5,000 projects scroll like 50. The layout math
(cells, bars, load) lives in :mod:`amtui.domain.timeline`; due-date moves go through
``app.edit`` like every edit (validated, undoable with ctrl+z, synced).
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from amtui.domain import i18n, schema
from amtui.domain import timeline as tl
from amtui.domain.i18n import N_, _, ngettext
from amtui.domain.parse import read_date
from amtui.domain.text import fold
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.status import status_bar

HEADER = 2  # the scale line and the tick line stay on top while rows scroll
LABEL = 30  # cells for the names on the left
LOAD_BARS = " ▁▂▃▄▅▆▇█"
RISKS = ("At risk", "Blocked", N_("Overdue"))  # the risk filter's choices (stored values)
ZOOM_NAMES = {"week": N_("week zoom"), "month": N_("month zoom"), "quarter": N_("quarter zoom")}
NO_MANAGER = "(no manager)"  # the group of projects without a manager (domain.timeline)
N_("(no manager)")
FILTER_WORDS = {"manager": N_("manager"), "client": N_("client"), "stage": N_("stage"),
                "risk": N_("risk")}


def group_name(manager: str) -> str:
    """A group's manager as the UI shows it."""
    return _(NO_MANAGER) if manager == NO_MANAGER else manager


def moved_text(new: date, old: date) -> str:
    """What a due move did, after the project's name: ``: due Thu 03 Dec 2026 (was 02
    Dec)`` / ``：截止日期改为 2026年12月3日（周四）（原为 12月2日）``."""
    if i18n.is_chinese():
        new_text = f"{i18n.date_text(new)}（{i18n.weekday_text(new)}）"
    else:
        new_text = f"{i18n.weekday_text(new)} {new:%d %b %Y}"
    return _(": due {new} (was {old})").format(new=new_text, old=i18n.day_text(old))
CHARS = {tl.BAR: "━", tl.LATE: "━", tl.DUE: "┫", tl.DONE: "✓", tl.MILESTONE: "◆"}


def passes(record: dict, span: tl.Span, filters: dict[str, str]) -> bool:
    """The board's filters: manager, client, stage, and a risk (at risk/blocked/overdue)."""
    if filters.get("manager") and fold(record.get("manager", "")) != filters["manager"]:
        return False
    if filters.get("client") and fold(record.get("client", "")) != filters["client"]:
        return False
    if filters.get("stage") and record.get("stage", "") != filters["stage"]:
        return False
    risk = filters.get("risk", "")
    if risk == "Overdue":
        return span.overdue
    if risk:
        return span.health == risk.casefold()
    return True


class TimelineView(ScrollView, can_focus=True):
    """The Gantt grid: a header of two lines, then group, load and project rows."""

    COMPONENT_CLASSES = {
        "timeline--scale", "timeline--tick", "timeline--today", "timeline--group",
        "timeline--load", "timeline--overload", "timeline--bar", "timeline--late",
        "timeline--done", "timeline--milestone", "timeline--risk", "timeline--blocked",
        "timeline--cursor", "timeline--muted",
    }
    BINDINGS = [
        Binding("down,j", "cursor(1)", N_("Next row"), id="timeline.down", show=False),
        Binding("up,k", "cursor(-1)", N_("Previous row"), id="timeline.up", show=False),
        Binding("pagedown", "cursor(20)", N_("Page down"), id="timeline.page_down", show=False),
        Binding("pageup", "cursor(-20)", N_("Page up"), id="timeline.page_up", show=False),
        Binding("home", "first_row", N_("First row"), id="timeline.home", show=False),
        Binding("end", "last_row", N_("Last row"), id="timeline.end", show=False),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.groups: list[tl.Group] = []
        self.rows: list[tl.Row] = []
        self.cursor = 0
        self.today = date.today()
        self.scale = tl.Scale("week", tl.monday(self.today))
        self.first = 0  # the first visible cell
        self.load_cache: dict[tuple, list[int]] = {}
        self.palette: dict[str, Style] = {}  # component styles, resolved once per restyle

    # -- what to show --------------------------------------------------------------------

    def show(self, groups: list[tl.Group], rows: list[tl.Row], today: date) -> None:
        self.groups, self.rows, self.today = groups, rows, today
        self.load_cache.clear()
        self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        self.virtual_size = Size(1, len(rows) + HEADER)
        self.refresh()

    @property
    def cells(self) -> int:
        return max(self.size.width - LABEL - 1, 1)

    def set_window(self, scale: tl.Scale, first: int) -> None:
        self.scale, self.first = scale, first
        self.load_cache.clear()
        self.refresh()

    def current_row(self) -> tl.Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def current_record(self) -> dict | None:
        row = self.current_row()
        if row is None or row.kind != "project":
            return None
        return self.groups[row.group].records[row.index]

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        before = self.cursor
        self.cursor = max(0, min(index, len(self.rows) - 1))
        visible = max(self.size.height - HEADER, 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)
        else:  # no scrolling: only the two cursor lines change
            self.refresh_line(before + HEADER)
            self.refresh_line(self.cursor + HEADER)
            return
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_first_row(self) -> None:
        self.move_to(0)

    def action_last_row(self) -> None:
        self.move_to(len(self.rows) - 1)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= HEADER:
            self.move_to(round(self.scroll_offset.y) + offset.y - HEADER)

    # -- drawing -------------------------------------------------------------------------

    def style(self, name: str = "", highlighted: bool = False) -> Style:
        """The widget's style plus a component's (``""``: none), plus the cursor's on the
        highlighted row; resolved once per restyle (``rich_style`` is slow per line)."""
        key = (name, highlighted)
        found = self.palette.get(key)
        if found is None:
            found = self.rich_style
            if name:
                found += self.get_component_rich_style(f"timeline--{name}", partial=True)
            if highlighted:
                found += self.get_component_rich_style("timeline--cursor", partial=True)
            self.palette[key] = found
        return found

    def notify_style_update(self) -> None:
        self.palette.clear()  # a new theme or focus: resolve the styles again
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            segments = self.scale_line()
        elif y == 1:
            segments = self.tick_line()
        else:
            index = round(self.scroll_offset.y) + y - HEADER
            if not 0 <= index < len(self.rows):
                return Strip.blank(width, self.style())
            segments = self.row_line(self.rows[index], index == self.cursor)
        return Strip(segments).adjust_cell_length(width, self.style())

    def today_cell(self) -> int:
        return self.scale.cell_of(self.today) - self.first

    def scale_line(self) -> list[Segment]:
        cells = [" "] * self.cells
        free = 0  # the first cell after the last label drawn and its space
        for at, label in self.scale.labels(self.first, self.cells):
            if at < free:
                continue  # it would run into the label before it (a long Chinese date)
            free = at + cell_len(label) + 1
            # one cell per entry: a wide (CJK) character fills two, the second left empty
            n = at
            for char in label:
                size = get_character_cell_size(char)
                if 0 <= n and n + size <= len(cells):
                    cells[n] = char
                    if size == 2:
                        cells[n + 1] = ""
                n += size
        zoom = " " + _(ZOOM_NAMES.get(self.scale.zoom, self.scale.zoom))
        return [Segment(tl.fit(zoom, LABEL) + " ", self.style("muted")),
                Segment("".join(cells), self.style("scale"))]

    def tick_line(self) -> list[Segment]:
        cells = ["─"] * self.cells
        for at, _label in self.scale.labels(self.first, self.cells):
            if 0 <= at < len(cells):
                cells[at] = "┬"
        segments = [Segment(" " * (LABEL + 1), self.style())]
        today = self.today_cell()
        if 0 <= today < len(cells):
            segments += [Segment("".join(cells[:today]), self.style("tick")),
                         Segment("▼", self.style("today")),
                         Segment("".join(cells[today + 1:]), self.style("tick"))]
        else:
            segments.append(Segment("".join(cells), self.style("tick")))
        return segments

    def row_line(self, row: tl.Row, hi: bool) -> list[Segment]:
        group = self.groups[row.group]
        style = self.style
        if row.kind == "group":
            folded = group.manager in getattr(self.screen, "collapsed", set())
            mark = "▸ " if folded else "▾ "
            label = tl.fit(f"{mark}{group_name(group.manager)} · {len(group.spans)}", LABEL)
            return [Segment(label + " ", style("group", hi)), *self.empty_cells(hi)]
        if row.kind == "load":
            return self.load_line(row, group, hi)
        span = group.spans[row.index]
        record = group.records[row.index]
        mark, bar = "  ", "bar"
        if span.health == "blocked":
            mark, bar = "■ ", "blocked"
        elif span.health == "at risk":
            mark, bar = "▲ ", "risk"
        name = record.get("project") or record["id"]
        segments = [Segment("  ", style("", hi)), Segment(mark, style(bar, hi)),
                    Segment(tl.fit(name, LABEL - 4) + " ", style("", hi))]
        kinds = tl.row_cells(span, self.scale, self.first, self.cells, today=self.today)
        names = {tl.BAR: bar, tl.DUE: bar, tl.LATE: "late", tl.DONE: "done",
                 tl.MILESTONE: "milestone", "today": "today", tl.EMPTY: ""}
        chars = {**CHARS, tl.BAR: "╍" if span.health == "blocked" else "━",
                 "today": "│", tl.EMPTY: " "}
        today = self.today_cell()
        if 0 <= today < len(kinds) and kinds[today] == tl.EMPTY:
            kinds[today] = "today"
        run_kind, start, end = kinds[0] if kinds else "", 0, len(kinds)
        for n in range(1, end + 1):
            if n == end or kinds[n] != run_kind:
                segments.append(Segment(chars[run_kind] * (n - start),
                                        style(names[run_kind], hi)))
                if n < end:
                    run_kind, start = kinds[n], n
        return segments

    def empty_cells(self, hi: bool) -> list[Segment]:
        today = self.today_cell()
        cells = self.cells
        if 0 <= today < cells:
            return [Segment(" " * today, self.style("", hi)),
                    Segment("│", self.style("today", hi)),
                    Segment(" " * (cells - today - 1), self.style("", hi))]
        return [Segment(" " * cells, self.style("", hi))]

    def load_line(self, row: tl.Row, group: tl.Group, hi: bool) -> list[Segment]:
        key = (row.group, self.scale, self.first, self.cells)
        load = self.load_cache.get(key)
        if load is None:
            load = self.load_cache[key] = tl.load_per_cell(
                group.spans, self.scale, self.first, self.cells, self.today)
        peak = max(load, default=0)
        label = tl.fit(_("  load · peak {n}/wk").format(n=peak), LABEL)
        segments = [Segment(label + " ", self.style(
            "overload" if peak > tl.OVERLOAD else "muted", hi))]
        top = max(tl.OVERLOAD + 2, 1)
        for count in load:
            bar = LOAD_BARS[min(round(count / top * (len(LOAD_BARS) - 1)), len(LOAD_BARS) - 1)]
            if count and bar == " ":
                bar = LOAD_BARS[1]
            segments.append(Segment(bar, self.style(
                "overload" if count > tl.OVERLOAD else "load", hi)))
        return segments

    def refresh_row(self, index: int) -> None:
        self.refresh_line(index + HEADER)


class TimelineScreen(DataScreen):
    """Projects on a time axis, per manager; see the module docstring."""

    BINDINGS = [
        Binding("enter", "open", N_("Open / fold"), id="timeline.open",
                tooltip=N_("Open the project form, or fold a manager's group")),
        Binding("space", "fold", N_("Fold group"), id="timeline.fold", show=False,
                tooltip=N_("Fold or unfold the manager's group")),
        Binding("F", "fold_all", N_("Fold all"), id="timeline.fold_all", show=False,
                tooltip=N_("Fold or unfold every manager's group")),
        Binding("z", "zoom(1)", N_("Zoom"), id="timeline.zoom",
                tooltip=N_("Zoom out: week, month, quarter")),
        Binding("Z", "zoom(-1)", N_("Zoom in"), id="timeline.zoom_in", show=False,
                tooltip=N_("Zoom in: quarter, month, week")),
        Binding("left,h", "scroll_time(-1)", N_("Earlier"), id="timeline.earlier", show=False,
                tooltip=N_("Scroll back in time")),
        Binding("right,l", "scroll_time(1)", N_("Later"), id="timeline.later", show=False,
                tooltip=N_("Scroll forward in time")),
        Binding("t", "today", N_("Today"), id="timeline.today",
                tooltip=N_("Jump to today")),
        Binding("shift+left", "move_due(-1)", N_("Due −1d"), id="timeline.due_earlier",
                show=False, tooltip=N_("Move the due date one day earlier")),
        Binding("shift+right", "move_due(1)", N_("Due +1d"), id="timeline.due_later",
                tooltip=N_("Move the due date one day later")),
        Binding("ctrl+left", "move_due(-7)", N_("Due −1w"), id="timeline.due_week_earlier",
                show=False, tooltip=N_("Move the due date one week earlier")),
        Binding("ctrl+right", "move_due(7)", N_("Due +1w"), id="timeline.due_week_later",
                show=False, tooltip=N_("Move the due date one week later")),
        Binding("m", "pick('manager')", N_("Manager"), id="timeline.manager",
                tooltip=N_("Filter the timeline by manager")),
        Binding("c", "pick('client')", N_("Client"), id="timeline.client", show=False,
                tooltip=N_("Filter the timeline by client")),
        Binding("s", "pick('stage')", N_("Stage"), id="timeline.stage", show=False,
                tooltip=N_("Filter the timeline by stage")),
        Binding("r", "pick('risk')", N_("Risk"), id="timeline.risk", show=False,
                tooltip=N_("Show only at-risk, blocked or overdue projects")),
        Binding("escape", "clear", N_("Clear filters"), id="timeline.clear", show=False,
                tooltip=N_("Clear the timeline filters")),
        Binding("e", "export", N_("Report"), id="timeline.export",
                tooltip=N_("Write the HTML report of this quarter to reports/")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.zoom = "week"
        self.filters: dict[str, str] = {}
        self.filter_names: dict[str, str] = {}
        self.collapsed: set[str] = set()
        self.left_day: date | None = None  # the first visible day
        self.pending_record: str | None = None
        self.last_move: tuple[str, str] | None = None  # (project ID, due) the top line says
        self.span_cache: dict[str, tuple[dict, tuple, tl.Span]] = {}
        self.milestones: dict[str, list[date]] = {}
        self.milestones_version: tuple | None = None

    def compose(self) -> ComposeResult:
        yield status_bar()
        yield Static("", id="timeline-top")
        yield TimelineView(id="timeline")
        yield KeyBar()

    @property
    def view(self) -> TimelineView:
        return self.query_one(TimelineView)

    def on_mount(self) -> None:
        self.view.focus()
        # the store's name index (checked by every edit) is built off the UI thread, so
        # the first due move is as quick as the next (~0.7 s on 5,000 projects)
        self.run_worker(self.warm_names, thread=True, group="timeline-warm",
                        exit_on_error=False)

    def warm_names(self) -> None:
        try:
            self.app.store.refs()
        finally:
            self.app.store.close()  # this thread's connection

    def on_resize(self) -> None:
        self.place()

    # -- data ---------------------------------------------------------------------------

    def reload(self, full: bool = False) -> None:
        change = self.app.last_change
        if not full and change is not None and change[0] == "projects" and \
                self.update_one(change[1]):
            self.forget_move()
            return
        view = self.view
        keep = view.current_record()
        keep_row = view.current_row()
        keep_id = self.pending_record or (keep["id"] if keep else None)
        keep_group = (view.groups[keep_row.group].manager
                      if keep_row is not None and keep_row.group < len(view.groups) else None)
        records = self.app.records.get("projects")
        pairs = [pair for pair in self.spans(records)
                 if passes(pair[1], pair[0], self.filters)]
        groups = tl.group_spans(pairs)
        rows = tl.layout_rows(groups, self.collapsed)
        view.show(groups, rows, self.app.today)
        self.place()
        if keep_id:
            self.focus_record(keep_id, keep_group)
        elif keep_group is not None:
            index = next((n for n, r in enumerate(rows) if r.kind == "group"
                          and groups[r.group].manager == keep_group), 0)
            view.move_to(index)
        self.show_top(len(records), sum(len(g.spans) for g in groups))
        self.last_move = None

    def forget_move(self) -> None:
        """The top line says what the last due move did, until that date changes again
        (an undo, a sync, the form)."""
        moved = self.last_move
        if moved is None:
            return
        record = self.app.records.get("projects").get(moved[0]) or {}
        if record.get("due") != moved[1]:
            self.last_move = None
            self.reload_top()

    def update_one(self, record_id: str) -> bool:
        """One project changed (a due move, a form save): redraw it in place when it stays
        in its group and the filters still show it. False: rebuild everything."""
        view = self.view
        record = self.app.records.get("projects").get(record_id)
        if record is None or self.milestones_version != self.app.versions("updates"):
            return False
        at = next(((g, i) for g, group in enumerate(view.groups)
                   for i, r in enumerate(group.records) if r["id"] == record_id), None)
        if at is None:
            return False
        group = view.groups[at[0]]
        if tl.manager_of(record) != group.manager:
            return False
        span = tl.project_span(record, self.app.today, self.milestones.get(record_id, ()))
        if not passes(record, span, self.filters):
            return False
        self.span_cache[record_id] = (record, self.milestones_version, span)
        pairs = list(zip(group.spans, group.records, strict=True))
        pairs[at[1]] = (span, record)
        pairs.sort(key=tl.order_key)
        group.spans = [p[0] for p in pairs]
        group.records = [p[1] for p in pairs]
        # the same rows (one per project of the group): redraw the group, its load row
        # included; only visible lines are drawn again
        view.load_cache.clear()
        top = next(n for n, r in enumerate(view.rows) if r.kind == "group" and r.group == at[0])
        folded = group.manager in self.collapsed
        view.refresh_lines(top + HEADER, 2 + (0 if folded else len(group.spans)))
        wanted = self.pending_record or record_id
        if not folded and wanted == record_id:
            view.move_to(top + 2 + group.records.index(record))
            self.pending_record = None
        else:
            self.focus_record(wanted)
        return True

    def spans(self, records: dict[str, dict]) -> list[tuple[tl.Span, dict]]:
        """(span, record) per project, made again only for records that changed (a due
        move re-reads one project, not 5,000)."""
        app = self.app
        version = app.versions("updates")
        if self.milestones_version != version:
            self.milestones = tl.milestones_from_updates(app.store.records("updates"),
                                                         records.values())
            self.milestones_version = version
        cache = self.span_cache
        if len(cache) > 2 * len(records) + 100:  # deleted projects: start afresh
            cache.clear()
        out = []
        today = app.today
        for record_id, record in records.items():
            hit = cache.get(record_id)
            if hit is None or hit[0] is not record or hit[1] != version:
                span = tl.project_span(record, today, self.milestones.get(record_id, ()))
                hit = cache[record_id] = (record, version, span)
            out.append((hit[2], record))
        return out

    def focus_record(self, record_id: str, group_name: str | None = None) -> None:
        view = self.view
        for n, row in enumerate(view.rows):
            if row.kind == "project" and \
                    view.groups[row.group].records[row.index]["id"] == record_id:
                view.move_to(n)
                self.pending_record = None
                return
        if group_name is not None:  # folded or filtered out: the group's header
            for n, row in enumerate(view.rows):
                if row.kind == "group" and view.groups[row.group].manager == group_name:
                    view.move_to(n)
                    return

    def show_record(self, record_id: str) -> None:
        """Highlight a project (unfolding its group, clearing filters that hide it)."""
        record = self.app.records.get("projects").get(record_id)
        if record is None:
            return
        self.filters.clear()
        self.filter_names.clear()
        self.collapsed.discard((record.get("manager") or "").strip() or "(no manager)")
        self.pending_record = record_id
        self.reload(full=True)

    def place(self) -> None:
        """Put the time window where ``left_day`` says (today a quarter in, at first)."""
        view = self.view
        today = self.app.today
        scale = tl.Scale(self.zoom, tl.monday(today))
        if self.left_day is None:
            first = scale.cell_of(today) - view.cells // 4
        else:
            first = scale.cell_of(self.left_day)
        view.set_window(scale, first)

    def show_top(self, total: int, shown: int) -> None:
        parts: list = []
        if self.filters:
            parts.append((_("Filters: "), "bold"))
            for key in ("manager", "client", "stage", "risk"):
                if self.filters.get(key):
                    name = self.filter_names.get(key, self.filters[key])
                    if key in ("stage", "risk"):
                        name = _(name) if name == "Overdue" else schema.shown(name)
                    parts.append((f"{_(FILTER_WORDS[key])} {name}  ", "$accent"))
            parts.append((ngettext("· {shown} of {n} project   esc clears",
                                   "· {shown} of {n} projects   esc clears", total).format(
                shown=f"{shown:,}", n=f"{total:,}"), "$text-muted"))
        else:
            parts += [(ngettext("{n} project", "{n} projects", total).format(n=f"{total:,}"),
                       "bold"),
                      (_("  ·  {zoom}  ·  ━ start→due  ┫ due  ").format(
                          zoom=_(ZOOM_NAMES.get(self.zoom, self.zoom))), "$text-muted"),
                      (_("━ late"), "$error"), (_("  ✓ delivered  "), "$text-muted"),
                      (_("◆ update"), "$accent"), (_("  ▲ at risk"), "$warning"),
                      (_("  ■ blocked"), "$error"), (_("  │ today"), "$text-muted")]
        self.query_one("#timeline-top", Static).update(Content.assemble(*parts),
                                                        layout=False)

    # -- actions ------------------------------------------------------------------------

    @guarded
    def action_open(self) -> None:
        view = self.view
        row = view.current_row()
        if row is None:
            return
        if row.kind != "project":
            self.action_fold()
            return
        from amtui.ui.screens.project_form import ProjectForm

        self.app.open_form(ProjectForm(view.current_record()["id"]))

    @guarded
    def action_fold(self) -> None:
        view = self.view
        row = view.current_row()
        if row is None:
            return
        name = view.groups[row.group].manager
        if name in self.collapsed:
            self.collapsed.discard(name)
        else:
            self.collapsed.add(name)
        self.pending_record = None
        view.cursor = next(n for n, r in enumerate(view.rows)
                           if r.kind == "group" and r.group == row.group)
        self.reload(full=True)

    @guarded
    def action_fold_all(self) -> None:
        names = {g.manager for g in self.view.groups}
        self.collapsed = set() if names <= self.collapsed else names
        self.reload(full=True)

    @guarded
    def action_zoom(self, step: int) -> None:
        at = tl.ZOOMS.index(self.zoom) + step
        if not 0 <= at < len(tl.ZOOMS):
            self.app.bell()
            return
        view = self.view
        middle = view.scale.day_of(view.first + view.cells // 2)
        self.zoom = tl.ZOOMS[at]
        scale = tl.Scale(self.zoom, tl.monday(self.app.today))
        self.left_day = scale.day_of(scale.cell_of(middle) - view.cells // 2)
        self.place()
        self.reload_top()

    def reload_top(self) -> None:
        view = self.view
        self.show_top(len(self.app.records.get("projects")),
                      sum(len(g.spans) for g in view.groups))

    @guarded
    def action_scroll_time(self, step: int) -> None:
        view = self.view
        self.left_day = view.scale.day_of(view.first + step * max(view.cells // 4, 1))
        self.place()

    @guarded
    def action_today(self) -> None:
        self.left_day = None
        self.place()
        record = self.view.current_record()
        if record is None:
            # the first project running today
            for n, row in enumerate(self.view.rows):
                if row.kind == "project":
                    span = self.view.groups[row.group].spans[row.index]
                    last = span.last(self.app.today)
                    if span.first and last and span.first <= self.app.today <= last:
                        self.view.move_to(n)
                        break

    @guarded
    def action_move_due(self, days: int) -> None:
        record = self.view.current_record()
        if record is None:
            self.app.bell()
            return
        due = read_date(record.get("due"))
        if due is None:
            self.notify(_("{project} has no due date to move; enter opens the form.").format(
                project=record.get('project') or record['id']), title=_("Not moved"))
            return
        new = due + timedelta(days=days)
        self.pending_record = record["id"]
        if self.app.edit("projects", record["id"], {"due": new.isoformat()}):
            self.last_move = (record["id"], new.isoformat())
            # said on the top line, not in a toast: a toast per key costs a layout pass
            self.query_one("#timeline-top", Static).update(Content.assemble(
                (f"{record.get('project') or record['id']}", "bold"),
                moved_text(new, due), (_("   ctrl+z undoes it"), "$text-muted")), layout=False)
        else:
            self.pending_record = None

    @guarded
    def action_pick(self, kind: str) -> None:
        from amtui.ui.screens.pickers import PickerScreen

        if kind in ("manager", "client"):
            names = self.app.store.refs().names(f"{kind}s")
        elif kind == "stage":
            names = list(self.app.rules.stages)
        else:
            names = list(RISKS)
        # the picker shows stages and risks in the UI's language; filters keep the value
        value_of = {(_(n) if n == "Overdue" else schema.shown(n)) if kind in ("stage", "risk")
                    else n: n for n in names}
        current = self.filter_names.get(kind)
        if current and kind in ("stage", "risk"):
            current = _(current) if current == "Overdue" else schema.shown(current)

        def picked(name: str | None) -> None:
            if name is None:
                return
            name = value_of.get(name, name)
            if not name:
                self.filters.pop(kind, None)
                self.filter_names.pop(kind, None)
            else:
                self.filters[kind] = fold(name) if kind in ("manager", "client") else name
                self.filter_names[kind] = name
            self.reload(full=True)

        title = {"manager": N_("Show projects of manager"),
                 "client": N_("Show projects of client"),
                 "stage": N_("Show projects in stage"),
                 "risk": N_("Show only projects that are")}[kind]
        self.app.push_screen(PickerScreen(_(title), list(value_of), current=current), picked)

    def set_filter(self, kind: str, name: str) -> None:
        """What picking ``name`` in a filter's picker does (tests and the palette)."""
        self.filters[kind] = fold(name) if kind in ("manager", "client") else name
        self.filter_names[kind] = name
        self.reload(full=True)

    @guarded
    def action_clear(self) -> None:
        if self.filters:
            self.filters.clear()
            self.filter_names.clear()
            self.reload(full=True)

    @guarded
    def action_export(self) -> None:
        from amtui.domain.period import Period
        from amtui.ui.widgets.charts import export_html_report

        self.notify(_("Writing the report…"), title=_("Report"), timeout=2)
        export_html_report(self, Period.quarter_of(self.app.today))
