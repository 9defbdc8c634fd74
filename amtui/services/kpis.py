"""The KPI data shared by the KPI, People, Standup screens, the scorecard and the review
form: every tab's records and one :class:`KpiEngine`, built once per records version.

A *source* is anything with ``workspace``, ``store``, ``rules`` and ``versions(*tabs)``
(the app): the data is cached per source and rebuilt only when the records may have changed.

    data = kpi_data(app)              # builds when missing (about 1 s on the large demo)
    table = data.table(period, today)
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from amtui.domain import i18n
from amtui.domain.kpi import KpiEngine, KpiTable
from amtui.domain.period import Period
from amtui.domain.schema import TABS


@dataclass
class KpiData:
    """The records and the engine for one records version of a source's store."""

    version: tuple[int, ...]
    records: dict[str, list[dict]]
    engine: KpiEngine
    projects: dict[str, dict]
    feedback: dict[str, dict]
    managers: dict[str, dict]
    tables: dict = field(default_factory=dict)

    def table(self, period: Period, today, *, trends: bool = True) -> KpiTable:
        """The KPI table of a period, built once: the table and a scorecard of the same
        period share it (building one is ~20 ms on 50 managers even when cached stats).
        ``trends=False``: without the earlier periods (see ``KpiEngine.table``)."""
        key = (period, today, i18n.current(), trends)  # labels and texts: the UI language
        found = self.tables.get(key)
        if found is None:
            found = self.tables[key] = self.engine.table(period, today=today, trends=trends)
        return found


_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_records_lock = threading.Lock()
_cache_lock = threading.Lock()


def records_version(source) -> tuple[int, ...]:
    """Changes only when records may have changed (a sync that pulled nothing keeps it):
    the KPI data is not rebuilt for nothing every sync interval."""
    return source.versions(*TABS)


def records_for(source) -> tuple[tuple[int, ...], dict[str, list[dict]]]:
    """Every tab's records for the source's current version, read once and shared by the
    KPI, People and Standup screens. Safe to call from a worker thread."""
    with _records_lock:
        version = records_version(source)
        found = _records.get(source)
        if found is None or found[0] != version:
            found = (version, source.store.records_by_tab())
            _records[source] = found
        return found


def cached_records(source) -> dict[str, list[dict]] | None:
    """The records of the source's current version, if they are read already."""
    found = _records.get(source)
    return found[1] if found is not None and found[0] == records_version(source) else None


def cached_kpi_data(source) -> KpiData | None:
    """The KPI data of the source's current version, if it is built already."""
    data = _cache.get(source)
    return data if data is not None and data.version == records_version(source) else None


def kpi_data(source) -> KpiData:
    """The KPI data of the source's current version; builds it when missing. Safe to call
    from a worker thread."""
    with _cache_lock:
        data = _cache.get(source)
        if data is None or data.version != records_version(source):
            version, records = records_for(source)
            engine = KpiEngine(records, source.rules.default_targets,
                               money=source.workspace.config.money)
            data = KpiData(
                version, records, engine,
                projects={r["id"]: r for r in records.get("projects", [])},
                feedback={r["id"]: r for r in records.get("feedback", [])},
                managers={r["id"]: r for r in records.get("managers", [])},
            )
            _cache[source] = data
        return data
