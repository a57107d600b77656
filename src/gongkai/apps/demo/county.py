"""Demo data: a realistic county with its staff and years of applications.

``generate(cases=DEFAULT_CASES, seed=2025)`` makes a county (``青山县``): the county government, 30
departments and 19 townships and streets, three staff per agency (登记, 承办, 审核/负责人) and a
supervisor of the whole county (the 县政务公开办), all with the password ``DEMO_PASSWORD``, and
each agency's letter settings; then the applications of last year (closed at its end through
``reports.services.close_year``) and of this year up to today, with reviews and lawsuits, and
last year's annual reports (table 2 and text).

``generate_cases(agencies, count, year, seed=0, until=None)`` adds ``count`` applications
received on working days of ``year`` (up to ``until``, default today) to ``agencies`` (each must
have a registrar, a handler and an approver) and returns how many it made. Each case is planned
with the core rules (``gongkai.core.casework.lifecycle``) and then made by the agency's staff
through the registry's own services — ``register_application``, ``assign_handler``,
``transition``, and for the outcomes under sign-off ``signoff.services`` (draft, submit, sign,
which issues the reply letter) — so that every demo case is one a user could have made.

Usernames: ``zhuguan`` for the county supervisor; ``<code>_dengji``, ``<code>_chengban``,
``<code>_shenhe`` for the registrar, handler and approver of each agency (``xzf`` is the county
government, ``czj`` the finance bureau, ``cgz`` 城关镇, ...); ``accounts.py`` says which to use for what.
"""

from __future__ import annotations

import bisect
import functools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application, Channel, ReplyChannel
from gongkai.apps.cases.services import _calendar, assign_handler, register_application, transition
from gongkai.apps.online import notify
from gongkai.core.casework import fees, identity, lifecycle
from gongkai.core.casework.lifecycle import Case, Event, State
from gongkai.core.casework.signoff import DISCLOSING_OUTCOMES
from gongkai.core.casework.workdays import WorkCalendar

DEMO_PASSWORD = "gongkai-demo"
# Applications the demo makes unless told otherwise: each goes through the registry's services, so
# that a first start takes a few minutes (``benchmarks/demo_build.py``); ``--cases`` makes more.
DEFAULT_CASES = 2_000
COUNTY = "青山县"
SUPERVISOR_USERNAME = "zhuguan"
ROLE_SUFFIXES = {Membership.Role.REGISTRAR: "dengji", Membership.Role.HANDLER: "chengban",
                 Membership.Role.APPROVER: "shenhe"}

# (name after the county's, username code, relative volume of applications)
DEPARTMENTS = [
    ("发展和改革局", "fgj", 2), ("教育和体育局", "jtj", 3), ("科学技术局", "kjj", 1), ("工业和信息化局", "gxj", 1),
    ("公安局", "gaj", 4), ("民政局", "mzj", 2), ("司法局", "sfj", 1), ("财政局", "czj", 2),
    ("人力资源和社会保障局", "rsj", 4), ("自然资源局", "zrj", 6), ("住房和城乡建设局", "zjj", 6), ("交通运输局", "jtj2", 2),
    ("水利局", "slj", 1), ("农业农村局", "nyj", 3), ("商务局", "swj", 1), ("文化和旅游局", "wlj", 1),
    ("卫生健康局", "wjj", 2), ("退役军人事务局", "tyj", 1), ("应急管理局", "yjj", 1), ("审计局", "sjj", 1),
    ("市场监督管理局", "scj", 3), ("统计局", "tjj", 1), ("医疗保障局", "ybj", 2), ("林业局", "lyj", 1),
    ("城市管理局", "cgj", 3), ("行政审批服务局", "spj", 2), ("信访局", "xfj", 1), ("档案馆", "dag", 1),
    ("生态环境分局", "hbj", 3), ("税务局", "swj2", 1),
]
TOWNSHIPS = [
    ("城关街道办事处", "cgjd", 3), ("东城街道办事处", "dcjd", 2), ("西城街道办事处", "xcjd", 2), ("南关街道办事处", "ngjd", 1),
    ("城关镇人民政府", "cgz", 2), ("青石镇人民政府", "qsz", 1), ("柳河镇人民政府", "lhz", 1), ("马营镇人民政府", "myz", 1),
    ("白沙镇人民政府", "bsz", 1), ("杨庄镇人民政府", "yzz", 1), ("大王镇人民政府", "dwz", 1), ("河口镇人民政府", "hkz", 1),
    ("高桥镇人民政府", "gqz", 1), ("石门乡人民政府", "smx", 1), ("双山乡人民政府", "ssx", 1), ("北岭乡人民政府", "blx", 1),
    ("桃园乡人民政府", "tyx", 1), ("龙泉乡人民政府", "lqx", 1), ("新集乡人民政府", "xjx", 1),
]
GOVERNMENT = ("人民政府", "xzf", 6)
# Above the county: the government that reviews its decisions and the court of suits against it.
PROVINCE, PROVINCE_DOMAIN = "山东省", "shandong"
CITY_GOVERNMENT, CITY_COURT = "山阳市人民政府", "山阳市中级人民法院"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌海波宁飞鹏辉晶莉倩云峰鑫欣怡浩宇子涵梓轩佳琪"
COMPANIES = ["建筑工程有限公司", "房地产开发有限公司", "商贸有限公司", "农业科技有限公司", "物流有限公司", "食品有限公司",
             "化工有限公司", "环保科技有限公司", "建材有限公司", "矿业有限公司"]
TOPICS = [
    "{year}年本{unit}集体土地征收补偿安置方案及补偿款发放明细", "某小区建设工程规划许可证及附图", "{year}年城乡低保对象名单及发放标准",
    "本{unit}{year}年财政预算、决算及“三公”经费说明", "某路段道路拓宽工程的立项批复和环评文件", "本人房屋所在区域的征收决定及公告",
    "{year}年农村危房改造补助对象名单", "某企业行政处罚决定书", "本{unit}义务教育学校招生划片范围", "某建设项目的建设用地批准书",
    "{year}年度耕地地力保护补贴发放情况", "某河道整治工程的招投标文件", "本人养老保险缴费记录及核定依据", "某加油站的安全生产许可文件",
    "{year}年老旧小区改造项目清单及资金安排", "某信访事项的处理意见书", "本{unit}重大行政决策目录", "某村集体经济组织财务收支情况",
]
OUTCOME_WEIGHTS = {
    "granted": 42, "partial": 9, "denied_state_secret": 0.3, "denied_law_prohibited": 0.6, "denied_three_safety": 0.4,
    "denied_third_party": 0.8, "denied_internal_affairs": 1.2, "denied_process_info": 2.0, "denied_enforcement_file": 0.6,
    "denied_query_matter": 0.8, "unable_not_held": 22, "unable_needs_creation": 4, "rejected_complaint": 5,
    "rejected_repeat": 2.5, "rejected_publication": 0.6, "rejected_excessive": 0.4, "rejected_confirmation": 1.5,
    "other_other": 1.5,
}
APPLICANT_WEIGHTS = {"natural_person": 85, "commercial": 8, "research": 0.5, "social": 1, "legal_service": 2.5, "other": 3}
CHANNEL_WEIGHTS = {Channel.ONLINE: 60, Channel.LETTER: 24, Channel.IN_PERSON: 12, Channel.FAX: 1, Channel.OTHER: 3}
REPLY_WEIGHTS = {ReplyChannel.POST: 45, ReplyChannel.ONLINE: 30, ReplyChannel.EMAIL: 15, ReplyChannel.IN_PERSON: 10}
APPEALABLE = ("partial", "denied_", "unable_", "rejected_")


# ----------------------------------------------------------------------- the county


@dataclass
class Staff:
    registrar: object
    handler: object
    approver: object


@dataclass
class County:
    government: Agency
    agencies: list[Agency]  # the government first, then departments, then townships and streets
    staff: dict[int, Staff]  # agency pk -> its three staff
    supervisor: object
    weights: dict[int, int] = field(default_factory=dict)  # agency pk -> relative volume
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, agency, role)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def create_county(name: str = COUNTY, prefix: str = "", seed: int = 0) -> County:
    """The county government, its departments and townships, staff per role and a supervisor.
    ``prefix`` is put before every username (a second demo county in the same database)."""
    rng = random.Random(seed)
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every demo account
    with transaction.atomic():
        government = Agency.objects.create(name=f"{name}{GOVERNMENT[0]}", kind=Agency.Kind.COUNTY)
        specs = [(government, GOVERNMENT[1], GOVERNMENT[2])]
        for label, code, weight in DEPARTMENTS:
            specs.append((Agency.objects.create(name=f"{name}{label}", kind=Agency.Kind.DEPARTMENT, parent=government),
                          code, weight))
        for label, code, weight in TOWNSHIPS:
            specs.append((Agency.objects.create(name=f"{name}{label}", kind=Agency.Kind.TOWNSHIP, parent=government),
                          code, weight))
        users, memberships, accounts = [], [], []
        supervisor = User(username=f"{prefix}{SUPERVISOR_USERNAME}", first_name=_person_name(rng), password=password)
        users.append(supervisor)
        memberships.append((supervisor, government, Membership.Role.SUPERVISOR))
        accounts.append((supervisor.username, f"{name}人民政府（全县各机关）", Membership.Role.SUPERVISOR.label))
        staff_users: dict[int, dict[str, object]] = {}
        for agency, code, _ in specs:
            for role, suffix in ROLE_SUFFIXES.items():
                user = User(username=f"{prefix}{code}_{suffix}", first_name=_person_name(rng), password=password)
                users.append(user)
                memberships.append((user, agency, role))
                staff_users.setdefault(agency.pk, {})[role] = user
                accounts.append((user.username, agency.name, role.label))
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        Membership.objects.bulk_create([Membership(user=saved[u.username], agency=a, role=r) for u, a, r in memberships])
    staff = {pk: Staff(*(saved[roles[r].username] for r in ROLE_SUFFIXES)) for pk, roles in staff_users.items()}
    county = County(government, [a for a, _, _ in specs], staff, saved[supervisor.username],
                    {a.pk: w for a, _, w in specs}, accounts)
    set_up_letters(county, name, rng)
    return county


def set_up_letters(county: County, name: str = COUNTY, rng: random.Random | None = None) -> None:
    """Every demo agency's letter settings, saved by its approver through the letters service as an
    office does on its 文书设置 page: the 文号 prefix, the review body and the court of its
    letters' remedy sentence, the online review channel, the contact and how a fee is paid — so
    that every kind of letter can be generated on a demo case without "please set up X first"."""
    from gongkai.apps.letters.services import save_settings

    rng = rng or random.Random(0)
    labels = {f"{name}{label}": label for label, _, _ in (GOVERNMENT, *DEPARTMENTS, *TOWNSHIPS)}
    for agency in county.agencies:
        label = labels.get(agency.name, agency.name)
        government = agency.parent_id is None
        staff = county.staff[agency.pk]
        prefix = "青政信" if government else ("青" + label[0] if agency.kind == Agency.Kind.DEPARTMENT else label[:2]) + "信"
        save_settings(
            staff.approver, agency, reason="演示数据：文书设置",
            # 行政复议法 Art. 24: the government above reviews the county government, the county
            # government its departments and townships; 行政诉讼法 Art. 15: a suit against a county
            # government goes to the intermediate court.
            review_body=CITY_GOVERNMENT if government else county.government.name,
            court=CITY_COURT if government else f"{name}人民法院",
            online_review_channel=f"{PROVINCE}行政复议网上申请平台（https://fuyi.{PROVINCE_DOMAIN}.example.gov.cn/）",
            number_prefix=prefix,
            contact_person=staff.handler.first_name or staff.handler.username,
            contact_phone=f"0539-{rng.randint(7000000, 7999999)}",
            contact_address=f"{name}人民路{rng.randint(1, 200)}号",
            payment_instructions=f"收款单位：{name}财政局非税收入汇缴结算户；开户银行：{name}农村商业银行营业部；"
                                 f"账号：{rng.randint(10**17, 10**18 - 1)}；也可通过{PROVINCE}非税收入网上缴款平台缴纳。"
                                 "缴款时请注明申请编号。",
        )


def existing_county(name: str = COUNTY) -> County | None:
    """The demo county already in the database (for printing its accounts), or None."""
    government = Agency.objects.filter(name=f"{name}{GOVERNMENT[0]}", parent=None).first()
    if government is None:
        return None
    agencies = list(government.subtree().order_by("order_path"))
    try:
        staff = staff_of(agencies)
    except ValueError:
        return None
    supervisor = Membership.objects.filter(agency=government, role=Membership.Role.SUPERVISOR).select_related("user").first()
    if supervisor is None:
        return None
    accounts = [(supervisor.user.username, f"{name}人民政府（全县各机关）", Membership.Role.SUPERVISOR.label)]
    for agency in agencies:
        for role in ROLE_SUFFIXES:
            accounts.append((getattr(staff[agency.pk], role_attr(role)).username, agency.name, role.label))
    leader = leader_of(government)
    if leader is not None:
        accounts.insert(4, (leader.username, government.name, "审核/负责人（分管领导）"))
    codes = {f"{name}{label}": weight for label, _, weight in (GOVERNMENT, *DEPARTMENTS, *TOWNSHIPS)}
    return County(government, agencies, staff, supervisor.user, {a.pk: codes.get(a.name, 1) for a in agencies}, accounts)


def leader_of(government: Agency):
    """The government's leader (a second approver, the catalogue's second reviewer), or None
    before the demo's catalogue items were published."""
    found = (Membership.objects.filter(agency=government, role=Membership.Role.APPROVER,
                                       user__username__endswith="_lingdao").select_related("user").first())
    return found.user if found else None


def role_attr(role: str) -> str:
    return {Membership.Role.REGISTRAR: "registrar", Membership.Role.HANDLER: "handler",
            Membership.Role.APPROVER: "approver"}[role]


def staff_of(agencies) -> dict[int, Staff]:
    """The first registrar, handler and approver of each agency (ValueError if one lacks a role)."""
    found: dict[int, dict[str, object]] = {}
    for m in Membership.objects.filter(agency__in=list(agencies)).select_related("user").order_by("pk"):
        found.setdefault(m.agency_id, {}).setdefault(m.role, m.user)
    out = {}
    for agency in agencies:
        roles = found.get(agency.pk, {})
        missing = [r.label for r in ROLE_SUFFIXES if r not in roles]
        if missing:
            raise ValueError(f"“{agency}”没有{'、'.join(missing)}人员，不能生成演示申请")
        out[agency.pk] = Staff(*(roles[r] for r in ROLE_SUFFIXES))
    return out


# ------------------------------------------------------------------------ the cases


class _Calendar(WorkCalendar):
    """The registry's calendar (which looks each day up once) with a fast "n-th working day after"."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        super().__init__(calendar.rules.values(), calendar.complete_years)
        self.days = [first + timedelta(n) for n in range((last - first).days + 1)]
        self.days = [d for d in self.days if self.is_workday(d)]

    def after(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself not counted)."""
        return self.days[bisect.bisect_right(self.days, d) + n - 1]


class _Stop(Exception):
    """The next step falls after the last day simulated: the case stays where it is."""


@dataclass
class Step:
    """One step a member of staff takes on a case, as the desk would send it to the services."""

    event: Event
    on: date
    user: object
    reason: str = ""
    outcome: str | None = None
    decision: lifecycle.Decision | None = None
    details: dict = field(default_factory=dict)


@dataclass
class _Planned:
    fields: dict  # what the registrar enters (register_application's fields)
    agency: Agency
    steps: list[Step]
    merge_target: "_Planned | None" = None
    application: Application | None = None  # once registered


class _Simulation:
    """Plans what happens to a case: which steps, on which working days, by whom. The dates are
    worked out with the core rules (``lifecycle.apply``) so that each step is one the registry
    accepts; the steps are then taken through the registry's services (``take_steps``)."""

    def __init__(self, rng: random.Random, calendar: _Calendar, until: date):
        self.rng, self.calendar, self.until = rng, calendar, until

    def run(self, planned: _Planned, staff: Staff, merge_into: _Planned | None) -> _Planned:
        self.case = Case(received_on=planned.fields["received_on"])
        self.planned, self.staff = planned, staff
        try:
            self._handle(merge_into)
        except _Stop:
            pass
        return planned

    def step(self, event: Event, on: date, user=None, reason: str = "", outcome: str | None = None,
             decision: lifecycle.Decision | None = None, **details) -> None:
        if on > self.until:
            raise _Stop
        core = {k: v for k, v in details.items() if k in lifecycle.STEP_DETAILS.get(event, ())}
        self.case = lifecycle.apply(self.case, event, on, outcome=outcome, decision=decision,
                                    calendar=self.calendar, **core)
        self.planned.steps.append(Step(event, on, user or self.staff.handler, reason, outcome, decision, details))

    def _handle(self, merge_into: _Planned | None) -> None:
        rng, cal = self.rng, self.calendar
        received = self.case.received_on
        roll = rng.random()
        if merge_into is not None:
            self.planned.merge_target = merge_into
            self.step(Event.MERGE, cal.after(received, rng.randint(0, 3)) if rng.random() < 0.7 else received,
                      reason=f"与申请 {merge_into.application.number} 为同一申请，合并办理")
            return
        if roll < 0.02:
            self.step(Event.WITHDRAW, cal.after(received, rng.randint(1, 10)), reason="申请人书面撤回申请")
            return
        start = received
        unclear = False
        if roll < 0.12:  # ~10 %: sent back once for correction
            asked = cal.after(received, rng.randint(1, 7))
            self.step(Event.REQUEST_CORRECTION, asked, reason="申请内容不明确，一次性告知补正", correction_kind="unclear",
                      correction_items="请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（如形成时间、涉及的项目）")
            if rng.random() < 0.2:
                self.step(Event.CORRECTION_LAPSED, cal.after(asked, rng.randint(16, 25)), reason="申请人无正当理由逾期不补正")
                return
            start = cal.after(asked, rng.randint(2, 15))
            self.step(Event.RECEIVE_CORRECTION, start)
            unclear = rng.random() < 0.15
        outcome = "unable_unclear" if unclear else _pick(rng, OUTCOME_WEIGHTS)
        roll = rng.random()
        if roll < 0.03:  # consultation of a third party or another agency
            began = cal.after(start, rng.randint(2, 8))
            self.step(Event.START_CONSULTATION, began, reason="涉及第三方合法权益，书面征求第三方意见",
                      consultation_party=rng.choice(["中标企业", "项目建设单位", "相关权利人"]))
            ended = cal.after(began, rng.randint(5, 15))
            self.step(Event.END_CONSULTATION, ended, reason="第三方已答复")
            outcome = _pick(rng, {"granted": 5, "partial": 2, "denied_third_party": 3})
            decided = cal.after(ended, rng.randint(1, 5))
        elif roll < 0.036:  # an information processing fee
            noticed = cal.after(start, rng.randint(3, 10))
            fee = fees.per_page(rng.randint(40, 400)) if rng.random() < 0.7 else fees.per_application(rng.randint(11, 35))
            posted = rng.random() < 0.5
            self.step(Event.SEND_FEE_NOTICE, noticed, reason="申请数量、频次明显超过合理范围，依法收取信息处理费",
                      fee_method=fee.method.value, fee_yuan=fee.yuan, fee_explanation="".join(fee.explanation),
                      fee_notice_channel="post" if posted else "email")
            receipt = noticed
            if posted:  # a posted notice: its receipt is recorded (the payment period runs from it)
                receipt = cal.after(noticed, rng.randint(1, 3))
                self.step(Event.FEE_NOTICE_RECEIVED, receipt, reason="邮件签收回执")
            if rng.random() < 0.4:
                self.step(Event.PAYMENT_LAPSED, cal.after(receipt, rng.randint(21, 25)), reason="逾期未缴纳信息处理费")
                return
            paid = cal.after(receipt, rng.randint(1, 12))
            self.step(Event.RECEIVE_PAYMENT, paid)
            outcome = _pick(rng, {"granted": 4, "partial": 1})
            decided = cal.after(paid, rng.randint(1, 5))
        elif roll < 0.076:  # an extension approved by the head of the office
            self.step(Event.EXTEND, cal.after(start, rng.randint(12, 19)), self.staff.approver,
                      reason="申请内容复杂，需调阅档案，经负责人批准延长答复期限")
            decided = cal.after(start, rng.randint(21, 38))
        elif roll < 0.09:  # answered late (some still open and overdue today)
            decided = cal.after(start, rng.randint(21, 60))
        else:
            decided = cal.after(start, min(rng.randint(1, 19), rng.randint(1, 19)))
        if rng.random() < 0.03 and not unclear and outcome != "other_other":  # withdrawn while being handled
            last = self.case.history[-1][1] if self.case.history else start
            self.step(Event.WITHDRAW, cal.after(last, rng.randint(1, 5)), reason="申请人已通过其他途径获取信息，申请撤回")
            return
        if outcome == "rejected_excessive":  # Art. 35: reasons asked for first, found unreasonable
            asked = self.case.history[-1][1] if self.case.history else start
            self.step(Event.REQUEST_REASONS, asked, reason="申请数量、频次明显超过合理范围，要求申请人说明理由")
            self.step(Event.RECEIVE_REASONS, max(asked, min(decided, cal.after(asked, 2))),
                      reason="申请人说明的理由不合理", reasons_reasonable=False)
            decided = max(decided, self.case.history[-1][1])
        self.step(Event.DECIDE, decided, self.staff.approver if rng.random() < 0.5 else None, outcome=outcome,
                  reason="经审核，作出答复决定", decision=_demo_decision(rng, outcome))
        channel = _pick(rng, REPLY_WEIGHTS)
        proof = {ReplyChannel.POST: f"EMS {rng.randint(10**12, 10**13 - 1)}", ReplyChannel.EMAIL: "电子邮件已发送",
                 ReplyChannel.ONLINE: "依申请公开平台已送达", ReplyChannel.IN_PERSON: "申请人当面签收"}[channel]
        self.step(Event.SEND_REPLY, cal.after(decided, rng.randint(0, 2)) if rng.random() < 0.6 else decided,
                  reply_channel=channel.value, delivery_proof=proof)
        if rng.random() < 0.92:
            self.step(Event.CLOSE, cal.after(self.case.replied_on, rng.randint(1, 10)), reason="答复已送达，归档")


# What a decision states: the reasons the law asks of a refusal or a partial disclosure
# (条例 Art. 36, 37), and a short explanation for the other outcomes.
DECISION_REASONS = {
    "partial": "申请公开的信息中含有个人信息，公开会对第三方合法权益造成损害，该部分不予公开（《条例》第十五条、第三十七条）",
    "other_other": "申请人要求的事项不属于政府信息公开申请的处理范围",
    "unable_not_held": "经检索本机关档案和业务系统，本机关未制作、获取申请公开的信息",
    "unable_needs_creation": "申请公开的信息需要本机关对现有政府信息进行加工、分析才能形成（《条例》第三十八条）",
    "unable_unclear": "经补正后，申请内容仍不明确，本机关无法确定所需的政府信息",
    "rejected_complaint": "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动（《条例》第三十九条第一款）",
    "rejected_repeat": "申请人重复申请公开相同的政府信息，本机关已作出答复且该信息未发生变化（《条例》第三十六条第（六）项）",
    "rejected_publication": "申请人要求提供的是政府公报等公开出版物，可通过公开出版渠道获取",
    "rejected_excessive": "申请人说明的理由不合理（《条例》第三十五条）",
    "rejected_confirmation": "申请人要求本机关确认或者重新出具已获取的信息（《条例》第三十九条第二款）",
}
REFUSAL_REASONS = "经审查，申请公开的信息属于依法不予公开的情形，理由见告知书。"
SECRECY_OPINION = "经保密审查，拟公开的信息不涉及国家秘密、工作秘密，同意公开。"


def decision_for(outcome: str, other_agency: bool = False) -> lifecycle.Decision:
    """What a demo decision of ``outcome`` states: the reasons the law requires, the prohibiting
    law, and for ``other_agency`` (Art. 36(5)) the agency that holds the information."""
    text = REFUSAL_REASONS if outcome.startswith("denied_") else DECISION_REASONS.get(outcome, "")
    if outcome == "unable_not_held" and other_agency:
        holder = f"{COUNTY}自然资源局"
        return lifecycle.Decision(f"申请公开的信息由{holder}制作并保存", "", holder, "0539-7123456", True)
    law = "《中华人民共和国统计法》第三十九条" if outcome == "denied_law_prohibited" else ""
    return lifecycle.Decision(text, law)


def _demo_decision(rng: random.Random, outcome: str) -> lifecycle.Decision:
    return decision_for(outcome, other_agency=outcome == "unable_not_held" and rng.random() < 0.3)


def decide(staff: Staff, application: Application, step: Step, calendar=None) -> Application:
    """Take a decide step as the office does: an outcome the agency decides only through sign-off
    is drafted and submitted by the handler and signed by the approver (``apps/signoff``, which
    issues the reply letter); any other outcome is decided directly (``transition``)."""
    from gongkai.apps.signoff import services as signoff

    decision = step.decision or lifecycle.Decision("")
    texts = {"decision_reasons": decision.reasons, "prohibiting_law": decision.prohibiting_law,
             "other_agency_name": decision.other_agency_name, "other_agency_contact": decision.other_agency_contact}
    if not signoff.needs_signoff(application.agency, step.outcome):
        return transition(step.user, application, Event.DECIDE, step.on, step.reason, outcome=step.outcome,
                          calendar=calendar, held_by_other_agency=decision.held_by_other_agency, **texts)
    draft = signoff.save_draft(staff.handler, application, outcome=step.outcome, decided_on=step.on, **texts)
    draft = signoff.submit(staff.handler, draft)
    opinion = SECRECY_OPINION if step.outcome in DISCLOSING_OUTCOMES else ""
    signoff.sign(staff.approver, draft, secrecy_opinion=opinion, comment="同意")
    return Application.objects.get(pk=application.pk)


def take_steps(staff: Staff, application: Application, steps, calendar=None) -> Application:
    """Take ``steps`` on a registered case through the registry's services, as the desk does."""
    for step in steps:
        if step.event is Event.DECIDE:
            application = decide(staff, application, step, calendar)
        else:
            application = transition(step.user, application, step.event, step.on, step.reason, outcome=step.outcome,
                                     calendar=calendar, **step.details)
    return application


def _make(planned: _Planned, staff: Staff, calendar) -> Application:
    """Register the planned case, give it to the handler and take its steps (the services throughout)."""
    received = planned.fields["received_on"]
    application = register_application(staff.registrar, planned.agency, calendar=calendar, **planned.fields)
    application = assign_handler(staff.approver, application, staff.handler, on=received)
    steps = planned.steps
    if planned.merge_target is not None:
        steps = [Step(s.event, s.on, s.user, s.reason, s.outcome, s.decision,
                      {**s.details, "merged_into": planned.merge_target.application}) if s.event is Event.MERGE else s
                 for s in steps]
    planned.application = take_steps(staff, application, steps, calendar)
    return planned.application


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _applicant(rng: random.Random, kind: str, year: int) -> dict:
    if kind == "natural_person":
        birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        name = _person_name(rng)
        first17 = f"3708{rng.randint(10, 99)}{birth:%Y%m%d}{rng.randint(100, 999)}"
        rng.choice("0123456789X")  # drawn as before, so that the rest of the demo stays the same
        return {"applicant_name": name, "id_type": "居民身份证",
                "id_number": first17 + identity.id_check_character(first17),  # valid (GB 11643-1999)
                "phone": f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
                "address": f"{COUNTY}{rng.choice(TOWNSHIPS)[0].replace('人民政府', '').replace('办事处', '')}{rng.randint(1, 99)}号"}
    name = {"commercial": f"{COUNTY}{rng.choice('鑫盛华泰宏达恒通永兴')}{rng.choice('源达丰利昌隆')}{rng.choice(COMPANIES)}",
            "research": f"{rng.choice(['省农业科学院', '某大学公共管理学院', '市社会科学研究所'])}",
            "social": rng.choice(["某环境保护公益基金会", "某市志愿者协会", "某县慈善总会"]),
            "legal_service": f"{rng.choice(['泰和', '明理', '正信', '公衡'])}律师事务所",
            "other": rng.choice(["某村民委员会", "某业主委员会", "某县个体劳动者协会"])}[kind]
    code = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")  # drawn as before, so that the rest of the demo stays the same
    code += identity.credit_check_character(code)  # valid (GB 32100-2015)
    return {"applicant_name": name, "credit_code": code, "contact_person": _person_name(rng),
            "phone": f"0539-{rng.randint(1000000, 9999999)}", "address": f"{COUNTY}某路{rng.randint(1, 300)}号"}




def _no_applicant_messages(function):
    """The demo's applicants are made up: its steps send them no e-mail or SMS
    (``online.notify``), however the demo is called (the command, the tests, the benchmarks)."""
    @functools.wraps(function)
    def quietly(*args, **kwargs):
        with notify.paused():
            return function(*args, **kwargs)
    return quietly

@_no_applicant_messages
def generate_cases(agencies, count: int, year: int, seed: int = 0, until: date | None = None,
                   weights: dict[int, int] | None = None, staff: dict[int, Staff] | None = None,
                   batch: int = 500) -> int:
    """Add ``count`` applications received on working days of ``year`` (up to ``until``, default
    today) to ``agencies``, each registered, assigned and taken through its steps up to ``until``
    by the agency's staff through the registry's services (``register_application``,
    ``assign_handler``, ``transition``, the sign-off of ``apps/signoff``), so that every demo case
    is one a user could have made. ``weights`` (agency pk -> relative volume) defaults to equal
    shares; ``staff`` to ``staff_of(agencies)``; ``batch`` cases are committed together. Returns
    the number of applications made."""
    agencies = list(agencies)
    rng = random.Random(seed)
    until = until or date.today()
    first, last = date(year, 1, 1), min(date(year, 12, 31), until)
    if last < first or count <= 0 or not agencies:
        return 0
    staff = staff or staff_of(agencies)
    calendar = _Calendar(_calendar(), first, date(year + 2, 12, 31))
    receipt_days = [d for d in calendar.days if first <= d <= last]
    volume = [(weights or {}).get(a.pk, 1) for a in agencies]
    received = sorted((rng.choice(receipt_days), rng.choices(range(len(agencies)), weights=volume)[0])
                      for _ in range(count))
    simulation = _Simulation(rng, calendar, until)
    recent: dict[int, list[_Planned]] = {}
    made = 0
    for start in range(0, len(received), batch):
        with transaction.atomic():
            for day, index in received[start:start + batch]:
                agency = agencies[index]
                kind = _pick(rng, APPLICANT_WEIGHTS)
                target = None
                earlier = recent.get(agency.pk, [])
                if earlier and rng.random() < 0.005:
                    target = rng.choice(earlier[-20:])
                fields = ({k: getattr(target.application, k) for k in (
                    "applicant_type", "applicant_name", "id_type", "id_number", "credit_code", "contact_person", "phone",
                    "address", "description")}
                    if target else {"applicant_type": kind, **_applicant(rng, kind, year),
                                    "description": rng.choice(TOPICS).format(
                                        year=year - rng.randint(0, 2),
                                        unit="县" if agency.parent_id is None or agency.kind == Agency.Kind.DEPARTMENT
                                        else "镇（街道）")})
                fields.update(channel=_pick(rng, CHANNEL_WEIGHTS).value, received_on=day,
                              form_wanted=rng.choice(["纸质", "电子文档", "纸质", "电子文档", ""]),
                              delivery_wanted=rng.choice(["邮寄", "电子邮件", "网上平台", "自行领取"]))
                case = simulation.run(_Planned(fields, agency, []), staff[agency.pk], target)
                _make(case, staff[agency.pk], calendar)
                made += 1
                if case.application.state != State.MERGED.value:
                    recent.setdefault(agency.pk, []).append(case)
    return made


# ------------------------------------------------------------------ reviews, lawsuits


def _conclusion(rng: random.Random, appeal, until: date, earliest: date = date.min) -> None:
    """Conclude ``appeal`` at a plausible date (not before ``earliest``) if it is not after ``until``."""
    days = rng.randint(30, 90) if appeal.kind == "review" else rng.randint(60, 200)
    concluded = max(appeal.filed_on + timedelta(days), earliest)
    if concluded <= until:
        appeal.result = _pick(rng, {"upheld": 70, "corrected": 15, "other": 15})
        appeal.concluded_on = concluded


@_no_applicant_messages
def generate_appeals(agencies, seed: int = 0, since: date | None = None, until: date | None = None,
                     share: float = 0.05) -> int:
    """Reviews and lawsuits against about ``share`` of the appealable decisions (partial, denied,
    unable, rejected) of ``agencies`` not yet appealed: filed between ``since`` and ``until`` after
    the decision, concluded (mostly upheld) or still pending at ``until``; some lawsuits after a
    concluded review. Returns how many were made."""
    from gongkai.apps.appeals.models import Appeal, Kind
    from gongkai.apps.appeals.services import file_appeal
    from gongkai.apps.letters.services import remedy_settings

    rng = random.Random(seed)
    until = until or date.today()
    since = since or date.min
    agencies = list(agencies)
    staff = staff_of(agencies)
    remedy = {a.pk: remedy_settings(a) for a in agencies}  # the review body and court the letters name
    decided = [s.value for s in (State.DECIDED, State.REPLIED, State.CLOSED)]
    candidates = [a for a in Application.objects.filter(agency__in=agencies, state__in=decided, decided_on__lt=until,
                                                        appeals__isnull=True)
                  .select_related("agency").order_by("pk") if a.outcome.startswith(APPEALABLE)]
    numbers = {(k, y): n for k, y, n in _appeal_numbers(agencies)}

    def appeal(application, kind, filed, review=None):
        year = filed.year
        numbers[(kind, year)] = numbers.get((kind, year), 0) + 1
        n = numbers[(kind, year)]
        if kind == Kind.REVIEW:
            body, number = remedy[application.agency_id].review_body, f"青政复〔{year}〕{n}号"
        else:
            body, number = remedy[application.agency_id].court, f"（{year}）鲁0{rng.randint(800, 899)}行初{n}号"
        planned = Appeal(application=application, kind=kind, filed_on=filed)
        _conclusion(rng, planned, until)
        # Recorded by the agency's handler through the appeals service, as on the case page.
        return file_appeal(staff[application.agency_id].handler, application, kind,
                           reason="收到行政复议申请书副本" if kind == Kind.REVIEW else "收到起诉状副本",
                           review=review, case_number=number, body=body, filed_on=filed, result=planned.result,
                           concluded_on=planned.concluded_on)

    made = []
    with transaction.atomic():
        for application in candidates:
            roll = rng.random()
            filed = application.decided_on + timedelta(rng.randint(5, 55))
            if not since <= filed <= until:
                continue
            if roll < share * 0.75:
                made.append(appeal(application, Kind.REVIEW, filed))
            elif roll < share:
                made.append(appeal(application, Kind.LITIGATION_DIRECT, filed))
        for review in [a for a in made if a.kind == Kind.REVIEW]:
            if review.result == "upheld" and rng.random() < 0.3:
                filed = review.concluded_on + timedelta(rng.randint(3, 14))
                if filed <= until:
                    made.append(appeal(review.application, Kind.LITIGATION_AFTER_REVIEW, filed, review))
    return len(made)


def _appeal_numbers(agencies):
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from gongkai.apps.appeals.models import Appeal

    rows = (Appeal.objects.filter(application__agency__in=agencies).annotate(y=ExtractYear("filed_on"))
            .values("kind", "y").annotate(n=Count("pk")).order_by())
    return [(r["kind"], r["y"], r["n"]) for r in rows]


@_no_applicant_messages
def conclude_pending(agencies, seed: int = 0, since: date = date.min, until: date | None = None) -> int:
    """Record the results that came in between ``since`` and ``until`` for pending reviews and
    lawsuits (through the appeals service, so that each change is in the history). Returns how
    many were concluded."""
    from gongkai.apps.appeals.models import PENDING, Appeal
    from gongkai.apps.appeals.services import edit_appeal

    rng = random.Random(seed)
    until = until or date.today()
    staff = staff_of(agencies)
    done = 0
    for appeal in Appeal.objects.filter(application__agency__in=list(agencies), result=PENDING).select_related(
            "application__agency").order_by("pk"):
        _conclusion(rng, appeal, until, since)
        if appeal.result != PENDING:
            edit_appeal(staff[appeal.application.agency_id].handler, appeal, "收到复议决定书或判决书",
                        result=appeal.result, concluded_on=appeal.concluded_on)
            done += 1
    return done


# --------------------------------------------------------------------- everything


@dataclass
class Demo:
    county: County
    cases: dict[int, int]  # year -> applications made
    appeals: int
    closed_year: int


def working_days(calendar: WorkCalendar, first: date, last: date) -> int:
    return sum(1 for n in range((last - first).days + 1) if calendar.is_workday(first + timedelta(n)))


@_no_applicant_messages
def generate(cases: int = DEFAULT_CASES, seed: int = 2025, today: date | None = None, county: str = COUNTY,
             prefix: str = "") -> Demo:
    """The demo county with ``cases`` applications over last year (closed at its end) and this
    year up to ``today``, reviews and lawsuits, and last year's annual reports."""
    from gongkai.apps.online.apply_intake import enable_online_intake

    from .catalogue import publish_demo_items
    from gongkai.apps.reports.services import close_year
    from .reports import load_region_reports, submit_registry_reports

    today = today or date.today()
    this, last = today.year, today.year - 1
    the_county = create_county(county, prefix, seed)
    agencies, staff = the_county.agencies, the_county.staff
    calendar = _calendar()
    days_last = working_days(calendar, date(last, 1, 1), date(last, 12, 31))
    days_this = working_days(calendar, date(this, 1, 1), today)
    count_last = round(cases * days_last / (days_last + days_this))
    made = {last: generate_cases(agencies, count_last, last, seed, today, the_county.weights, staff)}
    appeals = generate_appeals(agencies, seed, until=date(last, 12, 31))
    for agency in agencies:
        close_year(staff[agency.pk].approver, agency, last, today)
    made[this] = generate_cases(agencies, cases - count_last, this, seed + 1, today, the_county.weights, staff)
    conclude_pending(agencies, seed, date(this, 1, 1), today)
    appeals += generate_appeals(agencies, seed + 1, since=date(this, 1, 1), until=today)
    write_reports(the_county, last, today, seed)
    for agency in agencies:  # every demo agency takes applications on the portal
        enable_online_intake(agency)
    # The leader who publishes catalogue items, listed after the government's own three accounts.
    the_county.accounts[4:4] = publish_demo_items(the_county, today, seed, password=DEMO_PASSWORD)
    # The county's 政务公开办 holds the agencies' reports of the two years before (as files), and
    # last year's reports as the agencies submitted them through the system.
    load_region_reports(the_county, today, seed)
    submit_registry_reports(the_county, last)
    return Demo(the_county, made, appeals, last)


def write_reports(county: County, year: int, today: date, seed: int = 0) -> None:
    """Each agency's report of ``year``: table 2 and the narrative, written by its handler (with
    history), and published by its approver when the year is closed and the report has no errors."""
    from gongkai.apps.reports.services import assemble, publish_report, save_narrative, save_table2
    from .reports import narrative_of

    from gongkai.apps.cases.models import YearClose

    rng = random.Random(seed)
    for agency in county.agencies:
        big = agency.kind != Agency.Kind.TOWNSHIP
        table2 = {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            # issued this year ≤ in force at its end (the year before's count is not negative)
            "normative_documents": {"issued": rng.randint(0, 8 if big else 2), "repealed": rng.randint(0, 3),
                                    "in_force": rng.randint(8, 60 if big else 10)},
            "licensing": {"decisions": rng.randint(0, 3000) if big else rng.randint(0, 50)},
            "penalty": {"decisions": rng.randint(0, 800) if big else rng.randint(0, 20)},
            "coercion": {"decisions": rng.randint(0, 30) if big else 0},
            "admin_fees": {"amount": f"{rng.randint(0, 5000) / 100:.2f}" if big else "0"},
        }
        handler = county.staff[agency.pk].handler
        save_table2(handler, agency, year, table2)
        published = date(year + 1, 3, 20) if agency.parent_id is None else date(year + 1, 1, 20)
        if published > today:
            published = None
        save_narrative(handler, agency, year, narrative_of(rng, agency.name, year), published,
                       website=f"http://www.qingshan.gov.cn/xxgk/{agency.pk}/", address=f"{COUNTY}人民路1号",
                       telephone=f"0539-{rng.randint(1000000, 9999999)}")
        if YearClose.objects.filter(agency=agency, year=year).exists() and not assemble(agency, year).errors:
            publish_report(county.staff[agency.pk].approver, agency, year)
