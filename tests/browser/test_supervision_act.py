"""The supervising office acts in a real browser (chromium): the bureau's approver submits the
annual report, the county's supervisor returns it with comments (the approver reads them on the
report page), sends a 督办 about an overdue case (the street's handler answers it on the case
page), exports the region's tables (opened with openpyxl) and downloads the bulletin (opened with
python-docx)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.services import register_application
from gongkai.apps.reports import services as reports
from gongkai.apps.supervision.models import Submission, SupervisionNotice
from gongkai.core import standard

from tests.browser.test_signoff import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = date.today().year - 1
COMMENTS = "第二部分未说明本年度规章的清理情况，请补充后重新报送。"
ANSWER = "因征求第三方意见未及时登记暂停，已于今日作出答复决定。"


@pytest.fixture
def county(transactional_db, django_user_model):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    street = Agency.objects.create(name="某县城关街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county)
    people = {}
    for username, agency, role in [("zhao", bureau, "approver"), ("wang", bureau, "handler"),
                                   ("qian", county, "supervisor"), ("sun", street, "handler")]:
        people[username] = django_user_model.objects.create_user(username, password=f"{username}-pw")
        Membership.objects.create(user=people[username], agency=agency, role=role)
    reports.save_table2(people["wang"], bureau, YEAR,
                        {r.key: {c.key: 3 for c in r.columns} for r in standard.ACTIVE.rows})
    reports.save_narrative(people["wang"], bureau, YEAR, {"overview": "本年度依法做好政府信息公开工作。"},
                           date(YEAR + 1, 1, 20))
    reports.close_year(people["zhao"], bureau, YEAR)
    case = register_application(
        people["sun"], street, applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
        id_number="370000199001011234", phone="13800000000", channel="letter",
        received_on=date.today() - timedelta(days=60), description="本街道2026年老旧小区改造计划")
    return {"county": county, "bureau": bureau, "street": street, "case": case}


def test_supervisor_returns_a_report_sends_a_notice_exports_and_drafts_the_bulletin(
        page: Page, live_server, county, screenshots):
    base = live_server.url
    # The bureau's approver submits the report from its page.
    log_in(page, base, "zhao", "zhao-pw")
    page.goto(f"{base}/reports/{county['bureau'].pk}/{YEAR}/")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_text("第1次报送")).to_be_visible()
    log_out(page)

    # The county's supervisor returns it with comments.
    log_in(page, base, "qian", "qian-pw")
    page.get_by_role("link", name="区域监督").click()
    page.get_by_role("link", name="报送审查").click()
    expect(page.get_by_role("heading", name="报送审查")).to_be_visible()
    page.get_by_label("退回意见").fill(COMMENTS)
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("已退回某县财政局")).to_be_visible()
    assert Submission.objects.get().state == Submission.State.RETURNED

    # A 督办 about the street's overdue case.
    page.get_by_role("link", name="逾期督办").click()
    case = county["case"]
    expect(page.get_by_role("link", name=f"申请 {case.number}")).to_be_visible()
    page.screenshot(path=str(screenshots / "supervision-notices.png"), full_page=True)
    page.get_by_role("button", name="发出督办").click()
    expect(page.get_by_text(f"已向某县城关街道办事处发出督办：申请 {case.number}")).to_be_visible()

    # The Excel export of the region's tables.
    page.get_by_role("link", name="导出统计表").click()
    page.get_by_label("报告年度").select_option(str(YEAR))
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [s.title[:2] for s in book.worksheets] == ["表二", "表三", "表四"]
    names = [row[0].value for row in book.worksheets[0].iter_rows(min_row=4)]
    assert names == ["某县人民政府", "某县财政局", "某县城关街道办事处", "合计（0个机关）"]  # none accepted yet

    # The bulletin.
    page.get_by_role("link", name="起草通报").click()
    page.get_by_label("报告年度").select_option(str(YEAR))
    page.get_by_label("发文机关").fill("某县人民政府办公室")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载通报草稿").click()
    document = Document(download.value.path())
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"关于{YEAR}年度政府信息公开工作年度报告检查情况的通报"
    assert "应报告机关3个，收到年度报告0份" in "\n".join(texts)
    assert "某县人民政府、某县财政局、某县城关街道办事处。" in texts  # the agencies with no report
    assert texts[-2] == "某县人民政府办公室"
    log_out(page)

    # The bureau's approver reads the comments on the report page.
    log_in(page, base, "zhao", "zhao-pw")
    page.goto(f"{base}/reports/{county['bureau'].pk}/{YEAR}/")
    expect(page.get_by_text(COMMENTS)).to_be_visible()
    log_out(page)

    # The street's handler sees the notice on the desk and answers it on the case page.
    log_in(page, base, "sun", "sun-pw")
    expect(page.get_by_role("heading", name="待答复的督办（1）")).to_be_visible()
    page.get_by_role("link", name=f"申请 {case.number}").first.click()
    page.get_by_label("答复（逾期原因、办理进展和整改措施）").fill(ANSWER)
    page.get_by_role("button", name="答复督办").click()
    expect(page.get_by_text("已答复督办")).to_be_visible()
    page.screenshot(path=str(screenshots / "supervision-case-notice.png"), full_page=True)
    notice = SupervisionNotice.objects.get()
    assert (notice.state, notice.answer) == (SupervisionNotice.State.ANSWERED, ANSWER)
