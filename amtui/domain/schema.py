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

from amtui.domain.i18n import N_, _

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


STAGES = (N_("Intake"), N_("Planning"), N_("In Progress"), N_("Client Review"), N_("Delivered"), N_("On Hold"), N_("Cancelled"))
PRIORITIES = (N_("High"), N_("Medium"), N_("Low"))
HEALTH = (N_("On track"), N_("At risk"), N_("Blocked"))
MANAGER_STATUS = (N_("Active"), N_("Onboarding"), N_("On leave"), N_("Left"))
TIERS = ("A", "B", "C")
SOURCES = (N_("Client"), N_("Internal"))
CATEGORIES = (N_("Praise"), N_("Complaint"), N_("Request"), N_("Issue"), N_("Other"))
FEEDBACK_STATUS = (N_("New"), N_("Acknowledged"), N_("In Progress"), N_("Resolved"), N_("Closed"))
DEV_TYPES = (N_("Training"), N_("Mentoring"), N_("Certification"), N_("Coaching"))
DEV_STATUS = (N_("Planned"), N_("Done"), N_("Missed"))
OUTCOMES = (N_("Bonus"), N_("Recognition"), N_("Improvement plan"), N_("None"))

# Stages that end a project's life on the board.
CLOSED_STAGES = ("Delivered", "Cancelled")
DELIVERED = "Delivered"
# Feedback statuses that no longer need an answer.
HANDLED_STATUS = ("Resolved", "Closed")


def _f(key, header, kind=TEXT, choices=(), required=False, low=None, high=None) -> Field:
    return Field(key, header, kind, tuple(choices), required, low, high)


ID = _f("id", N_("ID"))

TABS: dict[str, Tab] = {
    t.key: t
    for t in (
        Tab("managers", N_("Managers"), (
            ID, _f("name", N_("Name"), required=True), _f("email", N_("Email"), EMAIL), _f("role", N_("Role")),
            _f("team", N_("Team")), _f("mentor", N_("Mentor"), REF_MANAGER),
            _f("start_date", N_("Start Date"), DATE), _f("status", N_("Status"), CHOICE, MANAGER_STATUS),
            _f("responsibilities", N_("Responsibilities")),
        ), name_field="name"),
        Tab("clients", N_("Clients"), (
            ID, _f("name", N_("Name"), required=True), _f("industry", N_("Industry")),
            _f("tier", N_("Tier"), CHOICE, TIERS), _f("owner", N_("Owner"), REF_MANAGER),
            _f("since", N_("Since"), DATE),
        ), name_field="name"),
        Tab("projects", N_("Projects"), (
            ID, _f("project", N_("Project"), required=True), _f("client", N_("Client"), REF_CLIENT),
            _f("manager", N_("Manager"), REF_MANAGER), _f("stage", N_("Stage"), CHOICE, STAGES),
            _f("priority", N_("Priority"), CHOICE, PRIORITIES), _f("health", N_("Health"), CHOICE, HEALTH),
            _f("start", N_("Start"), DATE), _f("due", N_("Due"), DATE), _f("delivered", N_("Delivered"), DATE),
            _f("value", N_("Value"), MONEY, low=0), _f("progress", N_("Progress"), PERCENT, low=0, high=100),
            _f("blocker", N_("Blocker")), _f("next_step", N_("Next Step")), _f("retro", N_("Retro")),
        ), name_field="project"),
        Tab("feedback", N_("Feedback"), (
            ID, _f("received", N_("Received"), DATETIME), _f("from_", N_("From")),
            _f("source", N_("Source"), CHOICE, SOURCES), _f("client", N_("Client"), REF_CLIENT),
            _f("project", N_("Project"), REF_PROJECT), _f("manager", N_("Manager"), REF_MANAGER),
            _f("rating", N_("Rating"), RATING), _f("category", N_("Category"), CHOICE, CATEGORIES),
            _f("text", N_("Text")), _f("status", N_("Status"), CHOICE, FEEDBACK_STATUS),
            _f("response", N_("Response")), _f("responded", N_("Responded"), DATETIME),
            _f("resolved", N_("Resolved"), DATE),
        ), name_field="text", needs_one_of=("text", "rating")),
        Tab("targets", N_("Targets"), (
            ID, _f("manager", N_("Manager"), REF_MANAGER, required=True),
            _f("period", N_("Period"), PERIOD, required=True), _f("csat", N_("CSAT"), NUMBER, low=0, high=5),
            _f("on_time", N_("On-time %"), PERCENT, low=0, high=100),
            _f("revenue", N_("Revenue"), MONEY, low=0),
            _f("response_hours", N_("Response Hours"), NUMBER, low=0),
        ), name_field="manager"),
        Tab("reviews", N_("Reviews"), (
            ID, _f("manager", N_("Manager"), REF_MANAGER, required=True),
            _f("period", N_("Period"), PERIOD), _f("reviewer", N_("Reviewer")),
            _f("score", N_("Score"), RATING), _f("strengths", N_("Strengths")),
            _f("improvements", N_("Improvements")), _f("outcome", N_("Outcome"), CHOICE, OUTCOMES),
            _f("date", N_("Date"), DATE),
        ), name_field="manager"),
        Tab("development", N_("Development"), (
            ID, _f("manager", N_("Manager"), REF_MANAGER, required=True),
            _f("type", N_("Type"), CHOICE, DEV_TYPES), _f("title", N_("Title")), _f("with_", N_("With")),
            _f("date", N_("Date"), DATE), _f("hours", N_("Hours"), NUMBER, low=0),
            _f("status", N_("Status"), CHOICE, DEV_STATUS), _f("notes", N_("Notes")),
        ), name_field="title"),
        Tab("updates", N_("Updates"), (
            ID, _f("date", N_("Date"), DATE), _f("manager", N_("Manager"), REF_MANAGER),
            _f("project", N_("Project"), REF_PROJECT), _f("note", N_("Note")),
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


# Every built-in default value of a choice field (what the English template's dropdowns hold).
BUILTIN_VALUES = frozenset(
    v for values in (STAGES, PRIORITIES, HEALTH, MANAGER_STATUS, SOURCES, CATEGORIES,
                     FEEDBACK_STATUS, DEV_TYPES, DEV_STATUS, OUTCOMES) for v in values)


def shown(value: str) -> str:
    """A stored value as the UI shows it: a built-in default in the UI's language, anything
    a person typed as typed (``shown("In Progress")`` is ``进行中`` in Chinese, ``"Doing"``
    stays ``"Doing"``)."""
    return _(value) if value in BUILTIN_VALUES else value


def label(tab: str, key: str) -> str:
    """A field's name in the UI's language (``label("projects", "due")``: Due / 截止日期),
    whatever the sheet's header says."""
    return _(TABS[tab].field(key).header)


def tab_label(tab: str) -> str:
    """A tab's name in the UI's language: Projects / 项目."""
    return _(TABS[tab].title)
