"""The TOML config: where the workspace lives, which sheet it syncs with, and the team's names
for tabs, headers, stages and targets.

Found by ``--config PATH``, then ``$AMTUI_CONFIG``, then the user config folder
(``platformdirs``). Relative paths are relative to the config file. Every problem is one
``ConfigError`` naming the file, the line and the fix::

    try:
        config = load_config(Path("config.toml"))
    except ConfigError as err:
        print(err)   # config.toml:12: [sheet] backend must be "google" or "xlsx" ...
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import platformdirs

from amtui.domain import schema
from amtui.domain.rules import Rules, RulesError

BACKENDS = ("google", "xlsx")
KNOWN = {
    "workspace": {"name", "database", "today", "dayfirst", "demo"},
    "sheet": {"backend", "spreadsheet", "credentials", "oauth_client", "endpoint"},
    "sync": {"interval", "conflict_policy", "allow_deletes"},
    "tabs": None, "headers": None, "stages": {"order", "collapsed", "aliases"},
    "choices": None, "targets": {"csat", "on_time", "revenue", "response_hours"},
    "ui": {"theme", "standup_minutes"}, "keys": None,
}


class ConfigError(Exception):
    """A config problem, worded for the person who has to fix the file."""

    def __init__(self, path: Path | str, line: int | None, message: str, fix: str = ""):
        self.path, self.line, self.message, self.fix = Path(path), line, message, fix
        where = f"{self.path}:{line}" if line else str(self.path)
        text = f"{where}: {message}"
        if fix:
            text += f"\n  fix: {fix}"
        super().__init__(text)


@dataclass
class Config:
    path: Path
    name: str = "amtui"
    database: Path = Path("amtui.db")
    today: date | None = None
    backend: str = "xlsx"
    spreadsheet: str = ""
    credentials: Path | None = None
    oauth_client: Path | None = None
    endpoint: str | None = None
    interval: int = 300
    poll_interval: float = 5.0  # seconds between cheap change checks while the app is open
    full_interval: float = 600.0  # a full read at least this often, changed or not
    push_delay: float = 2.0  # local edits go out this long after the last one
    conflict_policy: str = "ask"
    allow_deletes: bool = False
    tab_titles: dict[str, str] = field(default_factory=dict)  # tab key -> title in the sheet
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # tab -> field -> header
    collapsed_stages: tuple[str, ...] = ("On Hold", "Cancelled")
    rules: Rules = field(default_factory=Rules.default)
    theme: str = "amtui"
    standup_minutes: float = 2.0
    keys: dict[str, str] = field(default_factory=dict)
    demo: bool = False

    @property
    def folder(self) -> Path:
        return self.path.parent

    def title_of(self, tab: str) -> str:
        return self.tab_titles.get(tab, schema.TABS[tab].title)

    def header_of(self, tab: str, key: str) -> str:
        return self.headers.get(tab, {}).get(key, schema.TABS[tab].header_of(key))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("amtui")) / "config.toml"


def demo_folder() -> Path:
    return Path(platformdirs.user_data_dir("amtui")) / "demo"


def find_config(explicit: str | None) -> Path | None:
    """The config to use: ``--config``, then ``$AMTUI_CONFIG``, then the user config file."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("AMTUI_CONFIG")
    if env:
        return Path(env)
    path = default_config_path()
    return path if path.exists() else None


def load_config(path: Path) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "config file not found",
                          "check the path, or run `amtui demo` to create a workspace") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot read the config: {exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_message(str(exc))
        raise ConfigError(path, line, f"TOML syntax error: {_strip_position(str(exc))}",
                          "see config.example.toml for the format") from None
    return _build(path, text, raw)


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message)


def line_of(text: str, section: str, key: str | None = None) -> int | None:
    """The line where ``[section]`` (and ``key`` inside it) is written, for error messages."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\.", r"\s*\.\s*")
                        + r"\s*\]")
    start = next((i for i, ln in enumerate(lines) if header.match(ln)), None)
    if start is None:
        return None
    if key is None:
        return start + 1
    key_re = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if key_re.match(lines[i]):
            return i + 1
    return start + 1


def _build(path: Path, text: str, raw: dict) -> Config:
    def fail(section, key, message, fix=""):
        raise ConfigError(path, line_of(text, section, key), message, fix)

    for section, value in raw.items():
        if section not in KNOWN:
            fail(section, None, f"unknown section [{section}]",
                 f"known sections: {', '.join(KNOWN)}")
        allowed = KNOWN[section]
        if allowed is not None and isinstance(value, dict):
            for key in value:
                if key not in allowed:
                    fail(section, key, f"unknown key {key!r} in [{section}]",
                         f"known keys: {', '.join(sorted(allowed))}")

    config = Config(path=path.resolve())
    ws, sheet, sync = raw.get("workspace", {}), raw.get("sheet", {}), raw.get("sync", {})

    def rel(value: str) -> Path:
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else (path.resolve().parent / p)

    config.name = str(ws.get("name", path.resolve().parent.name or "amtui"))
    config.database = rel(str(ws.get("database", "amtui.db")))
    if "today" in ws:
        try:
            config.today = date.fromisoformat(str(ws["today"]))
        except ValueError:
            fail("workspace", "today", f"today = {ws['today']!r} is not a date",
                 'write it as today = "2026-11-26", or remove it to use the real date')
    backend = sheet.get("backend", "xlsx")
    if backend not in BACKENDS:
        fail("sheet", "backend", f"backend = {backend!r} is not one amtui knows",
             'use backend = "google" (a Google Sheet) or "xlsx" (a local workbook file)')
    config.backend = backend
    config.spreadsheet = str(sheet.get("spreadsheet", ""))
    if not config.spreadsheet:
        fail("sheet", None, "[sheet] spreadsheet is missing",
             'set spreadsheet = "https://docs.google.com/spreadsheets/d/..." or "team.xlsx"')
    if backend == "xlsx":
        config.spreadsheet = str(rel(config.spreadsheet))
    if backend == "google":
        creds = sheet.get("credentials")
        oauth = sheet.get("oauth_client")
        if not creds and not oauth:
            fail("sheet", None, "a Google sheet needs credentials",
                 'set credentials = "service-account.json" (or oauth_client = "client.json")')
        if creds:
            config.credentials = rel(str(creds))
            if not config.credentials.exists():
                fail("sheet", "credentials",
                     f"credentials file {config.credentials} does not exist",
                     "download the service account's JSON key from the Google Cloud console "
                     "and put its path here")
        if oauth:
            config.oauth_client = rel(str(oauth))
            if not config.oauth_client.exists():
                fail("sheet", "oauth_client",
                     f"OAuth client file {config.oauth_client} does not exist",
                     "download the OAuth client (Desktop app) JSON and put its path here")
    config.endpoint = sheet.get("endpoint") or None
    interval = sync.get("interval", 300)
    if not isinstance(interval, int) or isinstance(interval, bool) or interval < 0:
        fail("sync", "interval", f"interval = {interval!r} must be whole seconds (0 = off)",
             "e.g. interval = 300")
    config.interval = interval
    policy = sync.get("conflict_policy", "ask")
    if policy != "ask":
        fail("sync", "conflict_policy", f"conflict_policy = {policy!r} is not supported",
             'conflicts are always kept for a person to decide: use "ask"')
    config.allow_deletes = bool(sync.get("allow_deletes", False))

    _tabs_and_headers(config, raw, fail)
    _rules(config, raw, ws, fail)
    ui = raw.get("ui", {})
    config.theme = str(ui.get("theme", "amtui"))
    config.standup_minutes = float(ui.get("standup_minutes", 2))
    config.keys = {str(k): str(v) for k, v in raw.get("keys", {}).items()}
    config.demo = bool(ws.get("demo", False))
    return config


def _tabs_and_headers(config: Config, raw: dict, fail) -> None:
    for title, renamed in raw.get("tabs", {}).items():
        try:
            tab = schema.tab_for(title)
        except KeyError:
            fail("tabs", title, f"unknown tab {title!r} in [tabs]",
                 f"tabs are {', '.join(t.title for t in schema.TABS.values())}")
        config.tab_titles[tab.key] = str(renamed)
    for title, mapping in raw.get("headers", {}).items():
        try:
            tab = schema.tab_for(title)
        except KeyError:
            fail(f"headers.{title}", None, f"unknown tab {title!r} in [headers.{title}]",
                 f"tabs are {', '.join(t.title for t in schema.TABS.values())}")
        if not isinstance(mapping, dict):
            fail("headers", title, f"[headers] {title} must be a table of Header = \"name\"")
        by_header = {f.header.lower(): f.key for f in tab.fields}
        for header, renamed in mapping.items():
            key = by_header.get(str(header).lower())
            if key is None:
                fail(f"headers.{title}", header, f"{tab.title} has no column {header!r}",
                     f"columns are {', '.join(f.header for f in tab.fields)}")
            config.headers.setdefault(tab.key, {})[key] = str(renamed)


def _rules(config: Config, raw: dict, ws: dict, fail) -> None:
    stages = raw.get("stages", {})
    choices = {}
    aliases = {}
    for title, fields in raw.get("choices", {}).items():
        try:
            tab = schema.tab_for(title)
        except KeyError:
            fail("choices", title, f"unknown tab {title!r} in [choices]")
        for header, spec in fields.items():
            match = [f for f in tab.fields if f.header.lower() == str(header).lower()]
            if not match or match[0].kind != schema.CHOICE:
                fail(f"choices.{title}.{header}", None,
                     f"{tab.title}.{header} is not a column with allowed values",
                     "choice columns: " + ", ".join(f.header for f in tab.fields
                                                     if f.kind == schema.CHOICE))
            if "values" in spec:
                choices[(tab.key, match[0].key)] = tuple(spec["values"])
            if "aliases" in spec:
                aliases[(tab.key, match[0].key)] = dict(spec["aliases"])
    try:
        config.rules = Rules.build(
            stages=stages.get("order"), stage_aliases=stages.get("aliases"),
            choices=choices or None, aliases=aliases or None,
            dayfirst=bool(ws.get("dayfirst", False)), targets=raw.get("targets"),
        )
    except RulesError as err:
        section, _, key = err.key.rpartition(".")
        section = section or err.key
        fail(section, key.strip('"') or None, str(err.message),
             "an alias must point at one of the allowed values (check the spelling)")
    if "collapsed" in stages:
        config.collapsed_stages = tuple(stages["collapsed"])
