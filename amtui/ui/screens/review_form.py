"""Add or edit a performance review, with the manager's KPIs for that period beside the form
so the review rests on the numbers.

    app.push_screen(ReviewForm("M-002"), on_saved)                  # new review
    app.push_screen(ReviewForm("M-002", review=record), on_saved)   # edit one

The form writes through ``app.add_record`` / ``app.edit`` itself and stays open when the
store refuses a value; it dismisses with the review's ID, or None when cancelled.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TextArea
from textual.worker import get_current_worker

from amtui.domain.kpi import KPI_COLUMNS
from amtui.domain.people import review_period_for
from amtui.domain.period import Period
from amtui.ui.screens.common import guarded
from amtui.ui.screens.kpis import cached_kpi_data, kpi_data, status_style, target_text

SCORES = (("5 — excellent", "5"), ("4 — strong", "4"), ("3 — meets expectations", "3"),
          ("2 — below expectations", "2"), ("1 — well below", "1"))
FIELDS = ("period", "reviewer", "score", "strengths", "improvements", "outcome", "date")
# A second escape within this many seconds throws away unsaved typing.
DISCARD_WINDOW = 3.0
_last_reviewer: dict[int, str] = {}  # per app: the reviewer typed last, for the next review


class FormScreen(ModalScreen[str | None]):
    """What the review and development forms share: save with ctrl+s, escape to cancel
    (twice when something was typed), enter in a one-line field moves on."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._initial: dict[str, str] = {}
        self._escape_at = 0.0

    def values(self) -> dict[str, str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def remember_initial(self) -> None:
        self._initial = self.values()

    @property
    def dirty(self) -> bool:
        return self.values() != self._initial

    def show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(
            Text(text, style=status_style(self.app, "off track")))

    @guarded
    def action_cancel(self) -> None:
        now = time.monotonic()
        if self.dirty and now - self._escape_at > DISCARD_WINDOW:
            self._escape_at = now
            self.show_error("Not saved yet: ctrl+s saves, escape again throws it away.")
            return
        self.dismiss(None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @guarded
    def action_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ReviewForm(FormScreen):
    """A review of one manager: period, reviewer, score 1-5, strengths, improvements,
    outcome (bonus / recognition / improvement plan / none) and date."""

    CSS_PATH = "review_form.tcss"

    def __init__(self, manager_id: str, *, review: dict | None = None,
                 period: Period | None = None):
        super().__init__()
        self.manager_id = manager_id
        self.review = review
        self.period = period

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        store = self.app.store
        manager = store.get("managers", self.manager_id) or {"name": self.manager_id}
        self.manager_name = manager.get("name") or self.manager_id
        review = self.review or {}
        period = review.get("period") or str(self.period or review_period_for(manager, self.app.today))
        outcomes = self.app.rules.choices_for("reviews", "outcome")
        score = review.get("score") or ""
        outcome = review.get("outcome") or ""
        verb = f"Edit review {review['id']}" if review else "New review"

        with Vertical(id="review-box"):
            yield Static(Text.assemble((f"{verb} for ", "bold"), (self.manager_name, "bold"),
                                       "  ·  ctrl+s save · esc cancel"), id="form-title")
            with Horizontal(id="review-columns"):
                with Vertical(id="review-fields"):
                    with Horizontal(classes="row"):
                        yield Label("Period", classes="label")
                        yield Input(period, id="period", placeholder="2026-Q3 or 2026-09",
                                    compact=True)
                    with Horizontal(classes="row"):
                        yield Label("Reviewer", classes="label")
                        yield Input(review.get("reviewer") or self._default_reviewer(),
                                    id="reviewer", placeholder="who reviews", compact=True)
                    with Horizontal(classes="row"):
                        yield Label("Score", classes="label")
                        yield Select(SCORES, id="score", prompt="1 to 5",
                                     value=score if score in dict(SCORES).values()
                                     else Select.NULL, compact=True)
                    yield Label("Strengths", classes="label")
                    yield TextArea(review.get("strengths") or "", id="strengths",
                                   classes="notes", soft_wrap=True, compact=True)
                    yield Label("Improvements", classes="label")
                    yield TextArea(review.get("improvements") or "", id="improvements",
                                   classes="notes", soft_wrap=True, compact=True)
                    with Horizontal(classes="row"):
                        yield Label("Outcome", classes="label")
                        yield Select([(o, o) for o in outcomes], id="outcome",
                                     prompt="bonus, recognition…",
                                     value=outcome if outcome in outcomes else Select.NULL,
                                     compact=True)
                    with Horizontal(classes="row"):
                        yield Label("Date", classes="label")
                        yield Input(review.get("date") or self.app.today.isoformat(),
                                    id="date", placeholder="YYYY-MM-DD", compact=True)
                    yield Static("", id="form-error")
                    with Horizontal(id="buttons"):
                        yield Button("Save", id="save", variant="primary", compact=True)
                        yield Button("Cancel", id="cancel", compact=True)
                with Vertical(id="review-kpis"):
                    yield Static("", id="kpis-title")
                    yield DataTable(id="review-kpi-table", cursor_type="none",
                                    zebra_stripes=True)

    def _default_reviewer(self) -> str:
        """The reviewer typed last in this session, else the most recent review's reviewer
        (unless that is the manager being reviewed)."""
        remembered = _last_reviewer.get(id(self.app))
        if remembered:
            return remembered
        reviews = sorted(self.app.store.records("reviews"), key=lambda r: r.get("date") or "")
        for review in reversed(reviews):
            reviewer = review.get("reviewer") or ""
            if reviewer and reviewer != self.manager_name:
                return reviewer
        return ""

    def on_mount(self) -> None:
        table = self.query_one("#review-kpi-table", DataTable)
        table.add_columns("KPI", "Value", "Target", "Status", "Team")
        self.show_kpis()
        self.remember_initial()
        self.query_one("#period" if not self.review else "#score").focus()

    # -- the KPIs beside the form ----------------------------------------------------------

    @on(Input.Changed, "#period")
    def _period_changed(self) -> None:
        self.show_kpis()

    def show_kpis(self) -> None:
        text = self.query_one("#period", Input).value
        period = Period.try_parse(text)
        title = self.query_one("#kpis-title", Static)
        table = self.query_one("#review-kpi-table", DataTable)
        if period is None:
            title.update(Text(f"KPIs: “{text}” is not a period (2026-Q3 or 2026-09)",
                              style="dim"))
            table.clear()
            return
        data = cached_kpi_data(self.app)
        if data is None:
            title.update("Computing KPIs…")
            self._load()
            return
        kpis = data.table(period, self.app.today)
        row = kpis.row(self.manager_id)
        title.update(Text.assemble(("KPIs ", "bold"), (period.label, "bold"),
                                   f"  ·  {self.manager_name} against target"))
        table.clear()
        if row is None:
            title.update(f"No KPIs for {self.manager_name} in {period.label}")
            return
        for key, label in KPI_COLUMNS:
            kpi, team = row.kpis[key], kpis.team.kpis[key]
            style = status_style(self.app, kpi.status)
            table.add_row(Text(label),
                          Text("—" if kpi.value is None else kpi.display, style=style,
                               justify="right"),
                          Text(target_text(kpi)), Text(kpi.status, style=style),
                          Text("—" if team.value is None else team.display, justify="right",
                               style="dim"))

    @work(thread=True, exclusive=True, group="review-kpis")
    def _load(self) -> None:
        kpi_data(self.app)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_kpis)

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
            missing.append("a period like 2026-Q3 or 2026-09")
        if not values["score"]:
            missing.append("a score from 1 to 5")
        if missing:
            self.show_error("Needs " + " and ".join(missing) + ".")
            return
        values["period"] = str(period)
        if values["reviewer"]:
            _last_reviewer[id(self.app)] = values["reviewer"]
        if self.review is None:
            record_id = self.app.add_record("reviews", {"manager": self.manager_id, **values})
        else:
            changes = {k: v for k, v in values.items() if v != (self.review.get(k) or "")}
            record_id = self.review["id"] if (
                not changes or self.app.edit("reviews", self.review["id"], changes)) else None
        if record_id is None:
            self.show_error("Not saved: see the message for what to fix.")
            return
        self.dismiss(record_id)
