"""Reading typed cell values: every accepted format and every refusal with its reason."""

from datetime import date, datetime

import pytest

from amtui.domain import schema
from amtui.domain.parse import (
    Parsed,
    date_to_serial,
    fmt_number,
    normalize,
    normalize_stored,
    parse_choice,
    parse_date,
    parse_email,
    parse_money,
    parse_number,
    parse_percent,
    parse_period,
    parse_rating,
    serial_to_date,
    to_cell,
)
from amtui.domain.rules import Rules
from amtui.domain.text import fold

D = date(2026, 11, 26)
P, F = schema.TABS["projects"], schema.TABS["feedback"]


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    "2026-11-26", "2026/11/26", "2026.11.26", "2026/11/26 14:30:05",
    "26/11/2026", "11/26/2026", "26.11.2026", "26-11-2026",
    "2026年11月26日", "2026 年 11 月 26 日", "２０２６年１１月２６日", "2026年11月26号",
    "26 Nov 2026", "26 November 2026", "26-Nov-2026", "26th Nov 2026",
    "Nov 26, 2026", "November 26 2026", "Thu, 26 Nov 2026", "Thursday, November 26, 2026",
    "26 Nov 2026 14:30", "Nov 26, 2026 2:30 pm",
    "2026-Nov-26", "2026-11-26 14:30", "2026-11-26T14:30:00", "2026-11-26T14:30:00Z",
    "2026-11-26T14:30:00+08:00", "2026/11/26 2:30 PM", "26/11/2026 09:15",
    "20261126", " 2026-11-26 ", 46352, 46352.0, 46352.6, "46352", "46352.25",
    D, datetime(2026, 11, 26, 23, 59),
])
def test_parse_date_accepts(raw):
    assert parse_date(raw) == D


@pytest.mark.parametrize("raw, dayfirst, expected", [
    ("03/04/2026", False, date(2026, 3, 4)),
    ("03/04/2026", True, date(2026, 4, 3)),
    ("26/11/2026", False, D),  # impossible month: read day first either way
    ("11/26/2026", True, D),
])
def test_parse_date_order(raw, dayfirst, expected):
    assert parse_date(raw, dayfirst=dayfirst) == expected


@pytest.mark.parametrize("raw, reason", [
    ("next Friday", 'not a date: "next Friday" (use YYYY-MM-DD)'),
    ("2026-02-30", 'not a real date: "2026-02-30"'),
    ("13/13/2026", 'not a real date: "13/13/2026"'),
    ("26/11/26", 'not a date: "26/11/26" (use YYYY-MM-DD)'),
    ("2026-11", 'not a date: "2026-11" (use YYYY-MM-DD)'),
    ("15", 'not a date: "15" (use YYYY-MM-DD)'),
    (7, 'not a date: "7" (use YYYY-MM-DD)'),
    ("1900-01-01", "date out of range"),
    ("31 Foo 2026", 'not a date: "31 Foo 2026"'),
    (True, 'not a date: "TRUE"'),
    ("", 'not a date: ""'),
])
def test_parse_date_rejects(raw, reason):
    with pytest.raises(ValueError) as err:
        parse_date(raw)
    assert str(err.value).startswith(reason)


def test_serials():
    assert serial_to_date(46352) == D
    assert date_to_serial(D) == 46352
    assert date_to_serial(datetime(2026, 11, 26, 12)) == 46352
    assert serial_to_date(1) == date(1899, 12, 31)
    assert all(serial_to_date(date_to_serial(date(y, 2, 28))) == date(y, 2, 28)
               for y in range(1950, 2200, 7))


# -- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("¥12,000", 12000), ("￥12,000", 12000), ("$1,200.50", 1200.5), ("12000", 12000),
    ("12 000", 12000), ("€1.200,50", 1200.5), ("1.200.000", 1_200_000), ("RMB 12,000", 12000),
    ("12,000 RMB", 12000), ("12,000元", 12000), ("CNY12000", 12000), ("US$ 99", 99),
    ("12k", 12000), ("1.5M", 1_500_000), ("1.2万", 12000), ("(1,200)", -1200),
    ("-¥1,200", -1200), ("¥-1,200", -1200), ("−300", -300), ("１２，０００", 12000),
    ("1.2", 1.2), (".5", 0.5), (120000, 120000), (1200.5, 1200.5), ("0", 0),
])
def test_parse_money(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["12,5", "1,2,3", "abc", "12 k k", "1.2.3,4", "¥", "nan",
                                 "1e5", "", True, float("inf")])
def test_parse_money_rejects(raw):
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(raw)


@pytest.mark.parametrize("raw, expected", [
    ("4.5", 4.5), ("1,234.5", 1234.5), (" -3 ", -3), (24, 24), (4.2, 4.2), ("1 000", 1000),
])
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["¥12", "12k", "four", "4,5"])
def test_parse_number_rejects(raw):
    with pytest.raises(ValueError, match=r'not a number: ".*" \(write it like 1200 or 4.5\)'):
        parse_number(raw)


@pytest.mark.parametrize("raw, expected", [
    ("80%", 80), ("0.8", 80), (0.8, 80), ("80", 80), (80, 80), ("80.5%", 80.5), ("80 %", 80),
    ("８０％", 80), ("1", 100), (1, 100), ("0", 0), ("0.5%", 0.5), ("150%", 150), (0.07, 7),
    ("1000", 1000),
])
def test_parse_percent(raw, expected):
    assert parse_percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw, reason", [
    ("-5%", "percentage must be between 0 and 1000% (got \"-5%\")"),
    ("1200", "percentage must be between 0 and 1000% (got \"1200\")"),
    ("lots", 'not a percentage: "lots" (write it like 80%)'),
    ("%", 'not a percentage: "%"'),
])
def test_parse_percent_rejects(raw, reason):
    with pytest.raises(ValueError) as err:
        parse_percent(raw)
    assert str(err.value).startswith(reason)


@pytest.mark.parametrize("raw, expected", [
    ("4", 4), (4, 4), ("4.0", 4), (5.0, 5), ("★★★★", 4), ("★★★★☆", 4), ("⭐⭐⭐", 3),
    ("4/5", 4), ("4 stars", 4), ("５", 5), (" 1 ", 1),
])
def test_parse_rating(raw, expected):
    assert parse_rating(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("7", 'rating must be 1 to 5 (got "7")'),
    (0, 'rating must be 1 to 5 (got "0")'),
    ("4.5", 'rating must be a whole number 1 to 5 (got "4.5")'),
    ("great", 'not a rating: "great" (use a whole number 1 to 5)'),
    ("☆☆☆", 'rating must be 1 to 5 (got "☆☆☆")'),
    (True, 'not a rating: "TRUE"'),
])
def test_parse_rating_rejects(raw, reason):
    with pytest.raises(ValueError) as err:
        parse_rating(raw)
    assert str(err.value).startswith(reason)


@pytest.mark.parametrize("x, text", [
    (120000.0, "120000"), (1200.5, "1200.5"), (0.1 + 0.2, "0.3"), (-0.0, "0"), (7, "7"),
    (1e20, "100000000000000000000"), (0.00001, "0.00001"), (-1200.25, "-1200.25"),
    (13800138000, "13800138000"), (80.00000000000001, "80"),
])
def test_fmt_number(x, text):
    assert fmt_number(x) == text


# -- choices, periods, email -----------------------------------------------------------

STAGES = schema.STAGES


@pytest.mark.parametrize("raw, expected", [
    ("In Progress", "In Progress"), ("in progress", "In Progress"), ("  IN   PROGRESS ",
                                                                      "In Progress"),
    ("in-progress", "In Progress"), ("in_progress", "In Progress"), ("ｉｎ ｐｒｏｇｒｅｓｓ",
                                                                    "In Progress"),
    ("进行中", "In Progress"), ("WIP", "In Progress"), ("delivered", "Delivered"),
])
def test_parse_choice(raw, expected):
    aliases = {"进行中": "In Progress", "wip": "In Progress"}
    assert parse_choice(raw, STAGES, aliases) == expected


def test_parse_choice_rejects_with_allowed_values():
    with pytest.raises(ValueError) as err:
        parse_choice("Doing", STAGES)
    assert str(err.value) == (
        "not one of Intake, Planning, In Progress, Client Review, Delivered, On Hold, "
        'Cancelled (got "Doing")'
    )


def test_fold_is_the_one_normaliser():
    assert fold(" On-Track ") == fold("on track") == fold("ＯＮ＿TRACK") == "on track"
    assert fold("  Li\u3000WEI ") == fold("li wei") and fold(None) == ""


@pytest.mark.parametrize("raw, expected", [
    ("2026-11", "2026-11"), ("2026/11", "2026-11"), ("2026.11", "2026-11"), ("2026-1", "2026-01"),
    ("11/2026", "2026-11"), ("2026年11月", "2026-11"), ("Nov 2026", "2026-11"),
    ("November, 2026", "2026-11"), ("2026 Nov", "2026-11"), ("2026-Q4", "2026-Q4"),
    ("2026 Q4", "2026-Q4"), ("Q4 2026", "2026-Q4"), ("2026q4", "2026-Q4"), ("q4/2026", "2026-Q4"),
    ("2026年Q4", "2026-Q4"), ("2026年第四季度", "2026-Q4"), ("2026年第4季度", "2026-Q4"),
    ("2026-11-01", "2026-11"), (46327, "2026-11"), (date(2026, 11, 1), "2026-11"),
])
def test_parse_period(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("2026-13", 'not a period: "2026-13" (use 2026-11 or 2026-Q4)'),
    ("2026-Q5", 'not a period: "2026-Q5" (use 2026-11 or 2026-Q4)'),
    ("last month", 'not a period: "last month" (use 2026-11 or 2026-Q4)'),
    ("2026-11-26", 'a period is a month (2026-11) or a quarter (2026-Q4), not a date: '
                   '"2026-11-26"'),
    (46352, "a period is a month"),
    ("2026", 'not a period: "2026"'),
])
def test_parse_period_rejects(raw, reason):
    with pytest.raises(ValueError) as err:
        parse_period(raw)
    assert str(err.value).startswith(reason)


@pytest.mark.parametrize("raw, expected", [
    ("li.wei@example.com", "li.wei@example.com"), (" Li.Wei@Example.com ", "Li.Wei@Example.com"),
    ("mailto:a@b.co", "a@b.co"), ("王芳@例子.中国", "王芳@例子.中国"),
])
def test_parse_email(raw, expected):
    assert parse_email(raw) == expected


@pytest.mark.parametrize("raw", ["li.wei", "a@b", "a b@c.com", "a@@b.com", "<a@b.com>"])
def test_parse_email_rejects(raw):
    with pytest.raises(ValueError, match="not an email address"):
        parse_email(raw)


# -- normalize -------------------------------------------------------------------------

RULES = Rules.build(stage_aliases={"进行中": "In Progress"})
M, T = schema.TABS["managers"], schema.TABS["targets"]


@pytest.mark.parametrize("field, raw, expected", [
    (P.field("due"), 46352, "2026-11-26"),
    (P.field("due"), "26 Nov 2026", "2026-11-26"),
    (P.field("due"), datetime(2026, 11, 26, 9), "2026-11-26"),
    (P.field("value"), "¥120,000", "120000"),
    (P.field("value"), 1200.5, "1200.5"),
    (P.field("progress"), 0.8, "80"),
    (P.field("progress"), "80%", "80"),
    (F.field("rating"), 5.0, "5"),
    (F.field("rating"), "★★★★★", "5"),
    (P.field("stage"), " in progress", "In Progress"),
    (P.field("stage"), "进行中", "In Progress"),
    (M.field("status"), "on leave", "On leave"),
    (F.field("status"), "in progress", "In Progress"),
    (T.field("period"), "Q4 2026", "2026-Q4"),
    (T.field("csat"), "4.20", "4.2"),
    (M.field("email"), " a@b.co ", "a@b.co"),
    (P.field("manager"), "  Li Wei ", "Li Wei"),
    (P.field("next_step"), "  keep  spaces ", "  keep  spaces "),
    (P.field("next_step"), "=IMPORTXML(A1)", "=IMPORTXML(A1)"),
    (P.field("next_step"), 7, "7"),
    (P.field("next_step"), 7.0, "7"),
    (P.field("next_step"), 13800138000, "13800138000"),
    (P.field("next_step"), True, "TRUE"),
    (P.field("next_step"), False, "FALSE"),
    (P.field("next_step"), "   ", "   "),
    (P.field("due"), None, ""),
    (P.field("due"), "", ""),
    (P.field("due"), "  ", ""),
    (F.field("rating"), None, ""),
])
def test_normalize_ok(field, raw, expected):
    assert normalize(field, raw, RULES) == Parsed(expected, True)


@pytest.mark.parametrize("field, raw, kept, reason", [
    (P.field("due"), "next Friday", "next Friday",
     'not a date: "next Friday" (use YYYY-MM-DD)'),
    (F.field("rating"), 7, "7", 'rating must be 1 to 5 (got "7")'),
    (F.field("rating"), " 9 ", " 9 ", 'rating must be 1 to 5 (got " 9 ")'),
    (P.field("stage"), "Doing", "Doing", "not one of Intake"),
    (P.field("value"), "about 10k", "about 10k", 'not an amount: "about 10k"'),
    (P.field("progress"), 12.5, "12.5", None),  # 12.5 is fine: 12.5 %
    (T.field("period"), "2026-11-26", "2026-11-26", "a period is a month"),
    (M.field("email"), "li.wei", "li.wei", "not an email address"),
    (F.field("rating"), True, "TRUE", 'not a rating: "TRUE"'),
])
def test_normalize_keeps_raw_text(field, raw, kept, reason):
    parsed = normalize(field, raw, RULES)
    if reason is None:
        assert parsed.ok
        return
    assert parsed.value == kept and not parsed.ok
    assert parsed.reason.startswith(reason)


def test_normalize_uses_dayfirst_and_defaults():
    assert normalize(P.field("due"), "03/04/2026").value == "2026-03-04"
    assert normalize(P.field("due"), "03/04/2026", Rules(dayfirst=True)).value == "2026-04-03"


def test_normalize_choice_follows_configured_list_by_tab():
    rules = Rules.build(choices={"Feedback.Status": ["Open", "Done"]})
    status = F.field("status")
    assert normalize(status, "done", rules, tab="feedback").value == "Done"
    assert normalize(status, "done", rules).value == "Done"  # tab inferred from the field
    assert not normalize(M.field("status"), "done", rules).ok


# -- to_cell and the round trip --------------------------------------------------------


@pytest.mark.parametrize("field, value, cell", [
    (P.field("due"), "2026-11-26", 46352),
    (P.field("value"), "120000", 120000),
    (P.field("value"), "1200.5", 1200.5),
    (P.field("value"), "-1200", -1200),
    (P.field("progress"), "80", 0.8),
    (P.field("progress"), "100", 1),
    (P.field("progress"), "0", 0),
    (P.field("progress"), "150", "150%"),  # a number would read back as 1.5 %
    (F.field("rating"), "5", 5),
    (T.field("csat"), "4.2", 4.2),
    (T.field("period"), "2026-11", "2026-11"),
    (P.field("stage"), "In Progress", "In Progress"),
    (P.field("next_step"), "=IMPORTXML(A1)", "=IMPORTXML(A1)"),
    (P.field("due"), "next Friday", "next Friday"),
    (F.field("rating"), "9", "9"),
    (P.field("due"), "", ""),
])
def test_to_cell(field, value, cell):
    out = to_cell(field, value, RULES)
    assert out == cell and type(out) is type(cell)


ROUND_TRIP = [
    (P.field("due"), ["2026-11-26", "1950-01-01", "2199-12-31", "2024-02-29"]),
    (P.field("value"), ["0", "120000", "1200.5", "0.1", "99999999999", "0.33"]),
    (schema.Field("amount", "Amount", schema.MONEY), ["-1200", "0", "1200.5"]),
    (P.field("progress"), ["0", "0.5", "1", "7", "33.333", "80", "99.9", "100"]),
    (schema.Field("share", "Share", schema.PERCENT), ["150", "1000", "0.5"]),
    (F.field("rating"), ["1", "2", "3", "4", "5"]),
    (T.field("csat"), ["4.2", "0", "5", "0.07"]),
    (schema.Field("count", "Count", schema.NUMBER), ["-3", "1000000", "0.07"]),
    (F.field("received"), ["2026-12-03", "2026-12-03 14:30", "2026-12-03 00:01"]),
    (T.field("period"), ["2026-11", "2026-Q4", "1999-01"]),
    (P.field("stage"), list(schema.STAGES)),
    (P.field("manager"), ["Li Wei", "王芳"]),
    (P.field("next_step"), ["7", "TRUE", "=SUM(A1:A2)", " spaced "]),
    (M.field("email"), ["li.wei@example.com"]),
]


@pytest.mark.parametrize("field, values", ROUND_TRIP, ids=[f.key for f, _ in ROUND_TRIP])
def test_round_trip(field, values):
    for value in values:
        assert normalize_stored(field, value, RULES) == Parsed(value, True), value
        assert normalize(field, to_cell(field, value, RULES), RULES).value == value, value


def test_stored_percent_is_read_literally():
    progress = P.field("progress")
    assert normalize(progress, "0.5").value == "50"  # typed: a fraction
    assert normalize_stored(progress, "0.5").value == "0.5"  # stored: already 0..100
    assert to_cell(progress, "0.5") == 0.005
    assert to_cell(progress, "1") == 0.01
