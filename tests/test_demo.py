"""The demo workspace: shape, determinism, believable content, and no validation issues."""

import time
from datetime import date, timedelta
from functools import cache

import pytest

from amtui.domain import schema
from amtui.domain.demo import SIZES, demo_workbook_rows, generate, make_id
from amtui.domain.parse import normalize, normalize_stored
from amtui.domain.rules import Rules
from amtui.domain.validate import validate_all

TODAY = date(2026, 11, 26)
RULES = Rules.default()


@cache
def demo(size: str = "small", today: date = TODAY, seed: int = 7):
    return generate(size, today=today, seed=seed)


def test_every_record_has_every_field_and_an_id():
    data = demo()
    assert list(data) == list(schema.TABS)
    for tab, records in data.items():
        keys = schema.TABS[tab].keys
        prefix = schema.ID_PREFIX[tab] + "-"
        assert records, tab
        for rec in records:
            assert list(rec) == keys
            assert rec["id"].startswith(prefix)
            assert all(isinstance(v, str) for v in rec.values())
        assert len({r["id"] for r in records}) == len(records)


def test_ids_look_like_the_brief():
    data = demo()
    assert [data[t][0]["id"] for t in ("managers", "clients", "projects", "feedback")] == [
        "M-001", "C-0001", "P-0001", "F-00001"]
    assert make_id("projects", 42) == "P-0042"


def test_values_are_canonical():
    for tab, records in demo().items():
        table = schema.TABS[tab]
        for f in table.fields:
            for value in {r[f.key] for r in records}:
                parsed = normalize_stored(f, value, RULES, tab=tab)
                assert parsed.ok and parsed.value == value, (tab, f.key, value)


def test_deterministic():
    assert generate("small", today=TODAY) == generate("small", today=TODAY)
    assert generate("small", today=TODAY, seed=8) != demo()


def test_different_today_shifts_dates():
    later = generate("small", today=TODAY + timedelta(days=10))
    shifted = [(date.fromisoformat(p["due"]) - date.fromisoformat(q["due"])).days
               for p, q in zip(later["projects"], demo()["projects"], strict=True)]
    assert set(shifted) == {10}
    assert [p["project"] for p in later["projects"]] == [p["project"] for p in demo()["projects"]]


@pytest.mark.parametrize("size", ["small", "large"])
def test_demo_validates_clean(size):
    data = demo(size)
    start = time.perf_counter()
    issues = validate_all(data, RULES)
    took = time.perf_counter() - start
    print(f"\nvalidate_all {size}: {sum(map(len, data.values()))} records in {took:.2f}s")
    assert issues == []


def test_sizes_and_timing():
    start = time.perf_counter()
    data = generate("large", today=TODAY)
    print(f"\ngenerate large: {time.perf_counter() - start:.2f}s")
    counts = {tab: len(rows) for tab, rows in data.items()}
    for tab, n in SIZES["large"].items():
        assert counts[tab] == n
    assert counts["targets"] == 50 * 16
    small = {tab: len(rows) for tab, rows in demo().items()}
    assert small == SIZES["small"] | {"targets": 8 * 16}
    with pytest.raises(ValueError, match="unknown demo size"):
        generate("huge", today=TODAY)


def test_small_demo_tells_a_story():
    data = demo()
    today = TODAY.isoformat()
    managers, projects, feedback = data["managers"], data["projects"], data["feedback"]
    names = [m["name"] for m in managers]
    assert any(ord(c) > 0x4E00 for n in names for c in n) and "Li Wei" in names
    onboarding = [m for m in managers if m["status"] == "Onboarding"]
    assert any(m["mentor"] for m in onboarding) and any(not m["mentor"] for m in onboarding)

    assert {p["stage"] for p in projects} == set(schema.STAGES)
    open_ = [p for p in projects if p["stage"] not in schema.CLOSED_STAGES]
    assert any(p["due"] < today for p in open_), "some overdue"
    assert all(p["blocker"] for p in open_ if p["health"] == "Blocked")
    assert any(p["health"] == "At risk" for p in open_)
    delivered = [p for p in projects if p["stage"] == schema.DELIVERED]
    assert all(p["retro"] and p["start"] <= p["delivered"] <= today for p in delivered)
    assert any(p["delivered"] > p["due"] for p in delivered), "some late"
    assert any(p["delivered"] <= p["due"] for p in delivered), "some on time"

    assert min(f["received"] for f in feedback) >= (TODAY - timedelta(days=365)).isoformat()
    assert {f["source"] for f in feedback} == {"Client", "Internal"}
    unanswered = [f for f in feedback if f["category"] == "Complaint" and f["status"] == "New"]
    assert len(unanswered) >= 3 and not any(f["response"] for f in unanswered)
    answered = [f for f in feedback if f["status"] not in ("New",)]
    assert all(f["response"] and f["received"] <= f["responded"] <= today for f in answered)
    assert any("🎉" in f["text"] or "👍" in f["text"] for f in feedback)
    assert all(f["rating"] for f in feedback if f["source"] == "Client")

    dev = data["development"]
    assert {d["type"] for d in dev} >= {"Training", "Mentoring", "Certification"}
    assert any(d["status"] == "Planned" and d["date"] < today for d in dev), "overdue plans"
    recent = (TODAY - timedelta(days=2)).isoformat()
    assert any(u["date"] >= recent for u in data["updates"])
    assert any(f["received"] >= recent for f in feedback)


def test_workbook_rows():
    data = demo()
    rows = demo_workbook_rows(data, RULES)
    assert list(rows) == [t.title for t in schema.TABS.values()]
    projects = rows["Projects"]
    assert projects[0] == [f.header for f in schema.TABS["projects"].fields]
    assert len(projects) == len(data["projects"]) + 1
    first, record = projects[1], data["projects"][0]
    header = projects[0]
    assert first[header.index("ID")] == record["id"]
    assert isinstance(first[header.index("Due")], int)
    assert isinstance(first[header.index("Value")], int)
    assert 0 <= first[header.index("Progress")] <= 1
    assert first[header.index("Stage")] == record["stage"]
    # Reading the rows back gives the records again.
    table = schema.TABS["projects"]
    back = [{f.key: normalize(f, cell, RULES, tab="projects").value
             for f, cell in zip(table.fields, row, strict=True)} for row in projects[1:]]
    assert back == data["projects"]
