"""The ledger (台账) in Excel both ways, in a real browser (chromium): the head of the office
(an approver) imports the office's ledger with three bad rows (the preview names them, nothing is imported), fixes the file,
imports it, and finds the cases in the registry; a filtered work list is exported and opened with
openpyxl; an approver imports the catalogue's already-published items. Screenshots at 1280 and
390 px go to the folder the ``screenshots`` fixture prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from gongkai.apps.cases.models import Application
from gongkai.apps.catalogue.models import Item
from tests.browser.test_catalogue_staff import bureau  # noqa: F401 - the bureau, its handler wang and approvers li, zhao
from tests.browser.test_workflow import log_in, log_out

pytestmark = pytest.mark.django_db(transaction=True)
HEADERS = ["序号", "收到日期", "申请人", "申请人类别", "申请方式", "申请内容", "承办人", "办理结果", "答复日期", "答复理由"]
ROWS = [
    ["2025-0001", date(2025, 2, 3), "张三", "自然人", "网络", "2024年城区低保名单", "王承办", "予以公开", date(2025, 2, 20), ""],
    ["2025-0002", date(2025, 3, 4), "某某科技有限公司", "商业企业", "信函", "某项目环评批复", "", "（四）1.不掌握", date(2025, 3, 25), ""],
    ["2025-0003", date(2025, 4, 7), "李四", "自然人", "当面", "某路段征收补偿方案", "", "部分公开", date(2025, 4, 28), "部分内容涉及个人隐私"],
    ["2025-0004", date(2025, 5, 6), "王五", "自然人", "网络", "2025年部门预算", "", "", None, ""],
    ["2025-0005", date(2025, 6, 9), "赵六", "自然人", "网络", "某小区规划许可", "", "予以公开", date(2025, 6, 30), ""],
]


def workbook(rows, path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["某县财政局政府信息公开申请台账"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def upload_and_check(page: Page, path: Path) -> None:
    page.get_by_label("文件", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="上传并读取").click()
    expect(page.get_by_role("heading", name="各列对应的字段")).to_be_visible()
    page.get_by_role("button", name="保存对应关系并检查").click()
    expect(page.locator(".summary")).to_be_visible()


def test_import_a_ledger_with_bad_rows_fix_it_import_it_and_export_a_filtered_list(page: Page, live_server, bureau,
                                                                                   screenshots, tmp_path):
    base = live_server.url
    bad = [list(row) for row in ROWS]
    bad[1][1] = "2025-02-30"          # row 4 of the sheet: no such day
    bad[2][7] = "看情况"               # row 5: not an outcome of table 3
    bad[4][8] = date(2025, 5, 1)      # row 7: replied before it was received
    log_in(page, base, "li", "li-pw")
    page.goto(base + "/lists/open/")
    page.get_by_role("link", name="导入原有台账").click()
    expect(page.get_by_role("heading", name="导入原有依申请公开台账")).to_be_visible()
    shoot(page, screenshots, "ledger-import-start")
    upload_and_check(page, workbook(bad, tmp_path / "台账.xlsx"))
    problems = page.locator("table.problems tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("第 4 行")
    expect(problems.nth(0)).to_contain_text("“2025-02-30”不是有效的日期")
    expect(problems.nth(1)).to_contain_text("第 5 行")
    expect(problems.nth(1)).to_contain_text("“看情况”不是表三所列的办理结果")
    expect(problems.nth(2)).to_contain_text("第 7 行")
    expect(problems.nth(2)).to_contain_text("答复日期 2025-05-01 早于收到申请日期 2025-06-09")
    expect(page.locator(".summary")).to_contain_text("3 行有问题")
    expect(page.get_by_role("button", name="导入全部 5 行")).to_have_count(0)
    shoot(page, screenshots, "ledger-import-problems")
    assert Application.objects.count() == 0

    page.get_by_role("link", name="重新上传").click()
    upload_and_check(page, workbook(ROWS, tmp_path / "台账（改正后）.xlsx"))
    expect(page.locator(".summary")).to_contain_text("未发现错误")
    page.get_by_role("button", name="导入全部 5 行").click()
    expect(page.locator(".message.success")).to_contain_text("已导入“台账（改正后）.xlsx”的全部 5 行")
    expect(page.get_by_role("heading", name="已导入依申请公开台账：台账（改正后）.xlsx")).to_be_visible()
    shoot(page, screenshots, "ledger-import-done")
    assert Application.objects.filter(agency=bureau).count() == 5

    page.get_by_role("link", name="2025-0003").click()
    expect(page.get_by_text("部分内容涉及个人隐私", exact=True)).to_be_visible()
    expect(page.get_by_text("导入原有台账《台账（改正后）.xlsx》第 5 行")).to_be_visible()
    page.goto(base + "/lists/closed/")
    for number in ("2025-0001", "2025-0002", "2025-0003", "2025-0005"):
        expect(page.get_by_role("link", name=number)).to_be_visible()
    page.goto(base + "/imports/applications/")
    expect(page.locator("table.imports")).to_contain_text("台账（改正后）.xlsx")
    expect(page.locator("table.imports")).to_contain_text("已导入")
    shoot(page, screenshots, "ledger-import-history")

    # The registry's ledger out again, filtered: the closed list's search for 低保.
    page.goto(base + "/lists/closed/")
    page.get_by_role("searchbox", name="查询").fill("低保")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 1 件")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出台账（Excel）").click()
    saved = tmp_path / "export.xlsx"
    download_info.value.save_as(saved)
    rows = list(load_workbook(saved)["台账"].iter_rows(values_only=True))
    header, data = rows[1], rows[2:]
    assert [dict(zip(header, row))["编号"] for row in data] == ["2025-0001"]
    assert dict(zip(header, data[0]))["办理结果"] == "（一）予以公开" and "低保" in rows[0][0]
    log_out(page)


def test_an_approver_imports_the_catalogues_published_items(page: Page, live_server, bureau, screenshots, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["索引号", "标题", "文号", "成文日期", "发布日期", "类别", "信息类别", "有效性", "施行日期"])
    sheet.append(["11370000MB28123456/2024-00001", "某县财政局关于规范资金管理的通知", "某财规〔2024〕1号",
                  date(2024, 3, 1), date(2024, 3, 5), "行政规范性文件", "行政规范性文件", "现行有效", date(2024, 4, 1)])
    book.save(tmp_path / "目录.xlsx")
    log_in(page, live_server.url, "zhao", "zhao-pw")
    page.goto(live_server.url + "/catalogue/")
    page.get_by_role("link", name="导入原有目录（Excel 或 CSV）").click()
    expect(page.get_by_role("heading", name="导入原有主动公开目录")).to_be_visible()
    upload_and_check(page, tmp_path / "目录.xlsx")
    page.get_by_role("button", name="导入全部 1 行").click()
    expect(page.locator(".message.success")).to_be_visible()
    shoot(page, screenshots, "catalogue-import-done")
    page.get_by_role("link", name="11370000MB28123456/2024-00001").click()
    expect(page.locator("p.imported")).to_contain_text("未经本系统的保密审查")
    shoot(page, screenshots, "catalogue-imported-item")
    item = Item.objects.get()
    assert item.state == "published" and item.imported_by.username == "zhao"
