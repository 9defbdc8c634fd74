"""The ``amtui`` command: the app with no arguments, headless commands for scripts and cron.

Exit codes: 0 ok, 1 a problem was found (conflicts, invalid values, checks failed),
2 usage or config error.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from amtui.core.config import ConfigError
from amtui.domain import schema

OK, PROBLEM, USAGE = 0, 1, 2


class UsageError(Exception):
    pass


# -- output ------------------------------------------------------------------------------


def emit(rows: list[dict], fmt: str, out=None) -> None:
    """Print rows (dicts with the same keys) as an aligned table, CSV or JSON."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        if fmt == "table":
            out.write("(nothing)\n")
        return
    keys = list(rows[0])
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out.write(buffer.getvalue())
        return
    out.write(text_table(keys, [[str(r.get(k, "")) for k in keys] for r in rows]))


def text_table(headers: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    """An aligned plain-text table that keeps CJK text (two cells a character) in line."""
    from rich.cells import cell_len

    def clip(text: str) -> str:
        text = " ".join(text.split())
        if cell_len(text) <= max_width:
            return text
        while cell_len(text) > max_width - 1:
            text = text[:-1]
        return text + "…"

    table = [[clip(h) for h in headers]] + [[clip(c) for c in row] for row in rows]
    widths = [max(cell_len(row[i]) for row in table) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(table):
        cells = [c + " " * (widths[i] - cell_len(c)) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def fail(message: str, code: int = USAGE) -> int:
    print(f"amtui: {message}", file=sys.stderr)
    return code


# -- arguments ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amtui",
        description="Terminal dashboard for account-manager teams, synced with a shared sheet. "
                    "With no command, opens the app.",
    )
    parser.add_argument("--config", metavar="PATH",
                        help="config file (default: $AMTUI_CONFIG, the user config file, "
                             "or the built-in demo workspace)")
    parser.add_argument("--version", action="version", version="amtui 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a demo workspace with generated data")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--path", type=Path, help="folder to create it in (default: the user "
                                                "data folder's demo/)")
    demo.add_argument("--today", type=date.fromisoformat, metavar="DATE",
                      help="pin the demo's date (YYYY-MM-DD), for tests and screenshots")
    demo.add_argument("--force", action="store_true", help="replace an existing demo there")

    records = sub.add_parser("records", help="list, show, add, change and delete records")
    rsub = records.add_subparsers(dest="action", metavar="ACTION", required=True)
    fmt = dict(choices=("table", "csv", "json"), default="table")
    r_list = rsub.add_parser("list", help="list a tab's records: records list Projects")
    r_list.add_argument("tab", help="tab name as in the sheet (Projects, Feedback, ...)")
    r_list.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                        help="keep records whose field equals the value (repeatable)")
    r_list.add_argument("--format", **fmt)
    r_show = rsub.add_parser("show", help="one record: records show Projects P-0001")
    r_show.add_argument("tab")
    r_show.add_argument("id")
    r_show.add_argument("--format", **fmt)
    r_add = rsub.add_parser("add", help="add a record: records add Feedback Rating=5 ...")
    r_add.add_argument("tab")
    r_add.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    r_set = rsub.add_parser("set", help="change fields: records set Projects P-0001 Stage=...")
    r_set.add_argument("tab")
    r_set.add_argument("id")
    r_set.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    r_del = rsub.add_parser("delete", help="delete a record: records delete Updates U-0001")
    r_del.add_argument("tab")
    r_del.add_argument("id")

    kpi = sub.add_parser("kpi", help="KPIs per manager against target")
    kpi.add_argument("--period", help="2026-11 or 2026-Q4 (default: this month)")
    kpi.add_argument("--manager", help="one manager by name or ID")
    kpi.add_argument("--format", **fmt)

    report = sub.add_parser("report", help="write a period report (HTML or xlsx with charts) "
                                           "to reports/")
    report.add_argument("--period", help="2026-11 or 2026-Q4 (default: this quarter)")
    report.add_argument("--format", choices=("html", "xlsx"), default="html")
    report.add_argument("--out", type=Path, metavar="FOLDER",
                        help="folder to write to (default: the workspace's reports/)")

    standup = sub.add_parser("standup", help="what changed, what is due, what is blocked")
    standup.add_argument("--since", default="yesterday",
                         help="YYYY-MM-DD or 'yesterday' (the previous working day; default)")
    standup.add_argument("--manager", help="one manager by name or ID")
    standup.add_argument("--format", choices=("text", "json"), default="text")

    sync = sub.add_parser("sync", help="sync once with the sheet")
    sync.add_argument("--json", action="store_true", help="print the summary as JSON")
    sync.add_argument("--dry-run", action="store_true",
                      help="print what would be written and change nothing")
    sync.add_argument("--allow-deletes", action="store_true",
                      help="go ahead with a sync that deletes many rows")

    sub.add_parser("init-sheet", help="prepare the sheet for editors: tabs, headers, dropdowns")
    conflicts = sub.add_parser("conflicts", help="list conflicts, or resolve one")
    conflicts.add_argument("--resolve", type=int, metavar="ID")
    conflicts.add_argument("--keep", choices=("sheet", "mine"))
    conflicts.add_argument("--value", help="resolve with this new value")
    conflicts.add_argument("--format", **fmt)
    problems = sub.add_parser("problems", help="values and structure the sync could not read")
    problems.add_argument("--format", **fmt)
    sub.add_parser("undo", help="undo the last local edit that has not been synced")
    sub.add_parser("doctor", help="check config, database, credentials and the sheet")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return cmd_demo(args)
        from amtui.core.workspace import open_workspace

        workspace = open_workspace(args.config)
        if args.command is None:
            from amtui.ui.app import run_app

            return run_app(workspace)
        handler = COMMANDS[args.command]
        return handler(workspace, args)
    except ConfigError as err:
        return fail(f"config error: {err}")
    except UsageError as err:
        return fail(str(err))
    except KeyboardInterrupt:
        return fail("interrupted", PROBLEM)


def cmd_demo(args) -> int:
    from amtui.core.config import demo_folder
    from amtui.core.demo_workspace import create_demo

    folder = args.path or demo_folder()
    try:
        path = create_demo(folder, size=args.size, today=args.today,
                           force=args.force or args.path is None)
    except FileExistsError as err:
        return fail(f"{err} (or add --force)")
    print(f"demo workspace ({args.size}) created in {folder}")
    print(f"open it with: amtui --config {path}")
    return OK


# -- records ------------------------------------------------------------------------------


def resolve_tab(workspace, name: str) -> str:
    wanted = name.strip().lower()
    for tab in schema.TABS.values():
        if wanted in (tab.key, tab.title.lower(), workspace.config.title_of(tab.key).lower()):
            return tab.key
    titles = ", ".join(workspace.config.title_of(t) for t in schema.TABS)
    raise UsageError(f"no tab {name!r}; tabs are {titles}")


def resolve_field(workspace, tab: str, name: str) -> str:
    wanted = name.strip().lower()
    for f in schema.TABS[tab].fields:
        names = (f.key, f.key.rstrip("_"), f.header.lower(),
                 workspace.config.header_of(tab, f.key).lower())
        if wanted in names:
            return f.key
    headers = ", ".join(workspace.config.header_of(tab, f.key) for f in schema.TABS[tab].fields)
    raise UsageError(f"{workspace.config.title_of(tab)} has no field {name!r}; "
                     f"fields are {headers}")


def parse_assignments(workspace, tab: str, pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"expected FIELD=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        values[resolve_field(workspace, tab, name)] = value
    return values


def as_sheet_row(workspace, tab: str, record: dict) -> dict:
    return {workspace.config.header_of(tab, k): record.get(k, "") for k in schema.TABS[tab].keys}


def cmd_records(workspace, args) -> int:
    from amtui.core.store import EditRejected, UnknownRecord

    tab = resolve_tab(workspace, args.tab)
    store = workspace.store
    try:
        if args.action == "list":
            where = parse_assignments(workspace, tab, args.where)
            emit([as_sheet_row(workspace, tab, r) for r in store.records(tab, where)],
                 args.format)
        elif args.action == "show":
            record = store.get(tab, args.id)
            if record is None:
                return fail(f"{workspace.config.title_of(tab)} has no record {args.id}", PROBLEM)
            row = as_sheet_row(workspace, tab, record)
            if args.format == "table":
                emit([{"field": k, "value": v} for k, v in row.items()], "table")
            else:
                emit([row], args.format)
        elif args.action == "add":
            values = schema.new_record_defaults(tab, workspace.today())
            values.update(parse_assignments(workspace, tab, args.values))
            new_id = store.add(tab, values)
            print(new_id)
        elif args.action == "set":
            edit = store.update(tab, args.id, parse_assignments(workspace, tab, args.values))
            print(f"{args.id}: " + ("changed" if edit else "no change"))
        elif args.action == "delete":
            store.delete(tab, args.id)
            print(f"{args.id}: deleted (removed from the sheet at the next sync)")
    except EditRejected as err:
        for reason in err.reasons:
            print(f"amtui: refused: {reason}", file=sys.stderr)
        return PROBLEM
    except UnknownRecord as err:
        return fail(str(err.args[0]), PROBLEM)
    return OK


# -- KPIs and standup ---------------------------------------------------------------------


def cmd_kpi(workspace, args) -> int:
    from amtui.domain.kpi import compute_kpis
    from amtui.domain.period import Period

    today = workspace.today()
    try:
        period = Period.parse(args.period) if args.period else Period.month_of(today)
    except ValueError as err:
        raise UsageError(f"--period {args.period!r}: {err} (use 2026-11 or 2026-Q4)") from None
    records = workspace.store.records_by_tab()
    manager = None
    if args.manager:
        manager = workspace.store.refs().resolve("managers", args.manager)
        if manager is None:
            raise UsageError(f"no manager {args.manager!r}")
    table = compute_kpis(records, period, today=today,
                         default_targets=workspace.config.rules.default_targets,
                         manager=manager)
    if args.format == "json":
        print(json.dumps(table.to_dict(), ensure_ascii=False, indent=2))
        return OK
    rows = []
    for row in [*table.rows, table.team]:
        line = {"Manager": row.manager_name}
        for key, label in table.columns:
            kpi = row.kpis.get(key)
            if kpi is not None:
                line[label] = kpi.display + _status_mark(kpi.status)
        rows.append(line)
    if args.format == "csv":
        emit(rows, "csv")
    else:
        print(f"KPIs for {period.label} (targets per manager; ✓ on track, ! at risk, "
              f"✗ off track)")
        emit(rows, "table")
    return OK


def cmd_report(workspace, args) -> int:
    from amtui.domain.period import Period
    from amtui.services.report import write_report

    today = workspace.today()
    try:
        period = Period.parse(args.period) if args.period else Period.quarter_of(today)
    except ValueError as err:
        raise UsageError(f"--period {args.period!r}: {err} (use 2026-11 or 2026-Q4)") from None
    try:
        path = write_report(workspace, period, args.format, folder=args.out)
    except OSError as err:
        return fail(f"could not write the report: {err}", PROBLEM)
    print(f"report for {period.label} written to {path}")
    return OK


def _status_mark(status: str) -> str:
    return {"on track": " ✓", "at risk": " !", "off track": " ✗"}.get(status, "")


def parse_since(text: str, today: date) -> date:
    from amtui.domain.standup import previous_working_day

    if text in ("yesterday", "last"):
        return previous_working_day(today)
    if text == "today":
        return today
    if text.endswith("d") and text[:-1].isdigit():
        return today - timedelta(days=int(text[:-1]))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r}: use YYYY-MM-DD, 'yesterday' or e.g. 3d") from None


def cmd_standup(workspace, args) -> int:
    from amtui.domain.standup import build_standup, render_text

    today = workspace.today()
    since = parse_since(args.since, today)
    manager = None
    if args.manager:
        manager = workspace.store.refs().resolve("managers", args.manager)
        if manager is None:
            raise UsageError(f"no manager {args.manager!r}")
    store = workspace.store
    standups = build_standup(store.records_by_tab(), store.events(since.isoformat()),
                             today=today, since=since, manager=manager)
    if args.format == "json":
        print(json.dumps([s.to_dict() for s in standups], ensure_ascii=False, indent=2))
    else:
        print(render_text(standups, today=today, since=since), end="")
    return OK


# -- sync ---------------------------------------------------------------------------------


def cmd_sync(workspace, args) -> int:
    from sync.errors import describe_sync_error

    def progress(phase: str, info: dict) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{phase}…" + " " * 20, end="", file=sys.stderr, flush=True)

    try:
        report = workspace.sync(dry_run=args.dry_run,
                                allow_deletes=args.allow_deletes or None, progress=progress)
    except Exception as err:  # the sheet could not be reached or read
        message, code = describe_sync_error(err)
        if args.json:
            print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        return fail(f"sync failed: {message}", code)
    if not args.json and sys.stderr.isatty():
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    store = workspace.store
    summary = report.to_dict()
    summary["open_conflicts"] = store.conflict_count()
    summary["problems_total"] = store.problem_count()
    summary["pending_edits"] = store.pending_count()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    elif args.dry_run:
        print(render_plan(report))
    else:
        print(render_summary(summary))
    if args.dry_run:
        return OK
    bad = summary["open_conflicts"] or summary["problems_total"] or report.deletes_blocked
    return PROBLEM if bad else OK


def render_summary(summary: dict) -> str:
    calls = ", ".join(f"{k} {v}" for k, v in sorted(summary["api_calls"].items())) or "none"
    lines = [
        f"synced in {summary['seconds']:.1f} s: pulled {summary['pulled']}, pushed "
        f"{summary['pushed']} cells, added {summary['added']} rows, deleted {summary['deleted']}",
        f"API calls: {calls}",
    ]
    if summary["open_conflicts"]:
        lines.append(f"{summary['open_conflicts']} open conflicts: `amtui conflicts` "
                     "or the app's Conflicts screen")
    if summary["problems_total"]:
        lines.append(f"{summary['problems_total']} problems: `amtui problems`")
    for title, count in summary["deletes_blocked"].items():
        lines.append(f"{title}: {count} deletes held back (more than 20% of the tab or 50 "
                     "rows); check the sheet, then run `amtui sync --allow-deletes`")
    if summary.get("not_written"):
        lines.append(f"not written: {summary['not_written']}")
    return "\n".join(lines)


def render_plan(report) -> str:
    lines = ["dry run: nothing was changed. The sync would:"]
    for plan in report.plans:
        title = plan.spec.title
        parts = []
        if plan.skipped or plan.readonly:
            parts.append("read only (see problems)")
        if plan.pulls or plan.inserts or plan.local_deletes:
            parts.append(f"pull {len(plan.pulls)} cells, {len(plan.inserts)} new rows, "
                         f"{len(plan.local_deletes)} deletions")
        if plan.cell_writes:
            from sync.spec import address

            cells = [address(title, w.row, w.col) for w in plan.cell_writes[:8]]
            more = len(plan.cell_writes) - len(cells)
            parts.append(f"write {len(plan.cell_writes)} cells ({', '.join(cells)}"
                         + (f", +{more} more" if more > 0 else "") + ")")
        if plan.appends:
            parts.append(f"add {len(plan.appends)} rows")
        if plan.remote_deletes:
            parts.append(f"delete rows {', '.join(str(r) for _i, r in plan.remote_deletes)}")
        if plan.conflicts:
            parts.append(f"record {len(plan.conflicts)} conflicts")
        lines.append(f"  {title}: " + ("; ".join(parts) if parts else "nothing to do"))
    for title, count in report.deletes_blocked.items():
        lines.append(f"  {title}: {count} deletes would be held back (use --allow-deletes)")
    if report.not_written:
        lines.append(f"  not written: {report.not_written}")
    return "\n".join(lines)


def cmd_init_sheet(workspace, args) -> int:
    from sync.errors import describe_sync_error

    try:
        done = workspace.backend().prepare(workspace.layout())
    except Exception as err:
        message, code = describe_sync_error(err)
        return fail(f"init-sheet failed: {message}", code)
    for line in done or ["the sheet already had every tab and header"]:
        print(line)
    print("frozen header rows, dropdowns and date formats are set; nothing was overwritten")
    return OK


def cmd_conflicts(workspace, args) -> int:
    store = workspace.store
    if args.resolve is not None:
        if not (args.keep or args.value is not None):
            raise UsageError("--resolve ID needs --keep sheet|mine or --value TEXT")
        choice = args.keep or "value"
        try:
            store.resolve_conflict(args.resolve, choice, args.value)
        except (KeyError, ValueError) as err:
            return fail(str(err), PROBLEM)
        print(f"conflict {args.resolve} resolved ({choice}); written at the next sync")
        return OK
    rows = [{"ID": c["id"], "Tab": workspace.config.title_of(c["tab"]), "Record": c["record_id"],
             "Field": c["field"], "Last sync": c["base"], "Mine": c["mine"],
             "Sheet": c["theirs"]} for c in store.conflicts()]
    emit(rows, args.format)
    return PROBLEM if rows else OK


def cmd_problems(workspace, args) -> int:
    rows = [{"Cell": p["address"], "Record": p["record_id"], "Value": p["value"],
             "Reason": p["reason"]} for p in workspace.store.problems()]
    emit(rows, args.format)
    return PROBLEM if rows else OK


def cmd_undo(workspace, args) -> int:
    edit = workspace.store.undo()
    if edit is None:
        print("nothing to undo (every edit has been synced)")
        return OK
    print(f"undone: {edit.describe()}")
    return OK


def cmd_doctor(workspace, args) -> int:
    from amtui.services.doctor import run_checks

    results = run_checks(workspace)
    worst = OK
    for ok, label, detail in results:
        mark = "ok  " if ok else "FAIL"
        print(f"[{mark}] {label}" + (f": {detail}" if detail else ""))
        if not ok:
            worst = PROBLEM
    return worst


COMMANDS = {
    "records": cmd_records, "kpi": cmd_kpi, "report": cmd_report, "standup": cmd_standup, "sync": cmd_sync,
    "init-sheet": cmd_init_sheet, "conflicts": cmd_conflicts, "problems": cmd_problems,
    "undo": cmd_undo, "doctor": cmd_doctor,
}


if __name__ == "__main__":
    sys.exit(main())
