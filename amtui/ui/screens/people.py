"""People: managers with their profile, development log and reviews, and who needs attention
(no mentor, overdue planned trainings, no review for the last quarter).

Every change goes through ``app.edit`` / ``app.add_record`` into the Managers, Reviews and
Development tabs, and from there to the sheet at the next sync.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from amtui.domain.i18n import N_, _, date_text, is_chinese, ngettext, pgettext
from amtui.domain.parse import read_date, shown_date
from amtui.domain.people import (
    NEW_STATUS,
    Attention,
    Person,
    load_people,
    review_period_for,
    tenure,
)
from amtui.domain.period import Period
from amtui.domain.schema import shown
from amtui.domain.text import clip, fold
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.screens.development_form import DevelopmentForm
from amtui.ui.screens.review_form import ReviewForm
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.kpi_cells import status_style
from amtui.ui.widgets.status import status_bar
from amtui.ui.widgets.tables import SteadyTable, enter_does

ManagerList = enter_does(SteadyTable, N_("Their reviews"), "people.to_reviews")
AttentionList = enter_does(OptionList, N_("Go to them"), "people.attention")
DevLog = enter_does(SteadyTable, N_("Edit entry"), "people.edit_development")
ReviewList = enter_does(SteadyTable, N_("Edit review"), "people.edit_review")

class PeopleScreen(DataScreen):
    """Managers on the left, the highlighted one's profile, development log and reviews on
    the right, and who needs attention under the list."""

    # The forms' and the scorecard's styles load with this screen, so opening them does not
    # re-parse the app's stylesheet.
    CSS_PATH = ["people.tcss", "forms.tcss", "scorecard.tcss"]
    BINDINGS = [
        Binding("a", "add_review", N_("Add review"), id="people.add_review"),
        Binding("t", "add_training", N_("Add training"), id="people.add_training"),
        Binding("s", "add_mentoring", N_("Mentoring session"), id="people.add_mentoring"),
        Binding("m", "assign_mentor", N_("Assign mentor"), id="people.assign_mentor"),
        Binding("k", "scorecard", N_("Scorecard"), id="people.scorecard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []
        self.attention = Attention()
        self.selected_id: str | None = None

    def compose(self) -> ComposeResult:
        yield status_bar()
        yield Static("", id="people-title")
        with Horizontal(id="people-body"):
            with Vertical(id="people-left"):
                yield ManagerList(id="people-list", cursor_type="row", zebra_stripes=True)
                yield Static(_("Needs attention"), id="attention-title", classes="section")
                yield AttentionList(id="people-attention")
            # not a tab stop itself: tab goes straight to the log and the reviews
            with VerticalScroll(id="people-right", can_focus=False):
                yield Static("", id="profile")
                yield Static("", id="dev-title", classes="section")
                yield DevLog(id="dev-log", cursor_type="row")
                yield Static("", id="reviews-title", classes="section")
                yield ReviewList(id="reviews", cursor_type="row")
                yield Static("", id="review-text")
        yield KeyBar()

    def on_mount(self) -> None:
        # DataScreen.on_mount (called too) reloads on new data; the first reload comes when
        # the screen is shown.
        self.query_one("#people-list", DataTable).add_columns(
            pgettext("person", "Name"), _("Status"), _("Mentor"))
        self.query_one("#dev-log", DataTable).add_columns(
            _("Date"), _("Type"), _("Title · with"), _("Hours"), _("Status"))
        self.query_one("#reviews", DataTable).add_columns(
            _("Period"), _("Score"), _("Outcome"), _("Reviewer"), _("Date"))
        self.query_one("#people-list", DataTable).focus()

    # -- loading ---------------------------------------------------------------------------

    def reload(self, full: bool = False) -> None:
        self.people, self.attention = load_people(self.app.store, self.app.today)
        grid = self.query_one("#people-list", DataTable)
        keep = self.selected_id
        grid.clear()
        for person in self.people:
            r = person.record
            status = r.get("status") or ""
            style = "dim" if not person.active else "bold" if fold(status) == NEW_STATUS else ""
            grid.add_row(Text(person.name, style=style), Text(shown(status)),
                         Text(r.get("mentor") or "—"), key=person.id)
        ids = [p.id for p in self.people]
        if ids:
            index = ids.index(keep) if keep in ids else 0
            grid.cursor_coordinate = Coordinate(index, 0)
            self.selected_id = ids[index]
        self.fill_attention()
        self.fill_profile()
        count = len({m for m, _, _ in self.attention.no_mentor + self.attention.overdue_training
                     + self.attention.no_review})
        active = sum(1 for p in self.people if p.active)
        self.query_one("#people-title", Static).update(Text.assemble(
            (_("People"), "bold"),
            "  ·  " + ngettext("{n} manager", "{n} managers", active).format(n=active)
            + "  ·  " + ngettext("{n} needs attention", "{n} need attention", count).format(
                n=count)
            + "  ·  " + _("a review · t training · s mentoring session · m mentor · "
                          "enter edit")))

    def fill_attention(self) -> None:
        attention = self.attention
        options: list[Option | None] = []
        for title, items, kind in attention.sections():
            options.append(Option(Text(title, style="bold"), disabled=True))
            for n, (manager_id, record_id, text) in enumerate(items):
                options.append(Option(Text(f"  {text}"),
                                      id=f"{kind}|{manager_id}|{record_id}|{n}"))
        widget = self.query_one("#people-attention", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options(options)
        if highlighted is not None and highlighted < widget.option_count:
            widget.highlighted = highlighted

    def person(self, manager_id: str | None = None) -> Person | None:
        wanted = manager_id or self.selected_id
        return next((p for p in self.people if p.id == wanted), None)

    def fill_profile(self) -> None:
        person = self.person()
        profile = self.query_one("#profile", Static)
        dev, reviews = self.query_one("#dev-log", DataTable), self.query_one("#reviews", DataTable)
        keep_dev, keep_review = dev.cursor_coordinate.row, reviews.cursor_coordinate.row
        dev.clear()
        reviews.clear()
        if person is None:
            profile.update(_("No managers yet: add them in the Managers tab of the sheet."))
            return
        r = person.record
        start = read_date(r.get("start_date"))
        mentor = r.get("mentor") or _("none (m to assign)")
        if r.get("mentor") and person.mentor_id is None:
            mentor += " " + _("(not in the Managers tab: see problems)")
        mentees = _(", ").join(person.mentees) or _("none")
        head = [shown(str(x)) for x in (r.get("role"), r.get("team"), r.get("status")) if x]
        started = (date_text(start) if start is not None and is_chinese()
                   else r.get("start_date") or "?")
        profile.update(Text.assemble(
            (person.name, "bold"), f"  {person.id}  ·  ", " · ".join(head), "\n",
            _("Started {day} ({tenure})").format(day=started,
                                                 tenure=tenure(start, self.app.today)),
            f"  ·  {r.get('email')}" if r.get("email") else "", "\n",
            (_("Mentor: "), "bold"), mentor, "   ", (_("Mentees: "), "bold"), mentees, "\n",
            (_("Responsibilities: "), "bold"), r.get("responsibilities") or "—",
        ))
        done_hours = sum(float(x.get("hours") or 0) for x in person.development
                         if fold(x.get("status")) == "done" and _is_number(x.get("hours")))
        self.query_one("#dev-title", Static).update(Text.assemble(
            (_("Development log"), "bold"),
            "  " + ngettext("{n} entry · {hours} h done · t training · s mentoring",
                            "{n} entries · {hours} h done · t training · s mentoring",
                            len(person.development)).format(
                n=len(person.development), hours=f"{done_hours:g}")))
        for row in person.development:
            overdue = (fold(row.get("status")) == "planned"
                       and (read_date(row.get("date")) or date.max) < self.app.today)
            title = row.get("title") or _("(no title)")
            if row.get("with_"):
                title += f" · {row['with_']}"
            # an overdue planned entry says so in the status column, in the warning colour
            status = Text(_("Overdue"), style=status_style(self.app, "at risk") + " bold") \
                if overdue else Text(shown(row.get("status") or ""))
            dev.add_row(Text(shown_date(row.get("date"))), Text(shown(row.get("type") or "")),
                        Text(_clip(title, 26)), Text(row.get("hours") or "", justify="right"),
                        status, key=row["id"])
        self.query_one("#reviews-title", Static).update(Text.assemble(
            (_("Reviews"), "bold"),
            "  " + _("{n} · a add · enter edit").format(n=len(person.reviews))))
        for row in person.reviews:
            reviews.add_row(Text(_period(row.get("period"))),
                            Text(row.get("score") or "", justify="center"),
                            Text(shown(row.get("outcome") or "")),
                            Text(row.get("reviewer") or ""),
                            Text(shown_date(row.get("date"))), key=row["id"])
        if dev.row_count:
            dev.cursor_coordinate = Coordinate(min(keep_dev, dev.row_count - 1), 0)
        if reviews.row_count:
            reviews.cursor_coordinate = Coordinate(min(keep_review, reviews.row_count - 1), 0)
        self.show_review_text()

    def show_review_text(self) -> None:
        """Strengths and improvements of the highlighted review, in full."""
        person, grid = self.person(), self.query_one("#reviews", DataTable)
        box = self.query_one("#review-text", Static)
        if person is None or not person.reviews or not grid.row_count:
            box.update(Text(_("No reviews yet: a writes one."), style="dim") if person else "")
            return
        row = person.reviews[min(grid.cursor_coordinate.row, len(person.reviews) - 1)]
        box.update(Text.assemble(
            (f"{_period(row.get('period'))} ", "bold"), (_("Strengths: "), "bold"),
            row.get("strengths") or "—", "\n", (_("Improvements: "), "bold"),
            row.get("improvements") or "—"))

    @on(DataTable.RowHighlighted, "#reviews")
    def review_highlighted(self) -> None:
        self.show_review_text()

    # -- selection -------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#people-list")
    def manager_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value != self.selected_id:
            self.selected_id = str(event.row_key.value)
            self.fill_profile()

    def select_manager(self, manager_id: str) -> None:
        ids = [p.id for p in self.people]
        if manager_id in ids:
            grid = self.query_one("#people-list", DataTable)
            grid.move_cursor(row=ids.index(manager_id))
            self.selected_id = manager_id
            self.fill_profile()

    @on(OptionList.OptionSelected, "#people-attention")
    def attention_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, manager_id, record_id, _n = str(event.option.id).split("|")
        self.select_manager(manager_id)
        if kind == "dev" and record_id:
            dev = self.query_one("#dev-log", DataTable)
            dev.move_cursor(row=dev.get_row_index(record_id))
            dev.focus()
        elif kind == "mentor":
            self.action_assign_mentor()
        elif kind == "review":
            self.action_add_review()

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # -- actions ---------------------------------------------------------------------------

    @guarded
    def action_edit(self) -> None:
        """Enter: edit the highlighted review or development entry; on the list, go to the
        manager's reviews."""
        focused = self.focused
        person = self.person()
        if person is None:
            return
        if focused is not None and focused.id in ("reviews", "dev-log"):
            table: DataTable = focused  # type: ignore[assignment]
            if not table.row_count:
                return
            record_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            if focused.id == "reviews":
                record = next(r for r in person.reviews if r["id"] == record_id)
                self.open_review(person, record)
            else:
                record = next(r for r in person.development if r["id"] == record_id)
                self.open_development(person, record=record)
        elif focused is not None and focused.id == "people-list":
            target = "#reviews" if person.reviews else "#dev-log"
            self.query_one(target, DataTable).focus()

    def open_review(self, person: Person, record: dict | None = None) -> None:
        period = None if record else review_period_for(person.record, self.app.today)
        self.app.open_form(ReviewForm(person.id, review=record, period=period),
                             lambda saved: self.tell_saved(_("Review {id} saved; it goes to "
                                                             "the sheet at the next sync"),
                                                           saved))

    def open_development(self, person: Person, *, kind: str = "Training",
                          record: dict | None = None) -> None:
        self.app.open_form(DevelopmentForm(person.id, kind=kind, record=record),
                             lambda saved: self.tell_saved(
                                 _("Development entry {id} saved; it goes to the sheet at "
                                   "the next sync"), saved))

    def tell_saved(self, text: str, record_id: str | None) -> None:
        if record_id:
            self.notify(text.format(id=record_id), timeout=4)

    def need_person(self) -> Person | None:
        person = self.person()
        if person is None:
            self.notify(_("No manager selected"), severity="warning")
        return person

    @guarded
    def action_add_review(self) -> None:
        if person := self.need_person():
            self.open_review(person)

    @guarded
    def action_add_training(self) -> None:
        if person := self.need_person():
            self.open_development(person, kind="Training")

    @guarded
    def action_add_mentoring(self) -> None:
        if person := self.need_person():
            self.open_development(person, kind="Mentoring")

    async def action_scorecard(self) -> None:
        """This manager's scorecard for the month, on the KPI screen."""
        if person := self.need_person():
            await self.app.switch_mode("kpis")
            kpis = self.app.screen_stack[0]
            kpis.open_scorecard(person.id, Period.month_of(self.app.today), back_to="people")

    @guarded
    def action_assign_mentor(self) -> None:
        person = self.need_person()
        if person is None:
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if self.app.edit("managers", person.id, {"mentor": name}):
                self.notify(_("{name}: mentor {mentor}").format(
                    name=person.name, mentor=name) if name else
                    _("{name}: mentor cleared").format(name=person.name), timeout=4)

        self.app.push_screen(MentorPicker(person, self.people), chosen)


def _is_number(text) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _clip(text: str, width: int) -> str:
    """At most ``width`` cells (see :func:`amtui.domain.text.clip`)."""
    return clip(text, width)


def _period(text) -> str:
    """A period cell: as typed in English, ``2026年第4季度`` in Chinese when readable."""
    period = Period.try_parse(text or "") if is_chinese() else None
    return period.label if period is not None else str(text or "")


class MentorPicker(ModalScreen[str | None]):
    """Choose a mentor for a manager: other active managers, with their mentee count.
    Returns the mentor's name, "" to clear, or None when cancelled."""

    CSS_PATH = "people.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="people.mentor_cancel")]

    def __init__(self, person: Person, people: list[Person]):
        super().__init__()
        self.person = person
        self.candidates = [p for p in people if p.active and p.id != person.id]

    def compose(self) -> ComposeResult:
        with Vertical(id="mentor-box"):
            yield Static(Text.assemble((_("Mentor for {name}").format(name=self.person.name),
                                        "bold"),
                                       "  ·  " + _("enter choose · esc cancel")),
                         id="mentor-title")
            options = [Option(Text(_("No mentor (clear)"), style="dim"), id="")]
            for p in self.candidates:
                r = p.record
                n = len(p.mentees)
                load = ngettext("{n} mentee", "{n} mentees", n).format(n=n)
                options.append(Option(Text.assemble(
                    (p.name, "bold"), f"  {shown(r.get('role') or '')}, {r.get('team') or ''}"
                    f"  ·  {load}"), id=p.id))
            yield OptionList(*options, id="mentor-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = self.person.mentor_id
        ids = [""] + [p.id for p in self.candidates]
        options.highlighted = ids.index(current) if current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen_option(self, event: OptionList.OptionSelected) -> None:
        chosen = next((p for p in self.candidates if p.id == event.option.id), None)
        self.dismiss(chosen.name if chosen else "")

    @guarded
    def action_cancel(self) -> None:
        self.dismiss(None)
