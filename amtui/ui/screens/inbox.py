"""The feedback inbox: every piece of client and internal feedback, newest unhandled first,
with its response clock, a detail pane and the actions that answer it.

One ``RecordList`` (a virtual list that renders only the rows on screen), so 20,000 items
open and filter fast. Below ``WIDE_ROW`` cells a row is three lines: the key facts, then the
feedback wrapped over two lines (the wide row's text column would get no room).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _
from amtui.domain.parse import read_date
from amtui.domain.text import fold
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.cards import (
    STATUS_STYLE,
    clock_style,
    clock_text,
    feedback_preview,
    feedback_row,
    fit,
    response_hours,
    stars,
    to_number,
)
from amtui.ui.widgets.filters import Filters, SearchBox, pick_filter
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.lists import RecordList
from amtui.ui.widgets.status import status_bar

OPEN = N_("Open (not resolved or closed)")
# groups that do not overlap, from unhappy to happy: each item is in exactly one
RATING_FILTERS = {N_("1–2 (unhappy)"): ("1", "2"), N_("3 (neutral)"): ("3",),
                  N_("4–5 (happy)"): ("4", "5"), N_("No rating"): ("",)}
# the word a filter's description and picker title use for each facet
FACET_WORDS = {"status": N_("status"), "source": N_("source"), "manager": N_("manager"),
               "client": N_("client"), "rating": N_("rating")}
SEARCH_FIELDS = ("text", "client", "project", "manager", "from_", "response", "id")
WIDE_ROW = 110  # cells the one-line row needs to show some of the feedback text
# the titles over the row's columns and their widths in cells (as ``feedback_row`` draws them)
COLUMNS = ((N_("Received"), 10), (N_("Status"), 12), (N_("Clock"), 5), (N_("Stars"), 5),
           (N_("Source"), 8), (N_("Client"), 14), (N_("Project"), 20), (N_("Manager"), 12),
           (N_("Category"), 9))


def column_titles() -> str:
    """The line over the inbox rows, in the UI's language (cell widths, so it stays over
    its columns when the titles are Chinese)."""
    return " ".join(fit(_(title), width) for title, width in COLUMNS) + " " + _("Feedback")


COLUMN_TITLES = column_titles()  # in English


def when_text(text: str) -> str:
    """A stored date (or date and time) as the UI shows it: ``2026-12-03 14:30`` in English,
    ``2026年12月3日 14:30`` in Chinese; text that is not a date as typed."""
    if not text or not i18n.is_chinese():
        return text
    day = read_date(text)
    if day is None:
        return text
    text = text.strip()
    rest = text[10:] if text[:10] == day.isoformat() else ""
    return i18n.date_text(day) + rest


def _received(record: dict) -> str:
    """Received as sortable text; an unreadable date sorts as the oldest."""
    text = record.get("received", "")
    return text if read_date(text) is not None else ""


def inbox_order(records) -> list[dict]:
    """Unhandled first, each group newest first (then highest ID)."""
    newest = sorted(records, key=lambda r: (_received(r), r["id"]), reverse=True)
    return sorted(newest, key=lambda r: r.get("status", "") in schema.HANDLED_STATUS)


class InboxScreen(DataScreen):
    CSS_PATH = "inbox.tcss"
    HELP_TITLE = N_("Inbox")
    BINDINGS = [
        Binding("a", "acknowledge", N_("Acknowledge"), id="inbox.acknowledge",
                tooltip=N_("Acknowledge the feedback")),
        Binding("g", "assign", N_("Assign"), id="inbox.assign",
                tooltip=N_("Assign the feedback to a manager")),
        Binding("r", "respond", N_("Respond"), id="inbox.respond",
                tooltip=N_("Respond to the feedback")),
        Binding("x", "resolve", N_("Resolve"), id="inbox.resolve",
                tooltip=N_("Resolve the feedback")),
        Binding("o", "reopen", N_("Reopen"), id="inbox.reopen",
                tooltip=N_("Reopen resolved feedback")),
        Binding("n", "new", N_("New"), id="inbox.new",
                tooltip=N_("Log new feedback (a call, a chat)")),
        Binding("e", "open", N_("Edit feedback"), id="inbox.open",
                tooltip=N_("Open the feedback form"), show=False),
        Binding("slash", "search", N_("Search"), id="inbox.search",
                tooltip=N_("Search feedback text")),
        Binding("t", "filter('status')", N_("Status"), id="inbox.status",
                tooltip=N_("Filter feedback by status")),
        Binding("s", "filter('source')", N_("Source"), id="inbox.source",
                tooltip=N_("Filter feedback by source"), show=False),
        Binding("m", "filter('manager')", N_("Manager"), id="inbox.manager",
                tooltip=N_("Filter feedback by manager"), show=False),
        Binding("c", "filter('client')", N_("Client"), id="inbox.client",
                tooltip=N_("Filter feedback by client"), show=False),
        Binding("asterisk,v", "filter('rating')", N_("Rating"), id="inbox.rating",
                tooltip=N_("Filter feedback by rating"), show=False),
        Binding("j", "cursor('down')", N_("Next item"), id="inbox.down", show=False),
        Binding("k", "cursor('up')", N_("Previous item"), id="inbox.up", show=False),
        Binding("escape", "clear", N_("Clear filters"), id="inbox.clear",
                tooltip=N_("Clear the inbox filters"), show=False),
    ]

    def __init__(self):
        super().__init__()
        self.filters = Filters(SEARCH_FIELDS)
        self.targets: dict[str, float] = {}
        self.shown: list[dict] = []
        self.pending_record: str | None = None
        self.stay_at_index = False
        self.loaded = False
        self.all_records: dict[str, dict] = {}
        self.shown_versions: tuple[int, ...] = ()
        self.ordered: list[dict] = []

    def compose(self) -> ComposeResult:
        yield status_bar()
        with Horizontal(id="inbox-top"):
            yield Static("", id="inbox-counts")
            yield SearchBox(self.filters, self.text_filtered, self.focus_list,
                            placeholder=_("search text, client, project, manager, from…"),
                            id="inbox-search")
        yield Static("", id="inbox-filters")
        yield Static(column_titles(), id="inbox-columns")
        yield RecordList(self.row_content, row_height=1, id="feedback-list",
                         is_fresh=lambda record_id: self.app.is_fresh("feedback", record_id))
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.seen_version = self.app.data_version
        # a row changed in the sheet is highlighted for a moment (see app.mark_fresh)
        self.watch(self.app, "fresh_version", lambda _v: self.listing.refresh(), init=False)
        self.reload(full=True)
        self.loaded = True
        self.listing.focus()
        if self.pending_record:
            self.show_record(self.pending_record)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < WIDE_ROW
        self.set_class(narrow, "-narrow")
        self.set_class(event.size.height < 32, "-short")
        self.listing.set_row_height(3 if narrow else 1)

    @property
    def listing(self) -> RecordList:
        return self.query_one("#feedback-list", RecordList)

    @property
    def search(self) -> SearchBox:
        return self.query_one("#inbox-search", SearchBox)

    def focus_list(self) -> None:
        self.listing.focus()

    # -- data ---------------------------------------------------------------------------

    def load_targets(self) -> None:
        """Response-hour targets of this month per manager (the default otherwise)."""
        app = self.app
        period = app.today.strftime("%Y-%m")
        # targets name managers (or give their ID when two share a name)
        names = {m["id"]: m.get("name", "") for m in app.store.records("managers")}
        targets = {}
        for row in app.store.records("targets", {"period": period}):
            hours = to_number(row.get("response_hours", ""))
            manager = row.get("manager", "")
            if hours is None or not manager:
                continue
            targets[fold(names.get(manager) or manager)] = hours
        self.targets = targets

    def target_for(self, record: dict) -> float:
        default = self.app.rules.default_targets.get("response_hours", 24.0)
        return self.targets.get(fold(record.get("manager", "")), default)

    def row_content(self, record: dict, width: int) -> Content:
        if self.has_class("-narrow"):
            return feedback_preview(record, self.app.today, self.target_for(record), width)
        return feedback_row(record, self.app.today, self.target_for(record))

    def reload(self, full: bool = False) -> None:
        """New data: order every item once (filters then only pick from that order)."""
        records = self.app.records.get("feedback")
        versions = self.app.versions("feedback", "targets", "managers")
        if records is self.all_records and versions == self.shown_versions:
            return  # the changes were elsewhere (a card moved on the board)
        self.shown_versions = versions
        if full or not self.targets:
            self.load_targets()
        self.all_records = records
        self.ordered = inbox_order(records.values())
        self.filters.forget(set(self.filters.haystacks) - records.keys())
        self.refilter()

    def refilter(self, to_first: bool = False) -> None:
        """Show the items that pass the filters (and count them per status). ``to_first``:
        the filters changed, so the cursor goes to the first match."""
        counts: dict[str, int] = {}
        shown = []
        filters = self.filters
        status_filter = filters.facets.get("status")
        plain = not filters.active
        passes = filters.matcher(skip="status")
        for record in self.ordered:
            if not plain and not passes(record):
                continue
            status = record.get("status", "")
            counts[status] = counts.get(status, 0) + 1
            if status_filter is None or status_filter[2](record):
                shown.append(record)
        self.shown = shown
        listing = self.listing
        if to_first:
            listing.replace_all(shown)
            listing.scroll_home(animate=False, immediate=True)
        elif not listing.same_records(shown):
            keep = None if self.stay_at_index else listing.highlighted_id()
            listing.replace_all(shown, keep=keep, fallback_index=listing.highlighted)
        self.stay_at_index = False
        self.show_counts(counts, len(self.all_records))
        self.show_detail()

    @guarded
    def text_filtered(self) -> None:
        self.refilter(to_first=True)

    def show_counts(self, counts: dict[str, int], total: int) -> None:
        parts: list = [(f"{len(self.shown):,}", "bold"),
                       (_(" of {total} feedback  ").format(total=f"{total:,}"), "")]
        for status in self.app.rules.choices_for("feedback", "status"):
            n = counts.pop(status, 0)
            style = STATUS_STYLE.get(status.casefold(), "")
            parts += [(f"{schema.shown(status)} {n}",
                       f"{style} @click=screen.only_status('{status}')"),
                      ("  ", "")]
        odd = sum(counts.values())
        if odd:
            parts += [(_("other status {n}").format(n=odd), "$warning")]
        self.query_one("#inbox-counts", Static).update(Content.assemble(*parts), layout=False)
        if self.filters.active:
            line = [(_("Filters: "), "bold"), *self.filters.describe(),
                    (_("esc clears"), "$text-muted")]
        else:
            line = [(_("a acknowledge · g assign · r respond · x resolve · o reopen · n new · "
                       "filters: t status, s source, m manager, c client, v rating, / search"),
                     "$text-muted")]
        self.query_one("#inbox-filters", Static).update(Content.assemble(*line), layout=False)

    def selected(self) -> dict | None:
        record_id = self.listing.highlighted_id()
        if record_id is None:
            return None
        return self.app.records.get("feedback").get(record_id)

    def show_detail(self) -> None:
        record = self.selected()
        detail = self.query_one("#detail-text", Static)
        if record is None:
            detail.update(Content.styled(_("No feedback matches the filters."), "$text-muted")
                          if self.filters.active else "")
            return
        today = self.app.today
        target = self.target_for(record)
        hours, running = response_hours(record, today)
        status = record.get("status", "")
        muted = "$text-muted"
        clock = ""
        if hours is not None:
            clock = (_("open for {time}") if running else _("answered in {time}")).format(
                time=clock_text(hours)) + _(" (target {hours}h)").format(hours=f"{target:g}")

        def name(key: str) -> str:
            return schema.label("feedback", key) + " "

        parts: list = [
            (record["id"], "bold"), ("  ", ""),
            (schema.shown(status) or _("no status"),
             STATUS_STYLE.get(status.casefold(), "$warning")),
            ("  ", ""), (clock, clock_style(hours, running, target)), "\n",
            (name("received"), muted), (when_text(record.get("received", "")) or "?", ""),
            ("  " + name("from_"), muted), (record.get("from_", "") or "–", ""),
            ("  " + name("source"), muted), (schema.shown(record.get("source", "")) or "–", ""),
            ("  " + name("rating"), muted), (stars(record.get("rating", "")), ""),
            ("  " + name("category"), muted),
            (schema.shown(record.get("category", "")) or "–", ""), "\n",
            (name("client"), muted), (record.get("client", "") or "–", ""),
            ("  " + name("project"), muted), (record.get("project", "") or "–", ""),
            ("  " + name("manager"), muted), (record.get("manager", "") or _("unassigned"), ""),
            "\n\n",
            (record.get("text", "") or _("(no text)"), ""), "\n\n",
        ]
        response = record.get("response", "")
        if response:
            parts += [(_("Response"), "bold"),
                      (f" ({when_text(record.get('responded', '')) or _('no date')})", muted),
                      "\n", (response, ""), "\n"]
        else:
            parts += [(_("No response yet — r to respond."), muted), "\n"]
        if record.get("resolved"):
            parts += [(name("resolved"), muted), (when_text(record["resolved"]), "$success"),
                      "\n"]
        detail.update(Content.assemble(*parts))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    @on(RecordList.Highlighted, "#feedback-list")
    def item_highlighted(self, event: RecordList.Highlighted) -> None:
        self.show_detail()

    @on(RecordList.Selected, "#feedback-list")
    def item_chosen(self, event: RecordList.Selected) -> None:
        event.stop()
        self.action_open()

    def show_record(self, record_id: str) -> None:
        if not self.loaded:
            self.pending_record = record_id
            return
        self.pending_record = None
        listing = self.listing
        if listing.index_of(record_id) is None:
            self.search.escape()
            self.refilter()
        index = listing.index_of(record_id)
        if index is not None:
            listing.focus()
            listing.highlighted = index
            if not listing.size.height:  # not laid out yet (just shown): scroll once it is
                self.call_after_refresh(listing.scroll_to_highlight)

    def action_cursor(self, direction: str) -> None:
        getattr(self.listing, f"action_cursor_{direction}")()

    # -- actions ------------------------------------------------------------------------

    def edit_record(self, record: dict, changes: dict[str, str], done: str) -> None:
        self.stay_at_index = True
        if self.app.edit("feedback", record["id"], changes):
            self.notify(_("{id}: {done}. ctrl+z undoes it.").format(id=record["id"], done=done),
                        timeout=4)
        else:
            self.stay_at_index = False

    def need(self) -> dict | None:
        record = self.selected()
        if record is None:
            self.app.bell()
        return record

    @guarded
    def action_acknowledge(self) -> None:
        record = self.need()
        if record is None:
            return
        status = record.get("status", "")
        if status not in ("", "New"):
            self.notify(_("{id} is already {status}.").format(id=record["id"],
                                                             status=schema.shown(status)))
            return
        self.edit_record(record, {"status": "Acknowledged"}, _("acknowledged"))

    @guarded
    def action_assign(self) -> None:
        from amtui.ui.screens.pickers import PickerScreen

        record = self.need()
        if record is None:
            return

        def picked(name: str | None) -> None:
            if name:
                self.edit_record(record, {"manager": name},
                                 _("assigned to {name}").format(name=name))

        self.app.push_screen(PickerScreen(_("Assign {id} to manager").format(id=record["id"]),
                                          self.app.store.refs().names("managers"),
                                          current=record.get("manager") or None,
                                          any_label=None), picked)

    @guarded
    def action_respond(self) -> None:
        from amtui.ui.screens.confirm import TextEditor

        record = self.need()
        if record is None:
            return
        old = record.get("response", "")

        def written(text: str | None) -> None:
            if text is None or text == old:
                return
            changes = {"response": text}
            if text.strip():
                changes["responded"] = self.app.today.isoformat()
                if record.get("status", "") in ("", "New", "Acknowledged"):
                    changes["status"] = "In Progress"
            else:
                changes["responded"] = ""
            self.edit_record(record, changes, _("response saved"))

        quoted = " ".join(record.get("text", "").split())
        self.app.push_screen(TextEditor(
            _("Respond to {id} ({who})").format(
                id=record["id"], who=record.get('from_') or record.get('client') or '?'),
            value=old, context=f"“{quoted[:300]}”"), written)

    @guarded
    def action_resolve(self) -> None:
        record = self.need()
        if record is None:
            return
        if record.get("status", "") in schema.HANDLED_STATUS:
            self.notify(_("{id} is already {status}; o reopens it.").format(
                id=record["id"], status=schema.shown(record["status"])))
            return
        self.edit_record(record, {"status": "Resolved", "resolved": self.app.today.isoformat()},
                         _("resolved"))

    @guarded
    def action_reopen(self) -> None:
        record = self.need()
        if record is None:
            return
        if record.get("status", "") not in schema.HANDLED_STATUS:
            self.notify(_("{id} is open ({status}).").format(
                id=record["id"], status=schema.shown(record.get("status") or "")
                or _("no status")))
            return
        status = "In Progress" if record.get("response") else "Acknowledged"
        self.edit_record(record, {"status": status, "resolved": ""},
                         _("reopened ({status})").format(status=schema.shown(status)))

    @guarded
    def action_new(self) -> None:
        from amtui.ui.screens.feedback_form import FeedbackForm

        defaults = {}
        for facet in ("manager", "client"):
            if self.filters.choice(facet):
                defaults[facet] = self.filters.choice(facet)

        def saved(record_id: str | None) -> None:
            if record_id:
                self.show_record(record_id)
                self.notify(_("Logged {id}. ctrl+z undoes it.").format(id=record_id),
                            title=_("New feedback"))

        self.app.open_form(FeedbackForm(None, today=self.app.today, defaults=defaults), saved)

    @guarded
    def action_open(self) -> None:
        from amtui.ui.screens.feedback_form import FeedbackForm

        record = self.need()
        if record is not None:
            self.app.open_form(FeedbackForm(record["id"]))

    # -- filters ------------------------------------------------------------------------

    def action_search(self) -> None:
        self.search.open()

    def only_status(self, status: str) -> None:
        self.set_filter("status", status)

    def action_only_status(self, status: str) -> None:
        self.only_status(status)

    def set_filter(self, facet: str, choice: str) -> None:
        """Filter on one facet (``""`` removes that filter) and show the result."""
        shown = _(choice) if choice in (OPEN, *RATING_FILTERS) else schema.shown(choice)
        self.filters.set(facet, choice, facet_test(facet, choice) if choice else None,
                         f"{_(FACET_WORDS[facet])} {shown}" if choice else None)
        self.filtered()

    def filtered(self) -> None:
        self.refilter(to_first=True)
        self.listing.focus()

    @guarded
    def action_filter(self, facet: str) -> None:
        app = self.app
        if facet == "status":
            values = [OPEN, *app.rules.choices_for("feedback", "status")]
        elif facet == "source":
            values = list(app.rules.choices_for("feedback", "source"))
        elif facet == "rating":
            values = list(RATING_FILTERS)
        else:
            values = app.store.refs().names("managers" if facet == "manager" else "clients")
        # the picker shows values in the UI's language; the filter tests the stored value
        if facet in ("status", "source", "rating"):
            value_of = {(_(v) if v in (OPEN, *RATING_FILTERS) else schema.shown(v)): v
                        for v in values}
        else:
            value_of = {v: v for v in values}
        word = _(FACET_WORDS[facet])
        pick_filter(self, self.filters, facet,
                    _("Show feedback with {facet}").format(facet=word), list(value_of),
                    lambda choice: facet_test(facet, value_of.get(choice, choice)),
                    self.filtered, label=lambda choice: f"{word} {choice}")

    def action_clear(self) -> None:
        if self.search.escape():
            self.refilter()  # all items again, the cursor stays on the item it was on
        self.listing.focus()


def facet_test(facet: str, choice: str):
    """Whether a feedback item has ``choice`` as its ``facet``."""
    if facet == "status":
        if choice == OPEN:
            return lambda r: r.get("status", "") not in schema.HANDLED_STATUS
        return lambda r: r.get("status", "") == choice
    if facet == "rating":
        wanted = RATING_FILTERS[choice]
        return lambda r: r.get("rating", "") in wanted
    key = fold(choice)
    field = {"source": "source", "manager": "manager", "client": "client"}[facet]
    return lambda r: fold(r.get(field, "")) == key
