"""Problems: values the sync could not read (kept exactly as typed) and structural trouble
(a missing header, duplicate IDs), each with its cell address. From here a person sees the
whole row, fixes the value, or opens the sheet at that cell.
"""

from __future__ import annotations

import os
import sys
import webbrowser

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from amtui.core.store import distinct_problems  # noqa: F401  (re-exported for tests)
from amtui.domain import schema
from amtui.domain.i18n import N_, _
from amtui.ui.screens.common import guarded
from amtui.ui.screens.synclog import SyncScreen, cell


def split_address(address: str) -> tuple[str, str | None]:
    """``Projects!F14`` -> (``Projects``, ``F14``); ``'My tab'!B2`` -> (``My tab``, ``B2``);
    an address without a cell (``Projects P-0001``) -> (``Projects``, None)."""
    if "!" in address:
        title, _sep, where = address.rpartition("!")
        if title.startswith("'") and title.endswith("'"):
            title = title[1:-1].replace("''", "'")
        return title, where
    return address.split(" ")[0] if address else "", None


def can_open_browser() -> bool:
    """A graphical browser is likely: a text browser would take over this terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_url(url: str) -> bool:
    """Open a link in the browser; False when there is none (the caller shows the link)."""
    if not can_open_browser():
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False


class RowScreen(ModalScreen[None]):
    """The whole record behind a problem, with the unreadable field marked."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,enter,q", "close", N_("Close"), id="row.close"),
        Binding("o", "open_sheet", N_("Open in sheet"), id="row.open_sheet"),
    ]

    def __init__(self, problem: dict, record: dict | None, headers: dict[str, str]):
        super().__init__()
        self.problem, self.record, self.headers = problem, record, headers

    def compose(self) -> ComposeResult:
        problem = self.problem
        with Vertical(classes="dialog wide"):
            yield Label(f"{problem['address']} — {problem.get('record_id') or _('no record')}",
                        classes="dialog-title")
            with VerticalScroll():
                parts: list = [(_("Problem: "), "bold $error"), (problem["reason"], ""), "\n\n"]
                if self.record is None:
                    parts += [(_("The record is not in the local store (it was not read)."),
                               "$text-muted")]
                else:
                    for key, header in self.headers.items():
                        value = self.record.get(key, "")
                        bad = key == problem.get("field")
                        shown = _(header)  # a built-in header in the UI's language
                        pad = " " * max(18 - cell_len(shown), 0)
                        parts += [(f"{pad}{shown}  ", "bold $error" if bad else "$text-muted"),
                                  (value or "–", "bold $error" if bad else ""),
                                  ("   " + _("← as typed in the sheet") if bad else "", "$error"), "\n"]
                yield Static(Content.assemble(*parts))
            yield Static(_("o open the sheet at this cell · escape close"), classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open_sheet(self) -> None:
        self.dismiss(None)
        screen = self.app.screen
        if isinstance(screen, ProblemsScreen):
            screen.open_in_sheet(self.problem)


class ProblemsScreen(SyncScreen):
    HELP_TITLE = N_("Problems")
    ROW_ACTION, ROW_KEY = "show_row", (N_("Show row"), "problems.row", True)
    BINDINGS = [
        Binding("o", "open_sheet", N_("Open in sheet"), id="problems.open_sheet"),
        Binding("e", "fix", N_("Fix value"), id="problems.fix"),
        Binding("g", "open", N_("Go to record"), id="problems.record"),
    ]

    def reload(self, full: bool = False) -> None:
        problems = self.app.store.problems()
        config = self.app.workspace.config
        rows = []
        for p in problems:
            field = p.get("field") or ""
            header = (_(config.header_of(p["tab"], field))
                      if p["tab"] in schema.TABS and field and field != "*" else field)
            rows.append((cell(p["address"], 20), cell(p.get("record_id") or "–", 10),
                         cell(header, 14), cell(p.get("value") or "", 22),
                         cell(p.get("reason") or "", 60)))
        self.fill([_("Cell"), _("Record"), _("Field"), _("Value as typed"),
                   _("Why it cannot be read")], rows,
                  {str(p["id"]): p for p in problems})
        self.set_count_title(
            _("Problems"), len(problems),
            _("· enter show the row · o open the sheet there · e fix the value · escape back"),
            _("none: every value in the sheet could be read"))

    def show_detail(self, detail: Static, problem: dict) -> None:
        detail.update(Content.assemble(
            (problem["address"], "bold"), ("  ", ""), (problem.get("value") or _("(blank)"), ""),
            "\n", (problem.get("reason") or "", "$error")))

    @guarded
    def action_show_row(self) -> None:
        problem = self.current_or_bell()
        if problem is None:
            return
        tab = problem["tab"]
        record = (self.app.store.get(tab, problem["record_id"])
                  if tab in schema.TABS and problem.get("record_id") else None)
        config = self.app.workspace.config
        headers = ({f.key: config.header_of(tab, f.key) for f in schema.TABS[tab].fields}
                   if tab in schema.TABS else {})
        self.app.push_screen(RowScreen(problem, record, headers))

    @guarded
    def action_open_sheet(self) -> None:
        problem = self.current_or_bell()
        if problem is None:
            return
        self.open_in_sheet(problem)

    def open_in_sheet(self, problem: dict) -> None:
        title, where = split_address(problem["address"])
        config = self.app.workspace.config
        if not self.app.uses_google():
            place = (_("tab {tab}, cell {cell}") if where else _("tab {tab}")).format(
                tab=title, cell=where)
            self.app.copy_to_clipboard(config.spreadsheet)
            self.notify(f"{config.spreadsheet}\n{place}\n" + _("(the path is on the clipboard)"),
                        title=_("Open the workbook"), timeout=12)
            return
        self.run_worker(lambda: self.open_link(title, where), thread=True,
                        exit_on_error=False, group="links")

    def open_link(self, title: str, where: str | None) -> None:
        """Thread: the link needs the sheet's tab ids (one API call the first time)."""
        try:
            url = self.app.backend_for_links().url(title, where)
        except Exception as err:  # noqa: BLE001 - offline, no access
            from sync.errors import describe_sync_error

            self.app.call_from_thread(self.notify, describe_sync_error(err)[0],
                                      title=_("No link to the sheet"), severity="error")
            return
        opened = open_url(url)

        def tell() -> None:
            self.app.copy_to_clipboard(url)
            if opened:
                self.notify(url, title=_("Opened in the browser"))
            else:
                self.notify(url + "\n" + _("(no browser here: the link is on the clipboard)"),
                            title=_("Sheet link"), timeout=20)

        self.app.call_from_thread(tell)

    @guarded
    def action_fix(self) -> None:
        problem = self.current_or_bell()
        if problem is None:
            return
        tab, field = problem["tab"], problem.get("field") or ""
        if (tab not in schema.TABS or not problem.get("record_id") or not field
                or field == "*" or self.app.store.get(tab, problem["record_id"]) is None):
            self.notify(_("This problem is about the sheet's layout: fix it in the sheet "
                          "(o opens it there)."))
            return

        def save(value: str) -> str | None:
            reason = self.app.edit_reason(tab, problem["record_id"], {field: value})
            if reason is None:
                self.notify(_("{record} saved; the sheet gets it at the next "
                              "sync (ctrl+r syncs now).").format(record=problem["record_id"]))
                self.app.revalidate()  # the fixed value leaves the list
            return reason

        header = schema.label(tab, field)
        self.ask_value(_("Fix {cell} ({field})").format(cell=problem["address"], field=header),
                       value=problem.get("value") or "", hint=problem.get("reason") or "",
                       save=save)
