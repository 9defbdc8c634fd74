"""Period arithmetic: parsing, bounds, stepping over year ends, toggling month ↔ quarter."""

import doctest
from datetime import date, datetime

import pytest

from amtui.domain.period import MONTH, QUARTER, Period


def test_parse_month_and_quarter():
    m = Period.parse("2026-11")
    q = Period.parse("2026-Q4")
    assert (m.kind, m.year, m.number) == (MONTH, 2026, 11)
    assert (q.kind, q.year, q.number) == (QUARTER, 2026, 4)
    assert str(m) == "2026-11" and str(q) == "2026-Q4"
    assert Period.parse(" 2026-q4 ") == q
    assert Period.parse("2026-3") == Period.parse("2026-03")


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "2026-00", "2026-Q5", "Nov 2026",
                                  "2026-11-01", "next month"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        Period.parse(text)
    assert Period.try_parse(text) is None


def test_start_end_inclusive():
    assert Period.parse("2026-02").end == date(2026, 2, 28)
    assert Period.parse("2028-02").end == date(2028, 2, 29)  # leap year
    q1 = Period.parse("2026-Q1")
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    q4 = Period.parse("2026-Q4")
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))


def test_contains():
    nov = Period.parse("2026-11")
    assert nov.contains(date(2026, 11, 1)) and nov.contains(date(2026, 11, 30))
    assert not nov.contains(date(2026, 12, 1)) and not nov.contains(date(2026, 10, 31))
    assert nov.contains(datetime(2026, 11, 30, 23, 59))
    assert not nov.contains(None)


def test_of_date():
    d = date(2026, 11, 26)
    assert str(Period.month_of(d)) == "2026-11"
    assert str(Period.quarter_of(d)) == "2026-Q4"
    assert str(Period.quarter_of(date(2026, 3, 31))) == "2026-Q1"
    assert str(Period.quarter_of(date(2026, 4, 1))) == "2026-Q2"
    assert Period.of("quarter", d) == Period.quarter_of(d)


def test_prev_next_over_year_boundaries():
    assert str(Period.parse("2026-01").prev()) == "2025-12"
    assert str(Period.parse("2025-12").next()) == "2026-01"
    assert str(Period.parse("2026-Q1").prev()) == "2025-Q4"
    assert str(Period.parse("2025-Q4").next()) == "2026-Q1"
    assert str(Period.parse("2026-03").shift(-15)) == "2024-12"


def test_last_n_oldest_first():
    assert [str(p) for p in Period.parse("2026-02").last(4)] == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert [str(p) for p in Period.parse("2026-Q2").last(6)] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert Period.parse("2026-Q2").last(0) == []


def test_labels():
    assert Period.parse("2026-11").label == "Nov 2026"
    assert Period.parse("2026-Q4").label == "Q4 2026"


def test_months_and_quarter():
    assert [str(m) for m in Period.parse("2026-Q4").months()] == ["2026-10", "2026-11",
                                                                  "2026-12"]
    assert str(Period.parse("2026-05").quarter()) == "2026-Q2"


def test_toggled():
    today = date(2026, 11, 26)
    assert str(Period.parse("2026-11").toggled(today)) == "2026-Q4"
    assert str(Period.parse("2026-Q4").toggled(today)) == "2026-11"  # today's month
    assert str(Period.parse("2026-Q2").toggled(today)) == "2026-06"  # last month of it


def test_ordering_and_hashing():
    ps = [Period.parse(t) for t in ("2026-02", "2025-12", "2026-01")]
    assert [str(p) for p in sorted(ps)] == ["2025-12", "2026-01", "2026-02"]
    assert len({Period.parse("2026-11"), Period.parse("2026-11")}) == 1
    with pytest.raises(ValueError):
        Period("week", 2026, 1)


def test_docstring_examples():
    import amtui.domain.period as module

    assert doctest.testmod(module).failed == 0
