"""The feedback inbox: every piece of client and internal feedback, newest unhandled first,
with its response clock, a detail pane and the actions that answer it.

One ``FixedOptionList`` of lazily rendered rows, so 20,000 items open and filter fast.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static

from amtui.domain import schema
from amtui.domain.validate import name_key
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.cards import (
    STATUS_STYLE,
    clock_style,
    clock_text,
    feedback_row,
    fit,
    parse_day,
    response_hours,
    stars,
    to_number,
)
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.lists import FixedOptionList, LazyOption
from amtui.ui.widgets.status import status_bar

OPEN = "Open (not resolved or closed)"
RATING_FILTERS = {"1–2 (unhappy)": ("1", "2"), "3": ("3",), "4–5 (happy)": ("4", "5"),
                  "1": ("1",), "2": ("2",), "4": ("4",), "5": ("5",), "No rating": ("",)}
COLUMN_TITLES = (fit("Received", 10) + " " + fit("Status", 12) + " " + "Clock" + " "
                 + fit("Stars", 5) + " " + fit("Source", 8) + " " + fit("Client", 14) + " "
                 + fit("Project", 20) + " " + fit("Manager", 12) + " " + fit("Category", 9)
                 + " Feedback")


def _received(record: dict) -> str:
    """Received as sortable text; an unreadable date sorts as the oldest."""
    text = record.get("received", "")
    return text if parse_day(text) is not None else ""


def inbox_order(records) -> list[dict]:
    """Unhandled first, each group newest first (then highest ID)."""
    newest = sorted(records, key=lambda r: (_received(r), r["id"]), reverse=True)
    return sorted(newest, key=lambda r: r.get("status", "") in schema.HANDLED_STATUS)


class InboxScreen(DataScreen):
    CSS_PATH = "inbox.tcss"
    HELP_TITLE = "Inbox"
    BINDINGS = [
        Binding("a", "acknowledge", "Acknowledge", id="inbox.acknowledge",
                tooltip="Acknowledge the feedback"),
        Binding("g", "assign", "Assign", id="inbox.assign",
                tooltip="Assign the feedback to a manager"),
        Binding("r", "respond", "Respond", id="inbox.respond",
                tooltip="Respond to the feedback"),
        Binding("x", "resolve", "Resolve", id="inbox.resolve",
                tooltip="Resolve the feedback"),
        Binding("o", "reopen", "Reopen", id="inbox.reopen",
                tooltip="Reopen resolved feedback"),
        Binding("n", "new", "New", id="inbox.new",
                tooltip="Log new feedback (a call, a chat)"),
        Binding("e", "open", "Edit feedback", id="inbox.open",
                tooltip="Open the feedback form", show=False),
        Binding("slash", "search", "Search", id="inbox.search",
                tooltip="Search feedback text"),
        Binding("t", "filter('status')", "Status", id="inbox.status",
                tooltip="Filter feedback by status"),
        Binding("s", "filter('source')", "Source", id="inbox.source",
                tooltip="Filter feedback by source", show=False),
        Binding("m", "filter('manager')", "Manager", id="inbox.manager",
                tooltip="Filter feedback by manager", show=False),
        Binding("c", "filter('client')", "Client", id="inbox.client",
                tooltip="Filter feedback by client", show=False),
        Binding("asterisk,v", "filter('rating')", "Rating", id="inbox.rating",
                tooltip="Filter feedback by rating", show=False),
        Binding("j", "cursor('down')", "Next item", id="inbox.down", show=False),
        Binding("k", "cursor('up')", "Previous item", id="inbox.up", show=False),
        Binding("escape", "clear", "Clear filters", id="inbox.clear",
                tooltip="Clear the inbox filters", show=False),
    ]

    def __init__(self):
        super().__init__()
        # facet -> (label shown, test); facets: status, source, manager, client, rating
        self.filters: dict[str, tuple[str, object]] = {}
        self.text_filter = ""
        self._options: dict[str, LazyOption] = {}
        self._targets: dict[str, float] = {}
        self._shown: list[dict] = []
        self._pending_record: str | None = None
        self._stay_at_index = False
        self._loaded = False
        self._row_render = self._row  # one bound method for every row's option
        self._records: dict[str, dict] = {}
        self._versions: tuple[int, ...] = ()
        self._ordered: list[dict] = []
        self._haystacks: dict[str, tuple[dict, str]] = {}

    def compose(self) -> ComposeResult:
        yield status_bar()
        with Horizontal(id="inbox-top"):
            yield Static("", id="inbox-counts")
            yield Input(placeholder="search text, client, project, manager, from…",
                        id="inbox-search", compact=True)
        yield Static("", id="inbox-filters")
        yield Static(COLUMN_TITLES, id="inbox-columns")
        yield FixedOptionList(option_height=1, id="feedback-list")
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.seen_version = self.app.data_version
        self.reload(full=True)
        self._loaded = True
        self.listing.focus()
        if self._pending_record:
            self.show_record(self._pending_record)

    @property
    def listing(self) -> FixedOptionList:
        return self.query_one("#feedback-list", FixedOptionList)

    # -- data ---------------------------------------------------------------------------

    def _load_targets(self) -> None:
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
            targets[name_key(names.get(manager) or manager)] = hours
        self._targets = targets

    def target_for(self, record: dict) -> float:
        default = self.app.rules.default_targets.get("response_hours", 24.0)
        return self._targets.get(name_key(record.get("manager", "")), default)

    def _row(self, record: dict):
        return feedback_row(record, self.app.today, self.target_for(record))

    def _option(self, record: dict) -> LazyOption:
        option = self._options.get(record["id"])
        if option is None:
            option = LazyOption(record["id"], record, self._row_render)
            self._options[record["id"]] = option
        elif option.record is not record:
            option = self._options[record["id"]] = option.changed(record)
        return option

    def _haystack(self, record: dict) -> str:
        """The text ``/`` searches, cached per version of the record."""
        cached = self._haystacks.get(record["id"])
        if cached is None or cached[0] is not record:
            text = " ".join((record.get("text", ""), record.get("client", ""),
                             record.get("project", ""), record.get("manager", ""),
                             record.get("from_", ""), record.get("response", ""),
                             record.get("id", ""))).casefold()
            cached = self._haystacks[record["id"]] = (record, text)
        return cached[1]

    def _passes(self, record: dict, skip: str = "") -> bool:
        for facet, (_label, test) in self.filters.items():
            if facet != skip and not test(record):
                return False
        return not self.text_filter or self.text_filter in self._haystack(record)

    def reload(self, full: bool = False) -> None:
        """New data: order every item once (filters then only pick from that order)."""
        records = self.app.records.get("feedback")
        versions = self.app.versions("feedback", "targets", "managers")
        if records is self._records and versions == self._versions:
            return  # the changes were elsewhere (a card moved on the board)
        self._versions = versions
        if full or not self._targets:
            self._load_targets()
        self._records = records
        self._ordered = inbox_order(records.values())
        for gone in set(self._options) - records.keys():
            del self._options[gone]
            self._haystacks.pop(gone, None)
        self.refilter()

    def refilter(self) -> None:
        """Show the items that pass the filters (and count them per status)."""
        counts: dict[str, int] = {}
        shown = []
        status_filter = self.filters.get("status")
        plain = not self.filters and not self.text_filter
        for record in self._ordered:
            if not plain and not self._passes(record, skip="status"):
                continue
            status = record.get("status", "")
            counts[status] = counts.get(status, 0) + 1
            if status_filter is None or status_filter[1](record):
                shown.append(record)
        self._shown = shown
        listing = self.listing
        options = [self._option(r) for r in shown]
        if not listing.same_options(options):
            keep = None if self._stay_at_index else listing.highlighted_id()
            listing.replace_all(options, keep=keep, fallback_index=listing.highlighted)
        self._stay_at_index = False
        self._show_counts(counts, len(self._records))
        self._show_detail()

    def _show_counts(self, counts: dict[str, int], total: int) -> None:
        parts: list = [(f"{len(self._shown):,}", "bold"), (f" of {total:,} feedback  ", "")]
        for status in self.app.rules.choices_for("feedback", "status"):
            n = counts.pop(status, 0)
            style = STATUS_STYLE.get(status.casefold(), "")
            parts += [(f"{status} {n}", f"{style} @click=screen.only_status('{status}')"),
                      ("  ", "")]
        odd = sum(counts.values())
        if odd:
            parts += [(f"other status {odd}", "$warning")]
        self.query_one("#inbox-counts", Static).update(Content.assemble(*parts), layout=False)
        filters: list = []
        for facet, (label, _test) in self.filters.items():
            filters += [(f"{facet} {label}", "$accent"), ("  ", "")]
        if self.text_filter:
            filters += [(f'text "{self.text_filter}"', "$accent"), ("  ", "")]
        if filters:
            line = [("Filters: ", "bold"), *filters, ("esc clears", "$text-muted")]
        else:
            line = [("a acknowledge · g assign · r respond · x resolve · o reopen · n new · "
                     "filters: t status, s source, m manager, c client, v rating, / search",
                     "$text-muted")]
        self.query_one("#inbox-filters", Static).update(Content.assemble(*line), layout=False)

    def _selected(self) -> dict | None:
        record_id = self.listing.highlighted_id()
        if record_id is None:
            return None
        return self.app.records.get("feedback").get(record_id)

    def _show_detail(self) -> None:
        record = self._selected()
        detail = self.query_one("#detail-text", Static)
        if record is None:
            detail.update(Content.styled("No feedback matches the filters.", "$text-muted")
                          if self.filters or self.text_filter else "")
            return
        today = self.app.today
        target = self.target_for(record)
        hours, running = response_hours(record, today)
        status = record.get("status", "")
        muted = "$text-muted"
        clock = ""
        if hours is not None:
            clock = (f"open for {clock_text(hours)}" if running
                     else f"answered in {clock_text(hours)}") + f" (target {target:g}h)"
        parts: list = [
            (record["id"], "bold"), ("  ", ""),
            (status or "no status", STATUS_STYLE.get(status.casefold(), "$warning")),
            ("  ", ""), (clock, clock_style(hours, running, target)), "\n",
            ("Received ", muted), (record.get("received", "") or "?", ""),
            ("  From ", muted), (record.get("from_", "") or "–", ""),
            ("  Source ", muted), (record.get("source", "") or "–", ""),
            ("  Rating ", muted), (stars(record.get("rating", "")), ""),
            ("  Category ", muted), (record.get("category", "") or "–", ""), "\n",
            ("Client ", muted), (record.get("client", "") or "–", ""),
            ("  Project ", muted), (record.get("project", "") or "–", ""),
            ("  Manager ", muted), (record.get("manager", "") or "unassigned", ""), "\n\n",
            (record.get("text", "") or "(no text)", ""), "\n\n",
        ]
        response = record.get("response", "")
        if response:
            parts += [("Response", "bold"),
                      (f" ({record.get('responded') or 'no date'})", muted), "\n",
                      (response, ""), "\n"]
        else:
            parts += [("No response yet — r to respond.", muted), "\n"]
        if record.get("resolved"):
            parts += [("Resolved ", muted), (record["resolved"], "$success"), "\n"]
        detail.update(Content.assemble(*parts))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#feedback-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#feedback-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def show_record(self, record_id: str) -> None:
        if not self._loaded:
            self._pending_record = record_id
            return
        self._pending_record = None
        listing = self.listing
        if listing.index_of(record_id) is None:
            self._clear_filters()
            self.reload()
        index = listing.index_of(record_id)
        if index is not None:
            listing.focus()
            listing.highlighted = index
            if not listing.size.height:  # not laid out yet (just shown): scroll once it is
                self.call_after_refresh(listing.scroll_to_highlight)

    def action_cursor(self, direction: str) -> None:
        getattr(self.listing, f"action_cursor_{direction}")()

    # -- actions ------------------------------------------------------------------------

    def _edit(self, record: dict, changes: dict[str, str], done: str) -> None:
        self._stay_at_index = True
        if self.app.edit("feedback", record["id"], changes):
            self.notify(f"{record['id']}: {done}. ctrl+z undoes it.", timeout=4)
        else:
            self._stay_at_index = False

    def _need(self) -> dict | None:
        record = self._selected()
        if record is None:
            self.app.bell()
        return record

    @guarded
    def action_acknowledge(self) -> None:
        record = self._need()
        if record is None:
            return
        status = record.get("status", "")
        if status not in ("", "New"):
            self.notify(f"{record['id']} is already {status}.")
            return
        self._edit(record, {"status": "Acknowledged"}, "acknowledged")

    @guarded
    def action_assign(self) -> None:
        from amtui.ui.screens.pickers import PickerScreen

        record = self._need()
        if record is None:
            return

        def picked(name: str | None) -> None:
            if name:
                self._edit(record, {"manager": name}, f"assigned to {name}")

        self.app.push_screen(PickerScreen(f"Assign {record['id']} to manager",
                                          self.app.store.refs().names("managers"),
                                          current=record.get("manager") or None,
                                          any_label=None), picked)

    @guarded
    def action_respond(self) -> None:
        from amtui.ui.screens.confirm import TextEditor

        record = self._need()
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
            self._edit(record, changes, "response saved")

        quoted = " ".join(record.get("text", "").split())
        self.app.push_screen(TextEditor(
            f"Respond to {record['id']} ({record.get('from_') or record.get('client') or '?'})",
            value=old, context=f"“{quoted[:300]}”"), written)

    @guarded
    def action_resolve(self) -> None:
        record = self._need()
        if record is None:
            return
        if record.get("status", "") in schema.HANDLED_STATUS:
            self.notify(f"{record['id']} is already {record['status']}; o reopens it.")
            return
        self._edit(record, {"status": "Resolved", "resolved": self.app.today.isoformat()},
                   "resolved")

    @guarded
    def action_reopen(self) -> None:
        record = self._need()
        if record is None:
            return
        if record.get("status", "") not in schema.HANDLED_STATUS:
            self.notify(f"{record['id']} is open ({record.get('status') or 'no status'}).")
            return
        status = "In Progress" if record.get("response") else "Acknowledged"
        self._edit(record, {"status": status, "resolved": ""}, f"reopened ({status})")

    @guarded
    def action_new(self) -> None:
        from amtui.ui.screens.feedback_form import FeedbackForm

        defaults = {}
        for facet in ("manager", "client"):
            if facet in self.filters:
                defaults[facet] = self.filters[facet][0]

        def saved(record_id: str | None) -> None:
            if record_id:
                self.show_record(record_id)
                self.notify(f"Logged {record_id}. ctrl+z undoes it.", title="New feedback")

        self.app.push_screen(FeedbackForm(None, today=self.app.today, defaults=defaults), saved)

    @guarded
    def action_open(self) -> None:
        from amtui.ui.screens.feedback_form import FeedbackForm

        record = self._need()
        if record is not None:
            self.app.push_screen(FeedbackForm(record["id"]))

    # -- filters ------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#inbox-search", Input)
        search.add_class("-shown")
        search.focus()

    @on(Input.Changed, "#inbox-search")
    @guarded
    def _search_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip().casefold()
        self.refilter()

    @on(Input.Submitted, "#inbox-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            event.input.remove_class("-shown")
        self.listing.focus()

    def only_status(self, status: str) -> None:
        self.set_filter("status", status)

    def action_only_status(self, status: str) -> None:
        self.only_status(status)

    def set_filter(self, facet: str, choice: str) -> None:
        """Filter on one facet (``""`` removes that filter) and show the result."""
        if not choice:
            self.filters.pop(facet, None)
        else:
            self.filters[facet] = (choice, self._test(facet, choice))
        self.refilter()
        self.listing.focus()

    @staticmethod
    def _test(facet: str, choice: str):
        if facet == "status":
            if choice == OPEN:
                return lambda r: r.get("status", "") not in schema.HANDLED_STATUS
            return lambda r: r.get("status", "") == choice
        if facet == "rating":
            wanted = RATING_FILTERS[choice]
            return lambda r: r.get("rating", "") in wanted
        key = name_key(choice)
        field = {"source": "source", "manager": "manager", "client": "client"}[facet]
        return lambda r: name_key(r.get(field, "")) == key

    @guarded
    def action_filter(self, facet: str) -> None:
        from amtui.ui.screens.pickers import PickerScreen

        app = self.app
        if facet == "status":
            names = [OPEN, *app.rules.choices_for("feedback", "status")]
        elif facet == "source":
            names = list(app.rules.choices_for("feedback", "source"))
        elif facet == "rating":
            names = list(RATING_FILTERS)
        else:
            names = app.store.refs().names("managers" if facet == "manager" else "clients")
        current = self.filters.get(facet, ("", None))[0] or None

        def picked(choice: str | None) -> None:
            if choice is not None:
                self.set_filter(facet, choice)

        self.app.push_screen(PickerScreen(f"Show feedback with {facet}", names,
                                          current=current), picked)

    def _clear_filters(self) -> None:
        self.filters.clear()
        self.text_filter = ""
        search = self.query_one("#inbox-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        search.remove_class("-shown")

    def action_clear(self) -> None:
        search = self.query_one("#inbox-search", Input)
        if search.has_focus and search.value:
            with search.prevent(Input.Changed):
                search.value = ""
            self.text_filter = ""
        elif self.filters or self.text_filter:
            self._clear_filters()
        search.remove_class("-shown")
        self.refilter()
        self.listing.focus()
