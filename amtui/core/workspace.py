"""A workspace: one config, its local store and its sheet. The CLI and the app both start here.

    ws = Workspace.open(Path("config.toml"))
    ws.store.records("projects")
    report = ws.sync()
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date
from functools import cached_property
from pathlib import Path

from amtui.core.config import Config, ConfigError, load_config
from amtui.core.store import Store
from amtui.domain import i18n, schema
from amtui.domain.parse import normalize, to_cell
from sync.runner import SyncReport, check_due, run_sync
from sync.spec import Codec, ColumnSpec, TabSpec

SYNC_STATE_KEY = "sync_state"  # store meta: sheet version seen, last full read, tab ids


class Workspace:
    def __init__(self, config: Config):
        self.config = config
        self._sync_state: dict | None = None
        self._sync_state_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> Workspace:
        return cls(load_config(path))

    @cached_property
    def store(self) -> Store:
        return Store(self.config.database, self.config.rules)

    def today(self) -> date:
        """The workspace's date: pinned by ``[workspace] today`` (demos, tests) or the real one."""
        pinned = os.environ.get("AMTUI_TODAY")
        if pinned:
            return date.fromisoformat(pinned)
        return self.config.today or date.today()

    # -- the sheet ----------------------------------------------------------------------

    def specs(self) -> list[TabSpec]:
        """What the sync needs to know of each tab, with the config's names for tabs and
        headers (the default English header is always accepted as well, and for a header
        the config does not name, its common Chinese synonyms)."""
        specs = []
        for tab in schema.TABS.values():
            columns = []
            for f in tab.fields:
                header = self.config.header_of(tab.key, f.key)
                aliases = (f.header,) if header != f.header else ()
                if f.key not in self.config.headers.get(tab.key, {}):
                    # a team's own sheet: 负责人 for Manager, 截止 for Due (schema's table)
                    aliases += schema.header_synonyms(tab.key, f.key)
                columns.append(ColumnSpec(f.key, header, aliases))
            specs.append(TabSpec(tab.key, self.config.title_of(tab.key), tuple(columns),
                                 id_prefix=schema.ID_PREFIX[tab.key],
                                 id_width=schema.ID_WIDTH[tab.key]))
        return specs

    def codec(self) -> Codec:
        rules = self.config.rules

        plain = {(t.key, f.key): f.kind for t in schema.TABS.values() for f in t.fields
                 if f.kind == schema.TEXT or f.kind in schema.REF_KINDS}

        def read(tab: str, key: str, cell) -> tuple[str, str | None]:
            kind = plain.get((tab, key))
            if kind is not None and isinstance(cell, str):  # text is kept as typed: no parsing
                return (cell if kind == schema.TEXT else cell.strip()), None
            field = schema.TABS[tab].field(key)
            parsed = normalize(field, cell, rules, tab=tab)
            if parsed.ok:
                return parsed.value, None
            # a problem is kept in English and shown in the UI's language; only the few
            # cells that do not read are parsed again for it
            with i18n.speaking("en"):
                return parsed.value, normalize(field, cell, rules, tab=tab).reason

        def write(tab: str, key: str, text: str):
            field = schema.TABS[tab].field(key)
            if field.kind in (schema.DATE, schema.DATETIME) and text:
                try:
                    return date.fromisoformat(text)  # backends store real dates
                except ValueError:
                    return text  # a date-time stays text (see parse.to_cell), or as typed
            return to_cell(field, text, rules, tab=tab)  # a choice in the sheet's own word

        return Codec(read=read, write=write)

    def backend(self, **client_options):
        """The configured sheet backend. ``client_options`` go to ``sync.gclient.make_client``
        (``retry``, ``sleep``, ``on_retry``: how the app shows "retrying in 20 s")."""
        if self.config.backend == "xlsx":
            from sync.xlsx_backend import XlsxBackend

            return XlsxBackend(self.config.spreadsheet)
        from sync.gclient import make_client
        from sync.google_backend import GoogleSheetBackend

        client = make_client(
            self.config.credentials, endpoint=self.config.endpoint,
            oauth_client=self.config.oauth_client,
            token_cache=self.config.folder / ".amtui-oauth-token.json", **client_options,
        )
        return GoogleSheetBackend(client, self.config.spreadsheet,
                                  cache=self.sync_state().setdefault("layout", {}))

    def sync_state(self) -> dict:
        """What the sync remembers between runs (kept in the store): the sheet's version at
        the last read, when that read was, and the tab ids and titles (so a sync with
        nothing to do costs one Sheets request, not two)."""
        with self._sync_state_lock:
            if self._sync_state is None:
                try:
                    self._sync_state = json.loads(self.store.get_meta(SYNC_STATE_KEY) or "{}")
                except ValueError:
                    self._sync_state = {}
            return self._sync_state

    def save_sync_state(self) -> None:
        state = {k: v for k, v in self.sync_state().items() if k != "seen"}
        text = json.dumps(state, sort_keys=True)
        if self.store.get_meta(SYNC_STATE_KEY) != text:
            self.store.set_meta(SYNC_STATE_KEY, text)

    def check_due(self, backend, now: float | None = None) -> str | None:
        """Why a full sync is due now (see ``sync.runner.check_due``), or None: costs no
        Sheets request."""
        state = self.sync_state()
        # edits held back by a sync (missing header, delete guard) stay pending: only edits
        # made since the last sync make one due, or a held-back edit would cost a read a poll
        pending = (self.store.pending_count() > 0
                   and self.store.sync_start_seq() > state.get("seq", -1))
        return check_due(backend, state, pending=pending,
                         full_interval=self.config.full_interval, now=now)

    def sync(self, *, backend=None, dry_run: bool = False, allow_deletes: bool | None = None,
             progress=None) -> SyncReport:
        """One sync of every tab. A failure before the local commit changes nothing here."""
        backend = backend or self.backend()
        allow = self.config.allow_deletes if allow_deletes is None else allow_deletes
        state = self.sync_state()
        try:
            return run_sync(backend, self.store, self.specs(), codec=self.codec(),
                            dry_run=dry_run, allow_deletes=allow, progress=progress,
                            state=state)
        finally:
            if not dry_run:
                self.save_sync_state()  # tab ids read on the way are kept even on failure

    def layout(self) -> list[dict]:
        """What ``init-sheet`` prepares: tabs, headers, dropdowns, number formats."""
        refs = self.store.refs()
        tabs = []
        for tab in schema.TABS.values():
            choices, formats = {}, {}
            for f in tab.fields:
                header = self.config.header_of(tab.key, f.key)
                if f.kind == schema.CHOICE:
                    rules = self.config.rules
                    choices[header] = [rules.sheet_word(tab.key, f.key, v)
                                       for v in rules.choices_for(tab.key, f.key)]
                elif f.kind == schema.RATING:
                    choices[header] = ["1", "2", "3", "4", "5"]
                elif f.kind in (schema.REF_MANAGER, schema.REF_CLIENT):
                    names = refs.names(schema.REF_KINDS[f.kind])
                    if names:
                        choices[header] = names[:500]
                if f.kind in (schema.DATE, schema.DATETIME):
                    formats[header] = "date"
                elif f.kind == schema.PERCENT:
                    formats[header] = "percent"
                elif f.kind == schema.MONEY:
                    formats[header] = "money"
            tabs.append({
                "title": self.config.title_of(tab.key),
                "headers": [self.config.header_of(tab.key, f.key) for f in tab.fields],
                "choices": choices, "formats": formats,
                "id_header": self.config.header_of(tab.key, "id"),
            })
        return tabs


__all__ = ["Workspace", "ConfigError"]
