"""Rules from config, reference lookup, field and workspace validation, edits."""

import pytest

from amtui.domain import schema
from amtui.domain.rules import DEFAULT_TARGETS, Rules, RulesError
from amtui.domain.validate import (
    Issue,
    RefIndex,
    check_field,
    check_record,
    find_field,
    prepare_edit,
    validate_all,
)

RULES = Rules.default()

# -- Rules -----------------------------------------------------------------------------


def test_default_rules():
    assert RULES.stages == schema.STAGES
    assert RULES.choices_for("feedback", "category") == schema.CATEGORIES
    assert RULES.aliases_for("projects", "stage") == {}
    assert RULES.default_targets == {"csat": 4.2, "on_time": 90, "revenue": 0,
                                     "response_hours": 24}
    assert RULES.dayfirst is False


def test_build_from_config_values():
    rules = Rules.build(
        stages=["Intake", "Doing", "delivered", "Cancelled"],
        stage_aliases={"进行中": "doing"},
        choices={
            "Feedback.Category": {"values": ["Praise", "Complaint", "Bug"],
                                  "aliases": {"表扬": "praise"}},
            ("clients", "tier"): ["Gold", "Silver"],
        },
        aliases={"Managers.Status": {"休假": "On leave"}},
        dayfirst=True,
        targets={"csat": 4.5, "revenue": "300000"},
    )
    assert rules.stages == ("Intake", "Doing", "Delivered", "Cancelled")
    assert rules.aliases_for("projects", "stage") == {"进行中": "Doing"}
    assert rules.choices_for("feedback", "category") == ("Praise", "Complaint", "Bug")
    assert rules.aliases_for("feedback", "category") == {"表扬": "Praise"}
    assert rules.choices_for("clients", "tier") == ("Gold", "Silver")
    assert rules.aliases_for("managers", "status") == {"休假": "On leave"}
    assert rules.dayfirst is True
    assert rules.default_targets["csat"] == 4.5 and rules.default_targets["revenue"] == 300000
    assert rules.default_targets["on_time"] == DEFAULT_TARGETS["on_time"]


@pytest.mark.parametrize("kwargs, key, message", [
    ({"stage_aliases": {"进行中": "Doing"}}, 'stages.aliases."进行中"',
     '"Doing" is not an allowed value'),
    ({"stages": ["Intake", "Done"]}, "stages.order", "must include 'Delivered'"),
    ({"stages": ["Intake", "intake", "Delivered"]}, "stages.order", '"intake" is listed twice'),
    ({"stages": []}, "stages.order", "needs at least one value"),
    ({"stages": "Intake"}, "stages.order", "must be a list"),
    ({"stages": ["Delivered", " "]}, "stages.order", "non-blank"),
    ({"stage_aliases": {"delivered": "Intake"}}, 'stages.aliases."delivered"',
     'is already the allowed value "Delivered"'),
    ({"choices": {"Feedback.Category": {"values": ["A"], "aliases": {"x": "B"}}}},
     'choices.Feedback.Category.aliases."x"', '"B" is not an allowed value (use one of A)'),
    ({"choices": {"Feedback.Mood": ["Happy"]}}, "choices.Feedback.Mood",
     "Feedback has no field 'Mood'"),
    ({"choices": {"Nope.Stage": ["A"]}}, "choices.Nope.Stage", "no tab 'Nope'"),
    ({"choices": {"Projects.Due": ["A"]}}, "choices.Projects.Due", "not a choice field"),
    ({"choices": {"Category": ["A"]}}, "choices.Category", "Tab.Field"),
    ({"choices": {"Feedback.Category": {"vals": ["A"]}}}, "choices.Feedback.Category",
     "unknown setting 'vals'"),
    ({"aliases": {"Clients.Tier": {"gold": "Gold"}}}, 'choices.Clients.Tier.aliases."gold"',
     "not an allowed value"),
    ({"aliases": {("clients", "tier"): {"gold": "Gold"}}}, 'choices.Clients.Tier.aliases."gold"',
     "not an allowed value"),
    ({"targets": {"nps": 50}}, "targets.nps", "unknown target"),
    ({"targets": {"csat": "high"}}, "targets.csat", "must be a number"),
    ({"targets": {"on_time": -1}}, "targets.on_time", "must be a number"),
])
def test_build_errors(kwargs, key, message):
    with pytest.raises(RulesError) as err:
        Rules.build(**kwargs)
    assert err.value.key == key
    assert message in err.value.message
    assert str(err.value).startswith(key + ": ")


# -- RefIndex --------------------------------------------------------------------------

RECORDS = {
    "managers": [
        {"id": "M-001", "name": "Li Wei"}, {"id": "M-002", "name": "王芳"},
        {"id": "M-003", "name": "Sarah Chen"}, {"id": "M-004", "name": "sarah  chen"},
        {"id": "", "name": "New Person"},
    ],
    "clients": [{"id": "C-0001", "name": "Northwind Foods"}],
    "projects": [{"id": "P-0001", "project": "Northwind Spring Campaign"}],
}
REFS = RefIndex(RECORDS)


@pytest.mark.parametrize("tab, text, expected", [
    ("managers", "Li Wei", "M-001"), ("managers", "  li   WEI ", "M-001"),
    ("managers", "Li\u3000Wei", "M-001"), ("managers", "Ｌｉ Ｗｅｉ", "M-001"),
    ("managers", "王芳", "M-002"), ("managers", "m-002", "M-002"), ("managers", "M-003", "M-003"),
    ("managers", "New Person", ""),  # known, ID not filled in yet
    ("managers", "Sarah Chen", None), ("managers", "Bob", None),
    ("clients", "northwind foods", "C-0001"), ("projects", "Northwind Spring Campaign", "P-0001"),
    ("clients", "Li Wei", None),
])
def test_resolve(tab, text, expected):
    assert REFS.resolve(tab, text) == expected


def test_lookup_reasons_and_names():
    assert REFS.lookup("managers", "Bob") == (None, 'unknown manager "Bob" (not in Managers)')
    assert REFS.lookup("managers", "Sarah Chen") == (
        None, '"Sarah Chen" matches 2 managers (M-003, M-004); use the ID')
    assert REFS.name_of("managers", "M-002") == "王芳"
    assert REFS.name_of("managers", "M-999") is None
    assert REFS.names("managers") == ["Li Wei", "New Person", "Sarah Chen", "sarah  chen", "王芳"]
    assert REFS.display("managers", "li wei") == "Li Wei"
    assert REFS.display("managers", "M-004") == "M-004"  # its name is ambiguous


# -- fields and records ----------------------------------------------------------------


@pytest.mark.parametrize("tab, field, value, reason", [
    ("feedback", "rating", "9", 'rating must be 1 to 5 (got "9")'),
    ("feedback", "rating", "", None),
    ("feedback", "rating", "4", None),
    ("projects", "due", "next Friday", 'not a date: "next Friday" (use YYYY-MM-DD)'),
    ("projects", "stage", "Doing", "not one of Intake, Planning"),
    ("projects", "stage", "in progress", 'not in canonical form: "in progress" (reads as '
                                         '"In Progress")'),
    ("projects", "manager", "Bob", 'unknown manager "Bob" (not in Managers)'),
    ("projects", "manager", "li wei", None),
    ("projects", "manager", "Sarah Chen", '"Sarah Chen" matches 2 managers'),
    ("projects", "client", "Acme", 'unknown client "Acme" (not in Clients)'),
    ("projects", "project", "", "required"),
    ("projects", "project", "  ", "required"),
    ("projects", "next_step", "=IMPORTXML(A1)", None),
    ("projects", "progress", "0.5", None),  # stored percents are on the 0..100 scale
    ("projects", "progress", "2000", "percentage must be between 0 and 1000%"),
    ("targets", "period", "2026-Q4", None),
    ("targets", "period", "Q4", 'not a period: "Q4"'),
    ("managers", "email", "nope", "not an email address"),
])
def test_check_field(tab, field, value, reason):
    got = check_field(tab, field, value, RULES, REFS)
    if reason is None:
        assert got is None
    else:
        assert got is not None and got.startswith(reason)


def test_check_field_without_refs_skips_references():
    assert check_field("projects", "manager", "Bob", RULES, None) is None


def test_check_record():
    record = {"id": "P-0009", "project": "X", "manager": "Bob", "stage": "Doing", "due": "x"}
    issues = check_record("projects", record, RULES, REFS)
    assert [(i.field, i.value) for i in issues] == [
        ("manager", "Bob"), ("stage", "Doing"), ("due", "x")]
    assert issues[0] == Issue("projects", "P-0009", "manager", "Bob",
                              'unknown manager "Bob" (not in Managers)')
    assert str(issues[0]) == 'Projects P-0009 Manager: unknown manager "Bob" (not in Managers)'


def test_validate_all_finds_each_kind_of_problem():
    records = {
        **RECORDS,
        "projects": [
            {"id": "P-0001", "project": "A", "manager": "Li Wei", "stage": "Intake"},
            {"id": "P-0001", "project": "B", "manager": "Nobody", "stage": "Intake"},
            {"id": "", "project": "C"},  # no ID yet: not a duplicate
            {"id": "", "project": "D"},
        ],
        "feedback": [{"id": "F-00001", "rating": "7", "project": "A", "manager": "Sarah Chen"}],
        "targets": [
            {"id": "T-1", "manager": "Li Wei", "period": "2026-11"},
            {"id": "T-2", "manager": "li wei", "period": "2026-11"},
            {"id": "T-3", "manager": "Li Wei", "period": "2026-Q4"},
        ],
    }
    issues = validate_all(records, RULES)
    got = [(i.tab, i.record_id, i.field, i.reason.split(" (")[0]) for i in issues]
    assert got == [
        ("projects", "P-0001", "id", 'duplicate ID "P-0001"'),
        ("projects", "P-0001", "manager", 'unknown manager "Nobody"'),
        ("feedback", "F-00001", "manager", '"Sarah Chen" matches 2 managers'),
        ("feedback", "F-00001", "rating", 'rating must be 1 to 5'),
        ("targets", "T-2", "period", "duplicate target: li wei already has a 2026-11 row"),
    ]


def test_validate_all_ignores_extra_keys_and_unknown_tabs():
    records = {"managers": [{"id": "M-001", "name": "A", "_row": 3}], "notes": [{"x": 1}]}
    assert validate_all(records, RULES) == []


# -- edits -----------------------------------------------------------------------------


def test_prepare_edit_canonicalises():
    values, reasons = prepare_edit(
        "projects",
        {"Stage": "进行中", "due": "26/11/2026", "Value": "¥120,000", "progress": "80%",
         "manager": " li  wei ", "client": "C-0001", "next_step": "  call them  "},
        Rules.build(stage_aliases={"进行中": "In Progress"}), REFS)
    assert reasons == []
    assert values == {"stage": "In Progress", "due": "2026-11-26", "value": "120000",
                      "progress": "80", "manager": "Li Wei", "client": "Northwind Foods",
                      "next_step": "  call them  "}


def test_prepare_edit_refuses_with_reasons():
    values, reasons = prepare_edit(
        "feedback", {"rating": "9", "manager": "Sarah Chen", "received": "yesterday",
                     "mood": "ok", "text": "fine"}, RULES, REFS)
    assert values == {"text": "fine"}
    assert reasons == [
        'Rating: rating must be 1 to 5 (got "9")',
        'Manager: "Sarah Chen" matches 2 managers (M-003, M-004); use the ID',
        'Received: not a date: "yesterday" (use YYYY-MM-DD)',
        "Feedback has no field 'mood'",
    ]
    assert prepare_edit("projects", {"project": " "}, RULES, REFS)[1] == ["Project: required"]
    assert prepare_edit("feedback", {"manager": "M-004"}, RULES, REFS)[0] == {"manager": "M-004"}


def test_find_field():
    assert find_field("feedback", "From").key == "from_"
    assert find_field("targets", "on-time %").key == "on_time"
    with pytest.raises(KeyError):
        find_field("feedback", "nope")
