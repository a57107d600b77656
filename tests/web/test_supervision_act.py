"""The supervising office acts (issue 13 items 1 and 5): an agency submits its annual report, the
office returns it with comments or accepts it (recorded as a collected report); a 督办 about an
overdue case, answered by the agency and closed by the office; the region's tables as Excel; the
year's bulletin as DOCX drafted from the checks. Services and pages, per role."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.services import register_application
from gongkai.apps.reports import services as reports
from gongkai.apps.reports.models import AnnualReport
from gongkai.apps.supervision import notices, region, submissions
from gongkai.apps.supervision.models import CollectedReport, Submission, SupervisionNotice
from gongkai.core import standard
from gongkai.core.report.checking import RULES, check_report
from gongkai.core.report.model import report_to_json
from gongkai.core.report import render as rendering
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.workbook import HEADER_ROWS

from tests.test_corpus import CORPUS, needs_corpus
from tests.web.test_registry import person

YEAR = date.today().year - 1
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIRST, REVISED = "本年度依法做好政府信息公开工作。", "本年度依法做好政府信息公开工作，按审查意见补充了办理情况。"
SIGNED = date(YEAR + 1, 1, 20)
LATE = date(YEAR + 1, 3, 5)
COMMENTS = "第一部分未写明本年度主动公开的数量，请补充后重新报送。"


@pytest.fixture
def world(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    street = Agency.objects.create(name="某县城关街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county)
    other = Agency.objects.create(name="另一县人民政府", kind=Agency.Kind.COUNTY)
    people = {}
    for name, agency, role in [("handler", bureau, "handler"), ("approver", bureau, "approver"),
                               ("registrar", bureau, "registrar"), ("supervisor", county, "supervisor"),
                               ("street_handler", street, "handler"), ("street_approver", street, "approver"),
                               ("county_approver", county, "approver"), ("other_supervisor", other, "supervisor")]:
        people[name] = get_user_model().objects.create_user(name, password="x")
        Membership.objects.create(user=people[name], agency=agency, role=role)
    table2 = {r.key: {c.key: 2 for c in r.columns} for r in standard.ACTIVE.rows}
    table2["admin_fees"]["amount"] = "1.25"
    reports.save_table2(people["handler"], bureau, YEAR, table2)
    reports.save_narrative(people["handler"], bureau, YEAR, {"overview": FIRST}, SIGNED)
    reports.close_year(people["approver"], bureau, YEAR)  # published as version 1 (no errors)
    return {"county": county, "bureau": bureau, "street": street, "other": other, **people}


def annual(world) -> AnnualReport:
    return AnnualReport.objects.get(agency=world["bureau"], year=YEAR)


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ------------------------------------------------------------------------------ submission


def test_submit_return_resubmit_accept_every_version_kept(world, client):
    bureau = world["bureau"]
    with pytest.raises(PermissionDenied):
        submissions.submit(annual(world), world["handler"])  # a handler may not submit
    first = submissions.submit(annual(world), world["approver"])
    assert (first.number, first.state) == (1, Submission.State.SUBMITTED)
    assert first.content["sections"]["overview"] == FIRST
    assert first.content["tables"] == reports.frozen_content(annual(world))["tables"]
    with pytest.raises(ValidationError, match="审查中"):
        submissions.submit(annual(world), world["approver"])
    # Reviewers: the county's supervisor only (not another county's, not the bureau's own approver).
    for outsider in ("other_supervisor", "approver", "county_approver"):
        with pytest.raises(PermissionDenied):
            submissions.accept(first, world[outsider])
    with pytest.raises(ValidationError):
        submissions.return_submission(first, world["supervisor"], "  ")  # comments required
    returned = submissions.return_submission(first, world["supervisor"], COMMENTS)
    assert (returned.state, returned.comments, returned.decided_by) == (Submission.State.RETURNED, COMMENTS,
                                                                        world["supervisor"])
    with pytest.raises(ValidationError, match="已退回"):
        submissions.accept(returned, world["supervisor"])
    with pytest.raises(ValidationError, match="与退回的内容相同"):
        submissions.submit(annual(world), world["approver"])
    # The office corrects the draft and submits again: a second submission, the first kept.
    reports.save_narrative(world["handler"], bureau, YEAR, {"overview": REVISED}, SIGNED)
    second = submissions.submit(annual(world), world["approver"])
    assert second.number == 2 and second.content["sections"]["overview"] == REVISED
    assert submissions.published_version(second) is None  # version 1 still has the first text
    accepted = submissions.accept(second, world["supervisor"])
    assert accepted.state == Submission.State.ACCEPTED
    collected = accepted.collected
    assert (collected.origin, collected.region, collected.agency, collected.year) == (
        CollectedReport.Origin.SUBMITTED, world["county"], bureau, YEAR)
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(bytes(collected.data))).paragraphs)
    assert REVISED in text and bureau.name in text
    assert collected.report["tables"]["applications"] == second.content["tables"]["applications"]
    assert collected.report["tables"]["active"]["admin_fees"]["amount"] in ("1.25", 1.25)
    assert collected.published_on == SIGNED
    assert collected.findings == [f.to_json() for f in reports.assemble(bureau, YEAR, accepted).findings]
    assert [s.number for s in submissions.history(bureau, YEAR)] == [2, 1]
    with pytest.raises(ValidationError, match="无需再次报送"):
        submissions.submit(annual(world), world["approver"])
    # Publishing stays the agency's approver's step; the accepted submission is then the published one.
    version = reports.publish_report(world["approver"], bureau, YEAR, "按上级审查意见补充")
    assert submissions.published_version(accepted) == version


def test_submitting_needs_a_closed_year(world):
    street = world["street"]
    reports.save_narrative(world["street_handler"], street, YEAR, {"overview": FIRST}, date(YEAR + 1, 1, 20))
    draft = AnnualReport.objects.get(agency=street, year=YEAR)
    with pytest.raises(ValidationError, match="尚未结转"):
        submissions.submit(draft, world["street_approver"])
    assert not Submission.objects.exists()


def test_report_page_submits_and_shows_the_comments(world, client):
    bureau = world["bureau"]
    url = reverse("reports:year", args=[bureau.pk, YEAR])
    submit = reverse("supervision:submit", args=[bureau.pk, YEAR])
    assert "报送</button>" not in page(client, world["handler"], url)
    assert client.post(submit).status_code == 403 and not Submission.objects.exists()
    assert "报送</button>" in page(client, world["approver"], url)
    assert client.post(submit).status_code == 302
    sub = Submission.objects.get()
    # The supervisor's queue, with the return form; another region's supervisor sees nothing.
    queue = page(client, world["other_supervisor"], reverse("supervision:submissions"))
    assert bureau.name not in queue
    assert client.post(reverse("supervision:decide", args=[sub.pk, "return"]), {"comments": COMMENTS}).status_code == 404
    queue = page(client, world["supervisor"], reverse("supervision:submissions"))
    assert bureau.name in queue and "退回修改" in queue
    response = client.post(reverse("supervision:decide", args=[sub.pk, "return"]), {"comments": COMMENTS})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.state == Submission.State.RETURNED
    shown = page(client, world["approver"], url)
    assert COMMENTS in shown and "已退回修改" in shown
    # Staff without a supervisor's role have no supervision pages.
    for name in ("supervision:submissions", "supervision:notices", "supervision:export", "supervision:bulletin"):
        assert client.get(reverse(name)).status_code == 403


# ------------------------------------------------------------------------------ 督办


@pytest.fixture
def overdue_case(world):
    received = date.today() - timedelta(days=60)
    return register_application(world["street_handler"], world["street"],
                                **person(received_on=received, applicant_name="逾期者"))


def test_notice_sent_answered_closed_and_kept(world, client, overdue_case):
    street = world["street"]
    assert list(notices.overdue(world["county"])) == [overdue_case]
    due = notices.default_answer_due()
    text = notices.default_text(overdue_case, due)
    assert overdue_case.number in text and "第三十三条" in text
    for outsider in ("other_supervisor", "county_approver"):
        with pytest.raises(PermissionDenied):
            notices.send(world[outsider], overdue_case, text, due)
    notice = notices.send(world["supervisor"], overdue_case, text, due)
    assert (notice.region, notice.agency, notice.state) == (world["county"], street, SupervisionNotice.State.OPEN)
    with pytest.raises(ValidationError, match="尚未办结"):
        notices.send(world["supervisor"], overdue_case, text, due)
    # The street's staff see it on their desk and on the case page; the bureau's do not.
    assert overdue_case.number in page(client, world["street_handler"], reverse("desk:home"))
    assert "待答复的督办" not in page(client, world["handler"], reverse("desk:home"))
    case_page = page(client, world["street_handler"], reverse("desk:case", args=[overdue_case.pk]))
    assert text in case_page and "答复督办" in case_page
    with pytest.raises(PermissionDenied):
        notices.answer(world["handler"], notice, "不是本机关的案件")
    client.force_login(world["street_handler"])
    response = client.post(reverse("supervision:answer_notice", args=[notice.pk]), {"answer": "已于今日作出答复决定并送达。"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == SupervisionNotice.State.ANSWERED and notice.answered_by == world["street_handler"]
    assert "待答复的督办" not in page(client, world["street_handler"], reverse("desk:home"))
    with pytest.raises(PermissionDenied):
        notices.close(world["street_approver"], notice)
    client.force_login(world["supervisor"])
    assert client.post(reverse("supervision:close_notice", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.state == SupervisionNotice.State.CLOSED and notice.closed_by == world["supervisor"]
    # A new notice may follow; the closed one stays in the history.
    notices.send(world["supervisor"], overdue_case, text, due)
    assert SupervisionNotice.objects.filter(application=overdue_case).count() == 2
    listing = page(client, world["supervisor"], reverse("supervision:notices"))
    assert "已办结" in listing and "待答复" in listing


def test_notice_page_sends_only_about_overdue_cases(world, client, overdue_case):
    recent = register_application(world["street_handler"], world["street"],
                                  **person(received_on=date.today(), applicant_name="新申请者"))
    listing = page(client, world["supervisor"], reverse("supervision:notices"))
    assert overdue_case.number in listing and recent.number not in listing
    due = (date.today() + timedelta(days=5)).isoformat()
    response = client.post(reverse("supervision:send_notice", args=[recent.pk]),
                           {f"a{recent.pk}-text": "请办理", f"a{recent.pk}-answer_due_on": due}, follow=True)
    assert "没有逾期" in response.content.decode()
    response = client.post(reverse("supervision:send_notice", args=[overdue_case.pk]),
                           {f"a{overdue_case.pk}-text": "请尽快办理", f"a{overdue_case.pk}-answer_due_on": due})
    assert response.status_code == 302
    assert SupervisionNotice.objects.get().text == "请尽快办理"
    client.force_login(world["other_supervisor"])  # cannot even see the case
    assert client.post(reverse("supervision:send_notice", args=[overdue_case.pk]),
                       {f"a{overdue_case.pk}-text": "x", f"a{overdue_case.pk}-answer_due_on": due}).status_code == 404


# ------------------------------------------------------------------------------ export


def collect(world, agency, path: Path, year: int, findings=None, name=None, fmt: str = "") -> CollectedReport:
    """A report of ``agency`` uploaded to the county's office: the file read and checked (with
    ``fmt``: the file's report written again in that format by the report writer, then read)."""
    report = read_report(path)
    data = path.read_bytes()
    if fmt:
        data = rendering.render(rendering.build_document(report), fmt)
        report = read_document(data, f".{fmt}", f"{path.stem}.{fmt}")
    return CollectedReport.objects.create(
        region=world["county"], agency=agency, agency_name=name or report.agency or "", year=year,
        origin=CollectedReport.Origin.UPLOADED, source=path.name, sha256=hashlib.sha256(data).hexdigest(),
        fmt="txt", size=len(data), data=data, status=CollectedReport.Status.READ, report=report_to_json(report),
        findings=findings if findings is not None else [f.to_json() for f in check_report(report)],
        published_on=report.published.value if report.published else None)


def test_export_one_sheet_per_table_one_row_per_agency_and_totals(world, client):
    street = world["street"]
    seed = collect(world, street, EXAMPLES / "003_d9cb11323f1ad30e.txt", YEAR)
    sub = submissions.submit(annual(world), world["approver"])
    submissions.accept(sub, world["supervisor"])
    bureau_tables = sub.content["tables"]
    client.force_login(world["supervisor"])
    response = client.get(reverse("supervision:export"), {"region": world["county"].pk, "year": YEAR})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert [s.title[:2] for s in book.worksheets] == ["表二", "表三", "表四"]
    sheet = book["表三 收到和处理政府信息公开申请情况"]
    keys = [c.value for c in sheet[HEADER_ROWS]]
    names = [sheet.cell(r, 1).value for r in range(HEADER_ROWS + 1, sheet.max_row + 1)]
    assert names == ["某县人民政府", "某县财政局", "某县城关街道办事处", "合计（2个机关）"]
    column = keys.index("applications.new_received.total") + 1
    assert sheet.cell(HEADER_ROWS - 1, column).value == "总计"
    bureau_row, street_row, total_row = HEADER_ROWS + 2, HEADER_ROWS + 3, HEADER_ROWS + 4
    street_value = seed.report["tables"]["applications"]["new_received"]["total"]
    assert sheet.cell(bureau_row, column).value == bureau_tables["applications"]["new_received"]["total"]
    assert sheet.cell(street_row, column).value == street_value
    assert sheet.cell(total_row, column).value == street_value + bureau_tables["applications"]["new_received"]["total"]
    assert sheet.cell(HEADER_ROWS + 1, 2).value == "未收到报告"
    assert sheet.cell(bureau_row, 2).value == "系统内报送"
    active = book["表二 主动公开政府信息情况"]
    keys = [c.value for c in active[HEADER_ROWS]]
    amount = keys.index("active.admin_fees.amount") + 1
    assert active.cell(bureau_row, amount).value == 1.25
    assert "行政事业性收费" in active.cell(1, amount).value


def test_export_makes_formula_like_names_safe(world, client):
    world["street"].name = '=HYPERLINK("http://example.com","点击")'
    world["street"].save()
    client.force_login(world["supervisor"])
    response = client.get(reverse("supervision:export"), {"region": world["county"].pk, "year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet.cell(HEADER_ROWS + 3, 1)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_export_refuses_a_region_the_supervisor_does_not_hold(world, client):
    client.force_login(world["supervisor"])
    response = client.get(reverse("supervision:export"), {"region": world["other"].pk, "year": YEAR})
    assert response.status_code == 404


# ------------------------------------------------------------------------------ bulletin


def bulletin_paragraphs(client, world, **params):
    client.force_login(world["supervisor"])
    response = client.get(reverse("supervision:bulletin"),
                          {"region": world["county"].pk, "year": YEAR, "issuer": "某县人民政府办公室",
                           "on": f"{YEAR + 1}-04-02", **params})
    assert response.status_code == 200
    return DocxDocument(io.BytesIO(response.content))


def uploaded_docx(world, agency, published: date) -> CollectedReport:
    """``agency``'s report written through the system (not closed), signed ``published``, rendered
    as DOCX by the report writer and uploaded to the county's office: read back and checked."""
    user = world["street_handler"]
    reports.save_table2(user, agency, YEAR, {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows})
    reports.save_narrative(user, agency, YEAR, {"overview": FIRST}, published)
    assembled = reports.assemble(agency, YEAR)
    data = rendering.render(rendering.build_document(assembled.report, assembled.fee_yuan, draft=True), "docx")
    report = read_document(data, ".docx", f"{agency.name}.docx")
    return CollectedReport.objects.create(
        region=world["county"], agency=agency, agency_name=report.agency or "", year=YEAR,
        origin=CollectedReport.Origin.UPLOADED, source=f"{agency.name}.docx",
        sha256=hashlib.sha256(data).hexdigest(), fmt="docx", size=len(data), data=data,
        status=CollectedReport.Status.READ, report=report_to_json(report),
        findings=[f.to_json() for f in check_report(report)],
        published_on=report.published.value if report.published else None)


def test_bulletin_is_drafted_from_the_checks(world, client):
    sub = submissions.submit(annual(world), world["approver"])
    submissions.accept(sub, world["supervisor"])  # signed 20 January: on time
    late = uploaded_docx(world, world["street"], LATE)  # a township's report signed in March
    assert late.published_on == LATE and any(f["rule"] == "D-late" for f in late.findings)
    collect(world, world["county"], EXAMPLES / "001_3207f0398fafbe08.txt", YEAR)  # tables pasted as pictures
    document = bulletin_paragraphs(client, world)
    texts = [p.text for p in document.paragraphs]
    body = "\n".join(texts)
    assert texts[0] == f"关于{YEAR}年度政府信息公开工作年度报告检查情况的通报"
    assert "应报告机关3个，收到年度报告3份；按期发布2个，逾期发布1个" in body
    days = (LATE - date(YEAR + 1, 1, 31)).days
    assert (f"某县城关街道办事处：落款日期为{YEAR + 1}年3月5日，应于{YEAR + 1}年1月31日前发布，逾期{days}天。"
            in body)
    assert "某县人民政府、某县财政局。" in body  # on time: the government's deadline is 31 March
    assert "未收到年度报告的机关" not in body
    assert RULES["T-picture"].title in body and "涉及1个机关：某县人民政府（核对规则 T-picture）" in body
    assert "（核对规则 D-late）" not in body  # lateness is said once, under 二
    assert "经核对，1份报告的内容存在错误" in body
    assert "未发现大段雷同的正文" in body  # the cross-report checks ran over the three reports
    assert texts[-2:] == ["某县人民政府办公室", f"{YEAR + 1}年4月2日"]
    # 公文 style: the title in 方正小标宋 二号, level-one headings in 黑体, （一） in 楷体, body 仿宋 三号.
    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22 and title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况").runs[0]
    assert heading._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    sub_heading = next(p for p in document.paragraphs if p.text.startswith("（一）")).runs[0]
    assert sub_heading._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    body_run = next(p for p in document.paragraphs if p.text.startswith("应报告机关")).runs[0]
    assert body_run.font.size.pt == 16 and body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_bulletin_lists_copied_passages_stored_by_the_cross_checks(world, client):
    seed = EXAMPLES / "003_d9cb11323f1ad30e.txt"
    report = read_report(seed)
    passage = report.sections[0].text[:40] if report.sections and getattr(report.sections[0], "text", "") else "正文段落"
    copied = {"rule": "X-copied", "severity": "warning", "title": "正文与其他报告雷同",
              "message": f"第一部分与{YEAR - 1}年度报告雷同（相似度 0.93）",
              "details": {"sources": [seed.name, "上年度报告"], "passages": [{"text": passage}]}}
    collect(world, world["street"], seed, YEAR, findings=[f.to_json() for f in check_report(report)] + [copied])
    body = "\n".join(p.text for p in bulletin_paragraphs(client, world).paragraphs)
    assert f"某县城关街道办事处：第一部分与{YEAR - 1}年度报告雷同（相似度 0.93）" in body
    assert passage[:20] in body
    assert "1个机关的报告正文存在大段雷同" in body


def test_the_current_report_is_the_newest_readable_one(world):
    older = collect(world, world["street"], EXAMPLES / "001_3207f0398fafbe08.txt", YEAR)
    newer = collect(world, world["street"], EXAMPLES / "003_d9cb11323f1ad30e.txt", YEAR)
    assert region.current_reports(world["county"], YEAR)[world["street"].pk]["pk"] == newer.pk != older.pk


@needs_corpus
@pytest.mark.corpus
def test_bulletin_names_the_indicators_that_stand_out_in_real_reports(world, client):
    """洪泽区's real reports: 21 applications in 2023, 95 in 2024 (a sudden change); in a region
    with 淮安市's 2024 report, 洪泽区's 2023 disclosure rate (19.05%) is far from the median."""
    reports_ = CORPUS / "reports"
    collect(world, world["bureau"], reports_ / "011_hongze_quzhengfu_2023.pdf", YEAR - 1)
    collect(world, world["bureau"], reports_ / "012_hongze_quzhengfu_2024.pdf", YEAR)
    collect(world, world["street"], reports_ / "011_hongze_quzhengfu_2023.pdf", YEAR, fmt="docx")
    collect(world, world["county"], reports_ / "013_huaian_shizhengfu_2024.pdf", YEAR)
    body = "\n".join(p.text for p in bulletin_paragraphs(client, world).paragraphs)
    section = body.split("五、需要关注的指标", 1)[1].split("六、有关要求", 1)[0]
    assert "按以下规则，2个机关的指标明显偏离" in section
    assert "（一）申请数量突变" in section and "某县财政局：本年新收申请95件，上年21件，增加74件" in section
    assert "比率远离全区中位数" in section and "某县城关街道办事处：公开率19.1%，低于全区中位数59.5%" in section
    assert "规则：本年新收申请数与上年相比变化幅度不低于50%" in section


def test_bulletin_finds_copied_narrative_with_the_cross_checks(world, client):
    """The street's office wrote its report through the system with the narrative of seed 003 (an
    agency's published report), uploaded as DOCX beside that report: the cross-report checks, run
    when the figures are refreshed, find the sections copied, and the bulletin lists them."""
    seed = EXAMPLES / "003_d9cb11323f1ad30e.txt"
    original = read_report(seed)
    collect(world, world["county"], seed, YEAR)
    user = world["street_handler"]
    reports.save_table2(user, world["street"], YEAR, {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows})
    reports.save_narrative(user, world["street"], YEAR, {s.key: s.text for s in original.sections if s.key in (
        "overview", "problems")}, date(YEAR + 1, 1, 20))
    assembled = reports.assemble(world["street"], YEAR)
    data = rendering.render(rendering.build_document(assembled.report, assembled.fee_yuan, draft=True), "docx")
    report = read_document(data, ".docx", "street.docx")
    CollectedReport.objects.create(
        region=world["county"], agency=world["street"], agency_name=report.agency or "", year=YEAR,
        origin=CollectedReport.Origin.UPLOADED, source="street.docx", sha256=hashlib.sha256(data).hexdigest(),
        fmt="docx", size=len(data), data=data, status=CollectedReport.Status.READ, report=report_to_json(report),
        findings=[f.to_json() for f in check_report(report)], published_on=date(YEAR + 1, 1, 20))
    # The figures' refresh (run by every job and submission) checks the region's reports across.
    from gongkai.apps.supervision.figures import refresh_region
    refresh_region(world["county"])
    body = "\n".join(p.text for p in bulletin_paragraphs(client, world).paragraphs)
    section = body.split("四、文字雷同情况", 1)[1].split("五、", 1)[0]
    assert "个机关的报告正文存在大段雷同" in section
    assert "某县城关街道办事处：第一部分「总体情况」与" in section and "相似度为" in section
