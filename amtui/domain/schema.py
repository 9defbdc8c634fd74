"""The record kinds of the shared sheet: tabs, their fields, value kinds and allowed values.

Everything here is the *default* layout from PRODUCT.md; the config can rename tabs and
headers and replace the allowed-value lists. Field keys (``"due"``, ``"manager"``) are the
stable names used by the store, the CLI and the code; headers are what people see.

    >>> TABS["projects"].field("stage").kind
    'choice'
    >>> TABS["projects"].header_of("due")
    'Due'
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Value kinds. Every stored value is text; the kind says how a person's typing is read.
TEXT = "text"
DATE = "date"
DATETIME = "datetime"  # a date, or a date with a time of day: 2026-12-03 14:30
MONEY = "money"
PERCENT = "percent"
NUMBER = "number"
RATING = "rating"  # whole number 1..5, blank allowed
CHOICE = "choice"  # one of an allowed list, case-insensitive, with aliases
PERIOD = "period"  # 2026-11 or 2026-Q4
REF_MANAGER = "ref:managers"
REF_CLIENT = "ref:clients"
REF_PROJECT = "ref:projects"
EMAIL = "email"

REF_KINDS = {REF_MANAGER: "managers", REF_CLIENT: "clients", REF_PROJECT: "projects"}


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    # Allowed range of a number, money or percent field (None: unbounded on that side).
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Tab:
    key: str
    title: str
    fields: tuple[Field, ...]
    # The field a person reads as the record's name (cards, pickers, references).
    name_field: str = "id"
    # A record must fill at least one of these (besides every required field): feedback
    # with neither text nor rating says nothing.
    needs_one_of: tuple[str, ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def field(self, key: str) -> Field:
        if not self._index:
            self._index.update({f.key: f for f in self.fields})
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"{self.title} has no field {key!r}") from None

    def header_of(self, key: str) -> str:
        return self.field(key).header

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]


STAGES = ("Intake", "Planning", "In Progress", "Client Review", "Delivered", "On Hold", "Cancelled")
PRIORITIES = ("High", "Medium", "Low")
HEALTH = ("On track", "At risk", "Blocked")
MANAGER_STATUS = ("Active", "Onboarding", "On leave", "Left")
TIERS = ("A", "B", "C")
SOURCES = ("Client", "Internal")
CATEGORIES = ("Praise", "Complaint", "Request", "Issue", "Other")
FEEDBACK_STATUS = ("New", "Acknowledged", "In Progress", "Resolved", "Closed")
DEV_TYPES = ("Training", "Mentoring", "Certification", "Coaching")
DEV_STATUS = ("Planned", "Done", "Missed")
OUTCOMES = ("Bonus", "Recognition", "Improvement plan", "None")

# Stages that end a project's life on the board.
CLOSED_STAGES = ("Delivered", "Cancelled")
DELIVERED = "Delivered"
# Feedback statuses that no longer need an answer.
HANDLED_STATUS = ("Resolved", "Closed")


def _f(key, header, kind=TEXT, choices=(), required=False, low=None, high=None) -> Field:
    return Field(key, header, kind, tuple(choices), required, low, high)


ID = _f("id", "ID")

TABS: dict[str, Tab] = {
    t.key: t
    for t in (
        Tab("managers", "Managers", (
            ID, _f("name", "Name", required=True), _f("email", "Email", EMAIL), _f("role", "Role"),
            _f("team", "Team"), _f("mentor", "Mentor", REF_MANAGER),
            _f("start_date", "Start Date", DATE), _f("status", "Status", CHOICE, MANAGER_STATUS),
            _f("responsibilities", "Responsibilities"),
        ), name_field="name"),
        Tab("clients", "Clients", (
            ID, _f("name", "Name", required=True), _f("industry", "Industry"),
            _f("tier", "Tier", CHOICE, TIERS), _f("owner", "Owner", REF_MANAGER),
            _f("since", "Since", DATE),
        ), name_field="name"),
        Tab("projects", "Projects", (
            ID, _f("project", "Project", required=True), _f("client", "Client", REF_CLIENT),
            _f("manager", "Manager", REF_MANAGER), _f("stage", "Stage", CHOICE, STAGES),
            _f("priority", "Priority", CHOICE, PRIORITIES), _f("health", "Health", CHOICE, HEALTH),
            _f("start", "Start", DATE), _f("due", "Due", DATE), _f("delivered", "Delivered", DATE),
            _f("value", "Value", MONEY, low=0), _f("progress", "Progress", PERCENT, low=0, high=100),
            _f("blocker", "Blocker"), _f("next_step", "Next Step"), _f("retro", "Retro"),
        ), name_field="project"),
        Tab("feedback", "Feedback", (
            ID, _f("received", "Received", DATETIME), _f("from_", "From"),
            _f("source", "Source", CHOICE, SOURCES), _f("client", "Client", REF_CLIENT),
            _f("project", "Project", REF_PROJECT), _f("manager", "Manager", REF_MANAGER),
            _f("rating", "Rating", RATING), _f("category", "Category", CHOICE, CATEGORIES),
            _f("text", "Text"), _f("status", "Status", CHOICE, FEEDBACK_STATUS),
            _f("response", "Response"), _f("responded", "Responded", DATETIME),
            _f("resolved", "Resolved", DATE),
        ), name_field="text", needs_one_of=("text", "rating")),
        Tab("targets", "Targets", (
            ID, _f("manager", "Manager", REF_MANAGER, required=True),
            _f("period", "Period", PERIOD, required=True), _f("csat", "CSAT", NUMBER, low=0, high=5),
            _f("on_time", "On-time %", PERCENT, low=0, high=100),
            _f("revenue", "Revenue", MONEY, low=0),
            _f("response_hours", "Response Hours", NUMBER, low=0),
        ), name_field="manager"),
        Tab("reviews", "Reviews", (
            ID, _f("manager", "Manager", REF_MANAGER, required=True),
            _f("period", "Period", PERIOD), _f("reviewer", "Reviewer"),
            _f("score", "Score", RATING), _f("strengths", "Strengths"),
            _f("improvements", "Improvements"), _f("outcome", "Outcome", CHOICE, OUTCOMES),
            _f("date", "Date", DATE),
        ), name_field="manager"),
        Tab("development", "Development", (
            ID, _f("manager", "Manager", REF_MANAGER, required=True),
            _f("type", "Type", CHOICE, DEV_TYPES), _f("title", "Title"), _f("with_", "With"),
            _f("date", "Date", DATE), _f("hours", "Hours", NUMBER, low=0),
            _f("status", "Status", CHOICE, DEV_STATUS), _f("notes", "Notes"),
        ), name_field="title"),
        Tab("updates", "Updates", (
            ID, _f("date", "Date", DATE), _f("manager", "Manager", REF_MANAGER),
            _f("project", "Project", REF_PROJECT), _f("note", "Note"),
        ), name_field="note"),
    )
}

# ID prefixes, so an ID says what it is: P-0042 is a project.
ID_PREFIX = {
    "managers": "M", "clients": "C", "projects": "P", "feedback": "F",
    "targets": "T", "reviews": "R", "development": "D", "updates": "U",
}

# Digits in each tab's IDs (P-0042, F-00042): wide enough for the large demo workspace.
ID_WIDTH = {"managers": 3, "clients": 4, "projects": 4, "feedback": 5, "targets": 5,
            "reviews": 4, "development": 4, "updates": 5}


def new_record_defaults(tab: str, today) -> dict[str, str]:
    """What a record added in amtui starts with, before the person's own values:
    ``new_record_defaults("feedback", date(2026, 11, 26))["status"] == "New"``."""
    day = today.isoformat()
    return {
        "projects": {"stage": STAGES[0], "priority": "Medium", "health": "On track",
                     "start": day, "progress": "0"},
        "feedback": {"received": day, "status": "New", "source": "Client"},
        "development": {"status": "Planned"},
        "reviews": {"date": day},
        "updates": {"date": day},
        "managers": {"status": "Active", "start_date": day},
        "clients": {"since": day},
    }.get(tab, {})


def tab_for(name: str) -> Tab:
    """Find a tab by key or default title, case-insensitively: ``tab_for("Projects")``."""
    wanted = name.strip().lower()
    for tab in TABS.values():
        if wanted in (tab.key, tab.title.lower()):
            return tab
    raise KeyError(name)
