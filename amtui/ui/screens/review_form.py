"""Add or edit a performance review, with the manager's KPIs for that period beside the form
so the review rests on the numbers.

    app.open_form(ReviewForm("M-002"), on_saved)                  # new review
    app.open_form(ReviewForm("M-002", review=record), on_saved)   # edit one

The form writes through ``app.add_record`` / ``app.edit`` itself and stays open when the
store refuses a value; it dismisses with the review's ID, or None when cancelled.
"""

from __future__ import annotations

import weakref

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static, TextArea

from amtui.domain import schema
from amtui.domain.i18n import N_, _
from amtui.domain.kpi import KPI_COLUMNS
from amtui.domain.people import review_period_for
from amtui.domain.period import Period
from amtui.services.kpis import cached_kpi_data, kpi_data
from amtui.ui.screens.common import guarded, load_then
from amtui.ui.screens.forms import FormScreen, put_choice, put_text
from amtui.ui.widgets.kpi_cells import status_style, target_text

SCORES = ((N_("5 — excellent"), "5"), (N_("4 — strong"), "4"),
          (N_("3 — meets expectations"), "3"), (N_("2 — below expectations"), "2"),
          (N_("1 — well below"), "1"))
KPI_TABLE_COLUMNS = (N_("KPI"), N_("Value"), N_("Target"), N_("Status"), N_("Team"))
FIELDS = ("period", "reviewer", "score", "strengths", "improvements", "outcome", "date")
# per app: the reviewer typed last, for the next review. Keyed by the app itself, not its
# id(): a later app can get the id of one that is gone (tests saw another test's reviewer).
last_reviewers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class ReviewForm(FormScreen):
    """A review of one manager: period, reviewer, score 1-5, strengths, improvements,
    outcome (bonus / recognition / improvement plan / none) and date. ``period``: the
    period a new review is for (the caller knows which review is due)."""

    def __init__(self, manager_id: str, *, review: dict | None = None,
                 period: Period | None = None):
        super().__init__()
        self.set_subject(manager_id=manager_id, review=review, period=period)

    def set_subject(self, *, manager_id: str, review: dict | None,
                    period: Period | None) -> None:
        super().set_subject(manager_id=manager_id, review=review, period=period)
        self.manager_id = manager_id
        self.manager_name = manager_id
        self.review = review
        self.period = period
        self.kpis_period_text: str | None = None  # the period the KPI table shows

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        outcomes = self.app.rules.choices_for("reviews", "outcome")

        def label(field: str) -> str:
            return schema.label("reviews", field)

        with self.box(wide=True):
            yield self.heading("")
            with Horizontal(id="review-columns"):
                with self.field_grid():
                    yield from self.field(label("period") + " *", Input(
                        id="period", placeholder=_("2026-Q3 or 2026-09"), compact=True))
                    yield from self.field(label("reviewer"), Input(
                        id="reviewer", placeholder=_("who reviews"), compact=True))
                    yield from self.field(label("score") + " *", Select(
                        [(_(text), value) for text, value in SCORES], id="score",
                        prompt=_("1 to 5"), compact=True))
                    yield from self.field(label("strengths"), TextArea(
                        id="strengths", classes="field-area", soft_wrap=True, compact=True))
                    yield from self.field(label("improvements"), TextArea(
                        id="improvements", classes="field-area", soft_wrap=True,
                        compact=True))
                    yield from self.field(label("outcome"), Select(
                        [(schema.shown(o), o) for o in outcomes], id="outcome",
                        prompt=_("bonus, recognition…"), compact=True))
                    yield from self.field(label("date"), Input(
                        id="date", placeholder=_("YYYY-MM-DD"), compact=True))
                with Vertical(id="review-kpis"):
                    yield Static("", id="kpis-title")
                    yield DataTable(id="review-kpi-table", cursor_type="none",
                                    zebra_stripes=True)
            yield self.error_line()
            yield self.actions()

    def fill(self) -> None:
        """The review's values (a new one: the period due, the last reviewer, today), the
        manager's KPIs for the period beside them."""
        manager = self.load_manager(self.manager_id)
        review = self.review or {}
        period = review.get("period") or str(self.period or review_period_for(manager, self.app.today))
        score = review.get("score") or ""
        outcome = review.get("outcome") or ""
        heading = (_("Edit review {id} for {name}").format(id=review["id"],
                                                          name=self.manager_name)
                   if review else _("New review for {name}").format(name=self.manager_name))
        self.show_heading(heading)
        put_text(self.query_one("#period", Input), period)
        put_text(self.query_one("#reviewer", Input),
                 review.get("reviewer") or self.default_reviewer())
        put_text(self.query_one("#date", Input),
                 review.get("date") or self.app.today.isoformat())
        for key in ("strengths", "improvements"):
            self.query_one(f"#{key}", TextArea).load_text(review.get(key) or "")
        put_choice(self.query_one("#score", Select), score)
        put_choice(self.query_one("#outcome", Select), outcome)
        table = self.query_one("#review-kpi-table", DataTable)
        if not table.columns:  # headers over an empty table while the period is wrong
            table.add_columns(*(_(title) for title in KPI_TABLE_COLUMNS))
        self.show_kpis()
        self.remember_initial()
        self.focus_field(self.query_one("#period" if not self.review else "#score"))

    def default_reviewer(self) -> str:
        """The reviewer typed last in this session, else the most recent review's reviewer
        (unless that is the manager being reviewed)."""
        remembered = last_reviewers.get(self.app)
        if remembered:
            return remembered
        reviews = sorted(self.app.store.records("reviews"), key=lambda r: r.get("date") or "")
        for review in reversed(reviews):
            reviewer = review.get("reviewer") or ""
            if reviewer and reviewer != self.manager_name:
                return reviewer
        return ""

    # -- the KPIs beside the form ----------------------------------------------------------

    @on(Input.Changed, "#period")
    def period_changed(self) -> None:
        # the Input announces its first value after on_mount has shown the table for it:
        # filling the table a second time for the same period raced the first draw
        if self.query_one("#period", Input).value != self.kpis_period_text:
            self.show_kpis()

    def show_kpis(self) -> None:
        text = self.kpis_period_text = self.query_one("#period", Input).value
        period = Period.try_parse(text)
        title = self.query_one("#kpis-title", Static)
        table = self.query_one("#review-kpi-table", DataTable)
        if period is None:
            title.update(Text(_("KPIs: “{text}” is not a period (2026-Q3 or 2026-09)")
                              .format(text=text), style="dim"))
            table.clear()
            return
        data = cached_kpi_data(self.app)
        if data is None:
            title.update(_("Computing KPIs…"))
            self.load_in_background()
            return
        kpis = data.table(period, self.app.today, trends=False)  # no trend shown here
        row = kpis.row(self.manager_id)
        title.update(Text.assemble((_("KPIs "), "bold"), (period.label, "bold"),
                                   _("  ·  {name} against target").format(
                                       name=self.manager_name)))
        table.clear()
        if row is None:
            title.update(_("No KPIs for {name} in {period}").format(name=self.manager_name,
                                                                    period=period.label))
            return
        rows = []
        for key, label in KPI_COLUMNS:
            kpi, team = row.kpis[key], kpis.team.kpis[key]
            style = status_style(self.app, kpi.status)
            rows.append((Text(_(label)),
                         Text("—" if kpi.value is None else kpi.display, style=style,
                              justify="right"),
                         Text(target_text(kpi)), Text(_(kpi.status), style=style),
                         Text("—" if team.value is None else team.display, justify="right",
                              style="dim")))
        # columns as wide as their widest cell, given up front: left to DataTable, the
        # header could be drawn before the rows widened the columns (a race on busy machines)
        table.clear(columns=True)
        for index, title in enumerate(KPI_TABLE_COLUMNS):
            width = max(cell_len(_(title)), *(row[index].cell_len for row in rows))
            table.add_column(_(title), width=width)
        table.add_rows(rows)

    @work(thread=True, exclusive=True, group="review-kpis")
    def load_in_background(self) -> None:
        load_then(self.app, kpi_data, self.show_kpis)

    # -- saving ----------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        def select(widget_id: str) -> str:
            value = self.query_one(widget_id, Select).value
            return "" if value is Select.NULL or value is None else str(value)

        return {
            "period": self.query_one("#period", Input).value.strip(),
            "reviewer": self.query_one("#reviewer", Input).value.strip(),
            "score": select("#score"),
            "strengths": self.query_one("#strengths", TextArea).text.strip(),
            "improvements": self.query_one("#improvements", TextArea).text.strip(),
            "outcome": select("#outcome"),
            "date": self.query_one("#date", Input).value.strip(),
        }

    @guarded
    def action_save(self) -> None:
        values = self.values()
        missing = []
        period = Period.try_parse(values["period"])
        if period is None:
            missing.append(_("a period like 2026-Q3 or 2026-09"))
        if not values["score"]:
            missing.append(_("a score from 1 to 5"))
        if missing:
            joined = _(" and ").join(missing)
            self.show_error(_("Needs {what}.").format(what=joined))
            return
        values["period"] = str(period)
        if values["reviewer"]:
            last_reviewers[self.app] = values["reviewer"]
        self.save_record("reviews", self.review, values, manager=self.manager_id)
