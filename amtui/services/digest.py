"""Digests: what is due, late, blocked and waiting, per manager and for the team, with KPI
movement since the last digest that was sent. ``amtui digest`` prints one; ``--send``
delivers the team's to the lead's targets and each manager's own to theirs (the morning
message, from cron or a systemd timer).

    data = build_digest(workspace, period="week")            # JSON-ready dict
    print(render(data, "markdown"))
    send_digests(workspace)                                  # and remember the KPIs

The KPI values of the last sent digest are kept in the store's meta
(``notify.digest.kpis``) so the next one shows how each moved.
"""

from __future__ import annotations

import html
import json
from datetime import date, timedelta
from typing import Any

from amtui.domain import i18n
from amtui.domain.kpi import ManagerLookup, compute_kpis, format_value
from amtui.domain.parse import read_date, read_moment
from amtui.domain.period import Period
from amtui.domain.schema import CLOSED_STAGES, HANDLED_STATUS
from amtui.domain.text import clip, fold
from amtui.services.notify_texts import date_in, day_in, pick_language, text

SECTIONS = ("due", "late", "blocked", "waiting")
DIGEST_KPIS = ("csat", "on_time", "response_hours", "open_feedback", "overdue", "blocked")
META_KEY = "notify.digest.kpis"
_CLOSED = frozenset(fold(s) for s in CLOSED_STAGES)
_HANDLED = frozenset(fold(s) for s in HANDLED_STATUS)


def _short(text: Any, width: int = 60) -> str:
    """One digest line, cut by cells (a Chinese character takes two)."""
    return clip(text, width)


def build_digest(workspace, *, period: str = "day", manager: str | None = None,
                 today: date | None = None, previous: dict | None = None) -> dict:
    """The digest as a JSON-ready dict (stable key order; lists sorted by date then ID).

    ``manager`` is a manager ID: only that manager's section (and no team totals of
    others). ``previous`` is the KPI values of the last digest (default: from the store).
    """
    store = workspace.store
    today = today or workspace.today()
    language = pick_language(workspace.config)
    # what the sections and DIGEST_KPIS read (development only feeds training KPIs)
    records = {tab: store.records(tab) for tab in ("managers", "projects", "feedback",
                                                   "targets")}
    lookup = ManagerLookup(records, refs=store.refs())
    horizon = today + timedelta(days=0 if period == "day" else 6)
    if previous is None:
        previous = json.loads(store.get_meta(META_KEY, "{}") or "{}")

    people: dict[str, dict[str, list]] = {}
    for m in lookup.managers:
        mid = str(m.get("id", "")).strip()
        if mid and not lookup.is_left(mid) and (manager is None or mid == manager):
            people[mid] = {s: [] for s in SECTIONS}

    for p in records.get("projects", []):
        mid = lookup.manager_id(p.get("manager"))
        if mid not in people or fold(p.get("stage")) in _CLOSED:
            continue
        pid, name, due = str(p.get("id", "")), _short(p.get("project")), read_date(p.get("due"))
        if due is not None and today <= due <= horizon:
            people[mid]["due"].append({"id": pid, "name": name, "date": due.isoformat(),
                                       "detail": text("digest.due.detail", language,
                                                   due=day_in(language, due))})
        elif due is not None and due < today:
            people[mid]["late"].append({"id": pid, "name": name, "date": due.isoformat(),
                                        "detail": text("digest.late.detail", language,
                                                       due=day_in(language, due),
                                                       days=(today - due).days)})
        if fold(p.get("health")) == "blocked":
            people[mid]["blocked"].append({
                "id": pid, "name": name, "date": str(p.get("start", "") or ""),
                "detail": text("digest.blocked.detail", language,
                               blocker=_short(p.get("blocker")) or "-")})
    for f in records.get("feedback", []):
        mid = lookup.owner_of(f)
        if mid not in people or fold(f.get("status")) in _HANDLED:
            continue
        if str(f.get("responded", "") or "").strip():
            continue  # answered, being worked on: not waiting for an answer
        received = read_moment(f.get("received"))
        if received is None or received.date() > today:
            continue
        fid = str(f.get("id", ""))
        people[mid]["waiting"].append({
            "id": fid, "name": _short(f.get("text")) or fid,
            "date": received.date().isoformat(),
            "detail": text("digest.waiting.detail", language,
                           received=day_in(language, received.date()),
                           days=(today - received.date()).days)})

    table = compute_kpis(records, Period.month_of(today), today=today,
                         default_targets=workspace.config.rules.default_targets,
                         manager=manager)
    rows = {r.manager_id: r for r in table.rows}

    def kpis(row, key: str) -> dict:
        out = {}
        before = previous.get(key, {})
        for k in DIGEST_KPIS:
            kv = row.kpis[k] if row is not None else None
            value = None if kv is None or kv.value is None else round(kv.value, 2)
            old = before.get(k)
            out[k] = {"label": kv.label if kv else k, "value": value,
                      "display": kv.display if kv else format_value(k, None),
                      "previous": old,
                      "change": None if value is None or old is None else round(value - old, 2)}
        return out

    managers = []
    for mid in sorted(people, key=lambda m: (fold(lookup.name_of(m)), m)):
        sections = {s: sorted(people[mid][s], key=lambda i: (i["date"], i["id"]))
                    for s in SECTIONS}
        managers.append({"manager_id": mid, "manager": lookup.name_of(mid),
                         "counts": {s: len(v) for s, v in sections.items()},
                         **sections, "kpis": kpis(rows.get(mid), mid)})
    team_counts = {s: sum(m["counts"][s] for m in managers) for s in SECTIONS}
    return {
        "date": today.isoformat(), "period": period,
        "window": {"start": today.isoformat(), "end": horizon.isoformat()},
        "language": language, "manager": manager,
        "team": {"counts": team_counts,
                 "kpis": kpis(table.team if manager is None else rows.get(manager), "team")},
        "managers": managers,
    }


def kpi_snapshot(data: dict) -> dict:
    """What to remember of a digest for the next one's movement."""
    snap = {"team": {k: v["value"] for k, v in data["team"]["kpis"].items()}}
    for m in data["managers"]:
        snap[m["manager_id"]] = {k: v["value"] for k, v in m["kpis"].items()}
    return snap


# -- rendering ---------------------------------------------------------------------------

def _title(data: dict) -> str:
    lang = data["language"]
    period = text(f"digest.period.{data['period']}", lang)
    day = date_in(lang, date.fromisoformat(data["date"]))
    if data["manager"] and data["managers"]:
        return text("digest.title.manager", lang, date=day, period=period,
                    manager=data["managers"][0]["manager"])
    return text("digest.title", lang, date=day, period=period)


def _movement(kpis: dict, lang: str) -> list[str]:
    out = []
    for info in kpis.values():
        if info["previous"] is None:
            change = text("digest.first", lang)
        elif info["change"] is None:
            change = "-"
        else:
            change = text("digest.change", lang, change=f"{info['change']:+g}",
                          previous=f"{info['previous']:g}")
        # a KPI's name in the digest's language (the name is a catalog text)
        out.append(text("digest.kpi", lang, label=_label_in(lang, info["label"]),
                        display=info["display"], change=change))
    return out


def _label_in(language: str, label: str) -> str:
    """A KPI's name in the digest's language (the names are catalog texts; a name the
    catalog does not know is shown as it is)."""
    return i18n.in_language(language, label) if label else label


def _blocks(data: dict) -> list[tuple[int, str, list[str]]]:
    """(level, heading, lines) in order: the team, then each manager and their sections."""
    lang = data["language"]
    out: list[tuple[int, str, list[str]]] = []
    if not data["manager"]:
        counts = data["team"]["counts"]
        out.append((2, text("digest.team", lang), [text("digest.counts", lang, **counts)]))
        out.append((3, text("digest.kpis", lang), _movement(data["team"]["kpis"], lang)))
    for m in data["managers"]:
        out.append((2, m["manager"], [text("digest.counts", lang, **m["counts"])]))
        for section in SECTIONS:
            items = [f"{i['name']} ({i['id']}): {i['detail']}" for i in m[section]]
            out.append((3, text(f"digest.{section}", lang),
                        items or [text("digest.none", lang)]))
        out.append((3, text("digest.kpis", lang), _movement(m["kpis"], lang)))
    return out


def render(data: dict, fmt: str = "text") -> str:
    """The digest as ``text``, ``markdown``, ``html`` or ``json``."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    title = _title(data)
    blocks = _blocks(data)
    if fmt == "markdown":
        lines = [f"# {title}", ""]
        for level, heading, items in blocks:
            lines += ["#" * level + f" {heading}", ""] + [f"- {i}" for i in items] + [""]
        return "\n".join(lines)
    if fmt == "html":
        parts = [f"<h1>{html.escape(title)}</h1>"]
        for level, heading, items in blocks:
            parts.append(f"<h{level}>{html.escape(heading)}</h{level}>")
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items)
                         + "</ul>")
        return "\n".join(parts) + "\n"
    from rich.cells import cell_len

    lines = [title, "=" * cell_len(title)]  # a CJK character is two cells wide
    for level, heading, items in blocks:
        lines += ["", heading if level == 2 else f"  {heading}"]
        indent = "  " if level == 2 else "    "
        lines += [f"{indent}- {i}" for i in items]
    return "\n".join(lines) + "\n"


def send_digests(workspace, *, period: str = "day", dry_run: bool = False) -> dict:
    """Send the team digest to the lead's targets and each manager's own to theirs, then
    remember the KPI values. Returns ``{"sent": [...], "failed": [...], "planned": [...]}``
    with masked target labels."""
    from amtui.services.notify import send, targets_of

    store = workspace.store
    lookup = ManagerLookup({t: store.records(t) for t in ("managers", "projects")},
                           refs=store.refs())
    targets, errors = targets_of(workspace.config, lookup)
    out: dict[str, list] = {"sent": [], "failed": [], "planned": [], "errors": errors}
    team = build_digest(workspace, period=period)
    for target in targets:
        data = team if target.manager_id is None else build_digest(
            workspace, period=period, manager=target.manager_id)
        title = _title(data)
        if dry_run:
            out["planned"].append({"target": target.label, "title": title})
            continue
        ok, error = send(target, title, render(data, "markdown"))
        if ok:
            out["sent"].append({"target": target.label, "title": title})
        else:
            out["failed"].append({"target": target.label, "title": title, "error": error})
    if not dry_run:
        store.set_meta(META_KEY, json.dumps(kpi_snapshot(team), ensure_ascii=False))
    return out
