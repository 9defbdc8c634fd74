"""The sync against a misbehaving Sheets API (the emulator through real gspread over HTTP):
rate limits, server errors, going offline, a person editing between amtui's read and its
write, and the number of API calls each sync costs."""

from __future__ import annotations

import pytest

from amtui.core.demo_workspace import move_demo_to_emulator
from amtui.core.workspace import Workspace
from sync.emulator import SheetsEmulator
from sync.errors import OFFLINE, RATE_LIMITED, classify
from sync.gclient import RetryPolicy
from tests.sync.people import EmulatorPerson
from tests.sync.test_sync_promises import address, cell

FAST = RetryPolicy(max_attempts=4, max_total_wait=60, timeout=5)


@pytest.fixture
def setup(demo_config):
    emulator = SheetsEmulator(seed=5)
    emulator.start()
    sid = move_demo_to_emulator(demo_config, emulator)
    ws = Workspace.open(demo_config)
    person = EmulatorPerson(emulator, sid, demo_config.parent / "service-account.json")
    yield ws, person, emulator
    ws.store.close()
    emulator.stop()


def backend(person, sleeps, retry=FAST):
    return person.backend(retry=retry, sleep=sleeps.append)


def test_nothing_changed_costs_one_read_and_no_write(setup):
    ws, person, emulator = setup
    sheet = person.backend()
    ws.sync(backend=sheet)  # the first sync also reads the metadata once
    emulator.reset_counts()
    report = ws.sync(backend=sheet)
    calls = {k: v for k, v in emulator.counts().items() if v and k != "token"}
    assert calls == {"values.batchGet": 1}
    assert report.api_calls == {"values.batchGet": 1}


def test_changes_cost_one_write_call_and_one_append_per_tab(setup):
    ws, person, emulator = setup
    sheet = person.backend()
    ws.sync(backend=sheet)
    for n, record in enumerate(ws.store.records("projects")[:30]):
        ws.store.update("projects", record["id"], {"next_step": f"step {n}"})
    for n, record in enumerate(ws.store.records("feedback")[:30]):
        ws.store.update("feedback", record["id"], {"response": f"answer {n}"})
    for n in range(5):
        ws.store.add("updates", {"date": "2026-11-26", "note": f"new {n}"})
        ws.store.add("development", {"manager": "Li Wei", "title": f"course {n}"})
    emulator.reset_counts()
    ws.sync(backend=sheet)
    calls = {k: v for k, v in emulator.counts().items() if v and k != "token"}
    # one read of every tab, one narrow re-check of row positions, one write, two appends
    assert calls == {"values.batchGet": 2, "values.batchUpdate": 1, "values.append": 2}


def test_429_storm_is_survived_within_bounds(setup):
    ws, person, emulator = setup
    ws.store.update("projects", "P-0001", {"blocker": "after the storm"})
    sleeps: list[float] = []
    emulator.fail_next(3, status=429, retry_after=7)
    report = ws.sync(backend=backend(person, sleeps))
    assert report.counts["pushed"] == 1
    assert sleeps == [7, 7, 7]  # Retry-After honoured, no real waiting in the test
    assert cell(person, "Projects", "P-0001", "Blocker") == "after the storm"


def test_endless_429_gives_up_and_keeps_the_edit(setup):
    ws, person, emulator = setup
    ws.store.update("projects", "P-0002", {"blocker": "queued"})
    sleeps: list[float] = []
    emulator.fail_next(100, status=429, retry_after=1)
    with pytest.raises(Exception) as err:
        ws.sync(backend=backend(person, sleeps))
    assert classify(err.value) == RATE_LIMITED
    assert len(sleeps) == FAST.max_attempts - 1  # bounded
    assert ws.store.pending_count() == 1
    emulator.clear_faults()
    ws.sync(backend=backend(person, sleeps))
    assert cell(person, "Projects", "P-0002", "Blocker") == "queued"


def test_server_errors_are_retried(setup):
    ws, person, emulator = setup
    ws.store.update("updates", "U-00001", {"note": "through 503s"})
    sleeps: list[float] = []
    emulator.fail_next(2, status=503)
    emulator.fail_next(1, status=500, endpoint="values.batchUpdate")
    ws.sync(backend=backend(person, sleeps))
    assert len(sleeps) == 3
    assert cell(person, "Updates", "U-00001", "Note") == "through 503s"


def test_offline_then_online_catches_up(setup):
    ws, person, emulator = setup
    ws.store.update("updates", "U-00002", {"note": "written offline"})
    emulator.stop()
    sleeps: list[float] = []
    with pytest.raises(Exception) as err:
        ws.sync(backend=backend(person, sleeps))
    assert classify(err.value) == OFFLINE
    assert len(sleeps) <= FAST.max_attempts - 1
    assert ws.store.get("updates", "U-00002")["note"] == "written offline"
    assert ws.store.pending_count() == 1
    ws.store.update("updates", "U-00003", {"note": "also offline"})
    emulator.start(port=int(emulator.base_url.rsplit(":", 1)[1]))
    ws.sync(backend=backend(person, sleeps))
    assert cell(person, "Updates", "U-00002", "Note") == "written offline"
    assert cell(person, "Updates", "U-00003", "Note") == "also offline"
    assert ws.store.pending_count() == 0


def test_person_sorts_and_inserts_between_read_and_write(setup):
    ws, person, emulator = setup
    ws.store.update("projects", "P-0020", {"next_step": "exactly here"})
    ws.store.update("feedback", "F-00010", {"response": "and here"})

    def person_edits(_info):
        emulator.insert_rows(person.sid, "Projects", 2, 3, values=[["", "new a"], ["", "new b"],
                                                                   ["", "new c"]])
        emulator.sort_tab(person.sid, "Projects", "Project", descending=True)
        emulator.delete_rows(person.sid, "Feedback", 2, 1)
        emulator.sort_tab(person.sid, "Feedback", "Text")

    emulator.on_request("values.batchGet", person_edits, nth=1)
    ws.sync(backend=person.backend())
    assert cell(person, "Projects", "P-0020", "Next Step") == "exactly here"
    assert cell(person, "Feedback", "F-00010", "Response") == "and here"
    column = person.grid("Projects")[0].index("Next Step")
    assert [r[column] for r in person.grid("Projects") if column < len(r)].count(
        "exactly here") == 1
    # the next sync picks up the person's rows and gives them IDs
    ws.sync(backend=person.backend())
    assert {"new a", "new b", "new c"} <= {r["project"] for r in ws.store.records("projects")}


def test_edit_landing_between_read_and_write_is_not_overwritten(setup):
    ws, person, emulator = setup
    at = address(person, "Projects", "P-0021", "Blocker")
    ws.store.update("projects", "P-0021", {"blocker": "mine"})
    emulator.on_request("values.batchGet",
                        lambda _i: emulator.set_cell(person.sid, "Projects", at, "theirs"), nth=1)
    ws.sync(backend=person.backend())
    # amtui wrote its value over a cell the person changed a moment earlier? Then the next
    # sync must show the person's value as a conflict, not lose it silently.
    value = cell(person, "Projects", "P-0021", "Blocker")
    ws.sync(backend=person.backend())
    if value == "mine":
        pytest.fail("a person's edit made during the sync was overwritten")
    assert any(c["record_id"] == "P-0021" for c in ws.store.conflicts())


def test_live_checks_under_rate_limits_and_outages_lose_nothing(setup):
    """The open app's cheap check (Drive's version) fails like a sync when rate-limited or
    offline; the queued edit stays pending through failed checks and a failed push, and the
    first check after recovery says local edits wait."""
    ws, person, emulator = setup
    sleeps: list[float] = []
    sheet = backend(person, sleeps)
    assert ws.check_due(sheet) == "first"
    ws.sync(backend=sheet)
    assert ws.check_due(sheet) is None  # in step: nothing to do
    ws.store.update("projects", "P-0003", {"next_step": "queued while failing"})

    emulator.fail_next(100, status=429)
    with pytest.raises(Exception) as err:
        ws.check_due(sheet)
    assert classify(err.value) == RATE_LIMITED
    with pytest.raises(Exception) as err:
        ws.sync(backend=sheet)  # the push fails too
    assert classify(err.value) == RATE_LIMITED
    assert ws.store.pending_count() == 1
    emulator.clear_faults()

    emulator.stop()
    with pytest.raises(Exception) as err:
        ws.check_due(sheet)
    assert classify(err.value) == OFFLINE
    assert ws.store.pending_count() == 1
    emulator.start()

    assert ws.check_due(sheet) == "local"
    ws.sync(backend=sheet)
    assert cell(person, "Projects", "P-0003", "Next Step") == "queued while failing"
    assert ws.store.pending_count() == 0
    # our own write moved the version: one more read, then idle again
    assert ws.check_due(sheet) == "sheet"
    ws.sync(backend=sheet)
    assert ws.check_due(sheet) is None


def test_an_edit_the_sync_holds_back_does_not_cost_a_read_every_poll(setup):
    ws, person, emulator = setup
    sheet = backend(person, [])
    ws.check_due(sheet)
    ws.sync(backend=sheet)
    emulator.delete_column(person.sid, "Projects", "Next Step")  # a header goes missing
    ws.check_due(sheet)
    ws.sync(backend=sheet)
    ws.store.update("projects", "P-0004", {"next_step": "cannot be written"})
    assert ws.check_due(sheet) == "local"
    ws.sync(backend=sheet)
    assert ws.store.pending_count() == 1  # held back: the tab has no Next Step column
    assert ws.check_due(sheet) in ("sheet", None)  # not "local" again
    ws.sync(backend=sheet)
    assert ws.check_due(sheet) is None  # and then quiet, with the edit still kept
    assert ws.store.pending_count() == 1
