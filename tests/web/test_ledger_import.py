"""Importing an office's existing ledger (台账) and catalogue: the columns mapped from their
headers (and the agency's choice kept), every row checked with the registry's own rules and each
problem said in Chinese with its Excel row number, all-or-nothing, the record of who imported
what, CSV in the encodings Excel writes, and broken or malicious files refused."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook

from gongkai.apps.catalogue.categories import load_preset
from gongkai.apps.catalogue.models import Item, ItemEvent
from gongkai.apps.cases.models import Application, CaseEvent
from gongkai.apps.ledger.models import ImportBatch, ImportedRow, SavedMapping
from gongkai.apps.reports.tables import table3
from tests.web.test_desk import as_user, register, text, world  # noqa: F401 - fixtures
from tests.web.test_registry import tree  # noqa: F401 - the fixture ``world`` builds on

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "申请日期", "申请人", "申请人类型", "证件号码", "申请方式", "申请事项", "经办人", "是否延期",
           "答复结果", "办结日期", "备注"]
GOOD = [
    ["2023-0001", date(2023, 3, 1), "张三", "自然人", "", "网上申请", "2022年城区低保名单", "王承办", "否",
     "予以公开", date(2023, 3, 10), ""],
    ["2023-0002", date(2023, 4, 3), "某某科技有限公司", "商业企业", "", "信函", "某项目环评批复", "", "是",
     "（四）1.不掌握", date(2023, 5, 20), ""],
    ["2023-0003", date(2023, 6, 5), "李四", "公民", "", "当面", "某路段拆迁补偿方案", "", "",
     "不予公开（国家秘密）", date(2023, 6, 20), "涉及国家秘密"],
    ["", date(2023, 7, 1), "王五", "自然人", "", "网络", "2023年财政预算", "", "", "", "", ""],
]


def xlsx(rows, headers=HEADERS, title: str | None = "某县财政局政府信息公开申请台账") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding: str, headers=HEADERS) -> bytes:
    def cell(value):
        return value.isoformat() if isinstance(value, date) else str(value)
    lines = [",".join(headers)] + [",".join(cell(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(client, content: bytes, name="台账.xlsx", kind="applications", agency=None):
    data = {"file": _file(content, name)}
    if agency is not None:
        data["agency"] = agency.pk
    return client.post(f"/imports/{kind}/", data)


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def page(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return text(response)


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.order_by("-pk").first()


def test_columns_are_mapped_from_their_headers_and_the_agencys_choice_is_offered_next_time(client, world):
    as_user(client, world.registrar)
    response = upload(client, xlsx(GOOD))
    batch = latest_batch()
    assert response.status_code == 302 and response["Location"] == f"/imports/batches/{batch.pk}/"
    assert batch.header_row == 2 and batch.agency == world.bureau and batch.sample[:3] == ["2023-0001", "2023-03-01", "张三"]
    fields = {batch.headers[int(i)]: key for i, key in batch.mapping.items()}
    assert fields == {"序号": "serial", "申请日期": "received_on", "申请人": "applicant_name",
                      "申请人类型": "applicant_type", "证件号码": "id_number", "申请方式": "channel",
                      "申请事项": "description", "经办人": "handler", "是否延期": "extended", "答复结果": "outcome",
                      "办结日期": "decided_on"}  # 备注 is left out
    # The user maps 备注 to the decision's reasons; the next file's 备注 gets it too.
    choice = {f"col-{i}": key for i, key in batch.mapping.items()}
    choice[f"col-{HEADERS.index('备注')}"] = "decision_reasons"
    assert client.post(f"/imports/batches/{batch.pk}/", choice).status_code == 302
    assert SavedMapping.objects.get(agency=world.bureau, kind="applications").mapping["备注"] == "decision_reasons"
    upload(client, xlsx(GOOD[:1], headers=["备注", *HEADERS[:-1]], title=None))
    second = latest_batch()
    assert second.header_row == 1 and second.mapping["0"] == "decision_reasons"
    body = page(client.get(f"/imports/batches/{second.pk}/"))
    assert '<option value="decision_reasons" selected>答复理由</option>' in body


def test_a_required_column_left_unmapped_is_said_and_nothing_is_checked(client, world):
    as_user(client, world.registrar)
    upload(client, xlsx([row[:6] + row[7:] for row in GOOD], headers=HEADERS[:6] + HEADERS[7:]).replace(b"", b""))
    batch = latest_batch()
    choice = {f"col-{i}": key for i, key in batch.mapping.items() if key != "channel"}
    client.post(f"/imports/batches/{batch.pk}/", choice)
    body = page(client.get(f"/imports/batches/{batch.pk}/"))
    assert "请指定文件中哪一列是“申请方式”" in body and "逐行检查" not in body


def test_the_preview_names_each_bad_row_its_column_its_value_and_the_problem(client, world):
    existing = register(world, received_on=date(2023, 2, 1))  # 2023-0001 exists already
    assert existing.number == "2023-0001"
    bad = [
        ["2023-0001", date(2023, 3, 1), "张三", "自然人", "", "网上申请", "低保名单", "", "", "予以公开", date(2023, 3, 10), ""],
        ["2023-0005", "2023-02-30", "李四", "自然人", "", "网络", "预算", "", "", "", "", ""],
        ["2023-0006", date(2023, 5, 1), "王五", "市民", "", "飞鸽传书", "决算", "", "", "看情况", date(2023, 4, 1), ""],
        ["2023-0007", date(2023, 5, 2), "赵六", "自然人", "", "网络", "征收方案", "", "", "部分公开", date(2023, 5, 9), ""],
        ["2023-0007", date(2023, 5, 3), "钱七", "自然人", "", "网络", "规划", "", "也许", "予以公开", "", ""],
        ["2022-0008", date(2023, 5, 4), "孙八", "自然人", "", "网络", "环评", "", "", "", date(2023, 5, 9), ""],
        ["2023-0009", date(2099, 1, 1), "周九", "自然人", "", "网络", "名单", "", "", "", "", ""],
    ]
    as_user(client, world.registrar)
    upload(client, xlsx(bad))
    body = page(client.get(f"/imports/batches/{latest_batch().pk}/"))
    expected = [
        ("第 3 行", "序号", "本机关已有编号为 2023-0001 的申请"),
        ("第 4 行", "申请日期", "“2023-02-30”不是有效的日期（该月没有这一天）"),
        ("第 5 行", "申请人类型", "“市民”不是申请人类别"),
        ("第 5 行", "申请方式", "“飞鸽传书”不是申请方式"),
        ("第 5 行", "答复结果", "“看情况”不是表三所列的办理结果"),
        ("第 5 行", "办结日期", "答复日期 2023-04-01 早于收到申请日期 2023-05-01"),
        ("第 6 行", "答复结果", "部分公开的决定须说明理由"),
        ("第 7 行", "序号", "与第 6 行的编号 2023-0007 重复"),
        ("第 7 行", "是否延期", "“也许”应为“是”或“否”"),
        ("第 7 行", "办结日期", "有办理结果的，请填写答复日期"),
        ("第 8 行", "序号", "编号的年度 2022 与收到申请日期的年度 2023 不一致"),
        ("第 8 行", "答复结果", "有答复日期的，请填写办理结果"),
        ("第 9 行", "申请日期", "晚于今天"),
    ]
    for row, column, message in expected:
        assert f'<th scope="row">{row}</th><td>{column}</td>' in body, (row, column)
        line = next(l for l in body.splitlines() if f"<th scope=\"row\">{row}</th><td>{column}</td>" in l and message in l)
        assert message in line
    assert "共 <strong>7</strong> 行" in body and "7 行有问题" in body
    assert "导入全部" not in body  # no import button while a row is wrong
    assert Application.objects.count() == 1


def test_all_or_nothing_then_the_fixed_file_is_imported_with_its_record(client, world):
    as_user(client, world.registrar)
    broken = [*GOOD[:2], [*GOOD[2][:9], "不予公开（国家秘密）", date(2023, 6, 20), ""], GOOD[3]]  # no reasons
    upload(client, xlsx(broken))
    batch = latest_batch()
    response = client.post(f"/imports/batches/{batch.pk}/import/")
    body = page(response)
    assert response.status_code == 400 and "没有导入：" in body and "1 行存在问题" in body
    assert "第 5 行" in body and "不予公开的决定须说明理由" in body
    assert Application.objects.count() == 0 and CaseEvent.objects.count() == 0
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED and not ImportedRow.objects.exists()

    content = xlsx(GOOD)
    upload(client, content, name="台账（改正后）.xlsx")
    fixed = latest_batch()
    choice = {f"col-{i}": key for i, key in fixed.mapping.items()}
    choice[f"col-{HEADERS.index('备注')}"] = "decision_reasons"
    client.post(f"/imports/batches/{fixed.pk}/", choice)
    body = page(client.get(f"/imports/batches/{fixed.pk}/"))
    assert "未发现错误" in body and "导入全部 4 行" in body
    response = client.post(f"/imports/batches/{fixed.pk}/import/")
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert fixed.state == ImportBatch.State.IMPORTED and fixed.imported_by == world.registrar
    assert fixed.sha256 == hashlib.sha256(content).hexdigest() and fixed.rows == 4
    cases = {a.number: a for a in Application.objects.filter(agency=world.bureau)}
    assert set(cases) == {"2023-0001", "2023-0002", "2023-0003", "2023-0004"}  # the empty 编号 drawn next
    first, second, third, open_case = (cases[f"2023-000{i}"] for i in range(1, 5))
    assert (first.state, first.outcome, first.decided_on, first.replied_on) == ("replied", "granted", date(2023, 3, 10), date(2023, 3, 10))
    assert first.handler == world.handler and first.registered_by == world.registrar
    assert (second.applicant_type, second.channel, second.extended, second.outcome) == ("commercial", "letter", True, "unable_not_held")
    assert third.outcome == "denied_state_secret" and third.decision_reasons == "涉及国家秘密"
    assert open_case.state == "registered" and open_case.outcome == "" and open_case.due_on is not None
    event = CaseEvent.objects.get(application=first)
    assert event.event == "import" and event.user == world.registrar
    assert f"导入原有台账《台账（改正后）.xlsx》第 3 行（导入批次 {fixed.pk}）" == event.reason
    rows = {r.row_number: r for r in ImportedRow.objects.filter(batch=fixed)}
    assert rows[3].application == first and rows[3].source["申请事项"] == "2022年城区低保名单"
    assert "申请人" not in rows[3].source  # personal data only in the case (erased there when its time comes)
    # Counted in table 3 like registered cases.
    t3 = table3(world.bureau, 2023)
    assert t3.value("new_received", "natural_person") == 3 and t3.value("new_received", "commercial") == 1
    assert t3.value("granted", "natural_person") == 1 and t3.value("denied_state_secret", "natural_person") == 1
    assert t3.value("unable_not_held", "commercial") == 1 and t3.value("carried_forward", "total") == 1
    # The history shows the import; a second import of the same batch is refused.
    history = page(client.get("/imports/applications/"))
    assert "台账（改正后）.xlsx" in history and "已导入" in history and fixed.sha256[:12] in history
    done = page(client.get(f"/imports/batches/{fixed.pk}/"))
    assert "已导入依申请公开台账" in done and f'/cases/{first.pk}/' in done
    client.post(f"/imports/batches/{fixed.pk}/import/")
    assert Application.objects.count() == 4


def test_csv_in_utf8_with_and_without_bom_and_in_gb18030(client, world):
    as_user(client, world.registrar)
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        content = csv_bytes(GOOD[:2], encoding)
        if encoding == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                content.decode("utf-8")
        assert upload(client, content, name=f"台账-{encoding}.csv").status_code == 302
        batch = latest_batch()
        assert batch.headers == HEADERS
        body = page(client.get(f"/imports/batches/{batch.pk}/"))
        batch.refresh_from_db()
        assert batch.rows == 2  # counted by the check
        assert "未发现错误" in body and "张三" in body  # the first row, decoded


def test_formulas_are_never_imported_and_broken_or_huge_files_are_refused(client, world, settings):
    as_user(client, world.registrar)
    evil = [["2023-0001", date(2023, 3, 1), "=cmd|' /C calc'!A0", "自然人", "", "网络", "=HYPERLINK(\"http://x\",\"点\")",
             "", "", "", "", ""]]
    for content, name in [(xlsx(evil), "evil.xlsx"), (csv_bytes(evil, "utf-8"), "evil.csv")]:
        upload(client, content, name=name)
        body = page(client.get(f"/imports/batches/{latest_batch().pk}/"))
        assert body.count("单元格中是公式") == 2 and "导入全部" not in body
        assert client.post(f"/imports/batches/{latest_batch().pk}/import/").status_code == 400
    assert Application.objects.count() == 0
    # An openpyxl formula cell (data_type "f") is read as its text, never evaluated.
    book = load_workbook(io.BytesIO(xlsx(evil)))
    assert book["台账"]["C3"].data_type == "f"

    for content, name, message in [
        (b"this is not a workbook at all", "台账.xlsx", "文件不是有效的 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "台账.xlsx", "旧版 Excel（.xls）"),
        (b"abc", "台账.xls", "旧版 Excel（.xls）"),
        (b"PK\x03\x04broken zip", "台账.xlsx", "文件不是有效的 Excel 工作簿"),
        (b"\xff\xfe\x00\x00" * 10, "台账.csv", "无法识别 CSV 文件的文字编码"),
        (b"", "台账.xlsx", "是空的"),
        (b"a" * (20 * 1024 * 1024 + 1), "台账.csv", "超过 20 MB 的上限"),
    ]:
        before = ImportBatch.objects.count()
        response = upload(client, content, name=name)
        assert response.status_code == 400 and message in text(response), name
        assert ImportBatch.objects.count() == before


def test_a_zip_bomb_and_too_many_rows_are_refused(client, world, monkeypatch):
    import gongkai.apps.ledger.reading as reading

    as_user(client, world.registrar)
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 1000)
    response = upload(client, xlsx(GOOD))
    assert response.status_code == 400 and "解压后" in text(response)
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 10 ** 9)
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    upload(client, xlsx(GOOD))
    body = page(client.get(f"/imports/batches/{latest_batch().pk}/"))
    assert "文件超过 3 行数据：请分成几个文件导入" in body and "导入全部" not in body
    assert client.post(f"/imports/batches/{latest_batch().pk}/import/").status_code == 302  # refused, said on the page
    assert Application.objects.count() == 0


def test_a_check_character_that_does_not_match_must_be_confirmed_and_is_kept(client, world):
    as_user(client, world.approver)
    rows = [[*GOOD[0][:4], "11010519491231002A", *GOOD[0][5:]]]
    rows[0][4] = "110105194912310021"  # the check character of 11010519491231002 is X
    upload(client, xlsx(rows))
    batch = latest_batch()
    body = page(client.get(f"/imports/batches/{batch.pk}/"))
    assert "提示" in body and "校验" in body and 'name="confirm"' in body
    assert "110105194912310021" not in body and "1101**********0021" in body  # masked, as everywhere
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 400
    assert Application.objects.count() == 0
    digest = body.split('name="confirm" value="')[1].split('"')[0]
    assert client.post(f"/imports/batches/{batch.pk}/import/", {"confirm": digest}).status_code == 302
    case = Application.objects.get()
    assert case.id_number == "110105194912310021"
    assert "导入时的提示（导入人确认仍然导入）" in CaseEvent.objects.get(application=case).reason
    kept = ImportedRow.objects.get(application=case).source
    assert "证件号码" not in kept and "申请人" not in kept and kept["申请方式"] == "网上申请"


def test_only_registrars_and_approvers_import_and_only_for_their_agency(client, world):
    as_user(client, world.handler)
    assert client.get("/imports/applications/").status_code == 403
    as_user(client, world.supervisor)
    assert client.get("/imports/applications/").status_code == 403
    as_user(client, world.registrar)
    assert client.get("/imports/applications/").status_code == 200
    assert client.get("/imports/catalogue/").status_code == 403  # the catalogue's reviewers import items
    response = upload(client, xlsx(GOOD), agency=world.street)  # not the registrar's agency
    assert response.status_code == 400 and ImportBatch.objects.count() == 0
    upload(client, xlsx(GOOD))
    batch = latest_batch()
    as_user(client, world.outsider)
    assert client.get(f"/imports/batches/{batch.pk}/").status_code == 404
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 404
    as_user(client, world.handler)
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 404
    assert Application.objects.count() == 0


def test_an_exported_ledger_imports_into_another_agency(client, world):
    from gongkai.apps.agencies.models import Membership
    from gongkai.apps.cases.services import transition
    from gongkai.core.casework.lifecycle import Event

    case = register(world, received_on=date(2026, 3, 2), applicant_name="导出人")
    transition(world.handler, case, Event.DECIDE, date(2026, 3, 20), outcome="other_other",
               decision_reasons="申请人当面表示不再需要")
    exported = as_user(client, world.handler).get("/lists/closed/ledger.xlsx")
    Membership.objects.create(user=world.registrar, agency=world.street, role=Membership.Role.REGISTRAR)
    as_user(client, world.registrar)
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    upload(client, content, agency=world.street)
    batch = latest_batch()
    assert batch.header_row == 2 and "证件号码（隐去部分）" in batch.headers
    mapped = {batch.headers[int(i)]: key for i, key in batch.mapping.items()}
    assert "证件号码（隐去部分）" not in mapped and mapped["办理结果"] == "outcome" and mapped["答复日期"] == "decided_on"
    body = page(client.get(f"/imports/batches/{batch.pk}/"))
    assert "须说明理由" in body  # the export has no reasons column: “其他” without them is refused
    choice = {f"col-{i}": key for i, key in batch.mapping.items()}
    client.post(f"/imports/batches/{batch.pk}/", choice)
    # Add the reasons as a column and import again.
    book = load_workbook(io.BytesIO(content))
    sheet = book["台账"]
    sheet.cell(row=2, column=sheet.max_column + 1, value="答复理由")
    sheet.cell(row=3, column=sheet.max_column, value="申请人当面表示不再需要")
    out = io.BytesIO()
    book.save(out)
    upload(client, out.getvalue(), agency=world.street)
    batch = latest_batch()
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 302
    imported = Application.objects.get(agency=world.street)
    assert (imported.number, imported.outcome, imported.decided_on) == ("2026-0001", "other_other", date(2026, 3, 20))


CATALOGUE_HEADERS = ["索引号", "标题", "文号", "成文日期", "发布日期", "类别", "信息类别", "有效性", "施行日期", "废止日期"]


def test_catalogue_items_already_published_are_imported_as_such(client, world):
    load_preset(world.bureau, "national")
    good = [
        ["11370000MB28123456/2021-00001", "某县财政局关于规范资金管理的通知", "某财规〔2021〕1号", date(2021, 3, 1),
         date(2021, 3, 5), "行政规范性文件", "行政规范性文件", "现行有效", date(2021, 4, 1), ""],
        ["11370000MB28123456/2020-00002", "某县财政局关于旧办法的通知", "某财规〔2020〕2号", date(2020, 1, 2),
         date(2020, 1, 6), "行政规范性文件", "规范性文件", "已废止", date(2020, 2, 1), date(2022, 12, 31)],
    ]
    bad = [
        ["11370000MB28123456/2021-00001", "重复的索引号", "", date(2021, 3, 1), date(2021, 3, 5), "行政规范性文件",
         "", "", "", ""],
        ["11370000MB28123456/2021-00009", "没有这个分类", "", date(2021, 3, 1), date(2021, 2, 1), "没有的分类",
         "", "作废", "", ""],
    ]
    as_user(client, world.registrar)
    assert client.get("/imports/catalogue/").status_code == 403
    as_user(client, world.approver)
    upload(client, xlsx(good + bad, headers=CATALOGUE_HEADERS, title=None), kind="catalogue")
    batch = latest_batch()
    body = page(client.get(f"/imports/batches/{batch.pk}/"))
    assert "与第 2 行的索引号 11370000MB28123456/2021-00001 重复" in body
    assert "本机关的目录中没有分类“没有的分类”" in body and "“作废”不是有效性" in body
    assert "发布日期 2021-02-01 早于生成日期 2021-03-01" in body
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 400 and not Item.objects.exists()
    upload(client, xlsx(good, headers=CATALOGUE_HEADERS, title=None), kind="catalogue")
    batch = latest_batch()
    assert client.post(f"/imports/batches/{batch.pk}/import/").status_code == 302
    current, repealed = Item.objects.order_by("-published_on")
    assert current.state == "published" and current.imported_by == world.approver and current.imported_at
    assert current.section_approval is None and current.leader_approval is None and not current.reviews.exists()
    assert (current.kind, current.validity, current.publisher) == ("normative_documents", "in_force", "某县财政局")
    assert (repealed.validity, repealed.repealed_on) == ("repealed", date(2022, 12, 31))
    event = ItemEvent.objects.get(item=current)
    assert event.event == "import" and "未经本系统的保密审查" in event.reason and event.user == world.approver
    item_page = page(client.get(f"/catalogue/items/{current.pk}/"))
    assert "导入" in item_page
    # The database still refuses a published item with neither the review nor the import.
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=current.pk).update(imported_by=None)


def test_the_import_checks_again_against_the_registry_as_it_is_then(client, world):
    as_user(client, world.registrar)
    upload(client, xlsx([GOOD[0], GOOD[1], GOOD[3]]))
    batch = latest_batch()
    assert "未发现错误" in page(client.get(f"/imports/batches/{batch.pk}/"))
    taken = register(world, received_on=date(2023, 1, 5))  # registered meanwhile: 2023-0001
    assert taken.number == "2023-0001"
    response = client.post(f"/imports/batches/{batch.pk}/import/")
    body = page(response)
    assert response.status_code == 400 and "本机关已有编号为 2023-0001 的申请" in body
    assert list(Application.objects.all()) == [taken] and not ImportedRow.objects.exists()


@pytest.mark.parametrize("value, day", [
    (date(2023, 5, 1), date(2023, 5, 1)), ("2023-05-01", date(2023, 5, 1)), ("2023/5/1", date(2023, 5, 1)),
    ("2023.5.1", date(2023, 5, 1)), ("2023年5月1日", date(2023, 5, 1)), ("20230501", date(2023, 5, 1)),
    (45047, date(2023, 5, 1)), (20230501, date(2023, 5, 1)), ("2023-05-01 14:30", date(2023, 5, 1)), ("", None),
])
def test_dates_as_offices_write_them(value, day):
    from gongkai.apps.ledger.importing import parse_date

    assert parse_date(value) == day


@pytest.mark.parametrize("value, message", [("2023-02-30", "该月没有这一天"), ("5月1日", "不是可识别的日期"),
                                            ("明天", "不是可识别的日期"), (-3, "不是日期")])
def test_what_is_not_a_date_is_said(value, message):
    from gongkai.apps.ledger.importing import parse_date

    with pytest.raises(ValueError, match=message):
        parse_date(value)


@pytest.mark.parametrize("text, key", [
    ("予以公开", "granted"), ("（一）予以公开", "granted"), ("部分公开", "partial"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"), ("（三）1.国家秘密", "denied_state_secret"),
    ("不予公开（国家秘密）", "denied_state_secret"), ("不予公开-第三方权益", "denied_third_party"),
    ("无法提供：本机关不掌握相关政府信息", "unable_not_held"), ("信息不存在", "unable_not_held"),
    ("（五）2.重复申请", "rejected_repeat"), ("逾期不补正", "other_no_correction"), ("（六）3.其他", "other_other"),
    ("看情况", None), ("不予公开", None),
])
def test_outcomes_by_their_chinese_labels(text, key):
    from gongkai.apps.ledger.kinds import parse_outcome

    assert parse_outcome(text) == key


@pytest.mark.parametrize("text, parsed", [("2023-0042", (2023, 42)), ("2023-42", (2023, 42)),
                                          ("（2023）第42号", (2023, 42)), ("依申〔2023〕42号", (2023, 42)),
                                          ("42", (None, 42)), ("0007", (None, 7))])
def test_serial_numbers_as_ledgers_write_them(text, parsed):
    from gongkai.apps.ledger.kinds import parse_serial

    assert parse_serial(text) == parsed
