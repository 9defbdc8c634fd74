"""The ``amtui`` command: the app with no arguments, headless commands for scripts and cron.

Exit codes: 0 ok, 1 a problem was found (conflicts, invalid values, checks failed),
2 usage or config error.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from amtui.core.config import ConfigError
from amtui.core.store import StoreError
from amtui.domain import i18n, schema

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


def text_table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """An aligned plain-text table (tabulate; with wcwidth, CJK text, two cells a character,
    stays in line) as wide as the terminal (``$COLUMNS``). Cells too long for their share of
    the width wrap onto more lines, so no text is cut; a column wraps down to 24 cells (or
    its header) and no narrower, so a table with many columns gets wider than the terminal
    rather than unreadable."""
    import shutil

    from tabulate import tabulate
    from wcwidth import wcswidth

    def cells(text: str) -> int:
        return max(wcswidth(text), len(text))  # a control character counts as one

    table = [[" ".join(cell.split()) for cell in row] for row in rows]
    # tabulate keeps 2 cells beside each header (its MIN_PADDING)
    natural = [max([cells(h) + 2, *(cells(r[i]) for r in table)])
               for i, h in enumerate(headers)]
    least = [max(cells(h) + 2, min(n, 24)) for h, n in zip(headers, natural, strict=True)]
    room = (width or shutil.get_terminal_size().columns) - 2 * (len(headers) - 1)
    caps = _column_caps(natural, least, room)
    if caps != natural:
        table = [[_wrap(c, cap) if cells(c) > cap else c for c, cap in zip(row, caps, strict=True)]
                 for row in table]
    text = tabulate(table, headers, tablefmt="simple", disable_numparse=True,
                    colalign=["left"] * len(headers))
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _column_caps(natural: list[int], least: list[int], room: int) -> list[int]:
    """Widths that fit ``room``: the widest columns give way first, none below ``least``."""
    caps = list(natural)
    while sum(caps) > room:
        widest = max(range(len(caps)), key=lambda i: caps[i] - least[i])
        if caps[widest] <= least[widest]:
            break  # as narrow as it goes: the table is wider than the terminal
        caps[widest] -= 1
    return caps


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` cells, broken between words where it can
    (rich's wrapping, which counts a CJK character as two cells)."""
    if text.isascii():  # one cell a character: the standard library's wrapping is right
        import textwrap

        return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False))
    from rich.text import Text

    return "\n".join(line.plain.rstrip() for line in Text(text).wrap(_console(), width))


@functools.cache
def _console():
    from rich.console import Console

    return Console(color_system=None, markup=False, emoji=False, highlight=False)


def plural(count: int, word: str) -> str:
    """``plural(1, "problem") == "1 problem"``, ``plural(2, "problem") == "2 problems"``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


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
    parser.add_argument("--lang", choices=i18n.LANGUAGES, metavar="LANG",
                        help="language of the interface and output: en or zh-CN "
                             "(default: [ui] language in the config, else $LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a demo workspace with generated data")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--path", type=Path, help="folder to create it in (default: the user "
                                                "data folder's demo/)")
    demo.add_argument("--today", type=date.fromisoformat, metavar="DATE",
                      help="pin the demo's date (YYYY-MM-DD), for tests and screenshots")
    demo.add_argument("--force", action="store_true", help="replace an existing demo there")
    demo.add_argument("--language", choices=schema.SHEET_LANGUAGES, default="en",
                      help=i18n._("language of the demo's sheet and data: en or zh-CN "
                                  "(Chinese tabs, headers, dropdowns, names and texts)"))
    demo.add_argument("--emulator", action="store_true",
                      help="put the demo's sheet in a local Google Sheets API emulator and serve "
                           "it until Ctrl-C (default --path: the user data folder's "
                           "emulator-demo/); run again to serve the same demo")
    demo.add_argument("--port", type=int, metavar="N",
                      help="with --emulator: the port (default: the demo's port, or 8787; "
                           "0 picks a free one)")

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

    init_sheet = sub.add_parser("init-sheet",
                                help="prepare the sheet for editors: tabs, headers, dropdowns")
    init_sheet.add_argument(
        "--refill", action="store_true",
        help="on a new, empty sheet (a lost or broken one re-created): let the next sync "
             "write every record of the local database into it")
    init_sheet.add_argument(
        "--language", choices=schema.SHEET_LANGUAGES, default="en",
        help=i18n._("zh-CN: Chinese tabs, headers and dropdowns (the config gets their "
                    "names, so the sync reads them)"))
    conflicts = sub.add_parser("conflicts", help="list conflicts, or resolve one")
    conflicts.add_argument("--resolve", type=int, metavar="ID")
    conflicts.add_argument("--keep", choices=("sheet", "mine"))
    conflicts.add_argument("--value", help="resolve with this new value")
    conflicts.add_argument("--format", **fmt)
    problems = sub.add_parser("problems", help="values and structure the sync could not read")
    problems.add_argument("--format", **fmt)
    sub.add_parser("undo", help="undo the last local edit that has not been synced")
    fix_refs = sub.add_parser(
        "fix-references",
        help="list records that still name a renamed project, manager or client; "
             "--apply updates them")
    fix_refs.add_argument("--apply", action="store_true",
                          help="update them (recorded, undoable, pushed at the next sync)")
    sub.add_parser("doctor", help="check config, database, credentials and the sheet")
    add_notify_commands(sub)
    return parser


def add_notify_commands(sub) -> None:
    """``amtui notify`` and ``amtui digest`` (reminders, issue 11)."""
    notify = sub.add_parser("notify", help="run the reminder rules once and send what is due")
    notify.add_argument("--dry-run", action="store_true",
                        help="show what would be sent; send and record nothing")
    notify.add_argument("--format", choices=("text", "json"), default="text")
    digest = sub.add_parser("digest", help="what is due, late, blocked and waiting")
    digest.add_argument("--period", choices=("day", "week"), default="day")
    digest.add_argument("--manager", help="one manager by name or ID")
    digest.add_argument("--format", choices=("text", "markdown", "html", "json"),
                        default="text")
    digest.add_argument("--send", action="store_true",
                        help="send it: the team's to [notify] targets, each manager's own to "
                             "their [notify.managers] targets")
    digest.add_argument("--dry-run", action="store_true", help="with --send: show, send nothing")


def wanted_language(argv: list[str]) -> str | None:
    """``--lang X`` / ``--lang=X`` anywhere on the line (the help texts need it before
    parsing; after a command too: ``amtui standup --lang zh-CN``).

        >>> wanted_language(["standup", "--lang", "zh-CN"]), wanted_language(["--lang=en"])
        ('zh-CN', 'en')
    """
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    language = wanted_language(argv)
    if language is not None:
        # accepted after the command too; argparse reads it at the top level
        argv = [a for i, a in enumerate(argv) if not (
            a.startswith("--lang=") or a == "--lang" or (i and argv[i - 1] == "--lang"))]
        argv = ["--lang", language, *argv]
    # the config is not read yet: --help follows --lang, else $LANG
    i18n.use(language or "auto")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return cmd_demo(args)
        from amtui.core.demo_workspace import open_workspace

        workspace = open_workspace(args.config)
        if language is None:
            i18n.use(workspace.config.language)
        if args.command is None:
            from amtui.ui.app import run_app

            return run_app(workspace, language)
        handler = COMMANDS[args.command]
        return handler(workspace, args)
    except ConfigError as err:
        return fail(f"config error: {err}")
    except StoreError as err:  # read-only or too new: the message names the file and the fix
        return fail(str(err))
    except UsageError as err:
        return fail(str(err))
    except KeyboardInterrupt:
        return fail("interrupted", PROBLEM)


def cmd_demo(args) -> int:
    if args.emulator:
        return cmd_emulator_demo(args)
    from amtui.core.config import demo_folder
    from amtui.core.demo_workspace import create_demo

    folder = args.path or demo_folder()
    try:
        path = create_demo(folder, size=args.size, today=args.today,
                           force=args.force or args.path is None, language=args.language)
    except FileExistsError as err:
        return fail(f"{err} (or add --force)")
    print(f"demo workspace ({args.size}) created in {folder}")
    print(f"open it with: amtui --config {path}")
    return OK


def cmd_emulator_demo(args) -> int:
    """``amtui demo --emulator``: serve the emulator demo in the foreground until Ctrl-C."""
    import signal
    import threading

    from amtui.core.config import emulator_demo_folder
    from amtui.core.emulator_demo import EmulatorDemoError, start_emulator_demo

    folder = args.path or emulator_demo_folder()
    try:
        demo = start_emulator_demo(folder, port=args.port, size=args.size, today=args.today,
                                   force=args.force, language=args.language)
    except EmulatorDemoError as err:
        return fail(str(err))
    except OSError as err:
        return fail(f"cannot serve the emulator: {err.strerror or err}; another program may "
                    "use the port: choose one with --port N (0 picks a free one)")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    url = demo.emulator.base_url
    print(f"Google Sheets emulator listening on {url}", flush=True)
    if demo.reused:
        print(f"serving the emulator demo in {folder} again (same spreadsheet, key and "
              "database)")
    else:
        print(f"emulator demo workspace ({args.size}) created in {folder}")
    print(f"Spreadsheet id: {demo.spreadsheet_id}")
    print(f"open it with: amtui --config {demo.config_path}")
    print(f"Edit as a person: POST {url}/_control/<method> (see sync.emulator.RemoteEmulator)")
    print("Ctrl-C to stop.", flush=True)
    stop.wait()
    demo.emulator.stop()  # saves the emulator's data for the next run
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


def matches(record: dict, where: dict[str, str]) -> bool:
    """``--where Stage=planning``: values compare as everywhere else (case, width and
    spacing ignored), through the domain's one normaliser."""
    from amtui.domain.text import fold

    return all(fold(record.get(k, "")) == fold(v) for k, v in where.items())


def as_sheet_row(workspace, tab: str, record: dict) -> dict:
    return {workspace.config.header_of(tab, k): record.get(k, "") for k in schema.TABS[tab].keys}


def cmd_records(workspace, args) -> int:
    from amtui.core.store import EditRejected, UnknownRecord

    tab = resolve_tab(workspace, args.tab)
    store = workspace.store
    try:
        if args.action == "list":
            where = parse_assignments(workspace, tab, args.where)
            emit([as_sheet_row(workspace, tab, r) for r in store.records(tab)
                  if matches(r, where)], args.format)
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


def period_arg(text: str | None, default):
    """``--period 2026-11`` / ``2026-Q4`` as a Period, ``default`` when not given."""
    from amtui.domain.period import Period

    try:
        return Period.parse(text) if text else default
    except ValueError as err:
        raise UsageError(f"--period {text!r}: {err} (use 2026-11 or 2026-Q4)") from None


def cmd_kpi(workspace, args) -> int:
    from amtui.domain.kpi import compute_kpis
    from amtui.domain.period import Period

    today = workspace.today()
    period = period_arg(args.period, Period.month_of(today))
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
    from amtui.services.export import csv_kpis, display_rows, write_csv

    if args.format == "csv":  # numbers, for spreadsheets
        write_csv(sys.stdout, table, table.rows, csv_kpis([k for k, _ in table.columns]))
        return OK
    print(f"KPIs for {period.label} (targets per manager; ✓ on track, ! at risk, "
          f"✗ off track)")
    emit(display_rows(table), "table")
    return OK


def cmd_report(workspace, args) -> int:
    from amtui.domain.period import Period
    from amtui.services.report import write_report

    today = workspace.today()
    period = period_arg(args.period, Period.quarter_of(today))
    try:
        path = write_report(workspace, period, args.format, folder=args.out)
    except OSError as err:
        return fail(f"could not write the report: {err}", PROBLEM)
    print(f"report for {period.label} written to {path}")
    return OK


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
            from amtui.services.live import progress_line

            line = progress_line(phase, info, width=20)[:78]
            print(f"\r{line:<78}", end="", file=sys.stderr, flush=True)

    try:
        report = workspace.sync(dry_run=args.dry_run,
                                allow_deletes=args.allow_deletes or None, progress=progress)
    except Exception as err:  # the sheet could not be reached or read
        message, code = describe_sync_error(err)
        if isinstance(err, StoreError):  # its message names the file and the fix
            message, code = str(err), USAGE
        if args.json:
            print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        return fail(f"sync failed: {message}", code)
    if not args.json and sys.stderr.isatty():
        print("\r" + " " * 78 + "\r", end="", file=sys.stderr)
    store = workspace.store
    summary = report.to_dict()
    summary["open_conflicts"] = store.conflict_count()
    summary["problems_total"] = store.problem_count()
    summary["pending_edits"] = store.pending_count()
    renamed = [] if args.dry_run else _renamed_references(workspace, report)
    summary["renamed_references"] = len(renamed)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    elif args.dry_run:
        print(render_plan(report))
    else:
        print(render_summary(summary))
        if renamed:
            print(_references_offer(renamed))
    if args.dry_run:
        return OK
    # nothing written because the file is open elsewhere is a failure too: the edits wait
    bad = (summary["open_conflicts"] or summary["problems_total"] or report.deletes_blocked
           or report.not_written)
    return PROBLEM if bad else OK


def _renamed_references(workspace, report) -> list:
    from amtui.services.references import renamed_references

    return renamed_references(workspace.store, report)


def _references_offer(fixes) -> str:
    from amtui.services.references import describe_fixes

    return describe_fixes(fixes) + "\nupdate them with: amtui fix-references --apply"


def render_summary(summary: dict) -> str:
    calls = ", ".join(f"{k} {v}" for k, v in sorted(summary["api_calls"].items())) or "none"
    lines = [
        f"synced in {summary['seconds']:.1f} s: pulled {summary['pulled']}, pushed "
        f"{plural(summary['pushed'], 'cell')}, added {plural(summary['added'], 'row')}, "
        f"deleted {summary['deleted']}",
        f"API calls: {calls}",
    ]
    if summary["open_conflicts"]:
        lines.append(f"{plural(summary['open_conflicts'], 'open conflict')}: "
                     "`amtui conflicts` or the app's Conflicts screen")
    if summary["problems_total"]:
        lines.append(f"{plural(summary['problems_total'], 'problem')}: `amtui problems`")
    from amtui.services.texts import deletes_held_line

    for title, count in summary["deletes_blocked"].items():
        lines.append(deletes_held_line(title, count))
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
            parts.append(f"pull {plural(len(plan.pulls), 'cell')}, "
                         f"{plural(len(plan.inserts), 'new row')}, "
                         f"{plural(len(plan.local_deletes), 'deletion')}")
        if plan.cell_writes:
            from sync.spec import address

            cells = [address(title, w.row, w.col) for w in plan.cell_writes[:8]]
            more = len(plan.cell_writes) - len(cells)
            parts.append(f"write {plural(len(plan.cell_writes), 'cell')} ({', '.join(cells)}"
                         + (f", +{more} more" if more > 0 else "") + ")")
        if plan.appends:
            parts.append(f"add {plural(len(plan.appends), 'row')}")
        if plan.remote_deletes:
            parts.append(f"delete rows {', '.join(str(r) for _i, r in plan.remote_deletes)}")
        if plan.conflicts:
            parts.append(f"record {plural(len(plan.conflicts), 'conflict')}")
        lines.append(f"  {title}: " + ("; ".join(parts) if parts else "nothing to do"))
    for title, count in report.deletes_blocked.items():
        lines.append(f"  {title}: {count} deletes would be held back (use --allow-deletes)")
    if report.not_written:
        lines.append(f"  not written: {report.not_written}")
    return "\n".join(lines)


def cmd_init_sheet(workspace, args) -> int:
    from amtui.core.sheet_language import SheetLanguageError, with_sheet_language
    from sync.errors import describe_sync_error

    try:
        workspace = with_sheet_language(workspace, args.language)
    except SheetLanguageError as err:
        return fail(str(err))

    try:
        done = workspace.backend().prepare(workspace.layout())
    except Exception as err:
        message, code = describe_sync_error(err)
        return fail(f"init-sheet failed: {message}", code)
    for line in done or ["the sheet already had every tab and header"]:
        print(line)
    print("frozen header rows, dropdowns and date formats are set; nothing was overwritten")
    if args.refill:
        return _refill(workspace)
    return OK


def _refill(workspace) -> int:
    """The sheet was lost and re-created empty: forget what the last sync saw, so that the
    next sync takes every local record for a new one and appends it (instead of reading the
    empty tabs as "everything was deleted", which the delete guard would hold back)."""
    from sync.errors import describe_sync_error

    titles = [spec.title for spec in workspace.specs()]
    try:
        grids = workspace.backend().read(titles)
    except Exception as err:
        message, code = describe_sync_error(err)
        return fail(f"init-sheet --refill: {message}", code)
    full = [t for t in titles if len(grids.get(t) or []) > 1]
    if full:
        return fail(f"init-sheet --refill is for an empty sheet, and {', '.join(full)} "
                    "already have rows; a normal `amtui sync` merges with them", PROBLEM)
    count = workspace.store.forget_sync_base()
    print(f"the next `amtui sync` writes the local database's {plural(count, 'record')} "
          "into the sheet")
    return OK


def cmd_conflicts(workspace, args) -> int:
    from amtui.core.store import EditRejected, UnknownConflict

    store = workspace.store
    if args.resolve is not None:
        if not (args.keep or args.value is not None):
            raise UsageError("--resolve ID needs --keep sheet|mine or --value TEXT")
        choice = args.keep or "value"
        try:
            store.resolve_conflict(args.resolve, choice, args.value)
        except UnknownConflict as err:
            return fail(str(err), PROBLEM)
        except EditRejected as err:
            return fail("refused: " + "; ".join(err.reasons), PROBLEM)
        except ValueError as err:
            return fail(str(err), PROBLEM)
        print(f"conflict {args.resolve} resolved ({choice}); written at the next sync")
        return OK
    rows = [{"ID": c["id"], "Tab": workspace.config.title_of(c["tab"]), "Record": c["record_id"],
             "Field": _field_header(workspace, c["tab"], c["field"]), "Last sync": c["base"], "Mine": c["mine"],
             "Sheet": c["theirs"]} for c in store.conflicts()]
    emit(rows, args.format)
    return PROBLEM if rows else OK


def _field_header(workspace, tab: str, field: str) -> str:
    """The sheet's header for a field (``Progress``), as people see it in the sheet."""
    if field == "*":
        return "(whole row)"
    try:
        return workspace.config.header_of(tab, field)
    except KeyError:
        return field


def cmd_problems(workspace, args) -> int:
    rows = [{"Cell": p["address"], "Record": p["record_id"], "Value": p["value"],
             "Reason": p["reason"]} for p in workspace.store.problems()]
    emit(rows, args.format)
    return PROBLEM if rows else OK


def cmd_fix_references(workspace, args) -> int:
    from amtui.services.references import apply_fixes, describe_fixes, renamed_references

    store = workspace.store
    fixes = renamed_references(store)
    if not fixes:
        print("no references to a renamed project, manager or client")
        return OK
    print(describe_fixes(fixes))
    if not args.apply:
        print("update them with: amtui fix-references --apply")
        return PROBLEM
    changed = apply_fixes(store, fixes)
    store.revalidate()
    print(f"updated {plural(changed, 'record')}; written to the sheet at the next sync "
          "(`amtui undo` takes them back one by one)")
    return OK


def cmd_undo(workspace, args) -> int:
    edit = workspace.store.undo()
    if edit is None:
        print("nothing to undo (every edit has been synced)")
        return OK
    from amtui.services.texts import describe_undo

    print(f"undone: {describe_undo(edit, workspace.store)}")
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


def cmd_notify(workspace, args) -> int:
    from amtui.cli.notify import notify_command

    return notify_command(workspace, args)


def cmd_digest(workspace, args) -> int:
    from amtui.cli.notify import digest_command

    return digest_command(workspace, args, UsageError)


COMMANDS = {
    "records": cmd_records, "kpi": cmd_kpi, "report": cmd_report, "standup": cmd_standup,
    "sync": cmd_sync,
    "init-sheet": cmd_init_sheet, "conflicts": cmd_conflicts, "problems": cmd_problems,
    "undo": cmd_undo, "doctor": cmd_doctor, "fix-references": cmd_fix_references,
    "notify": cmd_notify, "digest": cmd_digest,
}


if __name__ == "__main__":
    sys.exit(main())
