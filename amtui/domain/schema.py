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
from functools import cache

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


# -- the sheet in another language ------------------------------------------------------
# `init-sheet --language zh-CN` and `demo --language zh-CN` name tabs, headers and the
# dropdowns' words with the UI's own translations (the sheet and the screens say the same
# words); the config they write keeps those names, so the sync reads them by the config.

SHEET_LANGUAGES = ("en", "zh-CN")


def sheet_names(language: str) -> dict:
    """The names a sheet in ``language`` gives tabs, headers and built-in choice values:
    ``{"tabs": {tab: title}, "headers": {tab: {field: header}}, "values": {(tab, field):
    {value: word}}}``. English is the default layout itself.

    >>> zh = sheet_names("zh-CN")
    >>> zh["tabs"]["projects"], zh["headers"]["projects"]["due"]
    ('项目', '截止日期')
    >>> zh["values"][("projects", "stage")]["Delivered"]
    '已交付'
    """
    from amtui.domain.i18n import in_language

    def word(text: str) -> str:
        return in_language(language, text)

    return {
        "tabs": {key: word(tab.title) for key, tab in TABS.items()},
        "headers": {key: {f.key: word(f.header) for f in tab.fields}
                    for key, tab in TABS.items()},
        "values": {(key, f.key): {v: word(v) for v in f.choices}
                   for key, tab in TABS.items() for f in tab.fields
                   if f.kind == CHOICE and any(word(v) != v for v in f.choices)},
    }


# Common headers of a team's own sheet, by field key, recognised when the config does not
# name a header (a human-made Chinese sheet: 负责人 for Manager, 截止 for Due). The UI's own
# word (schema.zh_CN: 客户经理, 截止日期) is accepted as well. One table, used wherever a
# sheet's header row is matched (``header_synonyms``).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "序号", "ID号", "编码"),
    "name": ("名称", "姓名", "名字"),
    "email": ("邮箱", "电子邮箱", "邮件", "Email地址"),
    "role": ("职位", "岗位", "角色"),
    "team": ("团队", "部门", "小组"),
    "mentor": ("导师", "带教人"),
    "start_date": ("入职日期", "入职时间"),
    "status": ("状态", "处理状态"),
    "responsibilities": ("职责", "工作职责"),
    "industry": ("行业", "所属行业"),
    "tier": ("等级", "客户等级", "级别"),
    "owner": ("负责人", "客户经理", "对接人"),
    "since": ("合作开始", "合作开始日期", "合作时间"),
    "project": ("项目", "项目名称", "项目名"),
    "client": ("客户", "客户名称", "客户名"),
    "manager": ("客户经理", "负责人", "经理", "对接人"),
    "stage": ("阶段", "状态", "项目阶段", "进度阶段"),
    "priority": ("优先级", "优先"),
    "health": ("健康度", "项目状况", "风险"),
    "start": ("开始日期", "开始", "开始时间", "启动日期"),
    "due": ("截止日期", "截止", "截止时间", "交付期限", "到期日"),
    "delivered": ("交付日期", "已交付", "实际交付", "交付时间"),
    "value": ("金额", "合同金额", "项目金额"),
    "progress": ("进度", "完成度", "完成进度"),
    "blocker": ("阻碍", "卡点", "阻塞"),
    "next_step": ("下一步", "下一步计划", "下步计划"),
    "retro": ("复盘", "复盘总结"),
    "received": ("收到时间", "收到日期", "反馈日期", "反馈时间"),
    "from_": ("反馈人", "来自"),
    "source": ("来源",),
    "rating": ("评分", "打分", "满意度"),
    "category": ("类别", "分类", "类型"),
    "text": ("内容", "反馈内容"),
    "response": ("回复", "回复内容", "答复"),
    "responded": ("回复时间", "回复日期"),
    "resolved": ("解决日期", "已解决", "解决时间"),
    "period": ("周期", "期间", "月份"),
    "csat": ("客户满意度", "满意度目标"),
    "on_time": ("按时交付率", "按时交付率 %", "按时率"),
    "revenue": ("营收", "收入", "营收目标"),
    "response_hours": ("响应时长", "响应时长（小时）", "响应时间"),
    "reviewer": ("考核人", "评审人"),
    "score": ("得分", "分数", "评分"),
    "strengths": ("优点", "优势"),
    "improvements": ("待改进", "改进点", "不足"),
    "outcome": ("结果", "考核结果"),
    "date": ("日期", "时间"),
    "type": ("类型", "类别"),
    "title": ("标题", "名称", "主题"),
    "with_": ("对象", "讲师", "导师"),
    "hours": ("时长", "小时", "学时"),
    "notes": ("备注", "说明"),
    "note": ("记录", "进展", "内容", "备注"),
}


def header_synonyms(tab: str, key: str) -> tuple[str, ...]:
    """Other headers a sheet may give ``tab``'s field ``key`` (besides its configured and
    default English ones): the Chinese template's word and the common synonyms, minus any
    that is another field's header or word in the same tab (so no column is matched twice).

    >>> header_synonyms("projects", "manager")[:3]
    ('客户经理', '负责人', '经理')
    >>> "状态" in header_synonyms("projects", "stage"), "状态" in header_synonyms("feedback", "status")
    (True, True)
    >>> "类别" in header_synonyms("development", "type")
    True
    """
    return _synonyms(tab)[key]


@cache
def _synonyms(tab: str) -> dict[str, tuple[str, ...]]:
    from amtui.domain.i18n import in_language

    fields = TABS[tab].fields
    own = {f.key: [in_language("zh-CN", f.header), *HEADER_SYNONYMS.get(f.key, ())]
           for f in fields}
    # a word that is a field's own header (English or Chinese) belongs to that field only
    taken = {}
    for f in fields:
        for word in (f.header, in_language("zh-CN", f.header)):
            taken.setdefault(word.casefold(), f.key)
    out = {}
    for f in fields:
        seen: list[str] = []
        for word in own[f.key]:
            owner = taken.get(word.casefold(), f.key)
            if owner == f.key and word not in seen and word != f.header:
                seen.append(word)
        out[f.key] = tuple(seen)
    return out
