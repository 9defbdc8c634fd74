"""Issue 13: one required-field rule and range checks for every entry path, IDs that cannot
change, date-times in Received/Responded, and review periods that respect a start date."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from amtui.cli.main import main
from amtui.domain import schema
from amtui.domain.facts import response_hours
from amtui.domain.kpi import KpiEngine
from amtui.domain.parse import normalize, parse_when, read_when, to_cell
from amtui.domain.people import Attention, last_review_period, review_period_for
from amtui.domain.period import Period
from amtui.domain.rules import Rules
from amtui.domain.validate import missing_required, validate_all
from amtui.ui.widgets.cards import response_hours as inbox_clock

F = schema.TABS["feedback"]


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def count(config, capsys, title):
    _code, out, _err = run(config, capsys, "records", "list", title, "--format", "json")
    return len(json.loads(out))


# -- #3 required fields: one rule for the CLI, the store (forms) and the sync ------------


def test_cli_add_project_without_a_name_is_refused(demo_config, capsys):
    before = count(demo_config, capsys, "Projects")
    code, out, err = run(demo_config, capsys, "records", "add", "Projects",
                         "Client=Acme Retail")
    assert code == 1 and out == ""
    assert "Project is required (every project needs one)" in err
    assert count(demo_config, capsys, "Projects") == before


def test_store_refuses_an_empty_feedback_item_but_takes_a_rating_alone(workspace):
    from amtui.core.store import EditRejected

    store = workspace.store
    empty = schema.new_record_defaults("feedback", date(2026, 11, 26))
    with pytest.raises(EditRejected) as err:
        store.add("feedback", dict(empty))
    assert err.value.reasons == ["Text or Rating is required (feedback needs at least one)"]
    assert store.add("feedback", {**empty, "rating": "4"}).startswith("F-")


def test_an_edit_that_blanks_the_last_of_text_and_rating_is_refused(workspace):
    from amtui.core.store import EditRejected

    store = workspace.store
    fid = store.add("feedback", {"text": "call me", "received": "2026-11-26"})
    with pytest.raises(EditRejected, match="Text or Rating is required"):
        store.update("feedback", fid, {"text": ""})
    # an unrelated edit of a record that is already incomplete is not blocked by the gap
    record = store.get("feedback", fid)
    assert record["text"] == "call me"


def test_the_sync_flags_the_same_rule():
    records = {"projects": [{"id": "P-1", "project": "", "client": ""}],
               "feedback": [{"id": "F-1", "received": "2026-11-26", "text": "", "rating": ""},
                            {"id": "F-2", "received": "2026-11-26", "rating": "4"}]}
    reasons = {(i.record_id, i.field, i.reason) for i in validate_all(records, Rules.default())}
    assert ("P-1", "project", "required") in reasons
    assert ("F-1", "text", "Text or Rating is required (feedback needs at least one)") \
        in reasons
    assert not any(r[0] == "F-2" for r in reasons)
    assert missing_required("feedback", {"text": "hi"}) == []


def test_the_demo_has_no_empty_feedback(workspace):
    issues = validate_all(workspace.store.records_by_tab(), workspace.config.rules)
    assert not [i for i in issues if "Text or Rating" in i.reason]


# -- #6 range checks and IDs --------------------------------------------------------------


@pytest.mark.parametrize("assignment, message", [
    ("Progress=150%", 'Progress: percentage must be between 0 and 100% (got "150%")'),
    ("Value=-5", 'Value: amount cannot be negative (got "-5")'),
])
def test_cli_out_of_range_values_are_refused(demo_config, capsys, assignment, message):
    code, _out, err = run(demo_config, capsys, "records", "set", "Projects", "P-0001",
                          assignment)
    assert code == 1 and message in err


def test_cli_changing_an_id_explains_why_not(demo_config, capsys):
    code, out, err = run(demo_config, capsys, "records", "set", "Projects", "P-0001",
                         "ID=P-1234")
    assert code == 1 and "no change" not in out
    assert "ID cannot be changed: P-0001 keeps its ID (add a new record to use P-1234)" in err
    # the same ID again is simply no change
    code, out, _err = run(demo_config, capsys, "records", "set", "Projects", "P-0001",
                          "ID=P-0001")
    assert code == 0 and "no change" in out


def test_a_sheet_cell_out_of_range_is_kept_as_typed_with_the_reason():
    parsed = normalize(schema.TABS["projects"].field("progress"), "150%")
    assert not parsed.ok and parsed.value == "150%" and "between 0 and 100%" in parsed.reason


# -- Response times: date-times in Received / Responded ------------------------------------


@pytest.mark.parametrize("typed, stored", [
    ("2026-12-03 14:30", "2026-12-03 14:30"),
    ("2026-12-03T14:30:00", "2026-12-03 14:30"),
    ("3 Dec 2026 2:30 pm", "2026-12-03 14:30"),
    ("12/03/2026 9:05", "2026-12-03 09:05"),
    (datetime(2026, 12, 3, 14, 30), "2026-12-03 14:30"),   # an xlsx date-time cell
    (46359.604166666664, "2026-12-03 14:30"),              # a Sheets date-time serial
    (datetime(2026, 12, 3), "2026-12-03"),                 # an xlsx date cell: no time
    (46359, "2026-12-03"),
    ("2026-12-03", "2026-12-03"),
])
def test_received_accepts_date_times(typed, stored):
    parsed = normalize(F.field("received"), typed)
    assert parsed == type(parsed)(stored, True)


@pytest.mark.parametrize("typed", ["2026-12-03 25:00", "2026-12-03 13:30 pm", "soon 14:30"])
def test_bad_times_are_refused_with_a_reason(typed):
    parsed = normalize(F.field("responded"), typed)
    assert not parsed.ok and parsed.value == typed and "2026-12-03 14:30" in parsed.reason


def test_a_time_is_written_back_as_typed_and_a_date_as_a_date(workspace):
    assert to_cell(F.field("received"), "2026-12-03 14:30") == "2026-12-03 14:30"
    assert to_cell(F.field("received"), "2026-12-03") == 46359
    codec = workspace.codec()
    assert codec.read("feedback", "received", datetime(2026, 12, 3, 14, 30)) == \
        ("2026-12-03 14:30", None)
    assert codec.write("feedback", "received", "2026-12-03") == date(2026, 12, 3)
    assert codec.write("feedback", "received", "2026-12-03 14:30") == "2026-12-03 14:30"


def test_response_hours_exact_with_times_whole_days_otherwise():
    at = parse_when
    assert response_hours(at("2026-12-03 09:00"), at("2026-12-03 14:30")) == 5.5
    assert response_hours(at("2026-12-02"), at("2026-12-03 14:30")) == 24
    assert response_hours(at("2026-12-02"), at("2026-12-03")) == 24
    assert response_hours(read_when("2026-12-03 15:00"), read_when("2026-12-03 14:00")) is None


def test_kpi_response_hours_use_the_times():
    recs = {"managers": [{"id": "M-1", "name": "Li Wei", "status": "Active"}],
            "feedback": [
                {"id": "F-1", "manager": "Li Wei", "source": "Client", "status": "Resolved",
                 "received": "2026-12-03 09:00", "responded": "2026-12-03 14:30"},
                {"id": "F-2", "manager": "Li Wei", "source": "Client", "status": "Resolved",
                 "received": "2026-12-01", "responded": "2026-12-02 08:00"},
                {"id": "F-3", "manager": "Li Wei", "source": "Client", "status": "Resolved",
                 "received": "2026-12-04 10:00", "responded": "2026-12-05"}]}
    table = KpiEngine(recs, {"response_hours": 24}).table(Period.parse("2026-12"),
                                                          today=date(2026, 12, 10))
    kpi = table.rows[0].kpis["response_hours"]
    # F-1 exact; F-2 and F-3 have a time on one side only: whole days (24 h, not 32 / 14)
    assert kpi.value == 24 and kpi.display == "24 h"
    assert sorted(kpi.evidence) == []  # all within the 24 h target


def test_inbox_clock_uses_the_times():
    record = {"received": "2026-12-03 09:00", "responded": "2026-12-03 14:30",
              "status": "Resolved"}
    assert inbox_clock(record, date(2026, 12, 10)) == (6, False)  # 5.5 h, shown whole
    record = {"received": "2026-12-01 09:00", "responded": "", "status": "New"}
    assert inbox_clock(record, date(2026, 12, 3)) == (48, True)


# -- Reviews ------------------------------------------------------------------------------


def test_default_review_period_never_precedes_the_start():
    today = date(2026, 11, 26)
    assert str(review_period_for({"start_date": "2026-10-29"}, today)) == "2026-Q4"
    assert str(review_period_for({"start_date": "2022-03-01"}, today)) == "2026-Q3"
    assert str(review_period_for({"start_date": ""}, today)) == "2026-Q3"
    assert str(last_review_period(today, date(2026, 9, 30))) == "2026-Q3"


def test_attention_headings_for_empty_lists_do_not_read_as_missing():
    q3 = Period.parse("2026-Q3")
    titles = [title for title, _items, _kind in Attention(period=q3).sections()]
    assert titles[2] == "Reviews for 2026-Q3: all done"
    assert not any("(0)" in t for t in titles)
    full = Attention(no_review=[("M-1", "", "Li Wei · never reviewed")], period=q3)
    assert full.sections()[2][0] == "No review for 2026-Q3 (1)"
