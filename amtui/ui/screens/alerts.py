"""Alerts: the reminders that hold now (the rules run after each sync), newest first. Enter
opens the record where it lives (feedback in the Inbox, projects on the Board); ``s``
snoozes one for a day, ``d`` dismisses it until its facts change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from amtui.domain.i18n import N_, _
from amtui.services import notify
from amtui.ui.screens.synclog import SyncScreen, cell

SNOOZE = timedelta(days=1)


class AlertsScreen(SyncScreen):
    HELP_TITLE = N_("Alerts")
    ROW_ACTION = "open"
    BINDINGS = [
        Binding("enter", "open", N_("Open"), id="alerts.open",
                tooltip=N_("Open the alert's record")),
        Binding("s", "snooze", N_("Snooze a day"), id="alerts.snooze",
                tooltip=N_("Hide the alert for a day")),
        Binding("d", "dismiss_alert", N_("Dismiss"), id="alerts.dismiss",
                tooltip=N_("Dismiss the alert until its facts change")),
    ]

    def now(self) -> datetime:
        return datetime.now()

    def reload(self, full: bool = False) -> None:
        found = notify.alerts(self.app.store, self.now())
        config = self.app.workspace.config
        language = notify.pick_language(config)
        rows = []
        for alert in found:
            r = alert.reminder
            rows.append((
                cell(notify.text(f"rule.{r.rule}", language), 34),
                cell(f"{r.name} ({r.record_id})", 40),
                cell(r.manager or "-", 16),
                cell(notify.late_text(r, language), 12),
                cell(notify.open_text(r, language, config), 30),
            ))
        self.fill([_("Reminder"), _("Record"), _("Manager"), _("Late"), _("Where")], rows,
                  {a.key: {"alert": a} for a in found})
        self.set_count_title(_("Alerts"), len(found),
                             _("open · enter opens · s snooze · d dismiss · escape back"),
                             _("nothing needs attention"))

    def show_detail(self, detail: Static, record: dict | None) -> None:
        if record is None:
            detail.update(Content.styled(_("No alerts: the rules run after each sync."),
                                         "$text-muted"))
            return
        alert = record["alert"]
        config = self.app.workspace.config
        language = notify.pick_language(config)
        detail.update(Content.assemble(
            (_("Reminder: "), "bold"), notify.describe(alert.reminder, language, config), "\n",
            (_("First seen: "), "bold"), alert.first_seen.replace("T", " ")))

    def action_open(self) -> None:
        record = self.current()
        if record is None:
            return
        r = record["alert"].reminder
        self.app.open_record(r.tab, r.record_id)

    def action_snooze(self) -> None:
        record = self.current()
        if record is not None:
            notify.snooze_alert(self.app.store, record["alert"].key, self.now() + SNOOZE)
            self.reload()

    def action_dismiss_alert(self) -> None:
        record = self.current()
        if record is not None:
            notify.dismiss_alert(self.app.store, record["alert"].key)
            self.reload()
