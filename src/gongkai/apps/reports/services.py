"""Year end and the annual report from the registry.

- ``close_year`` freezes an agency's tables 3 and 4 for a year (``YearClose``); the registry then
  refuses changes dated in that year (``cases.services.ensure_year_open``).
- ``save_table2`` / ``save_narrative`` keep what the office writes (the working copy), each
  change in the history.
- ``publish_report``: an approver publishes the working copy of a closed year as a new
  ``ReportVersion`` (the first is published by ``close_year`` when the report has no errors).
  The public reads versions only, so a change to a published report is a draft until an
  approver publishes it, with its reason; every earlier version stays public.
- ``assemble`` builds the national report (``gongkai.core.report.model.Report``) from table 2, the
  computed tables 3 and 4 and the narrative through the same authoring path as
  ``gongkai render`` (``core.authoring.from_authored``), and checks it (``core.checking``);
  ``render_report`` writes it with ``core.render``, refusing a report with errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application, YearClose
from gongkai.apps.catalogue.table2 import catalogue_table2_rows
from gongkai.core.report import render as rendering
from gongkai.core import standard
from gongkai.core.report.authoring import InputError, from_authored
from gongkai.core.report.checking import Finding, Severity, check_report
from gongkai.core.report.render.document import draft_fee_sentence
from gongkai.core.report.model import Report, Table, table_from_json, table_values

from .models import AnnualReport, ReportFile, ReportRevision, ReportVersion
from .tables import table3, table4

DECIMAL_PLACES = 4  # 万元 with up to four decimals (the spec)


class ReportRefused(Exception):
    """The report has errors and is not written; ``findings`` says why (in Chinese)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("；".join(f.message for f in findings))


def can_edit(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.ACT)


def can_close(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.APPROVE)


# ------------------------------------------------------------------------- year end


def close_year(user, agency: Agency, year: int, today: date | None = None) -> YearClose:
    """Close ``agency``'s ``year``: its tables 3 and 4 are stored as computed and final."""
    if not can_close(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能办理年度结转")
    today = today or date.today()
    if year >= today.year:
        raise ValidationError(f"{year}年度尚未结束（今天是 {today.isoformat()}），不能结转")
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one closer at a time
        if YearClose.objects.filter(agency=agency, year=year).exists():
            raise ValidationError(f"“{agency}”{year}年度已经结转")
        later = YearClose.objects.filter(agency=agency, year__gt=year).order_by("year").first()
        if later is not None:
            raise ValidationError(f"“{agency}”{later.year}年度已经结转，不能再结转更早的{year}年度")
        first = Application.objects.filter(agency=agency).aggregate(first=Min("received_on"))["first"]
        closed = set(YearClose.objects.filter(agency=agency, year__lt=year).values_list("year", flat=True))
        open_years = [y for y in range(first.year, year) if y not in closed] if first else []
        if open_years:
            raise ValidationError(f"请先结转“{agency}”此前的年度：{'、'.join(f'{y}年' for y in open_years)}")
        tables = {"applications": table_values(table3(agency, year)),
                  "review_litigation": table_values(table4(agency, year))}
        try:
            with transaction.atomic():
                closed = YearClose.objects.create(agency=agency, year=year, closed_by=user, tables=tables)
        except IntegrityError as exc:
            raise ValidationError(f"“{agency}”{year}年度已经结转") from exc
        annual = AnnualReport.objects.filter(agency=agency, year=year).first()
        if annual is not None and not assemble(agency, year).errors:  # published as it stands, by the closer
            _new_version(user, annual, "年度结转时发布", None)
        return closed


@dataclass
class YearTables:
    applications: Table
    review_litigation: Table
    closed: YearClose | None = None  # the year is closed: these are the tables frozen then
    changed_since_close: bool = False  # the registry now counts differently (shown as a warning)


def year_tables(agencies: Agency | object, year: int) -> YearTables:
    """Tables 3 and 4 of one agency (frozen if its year is closed) or of a subtree (computed)."""
    applications, review_litigation = table3(agencies, year), table4(agencies, year)
    if not isinstance(agencies, Agency):
        return YearTables(applications, review_litigation)
    closed = YearClose.objects.filter(agency=agencies, year=year).select_related("closed_by").first()
    if closed is None or set(closed.tables) != {"applications", "review_litigation"}:
        return YearTables(applications, review_litigation, closed)
    changed = (table_values(applications) != closed.tables["applications"]
               or table_values(review_litigation) != closed.tables["review_litigation"])
    return YearTables(table_from_json(standard.APPLICATIONS, closed.tables["applications"]),
                      table_from_json(standard.REVIEW_LITIGATION, closed.tables["review_litigation"]), closed, changed)


def fee_collected(agencies: Agency | object, year: int) -> Decimal:
    """The information processing fees paid in ``year`` (yuan), from the registry."""
    scope = {"agency": agencies} if isinstance(agencies, Agency) else {"agency__in": agencies}
    total = Application.objects.filter(**scope, fee_paid_on__year=year).aggregate(total=Sum("fee_yuan"))["total"]
    return Decimal(total or 0)


# ------------------------------------------------------------------ the office's parts


def report_for(agency: Agency, year: int) -> AnnualReport:
    """The agency's report of ``year`` (unsaved and empty if nothing was written yet)."""
    return AnnualReport.objects.filter(agency=agency, year=year).first() or AnnualReport(agency=agency, year=year)


def clean_table2(values: dict) -> dict:
    """Table 2 as stored (row -> column -> int, or a decimal string for the 万元 amount), or a
    ValidationError naming each wrong cell in Chinese."""
    errors: dict[str, str] = {}
    out: dict[str, dict] = {}
    for row in standard.ACTIVE.rows:
        out[row.key] = {}
        for column in row.columns:
            where = f"{row.key}.{column.key}"
            name = f"“{row.label}”的“{column.label}”"
            raw = (values.get(row.key) or {}).get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                errors[where] = f"请填写{name}（没有的请填 0）"
                continue
            try:
                number = Decimal(str(raw).strip())
            except InvalidOperation:
                errors[where] = f"{name}应为数字，实为“{raw}”"
                continue
            if not number.is_finite() or number < 0:
                errors[where] = f"{name}不能为负数"
            elif column.decimal:
                if -number.as_tuple().exponent > DECIMAL_PLACES:
                    errors[where] = f"{name}以万元为单位，最多保留{DECIMAL_PLACES}位小数"
                else:
                    out[row.key][column.key] = format(number.normalize(), "f")
            elif number != number.to_integral_value():
                errors[where] = f"{name}应为整数"
            else:
                out[row.key][column.key] = int(number)
    if errors:
        raise ValidationError(errors)
    return out


def _save(user, agency: Agency, year: int, part: str, change) -> AnnualReport:
    if not can_edit(user, agency):
        raise PermissionDenied(f"只有“{agency}”的承办或审核人员才能编写该机关的年度报告")
    with transaction.atomic():
        report, _ = AnnualReport.objects.select_for_update().get_or_create(agency=agency, year=year)
        before = _part(report, part)
        change(report)
        after = _part(report, part)
        if after != before:
            report.save()
            ReportRevision.objects.create(report=report, part=part, user=user, before=before, after=after)
    return report


def _part(report: AnnualReport, part: str) -> dict:
    if part == ReportRevision.Part.TABLE2:
        return dict(report.table2)
    return {"sections": dict(report.sections),
            "published_on": report.published_on.isoformat() if report.published_on else None,
            "website": report.website, "address": report.address, "telephone": report.telephone}


def save_table2(user, agency: Agency, year: int, values: dict) -> AnnualReport:
    """Store table 2 as the office entered it (validated: every cell, non-negative numbers)."""
    table2 = clean_table2(values)
    return _save(user, agency, year, ReportRevision.Part.TABLE2, lambda r: setattr(r, "table2", table2))


def save_narrative(user, agency: Agency, year: int, sections: dict[str, str], published_on: date | None = None,
                   website: str = "", address: str = "", telephone: str = "") -> AnnualReport:
    """Store the text of the six sections and the report's signature date and contacts."""
    unknown = set(sections) - set(standard.SECTION_BY_KEY)
    if unknown:
        raise ValidationError(f"不认识的部分：{'、'.join(sorted(unknown))}")
    if published_on is not None and published_on.year <= year:
        raise ValidationError({"published_on": f"落款日期应在报告年度（{year}年）结束之后"})

    def change(report: AnnualReport) -> None:
        report.sections = {k: (sections.get(k) or "").strip() for k in standard.SECTION_BY_KEY}
        report.published_on = published_on
        report.website, report.address, report.telephone = website.strip(), address.strip(), telephone.strip()

    return _save(user, agency, year, ReportRevision.Part.NARRATIVE, change)


# ------------------------------------------------------------------------ the report


@dataclass(frozen=True)
class Table2Difference:
    """A cell of table 2 where the office's figure differs from the catalogue's count."""

    row: str
    column: str
    entered: int
    counted: int

    @property
    def message(self) -> str:
        row = standard.ACTIVE.row(self.row)
        column = row.column(self.column).label.removesuffix("件数")
        return f"{row.label} {column}：填报 {self.entered} 件，目录统计 {self.counted} 件"


def table2_differences(entered: dict, counted: dict) -> list[Table2Difference]:
    """The cells of the catalogue's rows (``counted``) where the office's table 2 says otherwise."""
    out = []
    for row in standard.ACTIVE.rows:
        for column in row.columns:
            if row.key in counted and row.key in entered:
                mine, theirs = (entered[row.key] or {}).get(column.key), counted[row.key].get(column.key)
                if mine is not None and theirs is not None and int(mine) != theirs:
                    out.append(Table2Difference(row.key, column.key, int(mine), theirs))
    return out


@dataclass
class Assembled:
    report: Report
    fee_yuan: Decimal
    findings: list[Finding]
    tables: YearTables
    # The catalogue's counts of the rules and normative documents rows (a suggestion, shown
    # beside the office's figures on the staff page), and where the office's figures differ.
    catalogue_table2: dict = field(default_factory=dict)
    table2_differences: list[Table2Difference] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def working_content(annual: AnnualReport) -> dict:
    """What the office wrote of a report (its working copy), as a version keeps it."""
    return {"table2": dict(annual.table2), "sections": dict(annual.sections),
            "published_on": annual.published_on.isoformat() if annual.published_on else None,
            "website": annual.website, "address": annual.address, "telephone": annual.telephone}


def assemble(agency: Agency, year: int, version: ReportVersion | None = None) -> Assembled:
    """The agency's annual report for ``year``: table 2 and the narrative as written, tables 3
    and 4 from the registry (frozen at the year's close), checked by ``core.checking``. With
    ``version``: that published version (or anything keeping a ``frozen_content`` as its
    ``content``, such as a submission to the supervising office), wholly from what it keeps."""
    if version is not None:
        content = version.content
        tables = YearTables(table_from_json(standard.APPLICATIONS, content["tables"]["applications"]),
                            table_from_json(standard.REVIEW_LITIGATION, content["tables"]["review_litigation"]))
        fee, counted = Decimal(content["fee_yuan"]), {}
    else:
        content = working_content(report_for(agency, year))
        tables, fee = year_tables(agency, year), fee_collected(agency, year)
        counted = catalogue_table2_rows(agency, year)
    data: dict = {
        "agency": content.get("agency", agency.name),  # a version keeps the name it was published under
        "year": year,
        "sections": _sections(content["sections"], fee),
        "info_fee_yuan": str(fee),
        "tables": {"applications": table_values(tables.applications),
                   "review_litigation": table_values(tables.review_litigation)},
    }
    if content["table2"]:  # the office's figures are what it publishes (the catalogue's only suggest)
        data["tables"]["active"] = content["table2"]
    if content["published_on"]:
        data["published"] = content["published_on"]
    for key in ("website", "address", "telephone"):
        if content[key]:
            data[key] = content[key]
    try:
        report = from_authored(data, f"{data['agency']}{year}年度报告").report
    except InputError as exc:  # only a stored table 2 that no longer fits the format
        raise ValidationError(f"表二的数据不完整或有误：{exc}") from exc
    report.agency_kind = report_kind(agency)  # Art. 49's deadline by the agency's record, not its name
    return Assembled(report, fee, check_report(report), tables, counted,
                     table2_differences(content["table2"], counted))


def _sections(written: dict, fee: Decimal) -> dict[str, str]:
    """The narrative as written; section 六 states the fee from the registry where the text does not."""
    sections = {k: written.get(k, "") for k in standard.SECTION_BY_KEY}
    if "处理费" not in sections["other_matters"]:
        sections["other_matters"] = "\n".join(s for s in (draft_fee_sentence(fee), sections["other_matters"]) if s)
    return sections


# -------------------------------------------------------------------- published versions


def versions(agency: Agency, year: int) -> list[ReportVersion]:
    """The published versions of the agency's report of ``year``, newest first."""
    return list(ReportVersion.objects.filter(report__agency=agency, report__year=year)
                .select_related("report", "approved_by").order_by("-number"))


def unpublished_changes(annual: AnnualReport, latest: ReportVersion | None) -> bool:
    """Does the working copy differ from what the public reads?"""
    if annual.pk is None:
        return False
    if latest is None:
        return True
    return {k: latest.content.get(k) for k in WORKING_KEYS} != working_content(annual)


WORKING_KEYS = ("table2", "sections", "published_on", "website", "address", "telephone")


def frozen_content(annual: AnnualReport) -> dict:
    """The whole report as it stands — the working copy, the agency's name, the fee and tables 3
    and 4 — kept by a published version (and by a submission to the supervising office) so that
    it reads the same for ever."""
    assembled = assemble(annual.agency, annual.year)
    return {**working_content(annual), "agency": annual.agency.name, "fee_yuan": str(assembled.fee_yuan),
            "tables": {"applications": table_values(assembled.tables.applications),
                       "review_litigation": table_values(assembled.tables.review_litigation)}}


def _new_version(user, annual: AnnualReport, reason: str, latest: ReportVersion | None) -> ReportVersion:
    return ReportVersion.objects.create(report=annual, number=latest.number + 1 if latest else 1,
                                        content=frozen_content(annual), reason=reason, approved_by=user)


def publish_report(user, agency: Agency, year: int, reason: str = "") -> ReportVersion:
    """An approver publishes the working copy of a closed year's report as a new version; a
    revision of a published report states its reason. Refused while the report has errors."""
    if not can_close(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能发布年度报告")
    reason = (reason or "").strip()
    with transaction.atomic():
        if not YearClose.objects.filter(agency=agency, year=year).exists():
            raise ValidationError(f"{year}年度尚未结转：年度结转后才能发布该年度的报告")
        annual = AnnualReport.objects.select_for_update().select_related("agency").filter(agency=agency, year=year).first()
        if annual is None:
            raise ValidationError(f"尚未编写{year}年度报告")
        latest = ReportVersion.objects.filter(report=annual).order_by("-number").first()
        if not unpublished_changes(annual, latest):
            raise ValidationError("没有尚未发布的修改：公开的报告已是最新内容")
        if latest is not None and not reason:
            raise ValidationError({"reason": "请写明修订说明（修改了什么、为什么修改），随新版本公开"})
        errors = assemble(agency, year).errors
        if errors:
            raise ValidationError([f"报告有错误，不能发布：{f.message}" for f in errors])
        return _new_version(user, annual, reason or "首次发布", latest)


def version_file(version: ReportVersion, fmt: str, assembled: Assembled | None = None) -> bytes:
    """The file of a published version in ``fmt``: rendered on the first request and kept (a
    version never changes), so the PDF is not rendered again on every download."""
    kept = ReportFile.objects.filter(version=version, fmt=fmt).first()
    if kept is not None:
        return bytes(kept.data)
    assembled = assembled or assemble(version.report.agency, version.report.year, version)
    data = render_report(assembled, fmt)
    try:
        with transaction.atomic():
            ReportFile.objects.create(version=version, fmt=fmt, data=data)
    except IntegrityError:  # rendered meanwhile by another request
        pass
    return data


def render_report(assembled: Assembled, fmt: str) -> bytes:
    """The report's file in ``fmt`` (docx, pdf, html, ...); refused while it has errors."""
    if assembled.errors:
        raise ReportRefused(assembled.errors)
    doc = rendering.build_document(assembled.report, assembled.fee_yuan, draft=True, draft_preamble=True)
    return rendering.render(doc, fmt)


@dataclass(frozen=True)
class ReportDeadline:
    """By when an agency publishes its annual report of a year, and why (条例 Art. 49)."""

    on: date
    duty: str  # the sentence of the public guide, in Chinese
    basis: str


ART_49 = "《条例》第四十九条"
REPORT_DUTIES = {
    standard.AgencyKind.GOVERNMENT: (
        "本级人民政府的政府信息公开工作主管部门每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告",
        f"{ART_49}：县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度"
        "政府信息公开工作年度报告"),
    standard.AgencyKind.DEPARTMENT: (
        "本机关每年1月31日前向本级政府信息公开工作主管部门提交上一年度政府信息公开工作年度报告并向社会公布",
        f"{ART_49}：县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交本行政机关上一年度"
        "政府信息公开工作年度报告并向社会公布"),
    standard.AgencyKind.TOWNSHIP: (
        "本机关每年1月31日前公布上一年度政府信息公开工作年度报告",
        f"乡镇人民政府、街道办事处按{ART_49}对县级以上人民政府部门的要求，通常于每年1月31日前公布"),
}


def report_kind(agency: Agency) -> standard.AgencyKind:
    """Which of Art. 49's deadlines applies: a people's government at county level or above, a
    department (vertically managed ones included), or a township or street office."""
    if agency.kind in (Agency.Kind.PROVINCE, Agency.Kind.CITY, Agency.Kind.COUNTY):
        return standard.AgencyKind.GOVERNMENT
    if agency.kind == Agency.Kind.TOWNSHIP:
        return standard.AgencyKind.TOWNSHIP
    return standard.AgencyKind.DEPARTMENT


def report_deadline(agency: Agency, year: int) -> ReportDeadline:
    """The day by which ``agency`` publishes its report of ``year``, with the duty and its basis."""
    kind = report_kind(agency)
    duty, basis = REPORT_DUTIES[kind]
    return ReportDeadline(standard.publication_deadline(year, kind), duty, basis)


def supervises(user, agency: Agency) -> bool:
    """Is ``user`` a supervisor (read-only) of ``agency`` or of an agency above it?"""
    return permissions.supervises(user, agency)


def report_years(agency: Agency, today: date | None = None) -> list[int]:
    """The years an agency can report on: from its first application (or this year) to this year, newest first."""
    today = today or date.today()
    first = Application.objects.filter(agency__in=agency.subtree()).aggregate(first=Min("received_on"))["first"]
    return list(range(today.year, (first.year if first else today.year) - 1, -1))
