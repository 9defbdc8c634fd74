"""Reminders delivered through apprise to real local transports (HTTP receiver, aiosmtpd):
once only, re-armed when facts change, retried with backoff, held in quiet hours, secrets
masked everywhere."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from amtui.cli.main import main
from amtui.core.workspace import Workspace
from amtui.services.notify import alerts, run_notify
from tests.notify_servers import MailServer, Receiver, body_text

SECRETS = ("hook-s3cret-XYZ", "slack-t0ken-ABCDEF", "mail-passw0rd-QRS")
SLACK = "?:message=text&:title=&:version=&:attachments=&:type="  # Slack's {"text": ...}
DATA = Path(__file__).parent / "data"


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def configure(config_path: Path, notify_toml: str) -> None:
    with config_path.open("a", encoding="utf-8") as f:
        f.write("\n" + notify_toml)


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def open_ws(config) -> Workspace:
    return Workspace.open(config)


def test_delivers_json_slack_and_mail_without_leaking_secrets(demo_config, receiver,
                                                              capsys, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("HOOK_SECRET", SECRETS[0])
    (demo_config.parent / "notify.env").write_text(
        f"SLACK_TOKEN={SECRETS[1]}\nMAIL_PASSWORD='{SECRETS[2]}'\n", encoding="utf-8")
    with MailServer() as mail:
        configure(demo_config, f"""
[notify]
targets = ["json://hook:${{HOOK_SECRET}}@127.0.0.1:{receiver.port}/lead",
           "json://127.0.0.1:{receiver.port}/slack/${{SLACK_TOKEN}}{SLACK}"]
secrets_file = "notify.env"

[notify.managers]
"Li Wei" = ["mailto://li:${{MAIL_PASSWORD}}@127.0.0.1:{mail.port}?mode=insecure&from=amtui@example.com&to=li.wei@example.com"]
""")
        code, out, err = run(demo_config, capsys, "notify")
        assert code == 0, out + err
        assert len(mail.messages) == 1
        message = mail.messages[0]
        doctor_code, doctor_out, doctor_err = run(demo_config, capsys, "doctor")

    lead = receiver.on("/lead")
    assert len(lead) == 1
    body = lead[0]["body"]
    assert body["title"].startswith("amtui: ") and "reminders" in body["title"]
    # the lead hears of every manager's overdue projects, with the record to open
    for pid in ("P-0006", "P-0030", "P-0031"):
        assert pid in body["message"]
    assert "Project overdue: Nova Telecom Loyalty Program (P-0030) — 王芳" in body["message"]
    assert "open Projects P-0030 (Due)" in body["message"]
    slack = receiver.on("/slack/")
    assert len(slack) == 1 and set(slack[0]["body"]) == {"text"}
    assert "P-0006" in slack[0]["body"]["text"]

    # Li Wei's mail names Li Wei's records only
    assert message["Subject"].startswith("amtui: ")
    assert message["To"] == "li.wei@example.com"
    text = body_text(message)
    assert "P-0006" in text and "P-0017" in text
    assert "P-0030" not in text  # 王芳's
    assert mail.logins == ["li"]

    assert "[ok  ] reminders: 3 target(s)" in doctor_out
    ws = open_ws(demo_config)
    log_rows = json.dumps([dict(zip(("target", "error"), r, strict=True)) for r in
                           ws.store.db.execute("SELECT target, error FROM notify_log")])
    ws.store.close()
    everything = "\n".join([out, err, doctor_out, doctor_err, caplog.text, log_rows,
                            *(r.getMessage() for r in caplog.records)])
    assert "Sent JSON POST notification" in caplog.text or "sent" in caplog.text
    for secret in SECRETS:
        assert secret not in everything


def test_twice_sends_once_and_a_later_due_date_rearms(demo_config, receiver, capsys):
    configure(demo_config, f'[notify]\ntargets = ["json://127.0.0.1:{receiver.port}/lead"]\n')
    assert run(demo_config, capsys, "notify")[0] == 0
    first = receiver.on("/lead")
    assert len(first) == 1 and "P-0030" in first[0]["body"]["message"]
    code, out, _ = run(demo_config, capsys, "notify")
    assert code == 0 and "nothing new to send" in out
    assert len(receiver.on("/lead")) == 1

    ws = open_ws(demo_config)
    due = ws.store.get("projects", "P-0030")["due"]
    assert due == "2026-11-21"
    ws.store.update("projects", "P-0030", {"due": "2026-11-24"})  # later, still overdue
    ws.store.close()
    assert run(demo_config, capsys, "notify")[0] == 0
    posts = receiver.on("/lead")
    assert len(posts) == 2
    again = posts[1]["body"]
    assert again["title"] == "amtui: Project overdue"
    assert "(P-0030)" in again["message"] and "2 days late" in again["message"]
    assert "P-0031" not in again["message"]


def test_a_failing_target_is_retried_with_backoff_and_others_still_get_theirs(
        demo_config, receiver):
    configure(demo_config, f"""[notify]
targets = ["json://127.0.0.1:{receiver.port}/fail", "json://127.0.0.1:{receiver.port}/ok"]
""")
    ws = open_ws(demo_config)
    t0 = datetime(2026, 11, 26, 9, 0)
    first = run_notify(ws, now=t0)
    assert first.failed and all("/fail" in label for _k, label, _e in first.failed)
    assert "500" in first.failed[0][2]
    assert {label for _k, label in first.sent} == {f"json://127.0.0.1:{receiver.port}/ok"}
    assert len(receiver.on("/ok")) == 1 and len(receiver.on("/fail")) == 1

    soon = run_notify(ws, now=t0.replace(minute=2))  # inside the 5-minute backoff
    assert not soon.sent and not soon.failed and soon.waiting
    assert len(receiver.on("/fail")) == 1

    again = run_notify(ws, now=t0.replace(minute=6))  # backoff over: retried, fails again
    assert again.failed and len(receiver.on("/fail")) == 2
    assert not any("/ok" in label for _k, label in again.sent)
    rows = ws.store.db.execute("SELECT DISTINCT attempts, next_try FROM notify_log "
                               "WHERE result = 'failed'").fetchall()
    assert rows == [(2, "2026-11-26T09:16:00")]  # 5 min, then 10 min

    receiver.failing = False
    later = run_notify(ws, now=t0.replace(minute=20))
    assert later.sent and not later.failed and len(receiver.on("/fail")) == 3
    assert len(receiver.on("/ok")) == 1
    assert not run_notify(ws, now=t0.replace(minute=40)).sent
    ws.store.close()


def test_quiet_hours_hold_reminders_back_until_they_end(demo_config, receiver):
    configure(demo_config, f"""[notify]
targets = ["json://127.0.0.1:{receiver.port}/lead"]
timezone = "Asia/Shanghai"
quiet_hours = "21:00-08:00"
weekdays = ["mon", "tue", "wed", "thu", "fri"]
""")
    ws = open_ws(demo_config)
    shanghai = ZoneInfo("Asia/Shanghai")
    night = run_notify(ws, now=datetime(2026, 11, 26, 22, 30, tzinfo=shanghai))
    assert night.reminders and not night.sent
    assert night.held_back == "quiet hours until Fri 08:00"
    # the same moment in UTC is still the Shanghai night
    early = run_notify(ws, now=datetime(2026, 11, 26, 23, 59, tzinfo=ZoneInfo("UTC")))
    assert early.held_back and not receiver.posts
    morning = run_notify(ws, now=datetime(2026, 11, 27, 8, 1, tzinfo=shanghai))
    assert not morning.held_back and morning.sent
    assert len(receiver.on("/lead")) == 1
    saturday = run_notify(ws, now=datetime(2026, 11, 28, 12, 0, tzinfo=shanghai))
    assert saturday.held_back == "quiet hours until Mon 08:00"
    ws.store.close()


def test_dry_run_plans_and_records_nothing(demo_config, receiver, capsys):
    configure(demo_config, f'[notify]\ntargets = ["json://127.0.0.1:{receiver.port}/x"]\n')
    code, out, _ = run(demo_config, capsys, "notify", "--dry-run")
    assert code == 0 and "dry run: would send" in out and "P-0030" in out
    assert not receiver.posts
    ws = open_ws(demo_config)
    assert ws.store.db.execute("SELECT count(*) FROM notify_log").fetchone()[0] == 0
    assert alerts(ws.store) == []
    ws.store.close()


def test_digest_markdown_has_every_section_and_json_is_stable(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "digest", "--format", "markdown", "--period",
                       "week")
    assert code == 0
    assert out.startswith("# amtui digest 2026-11-26 (this week)")
    for heading in ("## Team", "### Due", "### Late", "### Blocked",
                    "### Waiting for an answer", "### KPI movement since the last digest",
                    "## Li Wei", "## 王芳"):
        assert heading in out
    assert "Nova Telecom Loyalty Program (P-0030): due 2026-11-21, 5 days late" in out
    code, out, _ = run(demo_config, capsys, "digest", "--format", "json", "--period", "week")
    expected = (DATA / "digest_demo_2026-11-26_week.json").read_text(encoding="utf-8")
    assert json.loads(out) == json.loads(expected)
    code, out, _ = run(demo_config, capsys, "digest", "--manager", "li wei", "--format", "html")
    assert code == 0 and out.startswith("<h1>amtui digest 2026-11-26 (today): Li Wei</h1>")
    assert "王芳" not in out


def test_digest_send_mails_and_remembers_kpis_for_movement(demo_config, capsys):
    with MailServer() as mail:
        configure(demo_config, f"""[notify]
targets = ["mailto://lead:pw-123456@127.0.0.1:{mail.port}?mode=insecure&from=amtui@example.com&to=lead@example.com"]
""")
        code, out, _ = run(demo_config, capsys, "digest", "--send")
        assert code == 0 and "sent 'amtui digest 2026-11-26 (today)'" in out
        assert "pw-123456" not in out
        assert [m["Subject"] for m in mail.messages] == ["amtui digest 2026-11-26 (today)"]
        text = body_text(mail.messages[0])
        assert "Late" in text and "P-0030" in text
    ws = open_ws(demo_config)
    ws.store.update("projects", "P-0030", {"stage": "Delivered", "delivered": "2026-11-26"})
    ws.store.close()
    code, out, _ = run(demo_config, capsys, "digest", "--format", "json")
    team = json.loads(out)["team"]["kpis"]["overdue"]
    assert (team["previous"], team["value"], team["change"]) == (6, 5, -1)


def test_bad_notify_config_names_line_and_fix(demo_config, capsys):
    configure(demo_config, "[notify]\nquiet_hours = \"late\"\n")
    code, _out, err = run(demo_config, capsys, "notify")
    lines = demo_config.read_text().splitlines()
    line = lines.index('quiet_hours = "late"') + 1
    assert code == 2 and f"config.toml:{line}:" in err and "fix:" in err
    text = demo_config.read_text().replace('quiet_hours = "late"', "")
    demo_config.write_text(text + "\n[notify.rules]\nproject_blocked = { days = \"two\" }\n")
    code, _out, err = run(demo_config, capsys, "notify")
    assert code == 2 and "project_blocked.days" in err and "must be a number" in err
    line = demo_config.read_text().splitlines().index('project_blocked = { days = "two" }') + 1
    assert f"config.toml:{line}:" in err


def test_missing_secret_is_reported_masked_and_blocks_nothing(demo_config, receiver, capsys,
                                                              monkeypatch):
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    configure(demo_config, f"""[notify]
targets = ["json://127.0.0.1:{receiver.port}/a/${{NOPE_TOKEN}}",
           "json://127.0.0.1:{receiver.port}/b"]
""")
    code, out, _ = run(demo_config, capsys, "notify")
    assert code == 1
    assert "target skipped: [notify] targets: ${NOPE_TOKEN} is not set" in out
    assert len(receiver.on("/b")) == 1 and not receiver.on("/a")


def test_a_version_1_database_gains_the_notify_tables_and_keeps_its_records(workspace):
    from amtui.core.store import Store

    store = workspace.store
    projects = store.count("projects")
    for table in ("notify_log", "notify_alerts", "notify_seen"):
        store.db.execute(f"DROP TABLE {table}")
    # as amtui left it before reminders: schema 1 in user_version, no migrations table
    store.db["migrations"].drop()
    store.db.execute("PRAGMA user_version = 1")
    store.close()
    again = Store(workspace.config.database)
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert {"notify_log", "notify_alerts", "notify_seen"} <= set(again.db.table_names())
    assert again.count("projects") == projects
    again.close()
