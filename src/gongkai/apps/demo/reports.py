"""The demo region's earlier annual reports: what the county's 政务公开办 would have received.

The demo county's agencies work in the registry for the current years; the supervising office
also holds their reports of the two years before, as the Word files agencies sent. This module
writes those reports with numbers that continue into the registry's year — the carried-over
applications of one year are the carried-forward ones of the year before, and the normative
documents in force follow issued minus repealed — and with the faults a supervising office
meets every year, each placed on purpose so that every page of the supervisor has something to
show:

- reports published after the Art. 49 deadline of their agency's kind (``LATE``);
- one agency's overview and problems copied from another agency's report of the same year, that
  agency's name left in (``COPIED``);
- one agency whose normative documents in force jump without explanation (``IN_FORCE_JUMP``);
- one agency with no report for the earliest year (``MISSING``).

Everything else is consistent, so the findings the checks raise on the demo are those faults.
The narrative is assembled from a pool of sentences per agency, so that two agencies' texts are
not alike by accident.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core import standard
from gongkai.core.report.authoring import from_authored
from gongkai.core.report.render import build_document, render

# The faults, by the demo agency's username code (see ``apps/demo/county.py``).
LATE = {"gaj": 18, "zjj": 40, "qsz": 9}  # code -> days after the deadline, in the latest uploaded year
COPIED = ("hbj", "slj")  # hbj's overview is slj's, with the name changed (the latest uploaded year)
IN_FORCE_JUMP = ("zrj", 27)  # in force moves by 27 more than issued minus repealed (earliest year to the next)
MISSING = "dag"  # no report for the earliest year

OVERVIEW_SENTENCES = [
    "{year}年，{agency}坚持以人民为中心的发展思想，把政务公开作为建设法治政府的重要抓手。",
    "{agency}调整充实了政务公开工作领导小组，明确分管负责人和专职工作人员。",
    "全年召开政务公开专题会议{n1}次，研究部署年度重点任务。",
    "围绕{topic}等群众关注事项，及时发布政策文件和办事指南。",
    "全年通过门户网站主动公开政府信息{n2}条，政务新媒体发布信息{n3}条。",
    "制定并执行公文公开属性源头认定制度，公文办理时同步确定公开方式。",
    "严格落实保密审查制度，全年未发生泄密事件。",
    "组织业务培训{n1}场，参训人员{n4}人次，提升工作人员依法公开能力。",
    "对照主动公开基本目录，逐项梳理{topic}领域的公开事项。",
    "开展政策解读{n5}次，采用图表、视频等形式解读重要政策。",
    "依申请公开办理流程进一步规范，申请登记、审核、答复全程留痕。",
    "推进基层政务公开标准化规范化，{topic}事项清单动态更新。",
    "畅通政民互动渠道，在线答复群众咨询{n4}件。",
    "加强政府信息管理，对历史公开文件开展清理，标注有效性。",
    "将政务公开纳入年度绩效考核，考核结果在一定范围内通报。",
    "落实政府开放日活动，邀请群众代表{n1}批次走进机关。",
]
PROBLEM_SENTENCES = [
    "政策解读形式还比较单一，图解、视频解读数量偏少。",
    "部分栏目信息更新不够及时，个别内容存在滞后。",
    "依申请公开答复的规范性有待进一步提高。",
    "基层工作人员业务能力参差不齐，培训覆盖面不够。",
    "公开内容与群众需求的契合度还需提高。",
    "政务新媒体互动回应不够及时。",
    "下一步，将加强业务培训，完善考核评价机制。",
    "下一步，将丰富解读形式，提升解读质量。",
    "下一步，将强化栏目日常维护，确保信息及时准确。",
    "下一步，将健全依申请公开会商机制，提高答复质量。",
]
TOPICS = ["重大建设项目", "财政预决算", "社会救助", "教育", "医疗卫生", "生态环境", "乡村振兴", "公共资源交易",
          "食品药品监管", "安全生产", "征地拆迁", "就业创业"]


@dataclass
class UploadedReport:
    """One written report: the agency's code and name, its year, its file and its date."""

    code: str
    agency: str
    year: int
    published: date
    data: dict[str, Any]  # the numbers and text it was written from (tests compare with the reading)
    fmt: str = ""  # "html" (a page of the agency's site, as most are published) or "docx"
    content: bytes = b""

    @property
    def filename(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告.{self.fmt}"


def deadline(year: int, government: bool) -> date:
    return standard.publication_deadline(year, standard.AgencyKind.GOVERNMENT if government else standard.AgencyKind.DEPARTMENT)


def narrative_of(rng: random.Random, agency: str, year: int) -> dict[str, str]:
    """An agency's narrative of a year: sentences drawn from pools, so that two agencies' texts
    are alike only where the demo makes them so."""
    numbers = {"n1": rng.randint(2, 9), "n2": rng.randint(120, 3600), "n3": rng.randint(80, 2400),
               "n4": rng.randint(30, 600), "n5": rng.randint(3, 40), "topic": rng.choice(TOPICS)}
    overview = rng.sample(OVERVIEW_SENTENCES, 8)
    problems = rng.sample(PROBLEM_SENTENCES, 6)
    return {
        "overview": "".join(s.format(year=year, agency=agency, **numbers) for s in overview),
        "problems": "".join(problems),
        "other_matters": f"{agency}{year}年未收取信息处理费。" if rng.random() < 0.8 else "本年度无其他需要报告的事项。",
    }


def _applications(rng: random.Random, carried_forward: dict[str, int], scale: int) -> dict[str, dict[str, int]]:
    """Table 3 that balances, ending with ``carried_forward`` per applicant column."""
    rows: dict[str, dict[str, int]] = {k: {} for k in standard.APPLICATIONS.row_keys}
    weights = {"granted": 40, "partial": 8, "unable_not_held": 20, "unable_needs_creation": 4, "rejected_complaint": 5,
               "rejected_repeat": 3, "denied_process_info": 2, "denied_third_party": 1, "other_other": 1}
    for column in standard.APPLICANT_KEYS:
        share = {"natural_person": 0.85, "commercial": 0.08, "legal_service": 0.03, "other": 0.03, "social": 0.01}.get(column, 0)
        count = int(round(scale * share * rng.uniform(0.7, 1.3)))
        outcomes = dict.fromkeys(standard.OUTCOME_KEYS, 0)
        for _ in range(count):
            key = rng.choices(list(weights), list(weights.values()))[0]
            outcomes[key] += 1
        total = sum(outcomes.values())
        forward = carried_forward.get(column, 0)
        over = rng.randint(0, min(total, 3)) if total else 0
        for k, v in outcomes.items():
            rows[k][column] = v
        rows["total"][column] = total
        rows["carried_forward"][column] = forward
        rows["carried_over"][column] = over
        rows["new_received"][column] = total + forward - over
    for columns in rows.values():
        columns["total"] = sum(columns[c] for c in standard.APPLICANT_KEYS)
    return rows


def _reviews(rng: random.Random, scale: int) -> dict[str, dict[str, int]]:
    out = {}
    for block in standard.REVIEW_LITIGATION.row_keys:
        n = rng.randint(0, max(0, scale // 40))
        parts = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0}
        for _ in range(n):
            parts[rng.choices(["upheld", "corrected", "other"], [7, 1, 2])[0]] += 1
        out[block] = {**parts, "total": sum(parts.values())}
    return out


def write_region_reports(agencies: list[tuple[str, str, bool, int]], years: tuple[int, ...],
                         following: dict[str, dict[str, Any]], seed: int = 0,
                         docx_share: float = 0.15) -> list[UploadedReport]:
    """The reports of ``years`` (ascending) for ``agencies`` — (code, name, is the government,
    relative volume) — continuing into ``following``: per code, the report data of the year after
    the last of ``years`` (``carried_over`` of table 3 and table 2's normative documents), so that
    the numbers chain into it. Faults are placed as the module says."""
    rng = random.Random(seed)
    out: list[UploadedReport] = []
    latest = years[-1]
    narratives: dict[tuple[str, int], dict[str, str]] = {}
    for code, name, government, volume in agencies:
        after = following.get(code, {})
        forward = dict(after.get("carried_over") or {})
        docs_after = after.get("normative_documents") or {"issued": rng.randint(0, 6), "repealed": rng.randint(0, 2),
                                                          "in_force": rng.randint(10, 60)}
        in_force_after = int(docs_after["in_force"])
        issued_after, repealed_after = int(docs_after["issued"]), int(docs_after["repealed"])
        for year in reversed(years):
            # The year after holds: in_force_after = in_force + issued_after - repealed_after.
            in_force = max(0, in_force_after - issued_after + repealed_after)
            # Documents issued this year are among those in force at its end, and those repealed
            # were in force the year before: the year before's count is never negative.
            issued, repealed = min(rng.randint(0, 6), in_force), rng.randint(0, 3)
            # about as many applications as the year after (the registry's, where known), so
            # that only the faults placed on purpose stand out
            base = after.get("received") or volume * 10
            applications = _applications(rng, forward, scale=max(1, round(base * rng.uniform(0.85, 1.15))))
            narrative = narrative_of(rng, name, year)
            narratives[(code, year)] = narrative
            late = LATE.get(code, 0) if year == latest else 0
            if late:
                published = date.fromordinal(deadline(year, government).toordinal() + late)
            else:
                published = date(year + 1, 3 if government else 1, rng.randint(10, 28))
            data = {
                "agency": name,
                "year": year,
                "published": published.isoformat(),
                "website": "http://www.qingshan.gov.cn/xxgk/",
                "sections": narrative,
                "info_fee_yuan": 0,
                "tables": {
                    "active": {
                        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
                        "normative_documents": {"issued": issued, "repealed": repealed, "in_force": in_force},
                        "licensing": {"decisions": rng.randint(0, 900 * volume)},
                        "penalty": {"decisions": rng.randint(0, 120 * volume)},
                        "coercion": {"decisions": rng.randint(0, 4 * volume)},
                        "admin_fees": {"amount": f"{rng.randint(0, 900) / 100:.2f}"},
                    },
                    "applications": applications,
                    "review_litigation": _reviews(rng, sum(applications["new_received"].values())),
                },
            }
            if not (code == MISSING and year == years[0]):  # no report: the office must find it missing
                out.append(UploadedReport(code, name, year, published, data))
            forward = dict(applications["carried_over"])
            forward.pop("total", None)
            in_force_after, issued_after, repealed_after = in_force, issued, repealed
    by_key = {(r.code, r.year): r for r in out}
    # One agency's overview copied from another's of the same year.
    copier, source = by_key.get((COPIED[0], latest)), by_key.get((COPIED[1], latest))
    if copier and source:
        # copied whole, as it happens: the other agency's name left in the text
        for section in ("overview", "problems"):
            copier.data["sections"][section] = source.data["sections"][section]
    # One jump of the documents in force: the earliest year's count lowered, so that only the step
    # from it to the next year fails to add up (the next year's own step still does).
    jumper = by_key.get((IN_FORCE_JUMP[0], years[0]))
    if jumper and len(years) > 1:
        row = jumper.data["tables"]["active"]["normative_documents"]
        lowered = row["in_force"] - IN_FORCE_JUMP[1]
        row["in_force"] = lowered if lowered >= row["repealed"] else row["in_force"] + IN_FORCE_JUMP[1]
    # Most agencies publish the report as a page of their site; some send the Word file.
    for r in out:
        r.fmt = "docx" if rng.random() < docx_share else "html"
        authored = from_authored(r.data, r.filename)
        r.content = render(build_document(authored.report, fee_yuan=authored.fee_yuan), r.fmt)
    return sorted(out, key=lambda r: (r.year, r.code))


def load_region_reports(county, today: date, seed: int = 0, user=None):
    """The demo county's reports of the two years before the registry's last closed year, sent
    to the county's 政务公开办 as files and read by a job of the task queue — run here, in this
    process, with the tasks a worker runs (the demo loads before its worker starts). The numbers
    continue into that year's reports as the registry wrote them. Returns the job."""
    from gongkai.apps.reports.services import assemble

    from gongkai.apps.supervision.jobs import Input, run_here, start_job
    from gongkai.apps.supervision.models import Job

    latest = today.year - 1  # the year the registry closed: its reports come from the system
    years = (latest - 2, latest - 1)
    labels = _labels()
    agencies, following = [], {}
    for agency in county.agencies:
        code = _code(agency.name, labels)
        if code is None:
            continue
        agencies.append((code, agency.name, agency.parent_id is None, county.weights.get(agency.pk, 1)))
        report = assemble(agency, latest).report
        applications = report.tables.get("applications")
        active = report.tables.get("active")
        after: dict[str, Any] = {}
        if applications is not None:
            received = applications.rows["new_received"].get("total")
            if received is not None and received.is_number:
                after["received"] = int(received.value)
            after["carried_over"] = {column: cell.value for column, cell in applications.rows["carried_over"].items()
                                     if column != "total" and cell.is_number}
        if active is not None and "normative_documents" in active.rows:
            row = active.rows["normative_documents"]
            if all(row.get(k) is not None and row[k].is_number for k in ("issued", "repealed", "in_force")):
                after["normative_documents"] = {k: int(row[k].value) for k in ("issued", "repealed", "in_force")}
        following[code] = after
    written = write_region_reports(agencies, years, following, seed=seed)
    job = start_job(county.government, Job.Kind.READ, {"demo": True}, user or county.supervisor,
                    [Input(r.filename, r.content) for r in written], queue=False)
    return run_here(job)


# Submissions of the registry's year in the demo: most accepted; these left as the office would
# find them on a working day — awaiting review, and one returned with the supervisor's comments.
PENDING_REVIEW = ("jtj", "swj", "lqx")
RETURNED = ("tjj", "请补充说明表三“不予公开”各项的依据，并核对表二行政规范性文件的现行有效件数。")


def submit_registry_reports(county, year: int) -> dict[str, int]:
    """Each agency's report of ``year`` from the registry, submitted by its approver to the
    county's 政务公开办 through the system; accepted (and so collected) by the supervisor but for
    ``PENDING_REVIEW`` and ``RETURNED``. The region's figures are refreshed once at the end."""
    from gongkai.apps.reports.models import AnnualReport

    from gongkai.apps.supervision import submissions
    from gongkai.apps.supervision.figures import refresh_region

    labels = _labels()
    counts = {"accepted": 0, "submitted": 0, "returned": 0, "refused": 0}
    for agency in county.agencies:
        report = AnnualReport.objects.filter(agency=agency, year=year).first()
        if report is None or agency.parent_id is None:
            continue  # the county government's own report is the office's own, not submitted to it
        code = _code(agency.name, labels) or ""
        try:
            sub = submissions.submit(report, county.staff[agency.pk].approver)
        except (ValidationError, PermissionDenied):
            counts["refused"] += 1  # a report with errors is not submitted (nor published)
            continue
        if code in PENDING_REVIEW:
            counts["submitted"] += 1
        elif code == RETURNED[0]:
            submissions.return_submission(sub, county.supervisor, RETURNED[1])
            counts["returned"] += 1
        else:
            submissions.accept(sub, county.supervisor, refresh=False)
            counts["accepted"] += 1
    refresh_region(county.government)
    return counts


def _code(name: str, labels: list[tuple[str, str]]) -> str | None:
    """The demo code of an agency by its name: the longest label it ends with (a township's
    "…镇人民政府" before the government's "人民政府")."""
    found = [(len(label), code) for label, code in labels if name.endswith(label)]
    return max(found)[1] if found else None


def _labels() -> list[tuple[str, str]]:
    from . import county as cases_demo

    return [(cases_demo.GOVERNMENT[0], cases_demo.GOVERNMENT[1])] + [
        (label, code) for label, code, _ in cases_demo.DEPARTMENTS + cases_demo.TOWNSHIPS]
