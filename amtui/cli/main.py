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
import os
import sys
from datetime import date, timedelta
from pathlib import Path

from amtui.core.config import ConfigError
from amtui.core.store import StoreError
from amtui.domain import i18n, schema
from amtui.domain.i18n import _, ngettext, pgettext
from amtui.ui import first_frame

OK, PROBLEM, USAGE = 0, 1, 2


class UsageError(Exception):
    pass


# -- output ------------------------------------------------------------------------------


def emit(rows: list[dict], fmt: str, out=None, headers: dict[str, str] | None = None) -> None:
    """Print rows (dicts with the same keys) as an aligned table, CSV or JSON. ``headers``
    names the columns of a table or CSV for people (``{"Cell": _("Cell")}``); JSON keeps
    the keys, so scripts do not depend on the language."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        if fmt == "table":
            out.write(_("(nothing)") + "\n")
        return
    keys = list(rows[0])
    names = [(headers or {}).get(k, k) for k in keys]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([r.get(k, "") for k in keys] for r in rows)
        out.write(buffer.getvalue())
        return
    out.write(text_table(names, [[str(r.get(k, "")) for k in keys] for r in rows]))


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
    """Print ``amtui: message`` (already translated) to stderr; returns ``code``."""
    first_frame.release()  # a remembered board on screen would hide the message
    print(f"amtui: {message}", file=sys.stderr)
    return code


# -- arguments ----------------------------------------------------------------------------
# argparse's own words (usage:, options, the -h help, the error prefix) come from the
# standard library's gettext domain, which has no Chinese; these classes put ours in their
# place through argparse's public hooks, so that `amtui --help --lang zh-CN` is all Chinese.


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with the ``usage:`` prefix from our catalog."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = _("usage: ")
        super().add_usage(usage, actions, groups, prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose section titles, -h help and error prefix are translated:
    arguments go to our own "positional arguments" and "options" groups (argparse's
    defaults stay empty, so they are not shown), -h/--help is ours."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.positional_group = super().add_argument_group(_("positional arguments"))
        self.option_group = super().add_argument_group(_("options"))
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_("show this help message and exit"))

    def add_argument(self, *args, **kwargs):
        optional = bool(args) and args[0][:1] in self.prefix_chars
        group = self.option_group if optional else self.positional_group
        return group.add_argument(*args, **kwargs)

    def add_argument_group(self, *args, **kwargs):
        # add_subparsers asks for a group by its title: ours, so commands stay in place
        title = args[0] if args else kwargs.get("title")
        description = args[1] if len(args) > 1 else kwargs.get("description")
        ours = getattr(self, "positional_group", None)  # None while argparse sets up
        if ours is not None and title == ours.title and description is None:
            return ours
        return super().add_argument_group(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", self.positional_group.title)
        return super().add_subparsers(**kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="amtui",
        description=_("Terminal dashboard for account-manager teams, synced with a shared sheet. "
                    "With no command, opens the app."),
    )
    parser.add_argument("--config", metavar="PATH",
                        help=_("config file (default: $AMTUI_CONFIG, the user config file, "
                             "or the built-in demo workspace)"))
    parser.add_argument("--version", action="version", version="amtui 0.1.0",
                        help=_("show program's version number and exit"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, metavar="LANG",
                        help=_("language of the interface and output: en or zh-CN "
                             "(default: [ui] language in the config, else $LANG)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help=_("create a demo workspace with generated data"))
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--path", type=Path, help=_("folder to create it in (default: the user "
                                                "data folder's demo/)"))
    demo.add_argument("--today", type=date.fromisoformat, metavar="DATE",
                      help=_("pin the demo's date (YYYY-MM-DD), for tests and screenshots"))
    demo.add_argument("--force", action="store_true", help=_("replace an existing demo there"))
    demo.add_argument("--language", choices=schema.SHEET_LANGUAGES, default="en",
                      help=_("language of the demo's sheet and data: en or zh-CN "
                             "(Chinese tabs, headers, dropdowns, names and texts)"))
    demo.add_argument("--emulator", action="store_true",
                      help=_("put the demo's sheet in a local Google Sheets API emulator and serve "
                           "it until Ctrl-C (default --path: the user data folder's "
                           "emulator-demo/); run again to serve the same demo"))
    demo.add_argument("--port", type=int, metavar="N",
                      help=_("with --emulator: the port (default: the demo's port, or 8787; "
                           "0 picks a free one)"))

    records = sub.add_parser("records", help=_("list, show, add, change and delete records"))
    rsub = records.add_subparsers(dest="action", metavar="ACTION", required=True)
    fmt = dict(choices=("table", "csv", "json"), default="table")
    r_list = rsub.add_parser("list", help=_("list a tab's records: records list Projects"))
    r_list.add_argument("tab", help=_("tab name as in the sheet (Projects, Feedback, ...)"))
    r_list.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                        help=_("keep records whose field equals the value (repeatable)"))
    r_list.add_argument("--format", **fmt)
    r_show = rsub.add_parser("show", help=_("one record: records show Projects P-0001"))
    r_show.add_argument("tab")
    r_show.add_argument("id")
    r_show.add_argument("--format", **fmt)
    r_add = rsub.add_parser("add", help=_("add a record: records add Feedback Rating=5 ..."))
    r_add.add_argument("tab")
    r_add.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    r_set = rsub.add_parser("set", help=_("change fields: records set Projects P-0001 Stage=..."))
    r_set.add_argument("tab")
    r_set.add_argument("id")
    r_set.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    r_del = rsub.add_parser("delete", help=_("delete a record: records delete Updates U-0001"))
    r_del.add_argument("tab")
    r_del.add_argument("id")

    kpi = sub.add_parser("kpi", help=_("KPIs per manager against target"))
    kpi.add_argument("--period", help=_("2026-11 or 2026-Q4 (default: this month)"))
    kpi.add_argument("--manager", help=_("one manager by name or ID"))
    kpi.add_argument("--format", **fmt)

    report = sub.add_parser("report", help=_("write a period report (HTML or xlsx with charts) "
                                           "to reports/"))
    report.add_argument("--period", help=_("2026-11 or 2026-Q4 (default: this quarter)"))
    report.add_argument("--format", choices=("html", "xlsx"), default="html")
    report.add_argument("--out", type=Path, metavar="FOLDER",
                        help=_("folder to write to (default: the workspace's reports/)"))

    standup = sub.add_parser("standup", help=_("what changed, what is due, what is blocked"))
    standup.add_argument("--since", default="yesterday",
                         help=_("YYYY-MM-DD or 'yesterday' (the previous working day; default)"))
    standup.add_argument("--manager", help=_("one manager by name or ID"))
    standup.add_argument("--format", choices=("text", "json"), default="text")

    sync = sub.add_parser("sync", help=_("sync once with the sheet"))
    sync.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    sync.add_argument("--dry-run", action="store_true",
                      help=_("print what would be written and change nothing"))
    sync.add_argument("--allow-deletes", action="store_true",
                      help=_("go ahead with a sync that deletes many rows"))

    init_sheet = sub.add_parser("init-sheet",
                                help=_("prepare the sheet for editors: tabs, headers, dropdowns"))
    init_sheet.add_argument(
        "--refill", action="store_true",
        help=_("on a new, empty sheet (a lost or broken one re-created): let the next sync "
             "write every record of the local database into it"))
    init_sheet.add_argument(
        "--language", choices=schema.SHEET_LANGUAGES, default="en",
        help=_("zh-CN: Chinese tabs, headers and dropdowns (the config gets their "
               "names, so the sync reads them)"))
    conflicts = sub.add_parser("conflicts", help=_("list conflicts, or resolve one"))
    conflicts.add_argument("--resolve", type=int, metavar="ID")
    conflicts.add_argument("--keep", choices=("sheet", "mine"))
    conflicts.add_argument("--value", help=_("resolve with this new value"))
    conflicts.add_argument("--format", **fmt)
    problems = sub.add_parser("problems", help=_("values and structure the sync could not read"))
    problems.add_argument("--format", **fmt)
    sub.add_parser("undo", help=_("undo the last local edit that has not been synced"))
    fix_refs = sub.add_parser(
        "fix-references",
        help=_("list records that still name a renamed project, manager or client; "
             "--apply updates them"))
    fix_refs.add_argument("--apply", action="store_true",
                          help=_("update them (recorded, undoable, pushed at the next sync)"))
    sub.add_parser("doctor", help=_("check config, database, credentials and the sheet"))
    add_notify_commands(sub)
    return parser


def add_notify_commands(sub) -> None:
    """``amtui notify`` and ``amtui digest`` (reminders, issue 11)."""
    notify = sub.add_parser("notify", help=_("run the reminder rules once and send what is due"))
    notify.add_argument("--dry-run", action="store_true",
                        help=_("show what would be sent; send and record nothing"))
    notify.add_argument("--format", choices=("text", "json"), default="text")
    digest = sub.add_parser("digest", help=_("what is due, late, blocked and waiting"))
    digest.add_argument("--period", choices=("day", "week"), default="day")
    digest.add_argument("--manager", help=_("one manager by name or ID"))
    digest.add_argument("--format", choices=("text", "markdown", "html", "json"),
                        default="text")
    digest.add_argument("--send", action="store_true",
                        help=_("send it: the team's to [notify] targets, each manager's own to "
                             "their [notify.managers] targets"))
    digest.add_argument("--dry-run", action="store_true", help=_("with --send: show, send nothing"))


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
    # the board as it was last time, at once, while Python and Textual start (opening the
    # app in a terminal only; see amtui.ui.first_frame)
    first_frame.show(argv)
    try:
        return run(argv)
    finally:
        first_frame.release()


def run(argv: list[str]) -> int:
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
        return fail(_("config error: {error}").format(error=err))
    except StoreError as err:  # read-only or too new: the message names the file and the fix
        return fail(str(err))
    except UsageError as err:
        return fail(str(err))
    except KeyboardInterrupt:
        return fail(_("interrupted"), PROBLEM)
    except BrokenPipeError:
        # the reader stopped early (`amtui kpi | head`): no traceback; stdout goes nowhere
        # from here so Python's own flush at exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return PROBLEM


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
        return fail(_("{error} (or add --force)").format(error=err))
    print(_("demo workspace ({size}) created in {folder}").format(size=args.size, folder=folder))
    print(_("open it with: {command}").format(command=f"amtui --config {path}"))
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
        return fail(_("cannot serve the emulator: {error}; another program may use the port: "
                      "choose one with --port N (0 picks a free one)")
                    .format(error=err.strerror or err))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    url = demo.emulator.base_url
    print(_("Google Sheets emulator listening on {url}").format(url=url), flush=True)
    if demo.reused:
        print(_("serving the emulator demo in {folder} again (same spreadsheet, key and "
                "database)").format(folder=folder))
    else:
        print(_("emulator demo workspace ({size}) created in {folder}")
              .format(size=args.size, folder=folder))
    print(_("Spreadsheet id: {id}").format(id=demo.spreadsheet_id))
    print(_("open it with: {command}").format(command=f"amtui --config {demo.config_path}"))
    print(_("Edit as a person: POST {url}/_control/<method> (see "
            "sync.emulator.RemoteEmulator)").format(url=url))
    print(_("Ctrl-C to stop."), flush=True)
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
    raise UsageError(_("no tab {name}; tabs are {titles}").format(name=repr(name), titles=titles))


def resolve_field(workspace, tab: str, name: str) -> str:
    wanted = name.strip().lower()
    for f in schema.TABS[tab].fields:
        names = (f.key, f.key.rstrip("_"), f.header.lower(),
                 workspace.config.header_of(tab, f.key).lower())
        if wanted in names:
            return f.key
    headers = ", ".join(workspace.config.header_of(tab, f.key) for f in schema.TABS[tab].fields)
    raise UsageError(_("{tab} has no field {name}; fields are {fields}").format(
        tab=workspace.config.title_of(tab), name=repr(name), fields=headers))


def parse_assignments(workspace, tab: str, pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(_("expected FIELD=VALUE, got {pair}").format(pair=repr(pair)))
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
                return fail(_("{tab} has no record {id}").format(
                    tab=workspace.config.title_of(tab), id=args.id), PROBLEM)
            row = as_sheet_row(workspace, tab, record)
            if args.format == "table":
                emit([{"field": k, "value": v} for k, v in row.items()], "table",
                     headers={"field": _("field"), "value": _("value")})
            else:
                emit([row], args.format)
        elif args.action == "add":
            values = schema.new_record_defaults(tab, workspace.today())
            values.update(parse_assignments(workspace, tab, args.values))
            new_id = store.add(tab, values)
            print(new_id)
        elif args.action == "set":
            edit = store.update(tab, args.id, parse_assignments(workspace, tab, args.values))
            print((_("{id}: changed") if edit else _("{id}: no change")).format(id=args.id))
        elif args.action == "delete":
            store.delete(tab, args.id)
            print(_("{id}: deleted (removed from the sheet at the next sync)").format(id=args.id))
    except EditRejected as err:
        for reason in err.reasons:
            print("amtui: " + _("refused: {reason}").format(reason=reason), file=sys.stderr)
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
        raise UsageError(_("--period {text}: {error} (use 2026-11 or 2026-Q4)").format(
            text=repr(text), error=err)) from None


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
            raise UsageError(_("no manager {name}").format(name=repr(args.manager)))
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
    print(_("KPIs for {period} (targets per manager; ✓ on track, ! at risk, ✗ off track)")
          .format(period=period.label))
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
        return fail(_("could not write the report: {error}").format(error=err), PROBLEM)
    print(_("report for {period} written to {path}").format(period=period.label, path=path))
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
        raise UsageError(_("--since {text}: use YYYY-MM-DD, 'yesterday' or e.g. 3d")
                         .format(text=repr(text))) from None


def cmd_standup(workspace, args) -> int:
    from amtui.domain.standup import build_standup, render_text

    today = workspace.today()
    since = parse_since(args.since, today)
    manager = None
    if args.manager:
        manager = workspace.store.refs().resolve("managers", args.manager)
        if manager is None:
            raise UsageError(_("no manager {name}").format(name=repr(args.manager)))
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
            from rich.cells import set_cell_size

            from amtui.services.live import progress_line

            # cut and padded by terminal cells: a CJK character is two
            line = set_cell_size(progress_line(phase, info, width=20), 78)
            print(f"\r{line}", end="", file=sys.stderr, flush=True)

    try:
        report = workspace.sync(dry_run=args.dry_run,
                                allow_deletes=args.allow_deletes or None, progress=progress)
    except Exception as err:  # the sheet could not be reached or read
        message, code = describe_sync_error(err)
        if isinstance(err, StoreError):  # its message names the file and the fix
            message, code = str(err), USAGE
        if args.json:
            print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        return fail(_("sync failed: {error}").format(error=message), code)
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

    return describe_fixes(fixes) + "\n" + _("update them with: {command}").format(
        command="amtui fix-references --apply")


def cells_text(n: int) -> str:
    return ngettext("{n} cell", "{n} cells", n).format(n=n)


def rows_text(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n).format(n=n)


def render_summary(summary: dict) -> str:
    calls = ", ".join(f"{k} {v}" for k, v in sorted(summary["api_calls"].items())) or _("none")
    lines = [
        _("synced in {seconds} s: pulled {pulled}, pushed {cells}, added {rows}, deleted "
          "{deleted}").format(seconds=f"{summary['seconds']:.1f}", pulled=summary["pulled"],
                              cells=cells_text(summary["pushed"]),
                              rows=rows_text(summary["added"]), deleted=summary["deleted"]),
        _("API calls: {calls}").format(calls=calls),
    ]
    if summary["open_conflicts"]:
        n = summary["open_conflicts"]
        lines.append(ngettext("{n} open conflict: `amtui conflicts` or the app's Conflicts "
                              "screen", "{n} open conflicts: `amtui conflicts` or the app's "
                              "Conflicts screen", n).format(n=n))
    if summary["problems_total"]:
        n = summary["problems_total"]
        lines.append(ngettext("{n} problem: `amtui problems`", "{n} problems: `amtui problems`",
                              n).format(n=n))
    from amtui.services.texts import deletes_held_line

    for title, count in summary["deletes_blocked"].items():
        lines.append(deletes_held_line(title, count))
    if summary.get("not_written"):
        lines.append(_("not written: {reason}").format(reason=summary["not_written"]))
    return "\n".join(lines)


def render_plan(report) -> str:
    lines = [_("dry run: nothing was changed. The sync would:")]
    for plan in report.plans:
        title = plan.spec.title
        parts = []
        if plan.skipped or plan.readonly:
            parts.append(_("read only (see problems)"))
        if plan.pulls or plan.inserts or plan.local_deletes:
            parts.append(_("pull {cells}, {rows}, {deletions}").format(
                cells=cells_text(len(plan.pulls)),
                rows=ngettext("{n} new row", "{n} new rows", len(plan.inserts))
                .format(n=len(plan.inserts)),
                deletions=ngettext("{n} deletion", "{n} deletions", len(plan.local_deletes))
                .format(n=len(plan.local_deletes))))
        if plan.cell_writes:
            from sync.spec import address

            cells = [address(title, w.row, w.col) for w in plan.cell_writes[:8]]
            more = len(plan.cell_writes) - len(cells)
            where = ", ".join(cells)
            if more > 0:
                where = _("{cells}, +{n} more").format(cells=where, n=more)
            parts.append(_("write {cells} ({where})").format(
                cells=cells_text(len(plan.cell_writes)), where=where))
        if plan.appends:
            parts.append(_("add {rows}").format(rows=rows_text(len(plan.appends))))
        if plan.remote_deletes:
            parts.append(_("delete rows {rows}").format(
                rows=", ".join(str(r) for _i, r in plan.remote_deletes)))
        if plan.conflicts:
            parts.append(_("record {conflicts}").format(conflicts=ngettext(
                "{n} conflict", "{n} conflicts", len(plan.conflicts))
                .format(n=len(plan.conflicts))))
        lines.append(f"  {title}: " + (_("; ").join(parts) if parts else _("nothing to do")))
    for title, count in report.deletes_blocked.items():
        lines.append("  " + _("{tab}: {n} deletes would be held back (use --allow-deletes)")
                     .format(tab=title, n=count))
    if report.not_written:
        lines.append("  " + _("not written: {reason}").format(reason=report.not_written))
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
        return fail(_("init-sheet failed: {error}").format(error=message), code)
    for line in done or [_("the sheet already had every tab and header")]:
        print(line)
    print(_("frozen header rows, dropdowns and date formats are set; nothing was overwritten"))
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
        return fail(_("init-sheet --refill: {error}").format(error=message), code)
    full = [t for t in titles if len(grids.get(t) or []) > 1]
    if full:
        return fail(_("init-sheet --refill is for an empty sheet, and {tabs} already have "
                      "rows; a normal `amtui sync` merges with them").format(tabs=", ".join(full)),
                    PROBLEM)
    count = workspace.store.forget_sync_base()
    print(ngettext("the next `amtui sync` writes the local database's {n} record into the "
                   "sheet", "the next `amtui sync` writes the local database's {n} records into "
                   "the sheet", count).format(n=count))
    return OK


def cmd_conflicts(workspace, args) -> int:
    from amtui.core.store import EditRejected, UnknownConflict

    store = workspace.store
    if args.resolve is not None:
        if not (args.keep or args.value is not None):
            raise UsageError(_("--resolve ID needs --keep sheet|mine or --value TEXT"))
        choice = args.keep or "value"
        try:
            store.resolve_conflict(args.resolve, choice, args.value)
        except UnknownConflict as err:
            return fail(str(err), PROBLEM)
        except EditRejected as err:
            return fail(_("refused: {reason}").format(reason="; ".join(err.reasons)), PROBLEM)
        except ValueError as err:
            return fail(str(err), PROBLEM)
        print(_("conflict {id} resolved ({choice}); written at the next sync")
              .format(id=args.resolve, choice=choice))
        return OK
    rows = [{"ID": c["id"], "Tab": workspace.config.title_of(c["tab"]), "Record": c["record_id"],
             "Field": _field_header(workspace, c["tab"], c["field"]), "Last sync": c["base"], "Mine": c["mine"],
             "Sheet": c["theirs"]} for c in store.conflicts()]
    emit(rows, args.format, headers={
        "ID": _("ID"), "Tab": _("Tab"), "Record": _("Record"), "Field": _("Field"),
        "Last sync": _("Last sync"), "Mine": _("Mine"), "Sheet": _("Sheet")})
    return PROBLEM if rows else OK


def _field_header(workspace, tab: str, field: str) -> str:
    """The sheet's header for a field (``Progress``), as people see it in the sheet."""
    if field == "*":
        return _("(whole row)")
    try:
        return workspace.config.header_of(tab, field)
    except KeyError:
        return field


def cmd_problems(workspace, args) -> int:
    rows = [{"Cell": p["address"], "Record": p["record_id"], "Value": p["value"],
             "Reason": p["reason"]} for p in workspace.store.problems()]
    emit(rows, args.format, headers={"Cell": _("Cell"), "Record": _("Record"),
                                     "Value": pgettext("cell", "Value"), "Reason": _("Reason")})
    return PROBLEM if rows else OK


def cmd_fix_references(workspace, args) -> int:
    from amtui.services.references import apply_fixes, describe_fixes, renamed_references

    store = workspace.store
    fixes = renamed_references(store)
    if not fixes:
        print(_("no references to a renamed project, manager or client"))
        return OK
    print(describe_fixes(fixes))
    if not args.apply:
        print(_("update them with: {command}").format(command="amtui fix-references --apply"))
        return PROBLEM
    changed = apply_fixes(store, fixes)
    store.revalidate()
    print(ngettext("updated {n} record; written to the sheet at the next sync (`amtui undo` "
                   "takes them back one by one)",
                   "updated {n} records; written to the sheet at the next sync (`amtui undo` "
                   "takes them back one by one)", changed).format(n=changed))
    return OK


def cmd_undo(workspace, args) -> int:
    edit = workspace.store.undo()
    if edit is None:
        print(_("nothing to undo (every edit has been synced)"))
        return OK
    from amtui.services.texts import describe_undo

    print(_("undone: {edit}").format(edit=describe_undo(edit, workspace.store)))
    return OK


def cmd_doctor(workspace, args) -> int:
    from amtui.services.doctor import run_checks

    results = run_checks(workspace)
    worst = OK
    for ok, label, detail in results:
        mark = "ok  " if ok else _("FAIL")  # four cells either way (失败)
        print(_("[{mark}] {check}: {detail}").format(mark=mark, check=label, detail=detail)
              if detail else f"[{mark}] {label}")
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
