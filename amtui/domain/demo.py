"""A made-up but believable workspace: managers, clients, projects, feedback and the rest.

A year of history ending at ``today``, with activity in the last few days so a standup has
something to show. Deterministic for a given ``(size, today, seed)``: one ``random.Random``
drives everything and nothing is iterated in hash order.

    >>> from datetime import date
    >>> data = generate("small", today=date(2026, 11, 26))
    >>> len(data["managers"]), len(data["projects"]), data["projects"][0]["id"]
    (8, 60, 'P-0001')
    >>> from amtui.domain.rules import Rules
    >>> sorted(demo_workbook_rows(data, Rules.default()))[:2]
    ['Clients', 'Development']

All references are by name (Projects.Manager is a manager's Name), so ``validate_all`` finds
no issues in a generated workspace.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from amtui.domain import schema
from amtui.domain.parse import fmt_number, to_cell
from amtui.domain.period import Period
from amtui.domain.rules import Rules

SIZES: dict[str, dict[str, int]] = {
    "small": {"managers": 8, "clients": 20, "projects": 60, "feedback": 200, "reviews": 20,
              "development": 40, "updates": 30},
    "large": {"managers": 50, "clients": 500, "projects": 5000, "feedback": 20000,
              "reviews": 600, "development": 2000, "updates": 1000},
}
EMAIL_DOMAIN = "agency.example.com"


def make_id(tab: str, n: int) -> str:
    """The ``n``-th ID of a tab: ``make_id("projects", 42)`` → ``'P-0042'``."""
    return f"{schema.ID_PREFIX[tab]}-{n:0{schema.ID_WIDTH[tab]}d}"


# -- source material -------------------------------------------------------------------

# name, email user, role, team, mentor, days since start, status, responsibilities
_CORE_MANAGERS = (
    ("Sarah Chen", "sarah.chen", "Head of Account Management", "Leadership", "", 2200, "Active",
     "Leads the account team; owns top-tier accounts; runs quarterly reviews"),
    ("Li Wei", "li.wei", "Senior Account Manager", "Consumer", "", 1500, "Active",
     "Consumer brands; mentors new managers; weekly client reporting"),
    ("王芳", "wang.fang", "Senior Account Manager", "Tech", "", 1100, "Active",
     "科技客户；季度业务回顾；合同续约"),
    ("David Park", "david.park", "Account Manager", "Retail", "Sarah Chen", 700, "Active",
     "Retail accounts; campaign delivery; budget tracking"),
    ("张伟", "zhang.wei", "Account Manager", "Tech", "王芳", 500, "Active",
     "SaaS clients; 需求变更管理; client onboarding"),
    ("Emily Zhao", "emily.zhao", "Junior Account Manager", "Consumer", "Li Wei", 35,
     "Onboarding", "Supports consumer accounts; meeting notes and status reports"),
    ("陈静", "chen.jing", "Junior Account Manager", "Tech", "王芳", 50, "Onboarding",
     "协助科技客户项目；整理周报"),
    # Onboarding without a mentor: a gap the lead should notice.
    ("Tom Becker", "tom.becker", "Account Manager", "Retail", "", 20, "Onboarding",
     "Joined from a competitor; shadowing retail accounts"),
)
_FIRST = ("James", "Olivia", "Lucas", "Mia", "Noah", "Grace", "Ethan", "Chloe", "Ryan", "Hannah",
          "Daniel", "Sophie", "Kevin", "Amy", "Jason", "Laura", "Oscar", "Nina", "Victor", "Zoe")
_LAST = ("Wong", "Smith", "Lin", "Garcia", "Tan", "Müller", "Kim", "Huang", "Lee", "Patel",
         "Ng", "Rossi", "Chan", "Sato", "Ho", "Novak", "Liu", "Wu", "Martin", "Cheng")
_CN_SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
                ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
                ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"))
_CN_GIVEN = (("芳", "fang"), ("伟", "wei"), ("静", "jing"), ("磊", "lei"), ("娜", "na"),
             ("敏", "min"), ("军", "jun"), ("洋", "yang"), ("艳", "yan"), ("杰", "jie"),
             ("婷", "ting"), ("浩", "hao"), ("晨", "chen"), ("雪", "xue"), ("鹏", "peng"),
             ("丽", "li"), ("强", "qiang"), ("欣怡", "xinyi"), ("子轩", "zixuan"),
             ("思远", "siyuan"))
_TEAMS = ("Consumer", "Tech", "Retail", "Finance", "Healthcare")
_ROLE_TEXT = {
    "Senior Account Manager": "Key accounts; mentors juniors; renewals",
    "Account Manager": "Day-to-day client contact; delivery follow-up; weekly reports",
    "Junior Account Manager": "Supports senior managers; meeting notes; 周报",
}

_CORE_CLIENTS = (
    ("Northwind Foods", "FMCG"), ("Blue Harbor Bank", "Finance"), ("华星科技", "Technology"),
    ("Acme Retail", "Retail"), ("Lumen Health", "Healthcare"), ("青禾餐饮", "FMCG"),
    ("Orbit Mobility", "Automotive"), ("Maple & Co.", "Retail"), ("上海明达汽车", "Automotive"),
    ("Sunrise Travel", "Travel"), ("Pixel Forge Games", "Media"), ("Greenfield Dairy", "FMCG"),
    ("Atlas Insurance", "Finance"), ("云图教育", "Education"), ("Kite Fashion", "Retail"),
    ("Harborview Hotels", "Travel"), ("Nova Telecom", "Telecom"), ("金桥物流", "Logistics"),
    ("Summit Outdoor", "Retail"), ("Bright Smile Dental", "Healthcare"),
)
_CLIENT_A = ("Silver", "Red", "Golden", "North", "Bright", "Blue", "Green", "Iron", "Cedar",
             "Swift", "Crystal", "Union", "Pacific", "Lotus", "Evergreen", "Apex", "Metro",
             "Coastal", "Prime", "Vista", "Pioneer", "Royal", "Urban", "Alpine", "Harbor")
# Name ending → industry, so "Iron Motors" is Automotive.
_CLIENT_B = {"Foods": "FMCG", "Bank": "Finance", "Motors": "Automotive", "Health": "Healthcare",
             "Telecom": "Telecom", "Apparel": "Retail", "Logistics": "Logistics",
             "Labs": "Technology", "Hotels": "Travel", "Media": "Media", "Energy": "Energy",
             "Pharma": "Healthcare", "Retail": "Retail", "Games": "Media", "Travel": "Travel",
             "Insurance": "Finance", "Dairy": "FMCG", "Furniture": "Retail",
             "Cosmetics": "FMCG", "Airlines": "Travel", "Software": "Technology",
             "Sports": "Retail"}
_CN_CLIENT_A = ("华", "金", "云", "新", "恒", "明", "长", "嘉", "瑞", "天", "东方", "盛世")
_CN_CLIENT_B = {"科技": "Technology", "食品": "FMCG", "汽车": "Automotive", "教育": "Education",
                "物流": "Logistics", "医疗": "Healthcare", "传媒": "Media", "地产": "Real Estate",
                "银行": "Finance", "餐饮": "FMCG"}

_PROJECT_KINDS = (
    "Spring Campaign", "Brand Refresh", "Website Redesign", "Product Launch", "Loyalty Program",
    "Social Media Retainer", "CRM Migration", "Trade Show Booth", "Annual Report", "Video Series",
    "618 Promotion", "双11 大促", "新品发布会", "Market Research", "SEO Audit",
    "App Onboarding Flow", "Holiday Campaign", "Influencer Program", "Customer Survey",
    "Packaging Redesign",
)
_BLOCKERS = (
    "Waiting on brand assets from client", "Legal review of contract pending",
    "客户预算冻结，等待审批", "Client IT has not granted API access",
    "Key stakeholder on leave until next week", "Scope change not signed off",
)
_NEXT_STEPS = (
    "Send revised timeline", "Book kickoff call", "Collect feedback on draft 2",
    "准备周五的进度汇报", "Chase PO and invoice approval", "Share test plan with client",
    "Confirm shoot locations", "Review media plan with client", "整理会议纪要并发给客户",
)
_RISK_STEPS = (
    "Escalate scope change to Sarah", "Agree a reduced scope with client",
    "Add a designer for two weeks", "和客户确认新的上线日期",
)
_RETROS = (
    "Went well: fast approvals. Improve: lock scope before design starts.",
    "复盘：需求变更太多，下次提前确认范围。",
    "Late because assets arrived two weeks late; add an asset deadline to the SOW.",
    "Client loved the creative 🎉 — reuse the weekly demo format.",
    "Budget overrun 8%; track hours weekly, not monthly.",
    "On time thanks to the shared checklist; keep it for all launches.",
)
_CANCEL_RETROS = (
    "Cancelled: client reorganised marketing; 30% of fee billed.",
    "项目取消：客户预算调整。",
)
_FEEDBACK_TEXT = {
    "Praise": ("Great work on the launch, the team was super responsive 🎉",
               "交付很及时，团队很专业。", "Loved the creative direction — exactly what we wanted.",
               "Thanks for staying late to fix the landing page 🙏"),
    "Complaint": ("The monthly report arrived two days late again.", "报告延迟了两天，希望改进。",
                  "The invoice did not match the quote.", "Nobody answered our emails last week."),
    "Request": ("Can we add a Chinese version of the brochure?", "希望增加每周进度汇报。",
                "Please share the raw survey data.", "Could we move the review call to Friday?"),
    "Issue": ("Tracking pixel is broken on the checkout page.", "视频字幕有错别字。",
              "Budget sheet formulas are off by one month.", "Staging site is down."),
    "Other": ("Our new point of contact is Ms. Liu.", "新的对接人是刘经理。",
              "Office closed next Monday for the holiday."),
}
_INTERNAL_TEXT = {
    "Praise": ("Great collaboration with design this sprint 👍", "交接文档写得很清楚，谢谢！"),
    "Complaint": ("Handover notes were missing for this account.", "Timesheets submitted late."),
    "Request": ("Please loop finance in before sending quotes.", "希望提前一周告知排期。"),
    "Issue": ("Brief was missing the target audience.", "Client login shared over chat."),
    "Other": ("Moved the weekly sync to Thursdays.",),
}
_RESPONSES = {
    "Praise": ("Thank you, shared with the team!", "谢谢认可，我们会继续保持。"),
    "Complaint": ("Apologies; we have added a review step before sending.",
                  "非常抱歉，已安排专人跟进，本周五前回复。", "Sorry about that — call booked."),
    "Request": ("Sure, scheduled for next week.", "收到，已经加入排期。"),
    "Issue": ("Thanks — fixed and re-sent today.", "已修复，请查收。"),
    "Other": ("Noted, thanks.", "收到。"),
}
_CONTACTS = ("Ms. Liu", "James Carter", "Anna Schmidt", "王总", "Kenji Sato", "刘经理",
             "Priya Nair", "Marco Rossi", "赵女士")
_INTERNAL_FROM = ("Design team", "Finance", "Delivery team", "Strategy", "HR")
_TRAININGS = ("Negotiation skills workshop", "Project management fundamentals",
              "客户沟通技巧培训", "Data storytelling", "Handling difficult clients",
              "Agency finance basics")
_TRAINERS = ("Acme Learning", "LinkedIn Learning", "外部讲师 李老师", "Internal academy")
_CERTS = (("Google Ads certification", "Google"), ("HubSpot Inbound", "HubSpot"),
          ("PMP certification", "PMI"), ("Meta Media Buying", "Meta"))
_STANDUP = (
    "Sent revised timeline to client; waiting on sign-off.",
    "Kickoff call done, scope doc drafted.", "客户确认了设计稿，下周开始开发。",
    "Shared draft 2; feedback due Thursday.", "QA found 3 bugs, fixing today.",
    "Invoice sent; PO still pending.", "Workshop with client went well 👍",
)
_STRENGTHS = ("Clients trust them; fast responses", "沟通清晰，执行力强",
              "Strong at scoping and estimates", "Great mentor to juniors")
_IMPROVEMENTS = ("Update the board before standup", "Push back on scope creep earlier",
                 "提高周报的及时性", "Delegate more to juniors")

# The English demo's material, by the names the generator asks for.
_EN = {
    "core_managers": _CORE_MANAGERS, "teams": _TEAMS,
    "role_name": {r: r for r in _ROLE_TEXT}, "role_text": _ROLE_TEXT,
    "core_clients": _CORE_CLIENTS, "project_kinds": _PROJECT_KINDS, "blockers": _BLOCKERS,
    "next_steps": _NEXT_STEPS, "risk_steps": _RISK_STEPS, "retros": _RETROS,
    "cancel_retros": _CANCEL_RETROS, "feedback_text": _FEEDBACK_TEXT,
    "internal_text": _INTERNAL_TEXT, "responses": _RESPONSES, "contacts": _CONTACTS,
    "internal_from": _INTERNAL_FROM, "trainings": _TRAININGS, "trainers": _TRAINERS,
    "certs": _CERTS, "coaching": "1:1 coaching", "mentoring": "Mentoring session",
    "external_coach": "External coach",
    "dev_notes": ("", "", "Good session", "下次带上客户案例", "Slides shared"),
    "standup": _STANDUP, "blocked_note": "Blocked: {blocker}", "strengths": _STRENGTHS,
    "improvements": _IMPROVEMENTS, "head_reviewer": "Managing Director",
    "project_name": "{client} {kind}", "phase": "{name} Phase {n}",
}


# -- the Chinese demo (`amtui demo --language zh-CN`): the same story in Chinese ------------
# Stored values stay canonical (stages, statuses, dates, amounts); names and texts are
# Chinese, and the workbook's tabs, headers and dropdown words are the template's.

_ZH_CORE_MANAGERS = (
    ("林晓雯", "lin.xiaowen", "客户管理总监", "管理层", "", 2200, "Active",
     "带领客户团队；负责核心客户；主持季度考核"),
    ("李伟", "li.wei", "高级客户经理", "消费品", "", 1500, "Active",
     "消费品牌客户；带教新人；每周客户报告"),
    ("王芳", "wang.fang", "高级客户经理", "科技", "", 1100, "Active",
     "科技客户；季度业务回顾；合同续约"),
    ("周明", "zhou.ming", "客户经理", "零售", "林晓雯", 700, "Active",
     "零售客户；活动执行；预算跟踪"),
    ("张伟", "zhang.wei", "客户经理", "科技", "王芳", 500, "Active",
     "SaaS 客户；需求变更管理；客户上线"),
    ("赵雨桐", "zhao.yutong", "初级客户经理", "消费品", "李伟", 35, "Onboarding",
     "协助消费品客户；会议纪要和状态报告"),
    ("陈静", "chen.jing", "初级客户经理", "科技", "王芳", 50, "Onboarding",
     "协助科技客户项目；整理周报"),
    ("孙浩", "sun.hao", "客户经理", "零售", "", 20, "Onboarding",
     "从同行加入；跟岗学习零售客户"),
)
_ZH_CORE_CLIENTS = (
    ("华星科技", "科技"), ("青禾餐饮", "快消"), ("上海明达汽车", "汽车"), ("云图教育", "教育"),
    ("金桥物流", "物流"), ("北辰食品", "快消"), ("蓝湾银行", "金融"), ("安康医疗", "医疗"),
    ("悦行旅游", "旅游"), ("像素工坊游戏", "传媒"), ("绿野乳业", "快消"), ("泰和保险", "金融"),
    ("锦衣时尚", "零售"), ("海景酒店集团", "旅游"), ("新瑞通信", "通信"), ("峰行户外", "零售"),
    ("皓齿口腔", "医疗"), ("万家零售", "零售"), ("启明软件", "科技"), ("东方传媒", "传媒"),
)
_ZH_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "苏州")
_ZH_CLIENT_B = {"科技": "科技", "食品": "快消", "汽车": "汽车", "教育": "教育", "物流": "物流",
                "医疗": "医疗", "传媒": "传媒", "地产": "房地产", "银行": "金融", "餐饮": "快消"}
_ZH = {
    "core_managers": _ZH_CORE_MANAGERS,
    "teams": ("消费品", "科技", "零售", "金融", "医疗"),
    "role_name": {"Junior Account Manager": "初级客户经理", "Account Manager": "客户经理",
                  "Senior Account Manager": "高级客户经理"},
    "role_text": {"Senior Account Manager": "重点客户；带教新人；续约",
                  "Account Manager": "日常客户对接；交付跟进；每周报告",
                  "Junior Account Manager": "协助高级客户经理；会议纪要；周报"},
    "core_clients": _ZH_CORE_CLIENTS,
    "project_kinds": (
        "春季营销活动", "品牌焕新", "官网改版", "新品上市", "会员计划", "社媒代运营", "CRM 系统迁移",
        "展会展台", "年度报告", "系列视频", "618 大促", "双11 大促", "新品发布会", "市场调研",
        "SEO 优化", "App 新手引导", "节日营销", "达人推广计划", "客户满意度调研", "包装设计"),
    "blockers": ("等待客户提供品牌素材", "合同法务审核中", "客户预算冻结，等待审批",
                 "客户 IT 尚未开通接口权限", "关键联系人休假到下周", "范围变更未签字确认"),
    "next_steps": ("发送修订后的排期", "预约项目启动会", "收集第二稿反馈", "准备周五的进度汇报",
                   "催办采购单和发票审批", "与客户分享测试计划", "确认拍摄场地",
                   "和客户过一遍媒介计划", "整理会议纪要并发给客户"),
    "risk_steps": ("把范围变更上报给林晓雯", "与客户商定缩减范围", "增派一名设计师两周",
                   "和客户确认新的上线日期"),
    "retros": ("做得好：审批快。待改进：设计开始前锁定范围。", "复盘：需求变更太多，下次提前确认范围。",
               "素材晚到两周导致延期；在合同中加上素材截止日期。", "客户很喜欢创意 🎉，沿用每周演示的形式。",
               "预算超支 8%；工时改为每周跟踪。", "靠共享检查清单按时交付；所有上线项目都沿用。"),
    "cancel_retros": ("项目取消：客户市场部重组，已收取 30% 费用。", "项目取消：客户预算调整。"),
    "feedback_text": {
        "Praise": ("上线做得很好，团队响应非常及时 🎉", "交付很及时，团队很专业。",
                   "创意方向正是我们想要的。", "感谢大家加班修好落地页 🙏"),
        "Complaint": ("月报又晚了两天。", "报告延迟了两天，希望改进。", "发票金额和报价不一致。",
                      "上周我们的邮件没人回复。"),
        "Request": ("能否增加中文版宣传册？", "希望增加每周进度汇报。", "请分享调研的原始数据。",
                    "评审会能否改到周五？"),
        "Issue": ("结算页的埋点失效了。", "视频字幕有错别字。", "预算表的公式错了一个月。",
                  "测试站点打不开。"),
        "Other": ("我们的新对接人是刘女士。", "新的对接人是刘经理。", "下周一公司放假。"),
    },
    "internal_text": {
        "Praise": ("这个迭代和设计团队合作很顺畅 👍", "交接文档写得很清楚，谢谢！"),
        "Complaint": ("这个客户的交接记录缺失。", "工时填报晚了。"),
        "Request": ("发报价前请先同步财务。", "希望提前一周告知排期。"),
        "Issue": ("需求简报缺少目标人群。", "客户账号密码在聊天里明文分享。"),
        "Other": ("周会改到每周四。",),
    },
    "responses": {
        "Praise": ("谢谢，已转达团队！", "谢谢认可，我们会继续保持。"),
        "Complaint": ("抱歉，我们已在发送前增加一道审核。", "非常抱歉，已安排专人跟进，本周五前回复。",
                      "抱歉，已约好电话沟通。"),
        "Request": ("好的，已安排在下周。", "收到，已经加入排期。"),
        "Issue": ("谢谢，已修复并重新发送。", "已修复，请查收。"),
        "Other": ("收到，谢谢。", "收到。"),
    },
    "contacts": ("刘女士", "陈总", "王总", "黄经理", "刘经理", "赵女士", "李总监", "孙先生", "吴主管"),
    "internal_from": ("设计团队", "财务部", "交付团队", "策略部", "人力资源部"),
    "trainings": ("谈判技巧工作坊", "项目管理基础", "客户沟通技巧培训", "用数据讲故事",
                  "应对难缠客户", "代理商财务入门"),
    "trainers": ("艾克学院", "领英学习", "外部讲师 李老师", "内部学院"),
    "certs": (("Google Ads 认证", "Google"), ("HubSpot 集客营销认证", "HubSpot"),
              ("PMP 项目管理认证", "PMI"), ("Meta 媒介投放认证", "Meta")),
    "coaching": "一对一辅导", "mentoring": "导师辅导", "external_coach": "外部教练",
    "dev_notes": ("", "", "很有收获", "下次带上客户案例", "课件已分享"),
    "standup": ("已把修订排期发给客户，等待确认。", "启动会已开，范围文档初稿完成。",
                "客户确认了设计稿，下周开始开发。", "第二稿已分享，周四前反馈。",
                "测试发现 3 个问题，今天修复。", "发票已开，采购单还在走流程。",
                "和客户的工作坊很顺利 👍"),
    "blocked_note": "受阻：{blocker}",
    "strengths": ("客户信任，响应快", "沟通清晰，执行力强", "擅长范围评估和报价", "是新人的好导师"),
    "improvements": ("站会前先更新看板", "更早拒绝范围蔓延", "提高周报的及时性", "多授权给新人"),
    "head_reviewer": "总经理",
    "project_name": "{client}{kind}", "phase": "{name}（第{n}期）",
}


@dataclass
class _Manager:
    id: str
    name: str
    start: date
    status: str
    mentor: str
    role: str


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _spread(rng: random.Random, n: int, weights: dict[str, float]) -> list[str]:
    """``n`` values in proportion to ``weights``, each at least once when ``n`` allows, shuffled."""
    total = sum(weights.values())
    counts = {k: max(1 if n >= len(weights) else 0, round(n * w / total))
              for k, w in weights.items()}
    biggest = max(counts, key=counts.__getitem__)
    counts[biggest] += n - sum(counts.values())
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def _blank(tab: str) -> dict[str, str]:
    return dict.fromkeys(schema.TABS[tab].keys, "")


class _Demo:
    def __init__(self, size: str, today: date, seed: int, language: str = "en"):
        if size not in SIZES:
            raise ValueError(f"unknown demo size {size!r} (use {', '.join(SIZES)})")
        self.chinese = language == "zh-CN"
        self.src = _ZH if self.chinese else _EN
        self.n = SIZES[size]
        self.today = today
        self.rng = random.Random(seed)
        self.out: dict[str, list[dict[str, str]]] = {}

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def run(self) -> dict[str, list[dict[str, str]]]:
        self.managers()
        self.clients()
        self.projects()
        self.feedback()
        self.targets()
        self.reviews()
        self.development()
        self.updates()
        return {tab: self.out[tab] for tab in schema.TABS}

    # -- managers --------------------------------------------------------------------

    def _extra_people(self, count: int, taken: set[str]) -> list[tuple[str, str]]:
        rng = self.rng
        english = [(f"{f} {last}", f"{f}.{last}".lower().replace("ü", "ue"))
                   for f in _FIRST for last in _LAST]
        chinese = [(s + g, f"{sp}.{gp}") for s, sp in _CN_SURNAMES for g, gp in _CN_GIVEN]
        pool = rng.sample(english, len(english)) + rng.sample(chinese, len(chinese))
        if self.chinese:
            pool = rng.sample(chinese, len(chinese))
        pool = [p for p in pool if p[0] not in taken]
        picks = [pool[i] for i in range(0, len(pool), 2)]  # alternate-ish mix of both
        rng.shuffle(picks)
        return picks[:count]

    def managers(self) -> None:
        rng, n = self.rng, self.n["managers"]
        src = self.src
        rows = list(src["core_managers"][:n])
        seniors = [r[0] for r in rows[1:3]]  # Li Wei, 王芳
        for name, user in self._extra_people(n - len(rows), {r[0] for r in rows}):
            days = rng.randint(20, 3000)
            role = ("Junior Account Manager" if days < 400 else
                    rng.choice(("Account Manager", "Account Manager", "Senior Account Manager")))
            status = "Onboarding" if days < 90 else rng.choices(
                ("Active", "On leave"), (0.95, 0.05))[0]
            mentor = rng.choice(seniors) if role == "Junior Account Manager" else ""
            if role == "Senior Account Manager":
                seniors.append(name)
            rows.append((name, user, src["role_name"][role], rng.choice(src["teams"]), mentor,
                         days, status, src["role_text"][role]))
        emails: set[str] = set()
        self.people: list[_Manager] = []
        for i, (name, user, role, team, mentor, days, status, text) in enumerate(rows, 1):
            email, k = f"{user}@{EMAIL_DOMAIN}", 2
            while email in emails:
                email, k = f"{user}{k}@{EMAIL_DOMAIN}", k + 1
            emails.add(email)
            start = self.day(-days)
            rec = _blank("managers") | {
                "id": make_id("managers", i), "name": name, "email": email, "role": role,
                "team": team, "mentor": mentor, "start_date": _iso(start), "status": status,
                "responsibilities": text,
            }
            self.out.setdefault("managers", []).append(rec)
            self.people.append(_Manager(rec["id"], name, start, status, mentor, role))
        self.head = self.people[0]
        # Sorted by start so "who had joined by then" is a prefix (bisect).
        self.by_start = sorted(self.people, key=lambda m: (m.start, m.id))
        self.starts = [m.start for m in self.by_start]
        self.owners = [m for m in self.people if m.status == "Active" and m is not self.head]

    def joined_by(self, day: date) -> list[_Manager]:
        staff = self.by_start[: bisect.bisect_right(self.starts, day)]
        return staff or [self.head]

    # -- clients ---------------------------------------------------------------------

    def clients(self) -> None:
        rng, n = self.rng, self.n["clients"]
        pairs = list(self.src["core_clients"][:n])
        if n > len(pairs):
            # About a quarter Chinese names, the rest English, all distinct.
            english = [(f"{a} {b}", kind) for a in _CLIENT_A for b, kind in _CLIENT_B.items()]
            chinese = [(a + b, kind) for a in _CN_CLIENT_A for b, kind in _CN_CLIENT_B.items()]
            english, chinese = rng.sample(english, len(english)), rng.sample(chinese, len(chinese))
            need = n - len(pairs)
            pool = chinese[: need // 4] + english + chinese[need // 4:]
            if self.chinese:
                pool = [(a + b, kind) for a in _CN_CLIENT_A for b, kind in _ZH_CLIENT_B.items()]
                pool += [(c + a + b, kind) for c in _ZH_CITIES for a, b, kind in
                         ((a, b, kind) for a in _CN_CLIENT_A for b, kind in _ZH_CLIENT_B.items())]
                pool = rng.sample(pool, len(pool))
            taken = {name for name, _ in pairs}
            pairs += [p for p in pool if p[0] not in taken][:need]
        # Owners in turn, so the book of business is spread evenly.
        owners = rng.sample(self.owners, len(self.owners))
        self.client_owner: dict[str, _Manager] = {}
        self.client_tier: dict[str, str] = {}
        rows = []
        for i, (name, industry) in enumerate(pairs, 1):
            tier = rng.choices(schema.TIERS, (0.2, 0.45, 0.35))[0]
            owner = self.head if (tier == "A" and rng.random() < 0.15) else owners[i % len(owners)]
            rows.append(_blank("clients") | {
                "id": make_id("clients", i), "name": name, "industry": industry,
                "tier": tier, "owner": owner.name, "since": _iso(self.day(-rng.randint(60, 2500))),
            })
            self.client_owner[name], self.client_tier[name] = owner, tier
        self.client_names = [name for name, _ in pairs]
        self.out["clients"] = rows

    # -- projects --------------------------------------------------------------------

    def _dates(self, stage: str) -> tuple[date, date, date | None]:
        """Start, due and delivered dates that make sense for the stage."""
        r = self.rng.randint
        if stage == "Intake":
            start = self.day(r(-10, 30))
            return start, start + timedelta(days=r(30, 120)), None
        if stage == "Planning":
            start = self.day(r(-30, 14))
            return start, start + timedelta(days=r(30, 120)), None
        if stage in ("In Progress", "Client Review"):
            due = self.day(r(-25, 80) if stage == "In Progress" else r(-10, 30))
            return min(due - timedelta(days=r(25, 140)), self.day(-3)), due, None
        if stage == schema.DELIVERED:
            start = self.day(-r(40, 365))
            due = start + timedelta(days=r(20, 100))
            # Mostly on or before Due, some late; never in the future.
            slip = r(-7, 0) if self.rng.random() < 0.7 else r(1, 14)
            delivered = min(max(due + timedelta(days=slip), start), self.today)
            return start, due, delivered
        start = self.day(-r(30, 250))  # On Hold, Cancelled
        return start, start + timedelta(days=r(30, 120)), None

    def projects(self) -> None:
        rng, n = self.rng, self.n["projects"]
        stages = _spread(rng, n, {"Intake": 7, "Planning": 10, "In Progress": 28,
                                  "Client Review": 10, "Delivered": 35, "On Hold": 5,
                                  "Cancelled": 5})
        n_open = sum(s not in schema.CLOSED_STAGES for s in stages)
        health = iter(_spread(rng, n_open, {"On track": 70, "At risk": 18, "Blocked": 12}))
        used: dict[str, int] = {}
        made = []
        for stage in stages:
            client = rng.choice(self.client_names)
            start, due, delivered = self._dates(stage)
            owner = self.client_owner[client]
            manager = owner if owner.start <= start and rng.random() < 0.8 else rng.choice(
                self.joined_by(start))
            name = self.src["project_name"].format(
                client=client, kind=rng.choice(self.src["project_kinds"]))
            used[name] = used.get(name, 0) + 1
            if used[name] > 1:
                name = self.src["phase"].format(name=name, n=used[name])
            state = "" if stage in schema.CLOSED_STAGES else next(health)
            made.append(self._project(name, client, manager, stage, start, due, delivered, state))
        self._give_newcomers_work(made)
        made.sort(key=lambda p: (p["start"], p["project"]))
        for i, rec in enumerate(made, 1):
            rec["id"] = make_id("projects", i)
        self.out["projects"] = made
        self.project_list = made
        self.project_starts = [date.fromisoformat(p["start"]) for p in made]
        self.open_by_manager: dict[str, list[dict[str, str]]] = {}
        for p in made:
            if p["stage"] not in schema.CLOSED_STAGES:
                self.open_by_manager.setdefault(p["manager"], []).append(p)

    def _give_newcomers_work(self, made: list[dict[str, str]]) -> None:
        """Each onboarding manager runs one or two projects that started after they joined."""
        for m in self.people:
            if m.status != "Onboarding":
                continue
            fresh = [p for p in made if p["stage"] not in schema.CLOSED_STAGES
                     and p["start"] >= _iso(m.start)]
            for p in self.rng.sample(fresh, min(len(fresh), 2)):
                p["manager"] = m.name

    def _project(self, name, client, manager, stage, start, due, delivered, health):
        rng = self.rng
        tier_factor = {"A": 3, "B": 1.5, "C": 1}[self.client_tier[client]]
        progress = {"Intake": (0, 2), "Planning": (1, 5), "In Progress": (4, 17),
                    "Client Review": (16, 19), "Delivered": (20, 20), "On Hold": (2, 12),
                    "Cancelled": (0, 14)}[stage]
        rec = _blank("projects") | {
            "project": name, "client": client, "manager": manager.name, "stage": stage,
            "priority": rng.choices(schema.PRIORITIES, (0.25, 0.5, 0.25))[0],
            "start": _iso(start), "due": _iso(due), "delivered": _iso(delivered),
            "value": str(int(rng.randrange(20, 600) * tier_factor) * 1000),
            "progress": str(rng.randint(*progress) * 5),
        }
        if stage == schema.DELIVERED:
            rec |= {"health": "On track", "retro": rng.choice(self.src["retros"])}
        elif stage == "Cancelled":
            rec["retro"] = rng.choice(self.src["cancel_retros"])
        else:
            if stage == "On Hold" and health == "On track":
                health = "Blocked"  # on hold for a reason
            rec["health"] = health
            rec["next_step"] = rng.choice(
                self.src["risk_steps"] if health == "At risk" else self.src["next_steps"])
            if health == "Blocked":
                rec["blocker"] = rng.choice(self.src["blockers"])
        return rec

    # -- feedback --------------------------------------------------------------------

    def _received(self) -> date:
        back = self.rng.randint(0, 6) if self.rng.random() < 0.1 else self.rng.randint(0, 364)
        return self.day(-back)

    def feedback(self) -> None:
        rng, n = self.rng, self.n["feedback"]
        rows = [self._feedback_one(self._received()) for _ in range(n)]
        # A few recent complaints nobody has answered yet: the inbox's reason to exist.
        complaints = [r for r in rows if r["category"] == "Complaint" and r["source"] == "Client"]
        for rec in rng.sample(complaints, min(len(complaints), max(3, n // 60))):
            rec |= {"received": _iso(self.day(-rng.randint(1, 12))), "status": "New",
                    "response": "", "responded": "", "resolved": ""}
        rows.sort(key=lambda r: r["received"])
        for i, rec in enumerate(rows, 1):
            rec["id"] = make_id("feedback", i)
        self.out["feedback"] = rows

    def _feedback_one(self, received: date) -> dict[str, str]:
        rng = self.rng
        client_side = rng.random() < 0.75
        known = bisect.bisect_right(self.project_starts, received)
        project = self.project_list[rng.randrange(known)] if known and rng.random() < 0.85 else None
        if project:
            client, manager = project["client"], project["manager"]
        elif client_side:
            client = rng.choice(self.client_names)
            owner = self.client_owner[client]
            manager = (owner if owner.start <= received else rng.choice(
                self.joined_by(received))).name
        else:
            client, manager = "", rng.choice(self.joined_by(received)).name
        weights = (35, 15, 25, 15, 10) if client_side else (30, 15, 20, 20, 15)
        category = rng.choices(schema.CATEGORIES, weights)[0]
        texts = self.src["feedback_text" if client_side else "internal_text"][category]
        rated = client_side or rng.random() < 0.3
        rec = _blank("feedback") | {
            "received": _iso(received),
            "from_": rng.choice(self.src["contacts"]) if client_side else rng.choice(
                self.src["internal_from"] + (self.head.name,)),
            "source": "Client" if client_side else "Internal", "client": client,
            "project": project["project"] if project else "", "manager": manager,
            "rating": str(self._rating(category)) if rated else "", "category": category,
            "text": rng.choice(texts),
        }
        return rec | self._answer(received, category)

    def _rating(self, category: str) -> int:
        low, high = {"Praise": (4, 5), "Complaint": (1, 3), "Request": (3, 5), "Issue": (2, 4),
                     "Other": (3, 5)}[category]
        return self.rng.randint(low, high)

    def _answer(self, received: date, category: str) -> dict[str, str]:
        rng = self.rng
        age = (self.today - received).days
        if age <= 3:
            status = rng.choices(("New", "Acknowledged", "In Progress"), (5, 3, 2))[0]
        elif age <= 21:
            status = rng.choices(schema.FEEDBACK_STATUS, (8, 20, 22, 40, 10))[0]
        else:
            status = rng.choices(schema.FEEDBACK_STATUS, (0, 3, 4, 50, 43))[0]
        if status == "New":
            return {"status": status}
        delay = rng.choices((0, 1, 2, rng.randint(3, 6)), (50, 30, 12, 8))[0]
        responded = min(received + timedelta(days=delay), self.today)
        out = {"status": status, "response": rng.choice(self.src["responses"][category]),
               "responded": _iso(responded)}
        if status in schema.HANDLED_STATUS:
            out["resolved"] = _iso(min(responded + timedelta(days=rng.randint(0, 14)),
                                       self.today))
        return out

    # -- targets, reviews ------------------------------------------------------------

    def targets(self) -> None:
        rng = self.rng
        months = Period.month_of(self.today).last(12)
        quarters = Period.quarter_of(self.today).last(4)
        rows = []
        for m in self.people:
            monthly = rng.randrange(10, 40) * 10_000 if m is not self.head else 500_000
            csat = rng.choice((4.2, 4.2, 4.3, 4.5))
            on_time = rng.choice((85, 90, 90, 95))
            hours = rng.choice((24, 24, 48))
            for period in months + quarters:
                revenue = monthly * (3 if period.kind == "quarter" else 1)
                rows.append(_blank("targets") | {
                    "id": make_id("targets", len(rows) + 1), "manager": m.name,
                    "period": str(period), "csat": fmt_number(csat), "on_time": str(on_time),
                    "revenue": str(revenue), "response_hours": str(hours),
                })
        self.out["targets"] = rows

    def reviews(self) -> None:
        n = self.n["reviews"]
        rows: list[dict[str, str]] = []
        quarter = Period.quarter_of(self.today).prev()
        for _ in range(80):  # at most 20 years back
            for m in self.people:
                if len(rows) >= n:
                    break
                if m.start > quarter.start:
                    continue
                rows.append(self._review(m, quarter))
            if len(rows) >= n:
                break
            quarter = quarter.prev()
        rows.sort(key=lambda r: (r["date"], r["manager"]))
        for i, rec in enumerate(rows, 1):
            rec["id"] = make_id("reviews", i)
        self.out["reviews"] = rows

    def _review(self, m: _Manager, quarter: Period) -> dict[str, str]:
        rng = self.rng
        score = rng.choices((5, 4, 3, 2, 1), (15, 45, 30, 8, 2))[0]
        outcome = {5: "Bonus", 4: "Recognition", 3: "None"}.get(score, "Improvement plan")
        when = min(quarter.end + timedelta(days=rng.randint(5, 20)), self.today)
        return _blank("reviews") | {
            "manager": m.name, "period": str(quarter),
            "reviewer": self.src["head_reviewer"] if m is self.head else self.head.name,
            "score": str(score), "strengths": rng.choice(self.src["strengths"]),
            "improvements": rng.choice(self.src["improvements"]), "outcome": outcome,
            "date": _iso(when),
        }

    # -- development -----------------------------------------------------------------

    def development(self) -> None:
        rng, n = self.rng, self.n["development"]
        rows = []
        # Weekly mentoring for new managers who have a mentor, two sessions still ahead.
        for m in self.people:
            if m.status == "Onboarding" and m.mentor:
                day = m.start + timedelta(days=3)
                while day <= self.day(14) and len(rows) < n // 2:
                    rows.append(self._dev(m, "Mentoring", day, with_=m.mentor))
                    day += timedelta(days=7)
        while len(rows) < n:
            m = rng.choice(self.people)
            kind = rng.choices(schema.DEV_TYPES, (45, 20, 15, 20))[0]
            earliest = max((self.today - m.start).days, 1)
            back = rng.randint(-30, min(365, earliest)) if rng.random() < 0.9 else -rng.randint(
                1, 30)
            rows.append(self._dev(m, kind, self.day(-back)))
        # A few planned sessions whose date has passed: overdue, for the lead to chase.
        past_planned = [r for r in rows if r["status"] == "Done"]
        for rec in rng.sample(past_planned, min(len(past_planned), max(2, n // 25))):
            rec["status"] = "Planned"
        rows.sort(key=lambda r: (r["date"], r["manager"]))
        for i, rec in enumerate(rows, 1):
            rec["id"] = make_id("development", i)
        self.out["development"] = rows

    def _dev(self, m: _Manager, kind: str, day: date, with_: str = "") -> dict[str, str]:
        rng, src = self.rng, self.src
        if kind == "Training":
            title, with_, hours = rng.choice(src["trainings"]), rng.choice(
                src["trainers"]), rng.choice((2, 3, 4, 8, 16))
        elif kind == "Certification":
            (title, with_), hours = rng.choice(src["certs"]), rng.choice((8, 12, 20, 40))
        elif kind == "Coaching":
            title, with_, hours = src["coaching"], self.head.name, 1
        else:
            title = src["mentoring"]
            seniors = [p.name for p in self.people[1:3] if p is not m] or [
                src["external_coach"]]
            with_ = with_ or m.mentor or rng.choice(seniors)
            hours = rng.choice((1, 1, 1.5))
        if day > self.today:
            status = "Planned"
        else:
            status = rng.choices(("Done", "Missed"), (92, 8))[0]
        return _blank("development") | {
            "manager": m.name, "type": kind, "title": title, "with_": with_, "date": _iso(day),
            "hours": fmt_number(hours), "status": status,
            "notes": rng.choice(src["dev_notes"]),
        }

    # -- updates ---------------------------------------------------------------------

    def updates(self) -> None:
        rng, n = self.rng, self.n["updates"]
        busy = [m for m in self.people if m.name in self.open_by_manager]
        horizon = 14 if n <= 100 else 90
        rows = []
        for _ in range(n):
            m = rng.choice(busy)
            project = rng.choice(self.open_by_manager[m.name])
            back = rng.choices((0, 1, 2, rng.randint(3, horizon)), (20, 30, 15, 35))[0]
            note = rng.choice(self.src["standup"])
            if project["health"] == "Blocked":
                note = self.src["blocked_note"].format(blocker=project["blocker"])
            rows.append(_blank("updates") | {
                "date": _iso(self.day(-back)), "manager": m.name,
                "project": project["project"], "note": note,
            })
        rows.sort(key=lambda r: (r["date"], r["manager"]))
        for i, rec in enumerate(rows, 1):
            rec["id"] = make_id("updates", i)
        self.out["updates"] = rows


def generate(size: str = "small", *, today: date, seed: int = 7,
             language: str = "en") -> dict[str, list[dict[str, str]]]:
    """A demo workspace keyed by tab key; every record has every field key of its tab.

    ``size`` is ``"small"`` (8 managers, 60 projects, 200 feedback) or ``"large"``
    (50 managers, 5,000 projects, 20,000 feedback). ``language="zh-CN"``: Chinese names
    and texts (stored values such as stages stay canonical, as always).

        >>> zh = generate("small", today=date(2026, 11, 26), language="zh-CN")
        >>> zh["managers"][0]["name"], zh["projects"][0]["stage"] in schema.STAGES
        ('林晓雯', True)
    """
    return _Demo(size, today, seed, language).run()


def demo_workbook_rows(
    records_by_tab: dict[str, list[dict[str, str]]], rules: Rules | None = None,
    names: dict | None = None,
) -> dict[str, list[list[Any]]]:
    """Sheet rows per tab title: the header row, then each record's cells via ``to_cell``.

        >>> rows = demo_workbook_rows({"projects": [{"id": "P-0001", "project": "X",
        ...                                          "due": "2026-11-26", "progress": "80"}]})
        >>> rows["Projects"][1][:2], rows["Projects"][1][8], rows["Projects"][1][11]
        (['P-0001', 'X'], 46352, 0.8)

    ``names`` (``schema.sheet_names``) give the tabs and headers another language's names;
    choices go in the sheet's own words when ``rules`` name them.
    """
    rules = rules or Rules.default()
    out: dict[str, list[list[Any]]] = {}
    for key, tab in schema.TABS.items():
        if key not in records_by_tab:
            continue
        memo: dict[tuple[str, str], Any] = {}
        headers = names["headers"][key] if names else {}
        rows: list[list[Any]] = [[headers.get(f.key, f.header) for f in tab.fields]]
        for record in records_by_tab[key]:
            row = []
            for f in tab.fields:
                value = record.get(f.key) or ""
                cell = memo.get((f.key, value))
                if cell is None:
                    cell = memo[(f.key, value)] = to_cell(f, value, rules, tab=key)
                row.append(cell)
            rows.append(row)
        out[names["tabs"][key] if names else tab.title] = rows
    return out
