"""The sync log (the last syncs: what they pulled and pushed, API calls), and the base of
the three sync screens (Conflicts, Problems, Sync log), which stack over any mode.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.domain.i18n import N_, _
from amtui.ui.screens.common import DataScreen
from amtui.ui.widgets.cards import fit
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.status import status_bar


class SyncScreen(DataScreen):
    """A full screen over the current mode; ``escape`` goes back. A table of records (one
    per row key), a detail pane for the highlighted one, and ``ROW_ACTION`` run by enter or
    a click on a row."""

    CSS_PATH = "sync.tcss"
    TITLE_TEXT = ""
    ROW_ACTION = ""
    # enter runs ROW_ACTION: (description, binding id, shown in the key bar)
    ROW_KEY: tuple[str, str, bool] = ("", "", False)
    BINDINGS = [Binding("escape", "back", N_("Back"), id="sync.back")]
    rows: dict[str, dict] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        # the enter key of a subclass's row action, made here (before Textual reads
        # BINDINGS) from ROW_ACTION and ROW_KEY, so each screen states it once
        if cls.__dict__.get("ROW_ACTION"):
            description, binding_id, show = cls.ROW_KEY
            cls.BINDINGS = [Binding("enter", cls.ROW_ACTION, description, id=binding_id,
                                    show=show), *cls.__dict__.get("BINDINGS", [])]
        super().__init_subclass__(**kwargs)

    def compose(self) -> ComposeResult:
        yield status_bar()
        yield Static("", classes="screen-title", id="sync-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="sync-table")
        yield Static("", id="sync-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.seen_version = self.app.data_version
        self.safe_reload(full=True)
        self.query_one(DataTable).focus()

    @property
    def table(self) -> DataTable:
        return self.query_one("#sync-table", DataTable)

    def fill(self, columns: list[str], rows: list[tuple], records: dict[str, dict]) -> None:
        """Replace the table's rows (``records``: row key -> record, in row order), keeping
        the cursor on the same row number, and show the highlighted record's detail."""
        self.rows = records
        keys = list(records)
        table = self.table
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(*columns)
        for key, values in zip(keys, rows, strict=True):
            table.add_row(*values, key=key)
        if rows:
            table.move_cursor(row=min(max(row, 0), len(rows) - 1), animate=False)
        self.refresh_detail()

    def current(self) -> dict | None:
        """The highlighted record, or None."""
        return self.rows.get(self.selected_key() or "")

    def current_or_bell(self) -> dict | None:
        """The highlighted record; a bell when there is none (an empty list)."""
        found = self.current()
        if found is None:
            self.app.bell()
        return found

    def ask_value(self, title: str, *, value: str, hint: str,
                  save: Callable[[str], str | None]) -> None:
        """A one-line prompt whose ``save`` returns None when the value was taken, or why
        not: the prompt then stays open with that reason and what was typed."""
        from amtui.ui.screens.confirm import TextPrompt

        self.app.push_screen(TextPrompt(title, value=value, hint=hint, save=save))

    def action_open(self) -> None:
        """Show the highlighted record where it lives (Board or Inbox)."""
        found = self.current()
        if found is not None and found.get("record_id"):
            self.app.open_record(found["tab"], found["record_id"])

    # the detail pane when nothing is highlighted (an empty list)
    EMPTY_DETAIL: str | Content = ""

    def refresh_detail(self) -> None:
        detail, record = self.query_one("#sync-detail", Static), self.current()
        if record is None:
            detail.update(self.EMPTY_DETAIL)
        else:
            self.show_detail(detail, record)

    def show_detail(self, detail: Static, record: dict) -> None:
        """Draw the highlighted ``record`` in the detail pane."""
        detail.update("")

    def set_count_title(self, name: str, count: int, keys: str, empty: str) -> None:
        """``Conflicts  3 open · s keep sheet …``, or the all-clear line when empty."""
        if count:
            self.set_title((name, "bold"), (f"  {count} {keys}", "$text-muted"))
        else:
            self.set_title((name, "bold"), (f"  {empty}", "$success"))

    @on(DataTable.RowHighlighted)
    def row_highlighted(self, _event) -> None:
        self.refresh_detail()

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if self.ROW_ACTION:
            event.stop()
            getattr(self, f"action_{self.ROW_ACTION}")()

    def selected_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no cursor
            return None

    def set_title(self, *parts) -> None:
        self.query_one("#sync-title", Static).update(Content.assemble(*parts))

    def action_back(self) -> None:
        self.app.pop_screen()


def cell(text: object, width: int = 28) -> str:
    """A table cell: one line, at most ``width`` cells wide."""
    text = " ".join(str(text if text is not None else "").split())
    return fit(text, width).rstrip() if text else ""


class SyncLogScreen(SyncScreen):
    HELP_TITLE = N_("Sync log")

    def reload(self, full: bool = False) -> None:
        runs = self.app.store.sync_runs(limit=50)
        rows = []
        for run in runs:
            summary = run["summary"] or {}
            calls = summary.get("api_calls") or {}
            note = run.get("error") or summary.get("not_written") or ""
            if summary.get("deletes_blocked"):
                note = _("deletes held back: {tabs}").format(tabs=", ".join(
                    f"{_(t)} {n}" for t, n in summary["deletes_blocked"].items()))
            rows.append((
                (run.get("started") or "").replace("T", " "),
                f"{summary.get('seconds', 0):.1f} s" if summary else "",
                _("ok") if run.get("ok") else _("failed"),
                str(summary.get("pulled", "")), str(summary.get("pushed", "")),
                str(summary.get("added", "")), str(summary.get("deleted", "")),
                str(summary.get("conflicts", "")), str(summary.get("problems", "")),
                str(sum(calls.values())) if calls else "0",
                cell(note, 40),
            ))
        self.fill([_("Started"), _("Took"), _("Result"), _("Pulled"), _("Pushed"),
                   _("Rows added"), _("Deleted"), _("Conflicts"), _("Problems"),
                   _("API calls"), _("Note")], rows,
                  {str(r["id"]): r for r in runs})
        self.set_title((_("Sync log"), "bold"),
                       ("  " + _("the last {n} syncs, newest first · ctrl+r syncs now · "
                                 "escape back").format(n=len(runs)), "$text-muted"))

    @property
    def EMPTY_DETAIL(self) -> Content:  # noqa: N802 - the base class's name
        return Content.styled(_("No sync has run yet: ctrl+r syncs now."), "$text-muted")

    def show_detail(self, detail: Static, run: dict) -> None:
        summary = run["summary"] or {}
        calls = ", ".join(f"{k} {v}" for k, v in sorted((summary.get("api_calls") or {})
                                                        .items())) or _("none")
        parts: list = [(_("API calls: "), "bold"), (calls, ""), "\n"]
        for title, counts in (summary.get("per_tab") or {}).items():
            busy = {k: v for k, v in counts.items() if isinstance(v, int) and v
                    and not isinstance(v, bool)}
            flags = [k for k in ("readonly", "skipped") if counts.get(k)]
            if busy or flags:
                text = ", ".join(f"{_(k)} {v}" for k, v in busy.items())
                parts += [(f"{_(title)}: ", "bold"), (text + (" " + " ".join(_(f) for f in flags)
                                                          if flags else ""), ""), "\n"]
        if run.get("error"):
            parts += [(_("Error: "), "bold $error"), (run["error"], ""), "\n"]
        detail.update(Content.assemble(*parts))
