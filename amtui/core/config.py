"""The TOML config: where the workspace lives, which sheet it syncs with, and the team's names
for tabs, headers, stages and targets.

Found by ``--config PATH``, then ``$AMTUI_CONFIG``, then the user config folder
(``platformdirs``). Relative paths are relative to the config file. Every problem is one
``ConfigError`` naming the file, the line and the fix::

    try:
        config = load_config(Path("config.toml"))
    except ConfigError as err:
        print(err)   # config.toml:12: [sheet] backend must be "google" or "xlsx" ...

The :class:`Config` dataclass is the schema: a field declared with :func:`setting` names its
TOML section, its type and an example, and is checked and filled by :func:`load_config`
(adding a key is one line there). ``allow_deletes = "false"`` is refused, never read as true.
Tables with free keys (``[tabs]``, ``[headers.*]``, ``[choices.*]``, ``[keys]``,
``[stages.aliases]``) are checked by hand below.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs

from amtui.domain import schema
from amtui.domain.i18n import N_, _
from amtui.domain.rules import DEFAULT_TARGETS, Rules, RulesError

# What a value must be (the kinds of :func:`setting`).
BOOL, INT, NUMBER, TEXT, PATH, DATE, TEXT_LIST, TEXT_TABLE, NUMBER_TABLE = (
    "bool", "int", "number", "text", "path", "date", "text list", "text table", "number table")
BACKENDS = ("google", "xlsx")
LANGUAGES = ("auto", "en", "zh-CN")
MONEY_FORMATS = ("full", "wan")
TRUE_WORDS = {"true", "yes", "y", "on", "1"}
FALSE_WORDS = {"false", "no", "n", "off", "0"}


@dataclass(frozen=True)
class Setting:
    """How one config key is written: ``[section] key`` holding a ``kind`` of value.

    ``key=None`` means the whole section is one table (``[keys]``, ``[targets]``) whose keys are
    ``known`` (or free when ``known`` is None). ``example`` is a TOML value shown in fixes.
    ``choices`` limits a text to those values; ``low`` is the smallest number allowed
    (``above=True``: numbers must be larger). ``meaning`` words the rule in messages.
    """

    section: str
    key: str | None
    kind: str
    example: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    above: bool = False
    known: tuple[str, ...] | None = None
    meaning: str = ""


def setting(section: str, key: str | None, kind: str, default: Any, example: str,
            **options: Any) -> Any:
    """A :class:`Config` field read from ``[section] key``; see :class:`Setting`."""
    spec = Setting(section, key, kind, example, **options)
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata={"toml": spec})
    return field(default=default, metadata={"toml": spec})


# Sections whose keys are not fields of Config: checked by _tabs_and_headers and _rules.
FREE_SECTIONS = ("tabs", "headers", "choices", "notify")


class ConfigError(Exception):
    """A config problem, worded for the person who has to fix the file."""

    def __init__(self, path: Path | str, line: int | None, message: str, fix: str = ""):
        self.path, self.line, self.message, self.fix = Path(path), line, message, fix
        where = f"{self.path}:{line}" if line else str(self.path)
        text = f"{where}: {message}"
        if fix:
            text += "\n  " + _("fix: {fix}").format(fix=fix)
        super().__init__(text)


@dataclass
class Config:
    path: Path
    # [workspace]
    name: str = setting("workspace", "name", TEXT, "amtui", '"Acme agency"')
    database: Path = setting("workspace", "database", PATH, Path("amtui.db"), '"amtui.db"')
    today: date | None = setting("workspace", "today", DATE, None, '"2026-11-26"')
    dayfirst: bool = setting("workspace", "dayfirst", BOOL, False, "false")
    demo: bool = setting("workspace", "demo", BOOL, False, "false")
    # [sheet]
    backend: str = setting("sheet", "backend", TEXT, "xlsx", '"google"', choices=BACKENDS,
                           meaning=N_('"google" (a Google Sheet) or "xlsx" '
                                      "(a local workbook file)"))
    spreadsheet: str = setting("sheet", "spreadsheet", TEXT, "", '"team.xlsx"')
    credentials: Path | None = setting("sheet", "credentials", PATH, None,
                                       '"service-account.json"')
    oauth_client: Path | None = setting("sheet", "oauth_client", PATH, None,
                                        '"oauth-client.json"')
    endpoint: str | None = setting("sheet", "endpoint", TEXT, None, '"http://127.0.0.1:8787"')
    # [sync]
    interval: int = setting("sync", "interval", INT, 300, "300", low=0,
                            meaning=N_("whole seconds (0 = off)"))
    conflict_policy: str = setting("sync", "conflict_policy", TEXT, "ask", '"ask"',
                                   choices=("ask",), meaning=N_('"ask" (conflicts are always '
                                                                 "kept for a person to decide)"))
    allow_deletes: bool = setting("sync", "allow_deletes", BOOL, False, "false")
    poll_interval: float = setting("sync", "poll_interval", NUMBER, 5.0, "5", low=0,
                                   meaning=N_("a number of seconds (0 = off)"))
    full_interval: float = setting("sync", "full_interval", NUMBER, 600.0, "600", low=0,
                                   meaning=N_("a number of seconds"))
    push_delay: float = setting("sync", "push_delay", NUMBER, 2.0, "2", low=0,
                                meaning=N_("a number of seconds"))
    # [stages] (order and aliases become part of `rules`)
    stage_order: list[str] | None = setting("stages", "order", TEXT_LIST, None,
                                            '["Intake", "In Progress", "Delivered"]')
    collapsed_stages: tuple[str, ...] = setting("stages", "collapsed", TEXT_LIST,
                                                ("On Hold", "Cancelled"),
                                                '["On Hold", "Cancelled"]')
    stage_aliases: dict[str, str] = setting("stages", "aliases", TEXT_TABLE, {},
                                            '{ "WIP" = "In Progress" }')
    # the sheet's own word for a stage (read as the stage, written instead of it)
    stage_names: dict[str, str] = setting("stages", "names", TEXT_TABLE, {},
                                          '{ Delivered = "已交付" }')
    # [targets] (defaults for `rules`)
    targets: dict[str, float] = setting("targets", None, NUMBER_TABLE, {}, "4.2", low=0,
                                        known=tuple(DEFAULT_TARGETS))
    # [ui]
    theme: str = setting("ui", "theme", TEXT, "amtui", '"amtui"')
    standup_minutes: float = setting("ui", "standup_minutes", NUMBER, 2.0, "2", low=0,
                                     above=True, meaning=N_("minutes per person, more than 0"))
    language: str = setting("ui", "language", TEXT, "auto", '"auto"', choices=LANGUAGES)
    money: str = setting("ui", "money", TEXT, "full", '"full"', choices=MONEY_FORMATS,
                         meaning=N_('"full" (¥1,234,567) or "wan" (¥123.5万)'))
    # [keys] binding id -> key(s)
    keys: dict[str, str] = setting("keys", None, TEXT_TABLE, {}, '"ctrl+right"')
    # built from the sections above
    tab_titles: dict[str, str] = field(default_factory=dict)  # tab key -> title in the sheet
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # tab -> field -> header
    rules: Rules = field(default_factory=Rules.default)
    notify: NotifyConfig = field(default_factory=lambda: NotifyConfig())

    @property
    def folder(self) -> Path:
        return self.path.parent

    def title_of(self, tab: str) -> str:
        return self.tab_titles.get(tab, schema.TABS[tab].title)

    def header_of(self, tab: str, key: str) -> str:
        return self.headers.get(tab, {}).get(key, schema.TABS[tab].header_of(key))


SETTINGS: dict[str, Setting] = {f.name: f.metadata["toml"] for f in fields(Config)
                                if "toml" in f.metadata}


def known_keys() -> dict[str, set[str] | None]:
    """Each section and its keys (None: keys are free or checked elsewhere).

    >>> sorted(known_keys()["sync"])[:3]
    ['allow_deletes', 'conflict_policy', 'full_interval']
    """
    known: dict[str, set[str] | None] = {}
    for spec in SETTINGS.values():
        if spec.key is None:
            known[spec.section] = set(spec.known) if spec.known else None
        else:
            keys = known.setdefault(spec.section, set())
            if keys is not None:
                keys.add(spec.key)
    for section in FREE_SECTIONS:
        known[section] = None
    return known


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("amtui")) / "config.toml"


def demo_folder() -> Path:
    return Path(platformdirs.user_data_dir("amtui")) / "demo"


def emulator_demo_folder() -> Path:
    """Where ``amtui demo --emulator`` keeps its workspace unless ``--path`` says otherwise."""
    return Path(platformdirs.user_data_dir("amtui")) / "emulator-demo"


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
        raise ConfigError(path, None, _("config file not found"),
                          _("check the path, or run `amtui demo` to create a workspace")
                          ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None,
                          _("cannot read the config: {error}").format(error=exc)) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_message(str(exc))
        raise ConfigError(path, line, _("TOML syntax error: {error}").format(
            error=_strip_position(str(exc))), _("see config.example.toml for the format")
                          ) from None
    return _build(path, text, raw)


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message)


def line_of(text: str, section: str, key: str | None = None) -> int | None:
    """The line where ``[section]`` (and ``key`` inside it) is written, for error messages.

    A key written at the top of the file (``key = ...`` or ``section.key = ...``) is found too.

    >>> line_of('[sheet]\\nbackend = "x"\\n[sync]\\ninterval = 5\\n', "sync", "interval")
    4
    >>> line_of('sync.interval = 5\\n', "sync", "interval")
    1
    """
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\.", r"\s*\.\s*")
                        + r"\s*\]")
    start = next((i for i, ln in enumerate(lines) if header.match(ln)), None)
    if start is None:
        # a dotted key or inline table before any [section]: `sync.interval = 5`, `sync = {...}`
        dotted = re.compile(r'^\s*["\']?' + re.escape(section) + r'["\']?\s*(\.|=)')
        for i, ln in enumerate(lines):
            if ln.lstrip().startswith("["):
                break
            if dotted.match(ln):
                return i + 1
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


def did_you_mean(word: str, candidates, *, quote: str = "`") -> str:
    """``"did you mean `interval`? "`` for a near miss (any case), else ``""``.

    >>> did_you_mean("intervall", ["interval", "allow_deletes"])
    'did you mean `interval`? '
    >>> did_you_mean("zh-cn", ["auto", "en", "zh-CN"], quote='"')
    'did you mean "zh-CN"? '
    >>> did_you_mean("colour", ["interval"])
    ''
    """
    near = closest(word, candidates)
    return _("did you mean {name}? ").format(name=f"{quote}{near}{quote}") if near else ""


def closest(word: Any, candidates) -> str | None:
    """The candidate nearest to ``word`` (ignoring case), if one is near enough."""
    names = {str(c).casefold(): str(c) for c in candidates}
    close = difflib.get_close_matches(str(word).casefold(), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def toml_key(key: str) -> str:
    """A key as it is written in TOML: bare when it can be, else quoted.

    >>> toml_key("interval"), toml_key("board.move_next")
    ('interval', '"board.move_next"')
    """
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def toml_value(value: Any) -> str:
    """A value as it is written in TOML, for messages: ``"false"``, ``false``, ``5``.

    >>> toml_value("false"), toml_value(False), toml_value(["a", 1])
    ('"false"', 'false', '["a", 1]')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


class _Wrong(Exception):
    """A value of the wrong type or range: ``must`` says what it has to be, ``fix`` how."""

    def __init__(self, must: str, fix: str, key: str | None = None, value: Any = None):
        super().__init__(must)
        self.must, self.fix, self.key, self.value = must, fix, key, value


def _number(spec: Setting, name: str, value: Any, whole: bool) -> float | int:
    what = _(spec.meaning) if spec.meaning else (_("a whole number") if whole else _("a number"))
    example = _("e.g. {example}").format(example=f"{name} = {spec.example}")
    if isinstance(value, str):
        try:
            written = int(value.strip()) if whole else float(value.strip())
        except ValueError:
            raise _Wrong(_("must be {what}").format(what=what), example) from None
        raise _Wrong(_("must be {what}, written without quotes").format(what=what),
                     _("write {setting}").format(setting=f"{name} = {written:g}"))
    ok_type = isinstance(value, int) if whole else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type or not math.isfinite(value):
        raise _Wrong(_("must be {what}").format(what=what), example)
    if spec.low is not None and (value <= spec.low if spec.above else value < spec.low):
        limit = (_("more than {low}") if spec.above else _("{low} or more")).format(
            low=f"{spec.low:g}")
        raise _Wrong(_("must be {what}").format(what=limit), example)
    return float(value) if not whole else value


def _text(spec: Setting, name: str, value: Any) -> str:
    if spec.choices and value not in spec.choices:
        quoted = [toml_value(c) for c in spec.choices]
        options = quoted[0] if len(quoted) == 1 else _("{first} or {last}").format(
            first=", ".join(quoted[:-1]), last=quoted[-1])
        hint = did_you_mean(value, spec.choices, quote='"') if isinstance(value, str) else ""
        raise _Wrong(_("must be {what}").format(what=options),
                     hint + _("use {setting}").format(
                         setting=f"{name} = {_(spec.meaning) if spec.meaning else options}"))
    if not isinstance(value, str):
        raise _Wrong(_("must be text, in quotes"),
                     _("write {setting}").format(
                         setting=f"{toml_key(name)} = {toml_value(str(value))}")
                     if isinstance(value, (int, float))
                     else _("e.g. {example}").format(example=f"{name} = {spec.example}"))
    return value


def check_value(spec: Setting, name: str, value: Any) -> Any:
    """``value`` as ``spec`` wants it, or :class:`_Wrong` saying what it must be and how.

    >>> check_value(SETTINGS["interval"], "interval", 5)
    5
    >>> check_value(SETTINGS["allow_deletes"], "allow_deletes", "false")
    Traceback (most recent call last):
    ...
    amtui.core.config._Wrong: must be true or false, written without quotes
    """
    kind = spec.kind
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            meant = "true" if value.strip().lower() in TRUE_WORDS else "false"
            raise _Wrong(_("must be true or false, written without quotes"),
                         _("write {setting}").format(setting=f"{name} = {meant}"))
        raise _Wrong(_("must be true or false"), _("write {yes} or {no}").format(
            yes=f"{name} = true", no=f"{name} = false"))
    if kind in (INT, NUMBER):
        return _number(spec, name, value, whole=kind == INT)
    if kind in (TEXT, PATH):
        return _text(spec, name, value)
    if kind == DATE:
        # a TOML date (today = 2026-11-26) or a quoted one
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise _Wrong(_("is not a date"),
                         _('write it as today = "2026-11-26", or remove it to use the real date')
                         ) from None
    if kind == TEXT_LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Wrong(_("must be a list of text"),
                         _("e.g. {example}").format(example=f"{name} = {spec.example}"))
        return value
    if kind in (TEXT_TABLE, NUMBER_TABLE):
        if not isinstance(value, dict):
            raise _Wrong(_("must be a table of names and values"),
                         _("e.g. {example}").format(example=spec.example))
        return value
    raise AssertionError(f"unknown kind {kind!r}")  # a typo in the Config declarations


def _build(path: Path, text: str, raw: dict) -> Config:
    def fail(section, key, message, fix=""):
        line = line_of(text, section, key)
        while line is None and "." in section:  # an inline table: point at its parent's line
            section, _dot, key = section.rpartition(".")
            line = line_of(text, section, key)
        raise ConfigError(path, line, message, fix)

    known = known_keys()
    _check_keys(raw, known, fail)
    config = Config(path=path.resolve())
    for attr, spec in SETTINGS.items():
        table = raw.get(spec.section, {})
        if spec.key is not None and spec.key not in table:
            if spec.kind == PATH:  # a default path is relative to the config file too
                setattr(config, attr, _relative(path, getattr(config, attr)))
            continue
        name = spec.key or spec.section
        value = table[spec.key] if spec.key else table
        try:
            value = check_value(spec, name, value)
            if spec.kind in (TEXT_TABLE, NUMBER_TABLE):
                value = _table(spec, value)
        except _Wrong as wrong:
            if wrong.key and spec.key:  # an entry of a table like [stages.aliases]
                section, key, shown = f"{spec.section}.{spec.key}", wrong.key, wrong.value
            else:
                section, key = spec.section, wrong.key or spec.key
                shown = wrong.value if wrong.key else value
            fail(section, key, _("{setting} {must}").format(
                setting=f"{toml_key(key or name)} = {toml_value(shown)}", must=wrong.must),
                 wrong.fix)
        if spec.kind == PATH:
            value = _relative(path, value)
        setattr(config, attr, value)
    if "name" not in raw.get("workspace", {}):
        config.name = path.resolve().parent.name or "amtui"
    config.collapsed_stages = tuple(config.collapsed_stages)
    _sheet(config, raw.get("sheet", {}), fail)
    _tabs_and_headers(config, raw, fail)
    _rules(config, raw, fail)
    config.notify = parse_notify(raw.get("notify", {}), fail, config.folder)
    return config


def _table(spec: Setting, table: dict) -> dict:
    """Each value of a ``[keys]``/``[targets]``-like table checked as its kind's scalar."""
    scalar = Setting(spec.section, None, TEXT if spec.kind == TEXT_TABLE else NUMBER,
                     spec.example, low=spec.low)
    out = {}
    for key, value in table.items():
        try:
            out[str(key)] = check_value(scalar, str(key), value)
        except _Wrong as wrong:
            raise _Wrong(wrong.must, wrong.fix, str(key), value) from None
    return out


def _relative(path: Path, value: str | None) -> Path | None:
    if value is None:
        return None
    p = Path(os.path.expanduser(str(value)))
    return p if p.is_absolute() else (path.resolve().parent / p)


def _check_keys(raw: dict, known: dict[str, set[str] | None], fail) -> None:
    """Unknown sections and keys, with a "did you mean" for near misses and moved keys."""
    home = {key: section for section, keys in known.items() for key in keys or ()}
    for section, value in raw.items():
        if section not in known:
            if not isinstance(value, dict) and section in home:
                fail(section, None, _("{key} must be inside {section}").format(
                    key=section, section=f"[{home[section]}]"),
                     _("move {key} = ... under the {section} line").format(
                         key=section, section=f"[{home[section]}]"))
            near = closest(section, known)
            hint = _("did you mean {name}? ").format(name=f"[{near}]") if near else ""
            fail(section, None, _("unknown section {section}").format(section=f"[{section}]"),
                 hint + _("known sections: {names}").format(names=", ".join(known)))
        if not isinstance(value, dict):
            fail(section, None, _("{setting} must be a {section} section").format(
                setting=f"{section} = {toml_value(value)}", section=f"[{section}]"),
                 _("write {section} on its own line, with its keys below it").format(
                     section=f"[{section}]"))
        allowed = known[section]
        if allowed is None:
            continue
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                if not hint and key in home:
                    hint = _("{key} belongs in {section}: move it there; ").format(
                        key=key, section=f"[{home[key]}]")
                fail(section, key, _("unknown key {key} in {section}").format(
                    key=repr(key), section=f"[{section}]"),
                     hint + _("known keys: {names}").format(names=", ".join(sorted(allowed))))


def _sheet(config: Config, sheet: dict, fail) -> None:
    """The rules between [sheet] keys: a spreadsheet, and credentials for a Google sheet."""
    if not config.spreadsheet:
        fail("sheet", None, _("[sheet] spreadsheet is missing"),
             _('set spreadsheet = "https://docs.google.com/spreadsheets/d/..." or "team.xlsx"'))
    if config.backend == "xlsx":
        config.spreadsheet = str(_relative(config.path, config.spreadsheet))
    config.endpoint = config.endpoint or None
    if config.backend != "google":
        config.credentials = config.oauth_client = None
        return
    if not config.credentials and not config.oauth_client:
        fail("sheet", None, _("a Google sheet needs credentials"),
             _('set credentials = "service-account.json" (or oauth_client = "client.json")'))
    if config.credentials and not config.credentials.exists():
        fail("sheet", "credentials", _("credentials file {path} does not exist").format(
            path=config.credentials),
             _("download the service account's JSON key from the Google Cloud console "
               "and put its path here"))
    if config.oauth_client and not config.oauth_client.exists():
        fail("sheet", "oauth_client", _("OAuth client file {path} does not exist").format(
            path=config.oauth_client),
             _("download the OAuth client (Desktop app) JSON and put its path here"))


def _tab(title: Any, section: str, key: str | None, fail) -> schema.Tab:
    try:
        return schema.tab_for(str(title))
    except KeyError:
        titles = [t.title for t in schema.TABS.values()]
        fail(section, key, _("unknown tab {tab} in {section}").format(
            tab=repr(title), section=f"[{section}]"),
             did_you_mean(title, titles) + _("tabs are {names}").format(names=", ".join(titles)))
        raise  # fail raised already; this keeps type checkers sure `tab` is bound


def _tabs_and_headers(config: Config, raw: dict, fail) -> None:
    for title, renamed in raw.get("tabs", {}).items():
        tab = _tab(title, "tabs", title, fail)
        if not isinstance(renamed, str):
            fail("tabs", title, _("{setting} must be text, in quotes").format(
                setting=f"{title} = {toml_value(renamed)}"),
                 _("write {setting}").format(setting=f'{title} = "{renamed}"'))
        config.tab_titles[tab.key] = renamed
    for title, mapping in raw.get("headers", {}).items():
        if not isinstance(mapping, dict):
            fail("headers", title, _('{section} must be a table of Header = "name"').format(
                section=f"[headers] {title}"),
                 _('write {section} on its own line, then e.g. Stage = "阶段"').format(
                     section=f"[headers.{title}]"))
        try:
            tab = schema.tab_for(str(title))
        except KeyError:
            titles = [t.title for t in schema.TABS.values()]
            fail(f"headers.{title}", None, _("unknown tab {tab} in {section}").format(
                tab=repr(title), section=f"[headers.{title}]"),
                 did_you_mean(title, titles)
                 + _("tabs are {names}").format(names=", ".join(titles)))
        by_header = {f.header.lower(): f.key for f in tab.fields}
        for header, renamed in mapping.items():
            key = by_header.get(str(header).lower())
            if key is None:
                columns = [f.header for f in tab.fields]
                fail(f"headers.{title}", header, _("{tab} has no column {name}").format(
                    tab=tab.title, name=repr(header)),
                     did_you_mean(header, columns)
                     + _("columns are {names}").format(names=", ".join(columns)))
            if not isinstance(renamed, str):
                fail(f"headers.{title}", header,
                     _("{setting} must be text, in quotes").format(
                         setting=f"{header} = {toml_value(renamed)}"),
                     _("write {setting}").format(setting=f'{header} = "{renamed}"'))
            config.headers.setdefault(tab.key, {})[key] = renamed


CHOICE_KEYS = ("values", "aliases", "names")


def _rules(config: Config, raw: dict, fail) -> None:
    choices = {}
    aliases = {}
    names = {}
    for title, columns in raw.get("choices", {}).items():
        if not isinstance(columns, dict):
            fail("choices", title, _("{section} must be a table").format(
                section=f"[choices] {title}"),
                 _("write {section} with values = [...] below it").format(
                     section=f"[choices.{title}.Column]"))
        tab = _tab(title, "choices", title, fail)
        for header, spec in columns.items():
            where = f"choices.{title}.{header}"
            match = [f for f in tab.fields if f.header.lower() == str(header).lower()]
            if not match or match[0].kind != schema.CHOICE:
                columns_ok = [f.header for f in tab.fields if f.kind == schema.CHOICE]
                fail(where, None, _("{column} is not a column with allowed values").format(
                    column=f"{tab.title}.{header}"),
                     did_you_mean(header, columns_ok)
                     + _("choice columns: {names}").format(names=", ".join(columns_ok)))
            if not isinstance(spec, dict):
                fail(where, None, _("{section} must be a table").format(section=f"[{where}]"),
                     _('write values = ["..."] (and aliases = { "word" = "value" }) below it'))
            for key in spec:
                if key not in CHOICE_KEYS:
                    fail(where, key, _("unknown key {key} in {section}").format(
                        key=repr(key), section=f"[{where}]"),
                         did_you_mean(key, CHOICE_KEYS)
                         + _("known keys: {names}").format(names=", ".join(CHOICE_KEYS)))
            if "values" in spec:
                values = spec["values"]
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    fail(where, "values", _("{setting} must be a list of text").format(
                        setting=f"values = {toml_value(values)}"),
                         _("e.g. {example}").format(example='values = ["Praise", "Complaint"]'))
                choices[(tab.key, match[0].key)] = tuple(values)
            if "aliases" in spec:
                table = spec["aliases"]
                if not isinstance(table, dict) or not all(
                        isinstance(v, str) for v in table.values()):
                    fail(where, "aliases", _("aliases must be a table of text"),
                         _("e.g. {example}").format(example='aliases = { "投诉" = "Complaint" }'))
                aliases[(tab.key, match[0].key)] = dict(table)
            if "names" in spec:
                table = spec["names"]
                if not isinstance(table, dict) or not all(
                        isinstance(v, str) for v in table.values()):
                    fail(where, "names", _("names must be a table of text"),
                         _('e.g. names = {{ "Complaint" = "投诉" }}').format())
                names[(tab.key, match[0].key)] = dict(table)
    try:
        config.rules = Rules.build(
            stages=config.stage_order, stage_aliases=config.stage_aliases or None,
            choices=choices or None, aliases=aliases or None,
            dayfirst=config.dayfirst, targets=config.targets or None,
            names=names or None, stage_names=config.stage_names or None,
        )
        config.rules.today = config.today
    except RulesError as err:
        section, _dot, key = err.key.rpartition(".")
        section = section or err.key
        fail(section, key.strip('"') or None, str(err.message),
             _("an alias must point at one of the allowed values, and a name be one "
               "(check the spelling)") if ".names" in err.key else
             _("an alias must point at one of the allowed values (check the spelling)"))


# -- [notify]: reminders and digests (issue 11) ------------------------------------------
# Self-contained so it can move into the typed schema as it is.

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOTIFY_KEYS = {"targets", "managers", "rules", "secrets_file", "timezone", "quiet_hours",
               "weekdays", "in_app", "language", "max_attempts"}


@dataclass
class NotifyConfig:
    """``[notify]``: where reminders go (apprise URLs, ``${VAR}`` for secrets), when they may
    be sent, and the rules' settings (``[notify.rules]``)."""

    targets: tuple[str, ...] = ()
    managers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name or ID -> URLs
    rules: dict[str, dict] = field(default_factory=dict)  # rule -> {"enabled": .., setting: ..}
    secrets_file: Path | None = None
    timezone: str = ""  # "" = the machine's
    quiet_hours: tuple[str, str] | None = None  # ("21:00", "08:00")
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    in_app: bool = True  # the app runs the rules (and delivers) after each sync
    language: str = "auto"
    max_attempts: int = 5


def parse_notify(section, fail, folder: Path | None = None) -> NotifyConfig:
    """Check ``[notify]``; ``fail(section, key, message, fix)`` raises the ConfigError."""
    from amtui.domain.reminders import CHOICES, RULES

    out = NotifyConfig()
    if not isinstance(section, dict):
        fail("notify", None, _("notify must be a table"), _("write it as a [notify] section"))
    for key in section:
        if key not in NOTIFY_KEYS:
            fail("notify", key, _("unknown key {key} in {section}").format(
                key=repr(key), section="[notify]"),
                 _("known keys: {names}").format(names=", ".join(sorted(NOTIFY_KEYS))))

    def urls(value, sec, key) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            fail(sec, key, _("{key} must be a list of apprise URLs").format(key=key),
                 _("e.g. {example}").format(
                     example=f'{key} = ["mailto://user:${{MAIL_PASSWORD}}@example.com"]'))
        return tuple(v.strip() for v in value)

    out.targets = urls(section.get("targets", []), "notify", "targets")
    managers = section.get("managers", {})
    if not isinstance(managers, dict):
        fail("notify", "managers", _("managers must be a table of manager = [URLs]"),
             _('write [notify.managers] with lines like "Li Wei" = ["mailto://..."]'))
    out.managers = {str(k): urls(v, "notify.managers", k) for k, v in managers.items()}
    if "secrets_file" in section:
        value = section["secrets_file"]
        if not isinstance(value, str) or not value.strip():
            fail("notify", "secrets_file", _("secrets_file must be a file path"),
                 _('e.g. secrets_file = "notify-secrets.env" (lines of NAME=value)'))
        path = Path(os.path.expanduser(value))
        out.secrets_file = path if path.is_absolute() or folder is None else folder / path
    tz = section.get("timezone", "")
    if not isinstance(tz, str):
        fail("notify", "timezone", _("timezone must be text"),
             _("e.g. {example}").format(example='timezone = "Asia/Shanghai"'))
    if tz:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            fail("notify", "timezone", _("{setting} is not a known time zone").format(
                setting=f"timezone = {tz!r}"),
                 _('use an IANA name such as "Asia/Shanghai" or "Europe/London"'))
    out.timezone = tz
    quiet = section.get("quiet_hours")
    if quiet is not None:
        found = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*",
                             quiet) if isinstance(quiet, str) else None
        if not found or int(found[1]) > 23 or int(found[3]) > 23 or int(found[2]) > 59 \
                or int(found[4]) > 59:
            fail("notify", "quiet_hours", _("{setting} is not a time range").format(
                setting=f"quiet_hours = {quiet!r}"),
                 _('write it as quiet_hours = "21:00-08:00" (24-hour clock)'))
        out.quiet_hours = (f"{int(found[1]):02d}:{found[2]}", f"{int(found[3]):02d}:{found[4]}")
    days = section.get("weekdays", list(out.weekdays))
    if not isinstance(days, list) or not all(isinstance(d, str) and d[:3].lower() in WEEKDAYS
                                             for d in days):
        fail("notify", "weekdays", _("{setting} is not a list of days").format(
            setting=f"weekdays = {days!r}"),
             _("e.g. {example}").format(example='weekdays = ["mon", "tue", "wed", "thu", "fri"]'))
    out.weekdays = tuple(d[:3].lower() for d in days)
    for key in ("in_app",):
        if key in section and not isinstance(section[key], bool):
            fail("notify", key, _("{key} must be true or false").format(key=key),
                 _("e.g. {example}").format(example=f"{key} = true"))
    out.in_app = section.get("in_app", True)
    attempts = section.get("max_attempts", 5)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
        fail("notify", "max_attempts", _("{setting} must be a whole number of 1 or more").format(
            setting=f"max_attempts = {attempts!r}"),
             _("e.g. {example}").format(example="max_attempts = 5"))
    out.max_attempts = attempts
    lang = section.get("language", "auto")
    if lang not in ("auto", "en", "zh-CN"):
        fail("notify", "language", _("{setting} is not supported").format(
            setting=f"language = {lang!r}"),
             _('use "auto" (the UI language), "en" or "zh-CN"'))
    out.language = lang
    rules = section.get("rules", {})
    if not isinstance(rules, dict):
        fail("notify", "rules", _("rules must be a table"), _("write a [notify.rules] section"))
    for name, spec in rules.items():
        if name not in RULES:
            fail("notify.rules", name, _("unknown rule {name}").format(name=repr(name)),
                 _("rules are {names}").format(names=", ".join(RULES)))
        if isinstance(spec, bool):
            out.rules[name] = {"enabled": spec}
            continue
        if not isinstance(spec, dict):
            fail("notify.rules", name, _("{key} must be true, false or a table").format(key=name),
                 _("e.g. {example}").format(example=f"{name} = {{ enabled = true }}"))
        checked: dict = {}
        for key, value in spec.items():
            if key == "enabled":
                if not isinstance(value, bool):
                    fail("notify.rules", name, _("{key} must be true or false").format(
                        key=f"{name}.enabled"))
                checked[key] = value
            elif (name, key) in CHOICES:
                if value not in CHOICES[(name, key)]:
                    fail("notify.rules", name, _("{setting} is not allowed").format(
                        setting=f"{name}.{key} = {value!r}"),
                         _("use one of {names}").format(names=", ".join(CHOICES[(name, key)])))
                checked[key] = value
            elif key in RULES[name]:
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    fail("notify.rules", name, _("{setting} must be a number of 0 or more").format(
                        setting=f"{name}.{key} = {value!r}"),
                         _("e.g. {example}").format(
                             example=f"{name} = {{ {key} = {RULES[name][key]} }}"))
                checked[key] = value
            else:
                fail("notify.rules", name, _("{key} has no setting {name}").format(
                    key=name, name=repr(key)),
                     _("settings: {names}").format(names=", ".join(["enabled", *RULES[name]])))
        out.rules[name] = checked
    return out
