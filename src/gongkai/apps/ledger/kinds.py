"""The kinds of record an office imports, each checked by the rules of its own app.

**Applications** (依申请公开台账, ``ApplicationLedger``): one row is one application, created as the
registry creates one — ``Application.full_clean`` (the fields, the receipt date not after today
nor before the 条例 took effect), the check characters of ID numbers and credit codes (warnings
to confirm, as at registration), serial numbers unique in the agency and year, no dates in a
closed year (``ensure_year_open``'s rule), and for a decided case the lifecycle's rules of a
decision (``lifecycle.Decision.checked``: one of table 3's 21 outcomes, the reasons a denial must
state, the prohibiting law) with its dates in order. Created in bulk (``bulk_create``), each with
one history record ``import`` (导入原有台账: the file, the row, the batch) instead of the steps the
office took before it used this system, which the ledger does not hold.

An imported decided case is ``replied`` (答复日期 is the decision date and, without a 送达日期
column, the delivery date too) with its outcome and dates, so tables 3 and 4 count it as they
count a registered one; a row without an outcome is an open case whose due date is computed.

**Catalogue items** (主动公开目录, ``CatalogueItems``): rows are items already published elsewhere,
checked by the catalogue's own rules (``items.clean_fields``: index number readable and unused,
category of the agency, dates), created ``published`` with ``imported_by``/``imported_at`` — the
database admits a published item without the two approvals only so — and the history record
``import`` saying that no secrecy review took place in this system.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from gongkai.apps.agencies.permissions import Action, agencies_where, may
from gongkai.apps.cases.models import (
    IMPORT_EVENT,
    Application,
    CaseEvent,
    Channel,
    SerialCounter,
    YearClose,
)
from gongkai.apps.cases.personal import mask_id_number
from gongkai.apps.cases.services import _calendar, _set_due, _snapshot
from gongkai.core import standard
from gongkai.core.casework import lifecycle
from gongkai.core.casework.lifecycle import Decision, State, TransitionError

from .importing import Field, ImportKind, Row, parse_date, parse_yes_no


def _lookup(pairs: dict[str, str]) -> dict[str, str]:
    return {"".join(k.split()): v for k, v in pairs.items()}


APPLICANT_TYPES = _lookup({
    **{c.label: c.key for c in standard.APPLICANT_COLUMNS}, **{c.key: c.key for c in standard.APPLICANT_COLUMNS},
    "公民": "natural_person", "个人": "natural_person", "自然人（公民）": "natural_person",
    "企业": "commercial", "商业企业（法人）": "commercial", "公司": "commercial",
    "科研院所": "research", "公益组织": "social", "社会组织": "social", "律师事务所": "legal_service",
    "法律服务": "legal_service", "其他组织": "other", "其他法人或其他组织": "other",
})
CHANNELS = _lookup({
    **{label: key for key, label in Channel.choices}, **{key: key for key in Channel.values},
    "网上": "online", "网上申请": "online", "在线": "online", "在线申请": "online", "网络申请": "online",
    "电子邮件": "online", "邮件": "online", "政府网站": "online",
    "信函申请": "letter", "邮寄": "letter", "信件": "letter", "邮政": "letter", "挂号信": "letter", "快递": "letter",
    "传真申请": "fax", "当面申请": "in_person", "现场": "in_person", "现场申请": "in_person", "窗口": "in_person",
    "当面提交": "in_person",
})


def _outcome_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key in lifecycle.OUTCOMES:
        row = standard.APPLICATIONS.row(key)
        short = re.sub(r"^（[一二三四五六七]）", "", row.short_label)
        for text in (key, row.label, row.short_label, short, re.sub(r"^\d+\.", "", short),
                     re.sub(r"^\d+\.", "", row.label), re.sub(r"（[^）]*）$", "", row.label)):
            names["".join(text.split())] = key
            names["".join(re.sub(r"^（[一二三四五六七]）", "", text).split())] = key
    names.update(_lookup({
        "公开": "granted", "同意公开": "granted", "全部公开": "granted", "予以公开": "granted", "已公开": "granted",
        "部分公开": "partial",
        "国家秘密": "denied_state_secret", "属于国家秘密": "denied_state_secret",
        "不掌握": "unable_not_held", "本机关不掌握": "unable_not_held", "信息不存在": "unable_not_held",
        "政府信息不存在": "unable_not_held", "非本机关掌握": "unable_not_held",
        "需另行制作": "unable_needs_creation", "需要另行制作": "unable_needs_creation",
        "信访举报投诉": "rejected_complaint", "重复申请": "rejected_repeat", "公开出版物": "rejected_publication",
        "逾期不补正": "other_no_correction", "逾期未补正": "other_no_correction", "逾期未缴费": "other_unpaid_fee",
        "其他": "other_other", "申请人撤回": "other_other", "撤回": "other_other", "撤回申请": "other_other",
    }))
    return names


OUTCOME_NAMES = _outcome_names()
_BLOCK = re.compile(r"^(?:（[一二三四五六七]）)?(?:不予公开|无法提供|不予处理|其他处理)[：:—\-－、（(\s]*(.+?)[）)]?$")


def parse_outcome(text: str) -> str | None:
    """Table 3's outcome row of a ledger's 办理结果 (its label, its short label, or the block and the
    case, e.g. “不予公开（国家秘密）”, “无法提供-本机关不掌握相关政府信息”), or None."""
    name = "".join(text.split())
    if name in OUTCOME_NAMES:
        return OUTCOME_NAMES[name]
    match = _BLOCK.match(name)
    if match:
        return OUTCOME_NAMES.get(match[1]) or OUTCOME_NAMES.get(re.sub(r"^\d+[.．、]", "", match[1]))
    return None
SERIAL = re.compile(r"^\D*?(?:((?:19|20)\d{2})\D+?)?0*(\d{1,7})\D*$")


def parse_serial(text: str) -> tuple[int | None, int]:
    """(year or None, serial) of a ledger's 编号: 2023-0042, 2023-42, （2023）第42号, 依申〔2023〕42号, 42."""
    match = SERIAL.match(text.strip())
    if not match:
        raise ValueError(f"编号“{text}”无法识别：应为“年度-序号”（如 2023-0042）或序号（如 42）")
    year = int(match[1]) if match[1] else None
    return year, int(match[2])


def person_names(user) -> set[str]:
    names = {user.get_username(), f"{user.last_name}{user.first_name}".strip(), f"{user.first_name}{user.last_name}".strip()}
    return {n for n in names if n}


# The fields of an application a ledger does not give (defaults, or set by the import itself).
FROM_LEDGER = {"applicant_type", "applicant_name", "id_type", "id_number", "credit_code", "contact_person", "phone",
               "email", "address", "channel", "received_on", "description", "extended"}
UNCHECKED_FIELDS = [f.name for f in Application._meta.fields if f.name not in FROM_LEDGER]


class ApplicationLedger(ImportKind):
    key = "applications"
    label = "依申请公开台账"
    fields = (
        Field("serial", "编号", ("编号", "序号", "申请编号", "受理编号", "登记编号", "办理编号", "流水号"),
              help="如 2023-0042；留空或不导入此列则按收到年度自动编号"),
        Field("received_on", "收到申请日期", ("收到日期", "收到申请日期", "申请日期", "受理日期", "登记日期", "接收日期",
                                              "收到时间", "申请时间"), True),
        Field("applicant_type", "申请人类别", ("申请人类别", "申请人类型", "申请主体类别", "申请人性质", "申请主体"), True,
              "表三的六类：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"),
        Field("applicant_name", "申请人", ("申请人", "申请人姓名", "申请人名称", "申请人姓名或名称", "姓名"), True),
        Field("id_type", "身份证件类型", ("证件类型", "身份证件类型")),
        Field("id_number", "身份证件号码", ("证件号码", "身份证号码", "身份证号", "身份证件号码")),
        Field("credit_code", "统一社会信用代码", ("统一社会信用代码", "信用代码")),
        Field("contact_person", "联系人", ("联系人",)),
        Field("phone", "联系电话", ("联系电话", "电话", "手机", "手机号码", "联系方式")),
        Field("email", "电子邮箱", ("电子邮箱", "邮箱", "电子邮件地址")),
        Field("address", "通信地址", ("通信地址", "地址", "联系地址", "通讯地址")),
        Field("channel", "申请方式", ("申请方式", "申请渠道", "提交方式", "申请途径"), True),
        Field("description", "申请内容", ("申请内容", "申请事项", "申请公开内容", "申请公开的信息", "所需信息", "所需政府信息",
                                          "申请信息内容", "所需政府信息的名称、文号或者便于查询的其他特征性描述"), True),
        Field("handler", "承办人", ("承办人", "经办人", "承办人员"), help="本机关承办人员的姓名或用户名"),
        Field("extended", "是否延期", ("是否延期", "延期", "是否延长", "是否延长答复期限")),
        Field("outcome", "办理结果", ("办理结果", "答复结果", "处理结果", "答复类型", "答复情况", "办理情况", "答复结论"),
              help="表三的办理结果之一，如“予以公开”“（三）1.国家秘密”；留空为尚未答复"),
        Field("decided_on", "答复日期", ("答复日期", "办结日期", "答复决定日期", "答复时间", "办结时间", "办理日期")),
        Field("replied_on", "送达日期", ("送达日期",)),
        Field("decision_reasons", "答复理由", ("答复理由", "理由", "不予公开理由", "说明理由", "不予公开的理由")),
        Field("prohibiting_law", "禁止公开的法律、行政法规", ("禁止公开的法律法规", "禁止公开依据", "禁止公开的法律、行政法规")),
    )
    required_columns = ("received_on", "applicant_type", "applicant_name", "channel", "description")

    def may_import(self, user, agency) -> bool:
        return may(user, agency, Action.IMPORT)

    def agencies(self, user):
        return agencies_where(user, Action.IMPORT)

    def start(self, user, agency, batch):
        from django.contrib.auth import get_user_model

        from gongkai.apps.agencies.permissions import roles_for

        handlers: dict[str, object] = {}
        staff = get_user_model().objects.filter(memberships__agency=agency,
                                                memberships__role__in=roles_for(Action.ACT)).distinct()
        for user_ in staff:
            for name in person_names(user_):
                handlers.setdefault(name, user_)
        return {
            "agency": agency, "user": user, "today": timezone.localdate(), "calendar": _calendar(),
            "closed": YearClose.objects.filter(agency=agency).aggregate(last=Max("year"))["last"],
            "taken": set(Application.objects.filter(agency=agency).values_list("year", "serial")),
            "seen": {},  # (year, serial) -> row number, within the file
            "handlers": handlers, "prepared": {},
        }

    def check_chunk(self, context, rows: list[Row]) -> None:
        for row in rows:
            application = self._check(context, row)
            if application is not None and not row.failed:
                context["prepared"][row.number] = application

    def _check(self, context, row: Row) -> Application | None:
        def choice(key, table, what):
            text = row.text(key)
            if not text:
                return ""
            found = table.get("".join(text.split()))
            if found is None:
                row.problem(key, f"“{text}”不是{what}")
                return ""
            return found

        fields = {}
        for key in ("applicant_name", "id_type", "id_number", "credit_code", "contact_person", "phone", "email",
                    "address", "description", "decision_reasons", "prohibiting_law"):
            fields[key] = row.text(key)
        fields["credit_code"] = fields["credit_code"].upper()
        fields["id_number"] = fields["id_number"].upper()
        if "*" in fields["id_number"]:
            row.problem("id_number", "证件号码已隐去部分数字（*），不能作为证件号码导入：请填写完整号码或留空",
                        value=mask_id_number(fields["id_number"]))
            fields["id_number"] = ""
        dates = {}
        for key in ("received_on", "decided_on", "replied_on"):
            try:
                dates[key] = parse_date(row.values.get(key))
            except ValueError as exc:
                row.problem(key, str(exc))
                dates[key] = None
        received = dates["received_on"]
        for key in ("received_on", "applicant_type", "applicant_name", "channel", "description"):
            if not row.text(key):
                row.problem(key, f"请填写{self.field_map[key].label}")
        applicant_type = choice("applicant_type", APPLICANT_TYPES,
                                "申请人类别（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）")
        channel = choice("channel", CHANNELS, "申请方式（网络、信函、传真、当面、其他）")
        vague = {"不予公开": "（三）1.国家秘密", "无法提供": "（四）1.不掌握", "不予处理": "（五）2.重复申请"}
        if row.text("outcome") in vague:
            row.problem("outcome", f"“{row.text('outcome')}”须写明表三中的具体情形（如“{vague[row.text('outcome')]}”），"
                                   "年度报告按具体情形统计")
            outcome = ""
        else:
            outcome = ""
            if row.text("outcome"):
                outcome = parse_outcome(row.text("outcome")) or ""
                if not outcome:
                    row.problem("outcome", f"“{row.text('outcome')}”不是表三所列的办理结果（如“予以公开”“部分公开”"
                                           "“（三）1.国家秘密”“不予公开（国家秘密）”）")
        try:
            extended = bool(parse_yes_no(row.values.get("extended")))
        except ValueError as exc:
            row.problem("extended", str(exc))
            extended = False
        handler = None
        if row.text("handler"):
            handler = context["handlers"].get(row.text("handler"))
            if handler is None:
                row.problem("handler", f"“{row.text('handler')}”不是本机关的承办或审核人员，导入后该申请不指定承办人",
                            warning=True)

        # The number: the year of receipt, unique in the agency and the file.
        year = received.year if received else None
        serial = None
        if row.text("serial") and received:
            try:
                given_year, serial = parse_serial(row.text("serial"))
            except ValueError as exc:
                row.problem("serial", str(exc))
            else:
                if given_year is not None and given_year != year:
                    row.problem("serial", f"编号的年度 {given_year} 与收到申请日期的年度 {year} 不一致（编号按收到申请的年度编排）")
                elif serial == 0:
                    row.problem("serial", "序号不能为 0")
                elif (year, serial) in context["taken"]:
                    row.problem("serial", f"本机关已有编号为 {year}-{serial:04d} 的申请")
                elif (year, serial) in context["seen"]:
                    row.problem("serial", f"与第 {context['seen'][(year, serial)]} 行的编号 {year}-{serial:04d} 重复")
                else:
                    context["seen"][(year, serial)] = row.number

        # The decision, by the lifecycle's rules of what a decision states.
        decided, replied = dates["decided_on"], dates["replied_on"]
        decision = None
        if outcome and not decided:
            row.problem("decided_on" if "decided_on" in row.columns else "outcome", "有办理结果的，请填写答复日期")
        if decided and not outcome and row.text("outcome") == "":
            row.problem("outcome" if "outcome" in row.columns else "decided_on", "有答复日期的，请填写办理结果")
        if replied and not decided:
            row.problem("replied_on", "有送达日期的，请填写答复日期")
        if outcome:
            try:
                decision = Decision(fields["decision_reasons"], fields["prohibiting_law"]).checked(outcome)
            except TransitionError as exc:
                row.problem("decision_reasons" if "decision_reasons" in row.columns else "outcome", str(exc))
        row.check_between("decided_on", "答复日期", decided, received, "收到申请日期", context["today"])
        row.check_between("replied_on", "送达日期", replied, decided, "答复日期", context["today"])
        closed = context["closed"]
        for key in ("received_on", "decided_on"):
            day = dates[key]
            if closed is not None and day and day.year <= closed:
                row.problem(key, f"{closed}年度的台账已结转，不能导入该年度及以前日期的申请或答复")
                break

        if not received:
            return None
        application = Application(
            agency=context["agency"], registered_by=context["user"], year=year, serial=serial or 1,
            applicant_type=applicant_type, channel=channel, received_on=received, handler=handler,
            extended=extended, **{k: v for k, v in fields.items() if k not in ("decision_reasons", "prohibiting_law")})
        try:
            # The model's validation of what the file gave (the other fields hold their defaults).
            application.full_clean(exclude=UNCHECKED_FIELDS, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                key = name if name in self.field_map else "received_on" if name == "__all__" else name
                row.problem(key, "；".join(messages),
                            value=mask_id_number(fields["id_number"]) if key == "id_number" else None)
            return None
        if row.failed:
            return None
        for problem in application.identity_problems:
            if applicant_type == "natural_person":  # shown masked, as everywhere (docs/privacy.md)
                row.problem("id_number", problem, warning=True, value=mask_id_number(fields["id_number"]))
            else:
                row.problem("credit_code", problem, warning=True)
        if outcome:
            application.outcome, application.decided_on = outcome, decided
            application.replied_on = replied or decided
            application.state = State.REPLIED.value
            application.decision_reasons, application.prohibiting_law = decision.reasons, decision.prohibiting_law
        application.serial = serial  # None: drawn at import
        return application

    def create(self, context, user, batch, rows):
        prepared: dict[int, Application] = context["prepared"]
        agency = context["agency"]
        applications = [prepared[row.number] for row in rows]
        # Serial numbers for the rows without one: after the highest of the counter, the agency's
        # cases and the file, per year; the counter then stands at the highest number used.
        years = {a.year for a in applications}
        highest = {}
        for year in years:
            counter, _ = SerialCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
            existing = Application.objects.filter(agency=agency, year=year).aggregate(m=Max("serial"))["m"] or 0
            in_file = max((a.serial or 0 for a in applications if a.year == year), default=0)
            highest[year] = (counter, max(counter.last, existing, in_file))
        for application in applications:
            if application.serial is None:
                counter, last = highest[application.year]
                highest[application.year] = (counter, last + 1)
                application.serial = last + 1
        for counter, last in highest.values():
            if last != counter.last:
                counter.last = last
                counter.save(update_fields=["last"])
        calendar = context["calendar"]
        for application in applications:
            if State(application.state) in lifecycle.OPEN_STATES:
                _set_due(application, calendar)
        created = Application.objects.bulk_create(applications, batch_size=500)  # fewer where SQLite's limit says
        events = []
        for row, application in zip(rows, created):
            problems = [p.message for p in row.problems if p.warning]
            reason = f"导入原有台账《{batch.name}》第 {row.number} 行（导入批次 {batch.pk}）"
            if problems:
                reason += "；导入时的提示（导入人确认仍然导入）：" + "；".join(problems)
            events.append(CaseEvent(application=application, event=IMPORT_EVENT, on=application.received_on, user=user,
                                    reason=reason, before={}, after=_snapshot(application)))
        CaseEvent.objects.bulk_create(events, batch_size=500)
        return [(row.number, application) for row, application in zip(rows, created)]

    def source(self, row, headers, raw):
        """The row without the applicant's personal data: the case holds it, and the retention
        period erases it there (cases.privacy.purge_personal_data), so no copy is kept here."""
        from gongkai.apps.cases.privacy import PERSONAL_FIELDS

        kept = super().source(row, headers, raw)
        for key in (*PERSONAL_FIELDS, "id_type", "credit_code"):
            kept.pop(row.columns.get(key, ""), None)
        return kept


class CatalogueItems(ImportKind):
    key = "catalogue"
    label = "主动公开目录"
    fields = (
        Field("index_number", "索引号", ("索引号", "索引编号"), help="留空则按本机关的索引号格式自动编号"),
        Field("title", "标题", ("标题", "名称", "信息名称", "文件名称", "文件标题", "信息标题"), True),
        Field("document_number", "文号", ("文号", "发文字号", "发文文号", "文件编号")),
        Field("made_on", "成文（生成）日期", ("成文日期", "生成日期", "制发日期", "形成日期", "印发日期", "制作日期"), True),
        Field("published_on", "发布日期", ("发布日期", "公开日期", "发布时间", "公开时间"), True),
        Field("category", "目录分类", ("类别", "分类", "目录分类", "信息分类", "所属分类", "所属类别", "主题分类"), True,
              "本机关目录中的分类名称；同名分类写作“上级分类/分类”"),
        Field("kind", "信息类别", ("信息类别", "文件类型", "文种", "公文类别"),
              help="规章、行政规范性文件或其他（留空为其他信息）"),
        Field("validity", "有效性", ("有效性", "效力状态", "时效性", "是否有效")),
        Field("publisher", "发布机构", ("发布机构", "发布机关", "发文机关", "制发机关", "公开主体", "发文单位"),
              help="不导入此列则为本机关名称"),
        Field("effective_on", "施行日期", ("施行日期", "生效日期", "实施日期")),
        Field("repealed_on", "废止或失效日期", ("废止日期", "失效日期", "废止或失效日期")),
        Field("summary", "内容概述", ("内容概述", "摘要", "内容摘要", "主要内容")),
    )
    required_columns = ("title", "made_on", "published_on", "category")

    KINDS = _lookup({"规章": "rules", "政府规章": "rules", "行政规范性文件": "normative_documents",
                     "规范性文件": "normative_documents", "其他": "other", "其他信息": "other"})
    VALIDITY = _lookup({"现行有效": "in_force", "有效": "in_force", "已废止": "repealed", "废止": "repealed",
                        "已失效": "expired", "失效": "expired", "不适用": "", "—": "", "-": "", "/": ""})

    def may_import(self, user, agency) -> bool:
        return may(user, agency, Action.APPROVE)

    def agencies(self, user):
        return agencies_where(user, Action.APPROVE)

    def start(self, user, agency, batch):
        from gongkai.apps.catalogue.index_numbers import settings_for
        from gongkai.apps.catalogue.models import Category

        categories = list(Category.objects.filter(agency=agency))
        by_id = {c.pk: c for c in categories}
        names: dict[str, list] = {}
        for category in categories:
            parent = by_id.get(category.parent_id)
            for name in (category.name, f"{parent.name}/{category.name}" if parent else None):
                if name:
                    names.setdefault("".join(name.split()), []).append(category)
        settings = settings_for(agency)
        return {"agency": agency, "user": user, "today": timezone.localdate(), "categories": names,
                "can_number": bool(settings and settings.index_prefix or agency.credit_code),
                "seen": {}, "prepared": {}}

    def check_chunk(self, context, rows):
        from gongkai.apps.catalogue.items import clean_fields

        agency = context["agency"]
        for row in rows:
            fields = {"title": row.text("title"), "document_number": row.text("document_number"),
                      "summary": row.text("summary"), "index_number": row.text("index_number"),
                      "publisher": row.text("publisher") if "publisher" in row.columns else agency.name, "channels": []}
            dates = {}
            for key in ("made_on", "published_on", "effective_on", "repealed_on"):
                try:
                    dates[key] = parse_date(row.values.get(key))
                except ValueError as exc:
                    row.problem(key, str(exc))
                    dates[key] = None
            if not dates["published_on"] and not any(p.column == row.columns.get("published_on") for p in row.problems):
                row.problem("published_on", "请填写发布日期（导入的是已经发布的信息）")
            name = "".join(row.text("category").replace("／", "/").replace(">", "/").split())
            found = context["categories"].get(name, [])
            category = found[0] if len(found) == 1 else None
            if not name:
                row.problem("category", "请填写目录分类")
            elif not found:
                row.problem("category", f"本机关的目录中没有分类“{row.text('category')}”：请先在目录设置中添加该分类，或改为已有的分类")
            elif len(found) > 1:
                row.problem("category", f"本机关的目录中有 {len(found)} 个名为“{row.text('category')}”的分类：请写作“上级分类/分类”")
            kind = self.KINDS.get("".join(row.text("kind").split()), None) if row.text("kind") else "other"
            if kind is None:
                row.problem("kind", f"“{row.text('kind')}”不是信息类别（规章、行政规范性文件或其他）")
                kind = "other"
            validity = self.VALIDITY.get("".join(row.text("validity").split())) if row.text("validity") else ""
            if validity is None:
                row.problem("validity", f"“{row.text('validity')}”不是有效性（现行有效、已废止、已失效）")
                validity = ""
            fields.update(category=category, made_on=dates["made_on"], kind=kind, effective_on=dates["effective_on"])
            index = fields["index_number"]
            if not index:
                del fields["index_number"]
                if not context["can_number"]:
                    row.problem("index_number", f"“{agency}”尚未设置索引号前缀，不能自动编号：请填写原有的索引号，"
                                                "或请审核人先在“目录设置”中设置索引号格式")
            if category is None:
                fields.pop("category")
            try:
                cleaned = clean_fields(agency, fields)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    row.problem(key, "；".join(messages))
                cleaned = {}
            number = cleaned.get("index_number")
            if number:
                if number in context["seen"]:
                    row.problem("index_number", f"与第 {context['seen'][number]} 行的索引号 {number} 重复")
                else:
                    context["seen"][number] = row.number
            made, published = dates["made_on"], dates["published_on"]
            row.check_between("published_on", "发布日期", published, made, "生成日期", context["today"])
            ended = dates["repealed_on"]
            issued_on = dates["effective_on"] or published
            if validity in ("repealed", "expired"):
                if not ended:
                    row.problem("repealed_on" if "repealed_on" in row.columns else "validity",
                                "已废止或已失效的信息，请填写废止或失效日期")
                else:
                    row.check_between("repealed_on", "废止或失效日期", ended, issued_on or ended, "施行日期", context["today"])
            elif ended:
                row.problem("repealed_on", "有废止或失效日期的，有效性应为“已废止”或“已失效”")
            if cleaned and category is not None and not row.failed:
                context["prepared"][row.number] = (cleaned, published, validity, ended)

    def create(self, context, user, batch, rows):
        from gongkai.apps.catalogue.index_numbers import generate_index_number
        from gongkai.apps.catalogue.items import RECORDED_FIELDS, set_due
        from gongkai.apps.catalogue.table2 import TABLE2_KINDS
        from gongkai.apps.catalogue.models import Item, ItemEvent
        from gongkai.apps.catalogue.validity import add_validity
        from gongkai.apps.holidays.models import work_calendar
        from gongkai.apps.records import snapshot

        agency, now, calendar = context["agency"], timezone.now(), work_calendar()
        created = []
        for row in rows:
            fields, published, validity, ended = context["prepared"][row.number]
            fields = dict(fields)
            if not fields.get("index_number"):
                fields["index_number"] = generate_index_number(agency, fields["made_on"])
            item = Item(agency=agency, created_by=user, state=Item.State.PUBLISHED, published_on=published,
                        imported_by=user, imported_at=now, **fields)
            set_due(item, calendar)
            item.save()
            if validity or item.kind in TABLE2_KINDS or item.effective_on:
                add_validity(item, Item.Validity.IN_FORCE, item.effective_on or published, user,
                             "导入原有目录：按原目录记载登记为现行有效")
                if validity in ("repealed", "expired"):
                    add_validity(item, validity, ended, user, f"导入原有目录：原目录记载为{Item.Validity(validity).label}")
                item.save()
            ItemEvent.objects.create(
                item=item, event=ItemEvent.Event.IMPORT, user=user, before={}, after=snapshot(item, RECORDED_FIELDS),
                reason=(f"导入原有目录《{batch.name}》第 {row.number} 行（导入批次 {batch.pk}）：该信息已于 "
                        f"{published.isoformat()} 在本系统之外发布，未经本系统的保密审查，由导入人据原目录登记"))
            created.append((row.number, item))
        return created


KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (ApplicationLedger(), CatalogueItems())}
