"""Reminders to team chat and mail: run the rules, keep the Alerts list, deliver once through
apprise, retry failures with backoff, hold back in quiet hours. No Textual here: the CLI
(``amtui notify``) and the app's sync worker both call :func:`run_notify`.

    result = run_notify(workspace)                 # now, from the real clock
    result = run_notify(workspace, dry_run=True)   # what would be sent; changes nothing
    result.sent, result.failed, result.held_back, result.new

Targets are apprise URLs (``[notify] targets`` for the lead, ``[notify.managers]`` per
manager). ``${NAME}`` in a URL is read from the environment, else from ``secrets_file``
(lines of ``NAME=value``). Secrets never reach a log line, an error or the store: every
text goes through :func:`mask` and targets are stored by their masked form.

The store's ``notify_log`` has one row per (reminder key, target): ``sent`` rows are never
sent again; ``failed`` rows are retried once ``next_try`` has passed (5 min, 10, 20 ... up to
6 h), at most ``max_attempts`` times.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from amtui.domain import schema
from amtui.domain.i18n import _
from amtui.domain.kpi import KpiEngine, ManagerLookup
from amtui.domain.period import Period
from amtui.domain.reminders import Reminder, RuleSettings, evaluate, problem_ref
from amtui.services.notify_texts import moment_in, pick_language, text

log = logging.getLogger("amtui.notify")
log.addHandler(logging.NullHandler())  # the CLI prints its own lines; apps add handlers

BACKOFF_FIRST = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# -- secrets -----------------------------------------------------------------------------

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def remember_secret(value: str) -> None:
    """Mask ``value`` in every text from now on (values shorter than 4 are not secrets)."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def mask(message: str) -> str:
    """``message`` with every known secret replaced by ``****`` and URL passwords hidden."""
    out = str(message)
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        out = out.replace(secret, "****")
    return re.sub(r"(://[^/:@\s]*:)[^@\s/]+@", r"\1****@", out)


class MaskFilter(logging.Filter):
    """Rewrites a log record's text with :func:`mask` (on apprise's logger and ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is still logged, masked
            message = str(record.msg)
        record.msg, record.args = mask(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def install_log_masks() -> None:
    # urllib3 logs request lines with the URL's path, where a webhook token may sit
    for name in ("apprise", "amtui.notify", "urllib3.connectionpool", "urllib3.util.retry",
                 "requests"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskFilter) for f in logger.filters):
            logger.addFilter(MaskFilter())


install_log_masks()


def read_secrets_file(path: Path | None) -> dict[str, str]:
    """``NAME=value`` lines (``#`` comments, optional quotes); {} when there is no file."""
    if path is None or not Path(path).exists():
        return {}
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        out[name.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return out


class TargetError(ValueError):
    """A target URL that cannot be used; the message is already masked."""


@dataclass(frozen=True)
class Target:
    url: str  # with secrets filled in: never print
    label: str  # masked, safe to show and store
    manager_id: str | None = None  # None: the lead's target (gets every reminder)

    @property
    def ident(self) -> str:
        """How the log knows this target: the masked URL plus a hash of the real one."""
        return f"{self.label}#{hashlib.sha256(self.url.encode()).hexdigest()[:8]}"


def expand(url: str, secrets_file: Path | None = None, env=None) -> str:
    """Fill ``${NAME}`` from the environment, else the secrets file; remembers the values so
    they are masked. Raises :class:`TargetError` naming the missing variable."""
    env = os.environ if env is None else env
    from_file = None

    def fill(found: re.Match) -> str:
        nonlocal from_file
        name = found.group(1)
        value = env.get(name)
        if value is None:
            if from_file is None:
                from_file = read_secrets_file(secrets_file)
            value = from_file.get(name)
        if value is None:
            if secrets_file:
                raise TargetError(_("${{{name}}} is not set in the environment or in {file}")
                                  .format(name=name, file=secrets_file))
            raise TargetError(_("${{{name}}} is not set in the environment").format(name=name))
        remember_secret(value)
        return value

    return _VAR.sub(fill, url)


def _label(url: str) -> str:
    """The apprise privacy form of a URL (tokens and passwords as ****); also remembers the
    parts it hides, so a literal token in the config is masked in logs too."""
    import apprise

    plugin = apprise.Apprise.instantiate(url, asset=_asset())
    if plugin is None:
        raise TargetError(_("not a URL apprise understands: {url}")
                          .format(url=mask(_scheme_only(url))))
    private = plugin.url(privacy=True)
    for part in re.split(r"[/:@?&=#,]+", url.split("://", 1)[-1]):
        if len(part) >= 6 and part not in private and not part.isdigit():
            remember_secret(part)
    # apprise keeps a token's first and last character (w...3); show none of it
    return mask(re.sub(r"(?<![\w.])\w\.\.\.\w(?![\w.])", "****", private.split("?", 1)[0]))


def _scheme_only(url: str) -> str:
    return url.split("://", 1)[0] + "://…" if "://" in url else "…"


def _asset():
    import apprise

    # memory storage: apprise writes no cache files beside a person's data
    return apprise.AppriseAsset(app_id="amtui", app_desc="amtui reminders",
                                storage_mode="memory")


def targets_of(config, lookup: ManagerLookup | None = None) -> tuple[list[Target], list[str]]:
    """The configured targets, secrets filled in, and masked errors for the unusable ones."""
    notify = config.notify
    found: list[Target] = []
    errors: list[str] = []
    entries = [(None, None, u) for u in notify.targets]
    for name, urls in notify.managers.items():
        mid = lookup.manager_id(name) if lookup else name
        if lookup and mid is None:
            errors.append(_("[notify.managers] {name}: no such manager").format(name=repr(name)))
            continue
        entries += [(name, mid, u) for u in urls]
    for name, mid, raw in entries:
        where = f"[notify.managers] {name!r}" if name else "[notify] targets"  # config keys
        try:
            url = expand(raw, notify.secrets_file)
            found.append(Target(url, _label(url), mid))
        except TargetError as err:
            errors.append(f"{where}: {mask(str(err))}")
    return found, errors


# -- quiet hours -------------------------------------------------------------------------

def zone(config) -> ZoneInfo | None:
    name = config.notify.timezone
    return ZoneInfo(name) if name else None


def local_now(config, now: datetime | None = None) -> datetime:
    """Now in the notify timezone (aware). A naive ``now`` is read as in that timezone."""
    tz = zone(config)
    if now is None:
        return datetime.now(tz).astimezone(tz) if tz else datetime.now().astimezone()
    if now.tzinfo is None:
        return now.replace(tzinfo=tz) if tz else now.astimezone()
    return now.astimezone(tz) if tz else now


def held_until(config, now: datetime) -> datetime | None:
    """When sending may start again, or None when ``now`` (aware, local) is allowed."""
    notify = config.notify
    days = set(notify.weekdays) or set(WEEKDAYS)

    def allowed(moment: datetime) -> bool:
        if WEEKDAYS[moment.weekday()] not in days:
            return False
        if notify.quiet_hours:
            start, end = (time.fromisoformat(t) for t in notify.quiet_hours)
            clock = moment.time().replace(tzinfo=None)
            quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
            return not quiet
        return True

    if allowed(now):
        return None
    # step to the next quiet-hours end or midnight until a sending moment is found
    moment = now
    for _step in range(16):
        candidates = [datetime.combine(moment.date() + timedelta(days=1), time(0),
                                       tzinfo=moment.tzinfo)]
        if notify.quiet_hours:
            end = time.fromisoformat(notify.quiet_hours[1])
            for day in (moment.date(), moment.date() + timedelta(days=1)):
                at = datetime.combine(day, end, tzinfo=moment.tzinfo)
                if at > moment:
                    candidates.append(at)
        moment = min(candidates)
        if allowed(moment):
            return moment
    return None


# -- the run -----------------------------------------------------------------------------

@dataclass
class NotifyResult:
    now: datetime
    reminders: list[Reminder] = field(default_factory=list)
    new: list[Reminder] = field(default_factory=list)  # not in the Alerts list before
    sent: list[tuple[str, str]] = field(default_factory=list)  # (key, target label)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (key, target, error)
    waiting: list[tuple[str, str, str]] = field(default_factory=list)  # backoff: next try
    gave_up: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, list[Reminder]]] = field(default_factory=list)  # dry run
    held_back: str = ""
    errors: list[str] = field(default_factory=list)  # unusable targets (masked)
    language: str = "en"

    def to_dict(self) -> dict:
        return {
            "now": self.now.isoformat(timespec="seconds"),
            "reminders": [r.to_dict() for r in self.reminders],
            "new": [r.key for r in self.new],
            "sent": [{"key": k, "target": t} for k, t in self.sent],
            "failed": [{"key": k, "target": t, "error": e} for k, t, e in self.failed],
            "waiting": [{"key": k, "target": t, "next_try": n} for k, t, n in self.waiting],
            "gave_up": [{"key": k, "target": t} for k, t in self.gave_up],
            "planned": [{"target": t, "keys": [r.key for r in rs]} for t, rs in self.planned],
            "held_back": self.held_back, "errors": list(self.errors),
        }


def workspace_now(workspace, now: datetime | None = None) -> datetime:
    """Local aware now; a pinned workspace date (demos, tests) replaces the real date."""
    moment = local_now(workspace.config, now)
    pinned = workspace.today()
    if now is None and pinned != moment.date():
        moment = moment.replace(year=pinned.year, month=pinned.month, day=pinned.day)
    return moment


def response_targets(records: dict, today: date, default_targets: dict,
                     refs=None) -> dict[str, float]:
    """Manager ID -> response-hours target this month (Targets tab, else the default)."""
    # only managers and targets: the engine then indexes no projects or feedback
    engine = KpiEngine({"managers": records.get("managers", []),
                        "targets": records.get("targets", [])}, default_targets, refs=refs)
    month = Period.month_of(today)
    out = {}
    for mid in engine.lookup.manager_by_id:
        target = engine.targets_for(mid, month).get("response_hours")
        if target:
            out[mid] = float(target)
    return out


def settings_of(config) -> RuleSettings:
    settings = RuleSettings.default()
    for rule, spec in config.notify.rules.items():
        settings.enabled[rule] = bool(spec.get("enabled", True))
        settings.values[rule].update({k: v for k, v in spec.items() if k != "enabled"})
    return settings


RULE_TABS = ("managers", "projects", "feedback", "reviews", "development", "targets")


def find_reminders(workspace, now: datetime, *, track: bool = True,
                   records: dict | None = None) -> list[Reminder]:
    """Every reminder that holds at ``now`` (local). ``track`` records when each sync
    problem was first seen (the problems table has no time)."""
    store = workspace.store
    if records is None:
        records = {tab: store.records(tab) for tab in RULE_TABS}
    stamp = now.replace(tzinfo=None).isoformat(timespec="seconds")
    problems = store.problems()
    seen = {row[0]: row[1] for row in store.db.execute("SELECT ref, first_seen FROM notify_seen")}
    current = {problem_ref(p) for p in problems}
    if track:
        with store.transaction() as db:
            fresh = [{"ref": r, "first_seen": stamp} for r in current if r not in seen]
            if fresh:
                db["notify_seen"].insert_all(fresh, pk="ref", ignore=True)
            for ref in set(seen) - current:
                db.execute("DELETE FROM notify_seen WHERE ref = ?", [ref])
    for p in problems:
        p["first_seen"] = seen.get(problem_ref(p), stamp)
    lookup = ManagerLookup(records, refs=store.refs())
    return evaluate(records, now=now.replace(tzinfo=None), settings=settings_of(workspace.config),
                    events=store.events(tab="projects"), conflicts=store.conflicts(),
                    problems=problems, lookup=lookup,
                    response_targets=response_targets(
                        records, now.date(), workspace.config.rules.default_targets,
                        refs=store.refs()))


def run_notify(workspace, *, now: datetime | None = None, dry_run: bool = False,
               deliver: bool = True) -> NotifyResult:
    """Run the rules once, update the Alerts list and deliver what is due (see module doc).

    Never raises for a delivery problem: failures are in ``result.failed`` / ``errors``."""
    config = workspace.config
    moment = workspace_now(workspace, now)
    result = NotifyResult(now=moment, language=pick_language(config))
    store = workspace.store
    records = {tab: store.records(tab) for tab in RULE_TABS}
    result.reminders = find_reminders(workspace, moment, track=not dry_run, records=records)
    result.new = _update_alerts(store, result.reminders, moment, dry_run=dry_run)
    if not deliver:
        return result
    lookup = ManagerLookup(records, refs=store.refs())
    targets, result.errors = targets_of(config, lookup)
    for error in result.errors:
        log.warning("notify target skipped: %s", error)
    if not targets:
        return result
    until = held_until(config, moment)
    if until is not None:
        result.held_back = text("held.quiet", result.language,
                                until=moment_in(result.language, until))
        log.info("reminders held back: %s", result.held_back)
        return result
    for target in targets:
        mine = [r for r in result.reminders
                if target.manager_id is None or r.manager_id == target.manager_id]
        due = _due_for(store, target, mine, moment, config.notify.max_attempts, result)
        if not due:
            continue
        if dry_run:
            result.planned.append((target.label, due))
            continue
        title, body = render_reminders(due, result.language, workspace.config)
        ok, error = send(target, title, body)
        _log_results(store, target, due, moment, ok, error)
        for r in due:
            if ok:
                result.sent.append((r.key, target.label))
            else:
                result.failed.append((r.key, target.label, error))
    return result


def _due_for(store, target: Target, reminders: list[Reminder], now: datetime,
             max_attempts: int, result: NotifyResult) -> list[Reminder]:
    if not reminders:
        return []
    rows = {row[0]: row[1:] for row in store.db.execute(
        "SELECT key, result, attempts, next_try FROM notify_log WHERE target = ?",
        [target.ident])}
    stamp = now.replace(tzinfo=None).isoformat(timespec="seconds")
    due = []
    for r in reminders:
        row = rows.get(r.key)
        if row is None:
            due.append(r)
        elif row[0] == "failed":
            if row[1] >= max_attempts:
                result.gave_up.append((r.key, target.label))
            elif row[2] and row[2] > stamp:
                result.waiting.append((r.key, target.label, row[2]))
            else:
                due.append(r)
    return due


def _log_results(store, target: Target, reminders: list[Reminder], now: datetime, ok: bool,
                 error: str) -> None:
    stamp = now.replace(tzinfo=None).isoformat(timespec="seconds")
    with store.transaction() as db:
        for r in reminders:
            row = db.execute("SELECT attempts FROM notify_log WHERE key = ? AND target = ?",
                             [r.key, target.ident]).fetchone()
            attempts = (row[0] if row else 0) + 1
            wait = min(BACKOFF_FIRST * (2 ** (attempts - 1)), BACKOFF_MAX)
            values = {"rule": r.rule, "record": f"{r.tab}/{r.record_id}", "key": r.key,
                      "target": target.ident, "sent_at": stamp,
                      "result": "sent" if ok else "failed", "attempts": attempts,
                      "next_try": "" if ok else (now.replace(tzinfo=None) + wait)
                      .isoformat(timespec="seconds"), "error": mask(error)}
            if row:
                db.execute("UPDATE notify_log SET rule=:rule, record=:record, sent_at=:sent_at, "
                           "result=:result, attempts=:attempts, next_try=:next_try, "
                           "error=:error WHERE key=:key AND target=:target", values)
            else:
                db["notify_log"].insert(values)


def send(target: Target, title: str, body: str) -> tuple[bool, str]:
    """Deliver one message through apprise; (ok, masked error)."""
    import apprise

    client = apprise.Apprise(asset=_asset())
    if not client.add(target.url):
        return False, _("apprise cannot use {target}").format(target=target.label)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        try:
            ok = bool(client.notify(body=body, title=title,
                                    body_format=apprise.NotifyFormat.MARKDOWN))
        except Exception as err:  # noqa: BLE001 - a broken plugin must not stop the others
            ok, reason = False, f"{type(err).__name__}: {err}"
        else:
            reason = ""
    if ok:
        log.info("sent %r to %s", title, target.label)
        return True, ""
    lines = [ln.split(" - ", 2)[-1] for ln in captured.getvalue().splitlines() if ln.strip()]
    error = mask(reason or "; ".join(lines[-2:]) or _("delivery failed"))
    log.warning("could not send to %s: %s", target.label, error)
    return False, error


# -- texts -------------------------------------------------------------------------------

def late_text(r: Reminder, language: str = "en") -> str:
    if r.late_hours <= 0:
        return text("late.none", language)
    if r.late_hours < 48:
        return text("late.hours", language, n=int(round(r.late_hours)))
    return text("late.days", language, n=r.late_days)


def open_text(r: Reminder, language: str = "en", config=None) -> str:
    title = config.title_of(r.tab) if config is not None and r.tab in schema.TABS else r.tab
    if r.field and r.tab in schema.TABS and r.field in schema.TABS[r.tab].keys:
        header = (config.header_of(r.tab, r.field) if config is not None
                  else schema.TABS[r.tab].header_of(r.field))
        return text("open.field", language, tab=title, id=r.record_id, field=header)
    return text("open", language, tab=title, id=r.record_id)


def describe(r: Reminder, language: str = "en", config=None) -> str:
    """One line: what, which record, who, how late, what to open."""
    return text("line", language, rule=text(f"rule.{r.rule}", language),
                name=f"{r.name} ({r.record_id})", manager=r.manager or text("nobody", language),
                late=late_text(r, language), open=open_text(r, language, config))


def render_reminders(reminders: list[Reminder], language: str = "en",
                     config=None) -> tuple[str, str]:
    """(title, markdown body) of one message carrying these reminders."""
    if len(reminders) == 1:
        title = text("title.one", language, rule=text(f"rule.{reminders[0].rule}", language))
    else:
        title = text("title.many", language, n=len(reminders))
    body = "\n".join(f"- {describe(r, language, config)}" for r in reminders)
    return title, body


# -- the Alerts list ---------------------------------------------------------------------

def _update_alerts(store, reminders: list[Reminder], now: datetime, *,
                   dry_run: bool) -> list[Reminder]:
    """Keep ``notify_alerts`` equal to the reminders that hold; return the new ones."""
    known = {row[0] for row in store.db.execute("SELECT key FROM notify_alerts")}
    new = [r for r in reminders if r.key not in known]
    if dry_run:
        return new
    stamp = now.replace(tzinfo=None).isoformat(timespec="seconds")
    keys = {r.key for r in reminders}
    with store.transaction() as db:
        gone = [[key] for key in known - keys]
        if gone:
            db.conn.executemany("DELETE FROM notify_alerts WHERE key = ?", gone)
        if new:
            db["notify_alerts"].insert_all(({
                "key": r.key, "rule": r.rule, "tab": r.tab, "record_id": r.record_id,
                "manager": r.manager, "data": json.dumps(r.to_dict(), ensure_ascii=False),
                "first_seen": stamp, "status": "open", "snooze_until": ""} for r in new),
                pk="key")
    return new


@dataclass(frozen=True)
class Alert:
    key: str
    reminder: Reminder
    first_seen: str
    status: str  # open | dismissed
    snooze_until: str


def alerts(store, now: datetime | None = None, *, include_hidden: bool = False) -> list[Alert]:
    """The Alerts list: open alerts not snoozed past ``now`` (all with ``include_hidden``)."""
    stamp = (now or datetime.now()).replace(tzinfo=None).isoformat(timespec="seconds")
    out = []
    for key, data, first_seen, status, snooze in store.db.execute(
            "SELECT key, data, first_seen, status, snooze_until FROM notify_alerts "
            "ORDER BY first_seen DESC, key"):
        hidden = status == "dismissed" or (snooze and snooze > stamp)
        if hidden and not include_hidden:
            continue
        d = json.loads(data)
        reminder = Reminder(d["rule"], d["tab"], d["record_id"], d["name"], d["manager_id"],
                            d["manager"], float(d["late_hours"]), d["field"],
                            tuple(sorted(d["facts"].items())))
        out.append(Alert(key, reminder, first_seen, status, snooze or ""))
    return out


def snooze_alert(store, key: str, until: datetime) -> None:
    with store.transaction() as db:
        db.execute("UPDATE notify_alerts SET snooze_until = ? WHERE key = ?",
                   [until.replace(tzinfo=None).isoformat(timespec="seconds"), key])


def dismiss_alert(store, key: str) -> None:
    with store.transaction() as db:
        db.execute("UPDATE notify_alerts SET status = 'dismissed' WHERE key = ?", [key])


# -- doctor ------------------------------------------------------------------------------

def doctor_check(workspace) -> tuple[bool, str, str]:
    """``amtui doctor``'s line for reminders: targets usable, secrets found (all masked)."""
    config = workspace.config
    notify = config.notify
    if not notify.targets and not notify.managers:
        return True, _("reminders"), _("no [notify] targets (reminders show in the app only)")
    try:
        store = workspace.store
        lookup = ManagerLookup({t: store.records(t) for t in ("managers", "projects")},
                               refs=store.refs())
    except Exception:  # noqa: BLE001 - the database check reports that
        lookup = None
    targets, errors = targets_of(config, lookup)
    if errors:
        return False, _("reminders"), mask("; ".join(errors))
    labels = ", ".join(t.label for t in targets)
    return True, _("reminders"), mask(_("{n} target(s): {targets}").format(n=len(targets),
                                                                         targets=labels))
