"""Checking stored records: unreadable values, unknown references, duplicates.

Stored values are canonical text, or the raw text a person typed when it could not be
read. Validation re-reads each value and reports what is wrong, never changing it.

    >>> from amtui.domain.rules import Rules
    >>> records = {"managers": [{"id": "M-001", "name": "Li Wei"}],
    ...            "feedback": [{"id": "F-00001", "manager": "li  wei", "rating": "9"}]}
    >>> [i.reason for i in validate_all(records, Rules.default())]
    ['rating must be 1 to 5 (got "9")']
    >>> prepare_edit("feedback", {"manager": "LI WEI", "rating": "4.0"}, Rules.default(),
    ...              RefIndex(records))
    ({'manager': 'Li Wei', 'rating': '4'}, [])
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _
from amtui.domain.parse import normalize, normalize_stored
from amtui.domain.rules import Rules
from amtui.domain.text import fold

# What one record of each tab is called in a sentence ("every review needs one").
_NOUN = {"managers": N_("manager"), "clients": N_("client"), "projects": N_("project"),
         "feedback": N_("feedback"), "targets": N_("target"), "reviews": N_("review"),
         "development": N_("development"), "updates": N_("update")}
_MATCHES = {"managers": N_('"{name}" matches {n} managers ({ids}); use the ID'),
            "clients": N_('"{name}" matches {n} clients ({ids}); use the ID'),
            "projects": N_('"{name}" matches {n} projects ({ids}); use the ID')}
_UNKNOWN = {"managers": N_('unknown manager "{name}" (not in Managers)'),
            "clients": N_('unknown client "{name}" (not in Clients)'),
            "projects": N_('unknown project "{name}" (not in Projects)')}


@dataclass(frozen=True)
class Issue:
    """One problem with one stored value; ``address`` (``Projects!F14``) is set by the sync."""

    tab: str
    record_id: str
    field: str
    value: str
    reason: str
    address: str = ""

    def __str__(self) -> str:
        where = self.address or _("{tab} {id}").format(
            tab=schema.tab_label(self.tab), id=self.record_id or _("(no ID)"))
        return _("{where} {field}: {reason}").format(
            where=where, field=schema.label(self.tab, self.field), reason=shown_reason(self.reason))


# The name the screens still use for the one text normaliser (amtui.domain.text.fold).


class RefIndex:
    """Look up managers, clients and projects by name or ID.

        >>> refs = RefIndex({"managers": [{"id": "M-001", "name": "王芳"},
        ...                               {"id": "M-002", "name": "Li Wei"},
        ...                               {"id": "M-003", "name": "li wei"}]})
        >>> refs.resolve("managers", "王芳"), refs.resolve("managers", "m-002")
        ('M-001', 'M-002')
        >>> refs.lookup("managers", "Li Wei")
        (None, '"Li Wei" matches 2 managers (M-002, M-003); use the ID')
    """

    def __init__(self, records_by_tab: Mapping[str, list[dict]]):
        self._ids: dict[str, dict[str, str]] = {}  # tab → fold(id) → id
        self._names: dict[str, dict[str, list[str]]] = {}  # tab → fold(name) → ids
        self._name_of: dict[str, dict[str, str]] = {}  # tab → id → name
        self._sorted: dict[str, list[str]] = {}
        for tab in schema.REF_KINDS.values():
            self._add_tab(tab, records_by_tab.get(tab, ()))

    def _add_tab(self, tab: str, records) -> None:
        name_field = schema.TABS[tab].name_field
        ids, names, name_of = {}, {}, {}
        for record in records:
            rid = (record.get("id") or "").strip()
            name = (record.get(name_field) or "").strip()
            if rid:
                ids.setdefault(fold(rid), rid)
                name_of.setdefault(rid, name)
            if name:
                # A record without an ID yet (the sync fills it) still makes its name known.
                names.setdefault(fold(name), []).append(rid)
        self._ids[tab], self._names[tab], self._name_of[tab] = ids, names, name_of
        unique = {(record.get(name_field) or "").strip() for record in records}
        self._sorted[tab] = sorted((n for n in unique if n), key=lambda n: (fold(n), n))

    def lookup(self, tab: str, text: str) -> tuple[str | None, str]:
        """``(id, "")`` when ``text`` names exactly one record, else ``(None, reason)``.

        The id is ``""`` for a record that has no ID yet.
        """
        key = fold(text)
        matches = self._names.get(tab, {}).get(key)
        if matches and len(matches) == 1:
            return matches[0], ""
        if matches:
            shown = ", ".join(m or _("no ID") for m in matches[:5])
            return None, _(_MATCHES[tab]).format(name=text, n=len(matches), ids=shown)
        rid = self._ids.get(tab, {}).get(key)
        if rid is not None:
            return rid, ""
        return None, _(_UNKNOWN[tab]).format(name=text)

    def resolve(self, tab: str, text: str) -> str | None:
        """The record id ``text`` refers to (by name or ID), or None if unknown/ambiguous."""
        return self.lookup(tab, text)[0]

    def name_of(self, tab: str, record_id: str) -> str | None:
        """The name of the record with this ID, or None."""
        return self._name_of.get(tab, {}).get(record_id)

    def names(self, tab: str) -> list[str]:
        """Distinct names of a tab's records, sorted for pickers."""
        return list(self._sorted.get(tab, []))

    def display(self, tab: str, text: str) -> str | None:
        """How to store a reference: the record's exact name, or its ID when names clash."""
        rid, _reason = self.lookup(tab, text)
        if rid is None:
            return None
        if not rid:
            return " ".join(text.split())
        name = self.name_of(tab, rid) or ""
        if name and len(self._names[tab].get(fold(name), ())) == 1:
            return name
        return rid


def find_field(tab: str, name: str) -> schema.Field:
    """A field of ``tab`` by key or header, any case: ``find_field("feedback", "Rating")``."""
    table = schema.TABS[tab]
    wanted = name.strip().casefold()
    for f in table.fields:
        if name == f.key or wanted in (f.key.casefold(), f.header.casefold()):
            return f
    raise KeyError(_("{tab} has no field {name}").format(tab=schema.tab_label(tab),
                                                           name=repr(name)))


def check_field(
    tab: str, field_key: str, value: str, rules: Rules, refs: RefIndex | None = None
) -> str | None:
    """Why a stored value is wrong, or None if it is fine.

    >>> check_field("feedback", "rating", "9", Rules.default(), None)
    'rating must be 1 to 5 (got "9")'
    >>> check_field("clients", "tier", "b", Rules.default(), None)  # stored text is canonical
    'not in canonical form: "b" (reads as "B")'
    """
    f = schema.TABS[tab].field(field_key)
    value = value or ""
    if not value.strip():
        return _("required") if f.required else None
    if f.kind == schema.TEXT:
        return None
    if f.kind in schema.REF_KINDS:
        if refs is None:
            return None
        rid, reason = refs.lookup(schema.REF_KINDS[f.kind], value)
        return reason if rid is None else None
    parsed = normalize_stored(f, value, rules, tab=tab)
    if not parsed.ok:
        return parsed.reason
    if parsed.value != value:
        return _('not in canonical form: "{value}" (reads as "{canonical}")').format(
            value=value, canonical=parsed.value)
    return None


def missing_required(
    tab: str, record: Mapping[str, str], changed: object = None
) -> list[tuple[str, str]]:
    """The required-field rule, the same for the sync, the CLI and the forms:
    ``(field key, reason)`` for each required field left blank, and for a tab whose record
    must fill one of several fields (feedback: Text or Rating) when all are blank.

    ``changed`` (field keys) limits the check to rules that involve a changed field, so
    an edit is not refused for a gap it did not make.

    >>> missing_required("projects", {"client": "Acme Retail"})
    [('project', 'Project is required (every project needs one)')]
    >>> missing_required("feedback", {"source": "Client", "status": "New"})
    [('text', 'Text or Rating is required (feedback needs at least one)')]
    """
    table = schema.TABS[tab]
    noun = _(_NOUN.get(tab) or table.title.lower().rstrip("s"))
    out = []
    for f in table.fields:
        if f.required and not (record.get(f.key) or "").strip() and (
                changed is None or f.key in changed):
            out.append((f.key, _("{field} is required (every {noun} needs one)").format(
                field=schema.label(tab, f.key), noun=noun)))
    group = table.needs_one_of
    if group and (changed is None or any(k in changed for k in group)) and not any(
            (record.get(k) or "").strip() for k in group):
        first, *others = [schema.label(tab, k) for k in group]
        other = _(" or ").join(others)
        text = (_("{field} or {other} is required (feedback needs at least one)")
                if tab == "feedback" else
                _("{field} or {other} is required (a {noun} needs at least one)"))
        out.append((group[0], text.format(field=first, other=other, noun=noun)))
    return out


def edit_refusals(
    tab: str, record_id: str | None, current: Mapping[str, str] | None,
    changes: Mapping[str, str]
) -> list[str]:
    """Why an edit (canonical ``changes``) of a record must be refused, as a whole:
    the required-field rule on the record it would leave, and an ID that cannot change.

    ``current`` is the stored record (None when adding one; ``record_id`` then is None).

    >>> edit_refusals("projects", None, None, {"client": "Acme Retail"})
    ['Project is required (every project needs one)']
    >>> edit_refusals("projects", "P-0001", {"id": "P-0001", "project": "Site"},
    ...               {"id": "P-1234"})
    ['ID cannot be changed: P-0001 keeps its ID (add a new record to use P-1234)']
    """
    reasons = []
    new_id = (changes.get("id") or "").strip()
    if record_id is not None and new_id and new_id != record_id:
        reasons.append(_("ID cannot be changed: {id} keeps its ID "
                         "(add a new record to use {new_id})").format(id=record_id,
                                                                       new_id=new_id))
    merged = {**(current or {}), **changes}
    changed = None if current is None else set(changes)
    reasons += [reason for _key, reason in missing_required(tab, merged, changed)]
    return reasons


def check_record(
    tab: str, record: Mapping[str, str], rules: Rules, refs: RefIndex | None = None
) -> list[Issue]:
    """Issues of one record, in field order, then a missing one-of group."""
    rid = record.get("id") or ""
    issues = []
    for f in schema.TABS[tab].fields:
        value = record.get(f.key) or ""
        reason = check_field(tab, f.key, value, rules, refs)
        if reason:
            issues.append(Issue(tab, rid, f.key, value, reason))
    issues += _missing_group(tab, record)
    return issues


def _missing_group(tab: str, record: Mapping[str, str]) -> list[Issue]:
    """The one-of part of :func:`missing_required` (single required fields say "required"
    through :func:`check_field`, as the sync always has)."""
    group = schema.TABS[tab].needs_one_of
    if not group or any((record.get(k) or "").strip() for k in group):
        return []
    rid = record.get("id") or ""
    return [Issue(tab, rid, key, "", reason) for key, reason in missing_required(tab, record)
            if key == group[0] and not schema.TABS[tab].field(key).required]


def validate_all(records_by_tab: Mapping[str, list[dict]], rules: Rules) -> list[Issue]:
    """Every issue in a workspace: bad values, unresolved references, duplicate IDs.

    Values repeat a lot (dates, stages, names), so each (field, value) is checked once.
    """
    refs = RefIndex(records_by_tab)
    issues: list[Issue] = []
    for tab in schema.TABS:
        records = records_by_tab.get(tab)
        if records:
            issues.extend(_validate_tab(tab, records, rules, refs))
    return issues


def _validate_tab(tab: str, records: list[dict], rules: Rules, refs: RefIndex) -> list[Issue]:
    checked = [f for f in schema.TABS[tab].fields if f.kind != schema.TEXT or f.required]
    group = schema.TABS[tab].needs_one_of
    memo: dict[str, dict[str, str | None]] = {f.key: {} for f in checked}
    seen_ids: set[str] = set()
    seen_targets: set[tuple[str, str]] = set()
    issues = []
    for record in records:
        rid = record.get("id") or ""
        if rid:
            if rid in seen_ids:
                issues.append(Issue(tab, rid, "id", rid,
                                    _('duplicate ID "{id}"').format(id=rid)))
            seen_ids.add(rid)
        for f in checked:
            value = record.get(f.key) or ""
            cache = memo[f.key]
            if value in cache:
                reason = cache[value]
            else:
                reason = cache[value] = check_field(tab, f.key, value, rules, refs)
            if reason:
                issues.append(Issue(tab, rid, f.key, value, reason))
        if group:
            issues.extend(_missing_group(tab, record))
        if tab == "targets":
            issues.extend(_duplicate_target(record, refs, seen_targets))
    return issues


def _duplicate_target(record, refs: RefIndex, seen: set[tuple[str, str]]) -> list[Issue]:
    """Two target rows for one manager and period would make KPIs pick one at random."""
    manager, period = record.get("manager") or "", record.get("period") or ""
    if not manager or not period:
        return []
    who = refs.resolve("managers", manager) or fold(manager)
    key = (who, period)
    if key in seen:
        return [Issue("targets", record.get("id") or "", "period", period,
                      _("duplicate target: {manager} already has a {period} row").format(
                          manager=manager, period=period))]
    seen.add(key)
    return []


def prepare_edit(
    tab: str, changes: Mapping[str, object], rules: Rules, refs: RefIndex | None = None
) -> tuple[dict[str, str], list[str]]:
    """Canonical values for a person's edit, and reasons for the fields that were refused.

    ``changes`` is keyed by field key or header. References are stored as the record's
    exact name (its ID when two records share the name). The caller refuses the whole edit
    when any reason comes back.

    >>> prepare_edit("feedback", {"Rating": "9", "received": "26/11/2026"}, Rules.default())
    ({'received': '2026-11-26'}, ['Rating: rating must be 1 to 5 (got "9")'])
    """
    values: dict[str, str] = {}
    reasons: list[str] = []
    for name, raw in changes.items():
        try:
            f = find_field(tab, name)
        except KeyError as exc:
            reasons.append(str(exc.args[0]))
            continue
        reason, value = prepare_value(tab, f, raw, rules, refs)
        if reason:
            reasons.append(_("{field}: {reason}").format(field=schema.label(tab, f.key),
                                                          reason=reason))
        else:
            values[f.key] = value
    return values, reasons


def prepare_value(
    tab: str, f: schema.Field, raw: object, rules: Rules, refs: RefIndex | None = None
) -> tuple[str, str]:
    """``(reason, "")`` when a typed value is refused, else ``("", value to store)``: what
    every entry path (CLI, forms, store) asks of one field.

    >>> from amtui.domain.schema import TABS
    >>> prepare_value("projects", TABS["projects"].field("project"), "  ", Rules.default())
    ('required', '')
    """
    parsed = normalize(f, raw, rules, tab=tab)
    if not parsed.ok:
        return parsed.reason, ""
    value = parsed.value
    if f.required and not value.strip():
        return _("required"), ""
    if f.kind in schema.REF_KINDS and value and refs is not None:
        target = schema.REF_KINDS[f.kind]
        shown = refs.display(target, value)
        if shown is None:
            return refs.lookup(target, value)[1], ""
        value = shown
    return "", value


# -- reasons in either language ------------------------------------------------------
# A problem's reason is kept in the store as an English sentence (old databases hold the
# same). It is shown in the UI's language: the sentence is read back into its catalog
# text and the values in it (not a date: "next Friday" (use YYYY-MM-DD) → 无法识别的日期：
# "next Friday"（请写成 ...）), so a language switch changes every stored problem at
# once. Reasons are made in English where problems are found (the sync's cell reader and
# Store.revalidate speak English through i18n.speaking, whatever the UI speaks). A
# sentence no catalog text matches is shown as it is.

# The sync's own problem texts (sync/reconcile.py writes them in English; it knows no
# catalog): here so the catalog has them and a stored one is shown translated.
SYNC_REASONS = (
    N_("header {header} appears {n} times in {tab}; rename the extra column"),
    N_("column {header} is missing from {tab} (renamed or deleted?); amtui will not write "
       "to this tab until the header is back"),
    N_("tab {tab} is missing from the sheet (run `amtui init-sheet` to add it)"),
    N_("duplicate ID {id} (a copied row?); this row is now {new}"),
)

# Placeholders that hold a word of the product (a field's name, what a record is called),
# translated with the sentence; every other placeholder holds a value, kept as written.
_WORD_PLACEHOLDERS = ("field", "other", "noun")
_PLACEHOLDER = re.compile(r"\{(\w*)(?:![rsa])?(?::[^{}]*)?\}")
_MIN_LITERAL = 6  # a text of mostly placeholders ("{a}: {b}") says too little to match
_START = 3


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, str], ...]:
    """(English msgid, Chinese msgstr) of every translated catalog text."""
    import gettext

    from babel.messages.mofile import read_mo

    found = gettext.find(i18n.DOMAIN, i18n.LOCALE_DIR, ["zh_CN"])
    if not found:
        return ()
    with open(found, "rb") as f:
        catalog = read_mo(f)
    return tuple((m.id, m.string) for m in catalog
                 if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string)


def _words(placeholder: str) -> frozenset[str]:
    """The English words a word placeholder may hold."""
    if placeholder == "noun":
        return frozenset(_NOUN.values())
    return frozenset(f.header for t in schema.TABS.values() for f in t.fields)


@lru_cache(maxsize=2)
def _readers(language: str):
    """For reading sentences written in ``language``: exact texts, and templates with
    placeholders as (literal length, prefix, suffix, template, msgid), longest first."""
    exact: dict[str, str] = {}
    templates = []
    for msgid, msgstr in _entries():
        text = msgid if language == "en" else msgstr
        parts = _PLACEHOLDER.split(text)
        if len(parts) == 1:
            exact.setdefault(text, msgid)
            continue
        literals, names = parts[0::2], parts[1::2]
        if not all(n.isidentifier() for n in names):
            continue
        size = sum(len(x) for x in literals)
        if size >= _MIN_LITERAL:
            templates.append((size, literals[0], literals[-1], text, msgid))
    templates.sort(key=lambda t: -t[0])
    # most templates start with words: look only at those that start as the text does
    by_start: dict[str, list] = {}
    loose = [t for t in templates if len(t[1]) < _START]
    for t in templates:
        if len(t[1]) >= _START:
            by_start.setdefault(t[1][:_START], []).append(t)
    by_start = {k: sorted([*ts, *loose], key=lambda t: -t[0]) for k, ts in by_start.items()}
    return exact, by_start, loose


@lru_cache(maxsize=4096)
def _pattern(template: str) -> re.Pattern:
    out, seen, at = [], set(), 0
    for m in _PLACEHOLDER.finditer(template):
        out.append(re.escape(template[at:m.start()]))
        name = m.group(1)
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        at = m.end()
    out.append(re.escape(template[at:]))
    return re.compile("".join(out), re.S)


def _read(text: str, language: str) -> tuple[str, dict[str, str]] | None:
    """The msgid and the values of a sentence written in ``language``, or None."""
    exact, by_start, loose = _readers(language)
    if text in exact:
        return exact[text], {}
    for _size, prefix, suffix, template, msgid in by_start.get(text[:_START], loose):
        if text.startswith(prefix) and text.endswith(suffix):
            m = _pattern(template).fullmatch(text)
            if m:
                return msgid, m.groupdict()
    return None


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


@lru_cache(maxsize=8192)
def reason_in(language: str, text: str) -> str:
    """A reason (in English or Chinese, as made or as stored) in ``language``.

        >>> reason_in("zh-CN", 'unknown manager "Zhang" (not in Managers)')
        '未知的客户经理 "Zhang"（客户经理工作表中没有）'
        >>> reason_in("en", '未知的客户经理 "Zhang"（客户经理工作表中没有）')
        'unknown manager "Zhang" (not in Managers)'
        >>> reason_in("zh-CN", "Project is required (every project needs one)")
        '项目为必填项（每个项目都需要）'
        >>> reason_in("zh-CN", "a sentence no catalog has")
        'a sentence no catalog has'
    """
    language = i18n.resolve(language)
    if not text:
        return text
    found = _read(text, "en")
    if found is not None and language == "en":
        return text  # English is stored as made: byte for byte
    if found is None:
        found = _read(text, "zh-CN")
        if found is None:
            return text
        msgid, values = found
        found = msgid, {k: _english_word(k, v) if k in _WORD_PLACEHOLDERS else v
                        for k, v in values.items()}
    msgid, values = found
    values = {k: i18n.in_language(language, v) if k in _WORD_PLACEHOLDERS else v
              for k, v in values.items()}
    return _fill(i18n.in_language(language, msgid), values)


def _english_word(placeholder: str, word: str) -> str:
    for english in _words(placeholder):
        if i18n.in_language("zh-CN", english) == word:
            return english
    return word


def shown_reason(text: str) -> str:
    """A reason in the UI's language (see :func:`reason_in`)."""
    return reason_in(i18n.current(), text or "")


def english_reason(text: str) -> str:
    """A reason as the store keeps it: in English (see :func:`reason_in`)."""
    return reason_in("en", text or "")


def problem_text(problem: Mapping[str, str]) -> str:
    """One stored problem as a person reads it, in the UI's language:
    ``Projects!I14: not a date: "next Friday" (use YYYY-MM-DD)``."""
    return _("{address}: {reason}").format(address=problem.get("address") or "",
                                            reason=shown_reason(problem.get("reason") or ""))
