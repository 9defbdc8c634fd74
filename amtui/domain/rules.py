"""Workspace rules: allowed values and their aliases, date order, default KPI targets.

The config loader builds one with :meth:`Rules.build` from TOML; everything else reads it.

    >>> rules = Rules.build(stage_aliases={"进行中": "in progress"})
    >>> rules.stages[:3]
    ('Intake', 'Planning', 'In Progress')
    >>> rules.aliases_for("projects", "stage")
    {'进行中': 'In Progress'}
    >>> try:
    ...     Rules.build(stage_aliases={"进行中": "Doing"})
    ... except RulesError as exc:
    ...     print(exc.key)
    stages.aliases."进行中"
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from amtui.domain import schema
from amtui.domain.i18n import _
from amtui.domain.text import fold

DEFAULT_TARGETS: dict[str, float] = {
    "csat": 4.2,  # mean client rating
    "on_time": 90.0,  # percent of deliveries on or before Due
    "revenue": 0.0,  # 0 = no revenue target
    "response_hours": 24.0,  # feedback answered within
}


class RulesError(ValueError):
    """A bad rule in the config; ``key`` is its TOML path, e.g. ``stages.aliases."进行中"``."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def _default_choices() -> dict[tuple[str, str], tuple[str, ...]]:
    return {
        (tab.key, f.key): f.choices
        for tab in schema.TABS.values()
        for f in tab.fields
        if f.kind == schema.CHOICE
    }


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Rules:
    """Allowed values per (tab key, field key), aliases, ``dayfirst`` and default targets."""

    choices: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=_default_choices)
    aliases: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    dayfirst: bool = False
    # The sheet's own word for an allowed value (a Chinese sheet's 已交付 for Delivered): read
    # as that value and written instead of it, so the sheet keeps speaking its language.
    names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # The workspace's date, for a date typed without a year (12月3日); None: the real date.
    today: date | None = None
    default_targets: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS))

    @classmethod
    def default(cls) -> Rules:
        """The rules of PRODUCT.md: ``Rules.default().choices_for("clients", "tier")``."""
        return cls()

    @property
    def stages(self) -> tuple[str, ...]:
        """Project stages in board order."""
        return self.choices_for("projects", "stage")

    def choices_for(self, tab: str, field_key: str) -> tuple[str, ...]:
        """Allowed values of a choice field (the schema's when not configured)."""
        found = self.choices.get((tab, field_key))
        if found is None:
            return schema.TABS[tab].field(field_key).choices
        return found

    def aliases_for(self, tab: str, field_key: str) -> dict[str, str]:
        """Alias → allowed value for a choice field (empty when none)."""
        return self.aliases.get((tab, field_key), {})

    def sheet_word(self, tab: str, field_key: str, value: str) -> str:
        """What the sheet calls an allowed value (the value itself unless ``names`` say):

            >>> Rules.build(stage_names={"Delivered": "已交付"}).sheet_word(
            ...     "projects", "stage", "Delivered")
            '已交付'
        """
        words = self.names.get((tab, field_key))
        return words.get(value, value) if words else value

    @classmethod
    def build(
        cls,
        stages: Iterable[str] | None = None,
        stage_aliases: Mapping[str, str] | None = None,
        choices: Mapping[Any, Any] | None = None,
        aliases: Mapping[Any, Mapping[str, str]] | None = None,
        dayfirst: bool = False,
        targets: Mapping[str, Any] | None = None,
        names: Mapping[Any, Mapping[str, str]] | None = None,
        stage_names: Mapping[str, str] | None = None,
    ) -> Rules:
        """Rules from config values, checked; raises :class:`RulesError` on a bad rule.

        ``choices`` and ``aliases`` are keyed by ``(tab, field)`` or ``"Tab.Field"`` (tab key
        or title, field key or header, any case). A ``choices`` value is a list of allowed
        values or a table ``{"values": [...], "aliases": {...}}``, as in
        ``[choices.Feedback.Category]``.

            >>> Rules.build(choices={"Feedback.Category": ["Praise", "Complaint"]}).choices_for(
            ...     "feedback", "category")
            ('Praise', 'Complaint')
        """
        rules = cls(dayfirst=bool(dayfirst))
        pending: list[tuple[tuple[str, str], str, Mapping[str, str]]] = []
        for raw_key, spec in (choices or {}).items():
            key, label = _field_ref(raw_key)
            values, extra = _split_spec(spec, f"choices.{label}")
            rules.choices[key] = _check_values(values, f"choices.{label}", key)
            if extra:
                pending.append((key, f"choices.{label}.aliases", extra))
        for raw_key, table in (aliases or {}).items():
            key, label = _field_ref(raw_key)
            pending.append((key, f"choices.{label}.aliases", table))
        if stages is not None:
            rules.choices[("projects", "stage")] = _check_values(
                stages, "stages.order", ("projects", "stage"))
        if stage_aliases:
            pending.append((("projects", "stage"), "stages.aliases", stage_aliases))
        named = [(*_field_ref(k), t) for k, t in (names or {}).items()]
        if stage_names:
            named.append((("projects", "stage"), "stages", stage_names))
        for key, label, table in named:
            where = f"{label}.names" if label == "stages" else f"choices.{label}.names"
            words = _check_names(table, rules.choices_for(*key), where)
            rules.names.setdefault(key, {}).update(words)
            # a name is read as its value: an alias the other way round
            pending.append((key, where, {word: value for value, word in words.items()}))
        for key, where, table in pending:
            merged = rules.aliases.setdefault(key, {})
            merged.update(_check_aliases(table, rules.choices_for(*key), where))
        rules.default_targets.update(_check_targets(targets or {}))
        return rules


def _field_ref(raw_key: Any) -> tuple[tuple[str, str], str]:
    """``("feedback", "category")`` or ``"Feedback.Category"`` → key and a label for errors.

    The label is the TOML spelling: as written for text keys, ``Tab.Header`` for tuples.
    """
    given = isinstance(raw_key, str)
    parts = raw_key.split(".", 1) if given else list(raw_key)
    label = raw_key if given else ".".join(str(p) for p in parts)
    where = f"choices.{label}"
    if len(parts) != 2:
        raise RulesError(where, _("name a field as Tab.Field, e.g. Feedback.Category"))
    try:
        tab = schema.tab_for(str(parts[0]))
    except KeyError:
        raise RulesError(where, _("no tab {name}").format(name=repr(parts[0]))) from None
    wanted = str(parts[1]).strip().casefold()
    for f in tab.fields:
        if wanted in (f.key.casefold(), f.header.casefold()):
            if f.kind != schema.CHOICE:
                raise RulesError(where, _("{column} is not a choice field").format(
                    column=f"{tab.title}.{f.header}"))
            return (tab.key, f.key), (label if given else f"{tab.title}.{f.header}")
    raise RulesError(where, _("{tab} has no field {name}").format(tab=tab.title,
                                                                   name=repr(parts[1])))


def _split_spec(spec: Any, where: str) -> tuple[Any, Mapping[str, str]]:
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"values", "aliases"}
        if unknown:
            raise RulesError(where, _("unknown setting {name} (use values, aliases)").format(
                name=repr(sorted(unknown)[0])))
        if "values" not in spec:
            raise RulesError(where, _("missing values = [...]"))
        return spec["values"], spec.get("aliases") or {}
    return spec, {}


def _check_values(values: Any, where: str, key: tuple[str, str]) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise RulesError(where, _("must be a list of values"))
    out: list[str] = []
    seen: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise RulesError(where, _("values must be non-blank text (got {value})").format(
                value=repr(value)))
        text = " ".join(value.split())
        if fold(text) in seen:
            raise RulesError(where, _("{value} is listed twice").format(value=_quoted(text)))
        seen[fold(text)] = text
        out.append(text)
    if not out:
        raise RulesError(where, _("needs at least one value"))
    if key == ("projects", "stage"):
        # KPIs count delivered projects by this exact name.
        if fold(schema.DELIVERED) not in seen:
            raise RulesError(where, _("must include {value} (KPIs count deliveries)").format(
                value=repr(schema.DELIVERED)))
        out = [schema.DELIVERED if fold(v) == fold(schema.DELIVERED) else v
               for v in out]
    return tuple(out)


def _check_aliases(table: Any, allowed: tuple[str, ...], where: str) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise RulesError(where, _("must be a table of alias = value"))
    canonical = {fold(v): v for v in allowed}
    out: dict[str, str] = {}
    for alias, target in table.items():
        key = f"{where}.{_quoted(str(alias))}"
        if not isinstance(alias, str) or not alias.strip():
            raise RulesError(key, _("an alias must be non-blank text"))
        found = canonical.get(fold(target)) if isinstance(target, str) else None
        if found is None:
            raise RulesError(key, _("{value} is not an allowed value (use one of {allowed})")
                             .format(value=_quoted(str(target)), allowed=", ".join(allowed)))
        clash = canonical.get(fold(alias))
        if clash is not None and clash != found:
            raise RulesError(key, _("{alias} is already the allowed value {value}").format(
                alias=_quoted(alias), value=_quoted(clash)))
        out[alias] = found
    return out


def _check_names(table: Any, allowed: tuple[str, ...], where: str) -> dict[str, str]:
    """``{value: word}``: each key an allowed value (any case), each word non-blank text."""
    if not isinstance(table, Mapping):
        raise RulesError(where, _("must be a table of value = word"))
    canonical = {fold(v): v for v in allowed}
    out: dict[str, str] = {}
    for value, word in table.items():
        key = f"{where}.{_quoted(str(value))}"
        found = canonical.get(fold(value)) if isinstance(value, str) else None
        if found is None:
            raise RulesError(key, _("{value} is not an allowed value (use one of {allowed})")
                             .format(value=_quoted(str(value)), allowed=", ".join(allowed)))
        if not isinstance(word, str) or not word.strip():
            raise RulesError(key, _("a name must be non-blank text"))
        out[found] = " ".join(word.split())
    return out


def _check_targets(targets: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in targets.items():
        key = f"targets.{name}"
        if name not in DEFAULT_TARGETS:
            raise RulesError(key, _("unknown target (use one of {names})").format(
                names=", ".join(DEFAULT_TARGETS)))
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not math.isfinite(number) or number < 0:
            raise RulesError(key, _("must be a number of 0 or more (got {value})").format(
                value=repr(value)))
        out[name] = number
    return out
