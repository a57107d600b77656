"""Letters to applicants: kinds, legal bases, placeholders and safe filling (the pure core), the DOCX
and its PDF; then the web application: kinds per state, roles, settings, templates with history,
issuing and downloading through the test client, the case panel.

Core and web tests share this one module: a second ``test_letters.py`` under ``tests/`` would
collide with this one (pytest imports test modules by their base name; tests/web is no package),
and the database tests must live under ``tests/web`` to run on PostgreSQL too.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from docx.oxml.ns import qn
from lxml import etree

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application, reply_deadline, transition
from gongkai.apps.letters import services, views
from gongkai.apps.letters.models import IssuedLetter, LetterSettings, LetterTemplate
from gongkai.apps.signoff.services import configure as configure_signoff
from gongkai.core.casework import letters
from gongkai.core import standard
from gongkai.core.casework.fees import payment_deadline
from gongkai.core.casework.letters import LetterError
from gongkai.core.casework.lifecycle import Event
from gongkai.core.report.parsing.office import convert_files
from gongkai.core.casework.remedy import AgencyKind
from gongkai.core.casework.letter_document import render_letter
from gongkai.core.casework.workdays import DEFAULT_CALENDAR, count_working_days
from tests.web.test_registry import person as registry_person

ROOT = Path(__file__).resolve().parents[2]
REVIEW_BODY, COURT = "某县人民政府", "某县人民法院"

# The article of the 条例 each outcome's letter must cite (2019 revision).
ARTICLES = {
    "granted": ["第三十六条第（一）项", "第（二）项", "第四十条"],
    "partial": ["第三十七条"],
    "denied_state_secret": ["第十四条"],
    "denied_law_prohibited": ["第十四条"],
    "denied_three_safety": ["第十四条"],
    "denied_third_party": ["第十五条"],
    "denied_internal_affairs": ["第十六条第一款"],
    "denied_process_info": ["第十六条第二款"],
    "denied_enforcement_file": ["第十六条第二款"],
    "denied_query_matter": ["第三十六条第（七）项"],
    "unable_not_held": ["第三十六条第（四）项"],
    "unable_needs_creation": ["第三十八条"],
    "unable_unclear": ["第三十条", "没有专门条款"],
    "rejected_complaint": ["第三十九条第一款"],
    "rejected_repeat": ["第三十六条第（六）项"],
    "rejected_publication": ["第三十九条第二款"],
    "rejected_excessive": ["第三十五条"],
    "rejected_confirmation": ["没有一一对应的条款"],
    "other_no_correction": ["第三十条"],
    "other_unpaid_fee": ["第四十二条", "国办函〔2020〕109号"],
    "other_other": ["没有专门条款"],
}


def case_values(**extra) -> dict[str, str]:
    """The values a case of the registry gives (as apps/letters/services.py fills them)."""
    values = {
        "申请人": "张三", "称谓": letters.address_as("natural_person"), "申请编号": "2026-0042",
        "收到申请日期": letters.chinese_date(date(2026, 3, 2)), "所需信息": "2025年本街道低保发放名单",
        "答复期限": "2026年3月30日", "原答复期限": "", "复议机关": REVIEW_BODY, "人民法院": COURT,
        "机关名称": "某街道办事处", "联系方式": "", "日期": letters.chinese_date(date(2026, 3, 20)),
        "文号": letters.format_number("{前缀}复〔{年}〕{序号}号", "某街", 2026, 42), "办理结果": "", "答复说明": "",
        "答复理由": "", "禁止公开的法律": "", "其他机关": "", "其他机关联系方式": "", "征求意见日期": "2026年3月5日",
        "征求意见期限": "2026年3月26日",
        "补正告知日期": "2026年3月4日", "收到补正日期": "2026年3月9日", "补正事项": "", "补正期限": "",
        "延期理由": "", "第三方": "", "征求意见事项": "", "收费方式": "", "收费金额": "", "收费说明": "",
        "收费通知日期": "2026年3月5日", "缴费期限": "2026年4月2日", "缴费途径": "",
    }
    values.update(extra)
    return values


def compose(kind: letters.LetterKind, values: dict[str, str], **options) -> letters.Letter:
    """The core's compose, with the remedy a county department's letter tells of."""
    if "救济途径" in kind.placeholders and "救济途径" not in values:
        values = {**values, "救济途径": letters.remedy_for(kind, AgencyKind.COUNTY_DEPARTMENT, review_body=REVIEW_BODY,
                                                       court=COURT, address=values["称谓"]).text}
    if "答复理由" in kind.required and not values.get("答复理由"):
        values = {**values, "答复理由": "经审查，该信息涉及个人隐私。"}
    if "禁止公开的法律" in kind.required and not values.get("禁止公开的法律"):
        values = {**values, "禁止公开的法律": "《中华人民共和国统计法》"}
    return letters.compose(kind, values, **options)


def test_every_outcome_of_table_3_has_a_reply_letter():
    assert set(letters.REPLY_KINDS) == set(standard.OUTCOME_KEYS)
    assert len(letters.REPLY_KINDS) == 21
    assert set(ARTICLES) == set(standard.OUTCOME_KEYS)
    keys = [k.key for k in letters.KINDS.values()]
    assert len(keys) == len(set(keys)) == 28  # 21 replies, the 36(5) reply, 5 notices, the letter to the third party


@pytest.mark.parametrize("outcome", standard.OUTCOME_KEYS)
def test_reply_letter_cites_its_article_and_the_remedy(outcome):
    kind = letters.reply_kind(outcome)
    letter = compose(kind, case_values(答复说明="经查，相关文件已于2025年12月在本机关网站公开。"))
    text = "\n".join(letter.paragraphs)
    assert letter.title == "政府信息公开申请答复告知书"
    assert letter.addressee == "张三："
    for article in ARTICLES[outcome]:
        assert article in text, (outcome, article)
    assert "《中华人民共和国政府信息公开条例》" in text
    # The remedy, with the review body and court of the agency's settings, also for granted (which
    # sentence, review first or a choice: tests/web/test_letters_law.py).
    assert f"60日内向{REVIEW_BODY}申请行政复议" in text or f"60日内先向{REVIEW_BODY}申请行政复议" in text
    assert f"内向{COURT}提起行政诉讼" in text
    assert "经查，相关文件已于2025年12月在本机关网站公开。" in text
    # Nothing left unfilled.
    assert not re.search(r"[{}｛｝]", text + letter.title)
    assert letter.number == "某街复〔2026〕42号" and letter.date == "2026年3月20日"


def test_outcomes_that_have_no_single_article_say_so():
    for outcome in ("rejected_confirmation", "other_other", "unable_unclear"):
        assert "没有" in letters.reply_kind(outcome).basis


def test_notices_carry_their_articles_and_periods():
    correction = compose(letters.CORRECTION, case_values(补正事项="请写明所需文件的名称或文号", 补正期限="2026年3月25日"))
    text = "\n".join(correction.paragraphs)
    assert "第三十条" in text and "请写明所需文件的名称或文号" in text and "2026年3月25日" in text
    assert "一次性告知" in text and "视为放弃申请" in text

    extension = compose(letters.EXTENSION, case_values(原答复期限="2026年3月30日", 答复期限="2026年4月28日",
                                                               延期理由="所需信息量大，需要调取档案"))
    text = "\n".join(extension.paragraphs)
    assert "第三十三条第二款" in text and "2026年4月28日" in text and "2026年3月30日" in text
    assert "所需信息量大，需要调取档案" in text

    consultation = compose(letters.CONSULTATION, case_values(第三方="某某建设有限公司"))
    text = "\n".join(consultation.paragraphs)
    assert consultation.addressee == "某某建设有限公司："
    assert "第三十二条" in text and "15个工作日" in text
    assert "张三" not in text  # the applicant's identity is not told to the third party

    fee = compose(letters.FEE_NOTICE, case_values(收费方式="按量计收", 收费金额="1100", 收费说明="共 150 页……",
                                                          缴费途径="某县财政非税收入专户"))
    text = "\n".join(fee.paragraphs)
    assert "按量计收" in text and "1100元" in text and "2026年4月2日" in text and "20个工作日" in text
    assert "第四十二条" in text and "视为放弃申请" in text

    receipt = compose(letters.ACKNOWLEDGMENT, case_values())
    text = "\n".join(receipt.paragraphs)
    assert "2026-0042" in text and "2026年3月30日" in text and "第三十三条" in text


def test_missing_values_are_named_not_left_blank():
    with pytest.raises(LetterError, match=r"\{补正事项\}"):
        compose(letters.CORRECTION, case_values(补正期限="2026年3月25日"))
    with pytest.raises(LetterError, match=r"\{第三方\}"):
        compose(letters.CONSULTATION, case_values())
    # "其他": the explanation is the substance and must be there.
    with pytest.raises(LetterError, match=r"\{答复说明\}"):
        compose(letters.reply_kind("other_other"), case_values())
    # An optional value that is empty leaves out its paragraph.
    letter = compose(letters.reply_kind("granted"), case_values())
    assert all(p.strip() for p in letter.paragraphs)
    assert len(letter.paragraphs) == 3  # opening, decision, remedy


def test_unknown_placeholders_are_refused_by_name():
    kind = letters.reply_kind("granted")
    with pytest.raises(LetterError) as caught:
        letters.validate_template(kind, "答复告知书", "{申请人}：{申请人.__class__}{0}\n{救济途径}")
    message = str(caught.value)
    assert "{申请人.__class__}" in message and "{0}" in message and "不能使用的占位符" in message
    # A placeholder of another kind is unknown here.
    with pytest.raises(LetterError, match=r"\{缴费途径\}"):
        letters.validate_template(letters.CORRECTION, "补正告知书", "{补正事项}{缴费途径}")
    with pytest.raises(LetterError, match="不成对的花括号"):
        letters.validate_template(letters.CORRECTION, "补正告知书", "{补正事项} 请于{补正期限前提交")
    # A reply letter keeps the remedy.
    with pytest.raises(LetterError, match=r"必须包含\{救济途径\}"):
        letters.validate_template(kind, "答复告知书", "本机关决定予以公开。")
    # Full-width braces, as Chinese input methods type them, are placeholders too.
    letters.validate_template(kind, "答复告知书", "｛称谓｝好。{救济途径}")
    with pytest.raises(LetterError):
        compose(kind, case_values(), body="{申请人.__class__}{救济途径}")


def test_user_text_stays_literal():
    hostile = "{申请人.__class__} {0} {{救济途径}} ｛机关名称｝ %s {__import__('os')}"
    letter = compose(letters.ACKNOWLEDGMENT, case_values(所需信息=hostile, 申请人="{0}{称谓}"))
    text = "\n".join(letter.paragraphs)
    assert f"“{hostile}”" in text
    assert letter.addressee == "{0}{称谓}："
    assert letters.fill("{申请人}说：{所需信息}", {"申请人": "{所需信息}", "所需信息": "{申请人}"}) == "{所需信息}说：{申请人}"


def test_office_template_is_used_with_its_own_wording():
    kind = letters.reply_kind("unable_not_held")
    body = "{称谓}申请的“{所需信息}”，经检索本机关不掌握（{法律依据}）。\n{救济途径}"
    letter = compose(kind, case_values(), title="答复书（{申请编号}）", body=body)
    assert letter.title == "答复书（2026-0042）"
    assert letter.paragraphs[0] == ("您申请的“2025年本街道低保发放名单”，经检索本机关不掌握"
                                    "（《中华人民共和国政府信息公开条例》第三十六条第（四）项）。")
    assert letters.segments("请{称谓}于{补正期限}前") == [("请", False), ("称谓", True), ("于", False),
                                                      ("补正期限", True), ("前", False)]


def test_organisations_are_addressed_as_such():
    letter = compose(letters.reply_kind("granted"), case_values(称谓=letters.address_as("commercial"),
                                                                         申请人="某某科技有限公司"))
    text = "\n".join(letter.paragraphs)
    assert "贵单位申请获取" in text and "您" not in text


# --------------------------------------------------------------------------- DOCX


def denial_letter() -> letters.Letter:
    return compose(letters.reply_kind("denied_process_info"),
                           case_values(答复说明="所申请的会议纪要为讨论记录，尚未形成最终决定。"))


def test_docx_has_title_number_addressee_article_remedy_and_signature():
    letter = denial_letter()
    document = docx.Document(io.BytesIO(render_letter(letter)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "政府信息公开申请答复告知书"
    assert texts[1] == "某街复〔2026〕42号"
    assert texts[2] == "张三："
    body = "\n".join(texts)
    assert "第十六条第二款" in body and f"向{REVIEW_BODY}申请行政复议" in body
    assert texts[-2:] == ["某街道办事处", "2026年3月20日"]
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.top_margin.cm, 1) == 3.7 and round(section.left_margin.cm, 1) == 2.8
    # The addressee is flush left, the body paragraphs indented by two characters (their style).
    assert document.paragraphs[2].paragraph_format.first_line_indent == 0
    assert document.paragraphs[3].style.paragraph_format.first_line_indent is not None


def test_every_run_names_its_east_asian_font():
    data = render_letter(denial_letter())
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    runs = root.iter(qn("w:r"))
    fonts = []
    for run in runs:
        if not "".join(t.text or "" for t in run.iter(qn("w:t"))):
            continue
        rfonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert rfonts is not None and rfonts.get(qn("w:eastAsia")), etree.tostring(run, encoding="unicode")
        fonts.append(rfonts.get(qn("w:eastAsia")))
    assert fonts[0] in ("方正小标宋简体", "黑体")
    assert set(fonts[1:]) == {"仿宋_GB2312"}


def test_page_numbers_are_optional():
    plain = docx.Document(io.BytesIO(render_letter(denial_letter())))
    assert plain.sections[0].footer.is_linked_to_previous  # no footer of its own
    numbered = compose(letters.reply_kind("granted"), case_values(), page_numbers=True)
    data = render_letter(numbered)
    footer = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer"))
    assert b"PAGE" in zipfile.ZipFile(io.BytesIO(data)).read(footer)


@pytest.mark.needs_tools("soffice")  # fails (not skips) without LibreOffice
def test_libreoffice_prints_the_letter(tmp_path: Path):
    import pdfplumber

    source = tmp_path / "letter.docx"
    source.write_bytes(render_letter(denial_letter()))
    out = tmp_path / "out"
    out.mkdir()
    convert_files([source], "pdf", out)  # headless, with a private -env:UserInstallation profile
    with pdfplumber.open(out / "letter.pdf") as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages)
    squeezed = re.sub(r"\s+", "", text)
    assert "张三：" in squeezed
    assert "第十六条第二款" in squeezed
    assert "政府信息公开申请答复告知书" in squeezed
    assert f"向{REVIEW_BODY}申请行政复议" in squeezed


def test_docs_list_every_kind_basis_and_placeholder():
    text = (ROOT / "docs" / "letters.md").read_text(encoding="utf-8")
    for kind in letters.KINDS.values():
        assert f"| `{kind.key}` | {kind.label} | {kind.basis} |" in text, kind.key
    for name, meaning in letters.PLACEHOLDERS.items():
        assert f"| `{{{name}}}` | {meaning} |" in text, name


# =========================================================================== web application

User = get_user_model()


def person(**extra):
    return registry_person(**{"applicant_name": "李四", "description": "2025年本局政府采购合同", **extra})


@pytest.fixture
def tree(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    other = Agency.objects.create(name="另一县财政局", kind=Agency.Kind.DEPARTMENT)
    users = {}
    for name, agency, role in [
        ("registrar", bureau, Membership.Role.REGISTRAR),
        ("handler", bureau, Membership.Role.HANDLER),
        ("approver", bureau, Membership.Role.APPROVER),
        ("supervisor", county, Membership.Role.SUPERVISOR),
        ("stranger", other, Membership.Role.HANDLER),
    ]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    configure_signoff(users["approver"], bureau, [], "本机关直接作出答复决定")  # no sign-off (docs/signoff.md)
    return {"county": county, "bureau": bureau, "other": other, **users}


@pytest.fixture
def configured(tree):
    services.save_settings(tree["approver"], tree["bureau"], review_body="某县人民政府", court="某县人民法院",
                           number_prefix="某财信", contact_phone="0531-12345678",
                           payment_instructions="某县财政局非税收入专户（开户行：某县农商银行）")
    return tree


def registered(tree, **extra):
    return register_application(tree["handler"], tree["bureau"], **person(**extra))


def decided(tree, outcome="granted", reason="相关合同已在本局网站“政府采购”栏目公开。"):
    case = registered(tree)
    return transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 10), reason, outcome=outcome,
                      decision_reasons=reason)


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(bytes(content))).paragraphs]


# --------------------------------------------------------------------------- kinds and values


def test_kinds_follow_the_state_of_the_case(tree):
    case = registered(tree)
    assert [k.key for k in services.available_kinds(case)] == ["acknowledgment"]
    case = transition(tree["handler"], case, Event.REQUEST_CORRECTION, date(2026, 3, 4), "请写明合同名称或者编号",
                      correction_kind="unclear", correction_items="请写明合同名称或者编号")
    assert [k.key for k in services.available_kinds(case)] == ["acknowledgment", "correction"]
    case = transition(tree["handler"], case, Event.RECEIVE_CORRECTION, date(2026, 3, 9))
    case = transition(tree["handler"], case, Event.START_CONSULTATION, date(2026, 3, 11), "涉及供应商报价")
    case = transition(tree["approver"], case, Event.EXTEND, date(2026, 3, 12), "需调取档案")
    assert [k.key for k in services.available_kinds(case)] == ["acknowledgment", "correction", "consultation",
                                                               "extension"]
    case = transition(tree["handler"], case, Event.END_CONSULTATION, date(2026, 3, 20))
    case = transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 25), outcome="denied_third_party",
                      decision_reasons="第三方不同意公开，公开会损害其合法权益")
    kinds = services.available_kinds(case)
    assert [k.key for k in kinds] == ["correction", "consultation", "extension", "reply_denied_third_party"]
    assert kinds[-1].label == "政府信息公开申请答复告知书（第三方权益）"


def test_letters_carry_the_registry_data(configured):
    tree = configured
    case = registered(tree)
    case = transition(tree["handler"], case, Event.REQUEST_CORRECTION, date(2026, 3, 4), "请写明合同名称或者编号",
                      correction_kind="unclear", correction_items="请写明合同名称或者编号")
    correction = services.issue_letter(tree["handler"], case, "correction")
    text = "\n".join(paragraphs(correction.content))
    assert "请写明合同名称或者编号" in text and "第三十条" in text
    settings = LetterSettings.objects.get(agency=tree["bureau"])
    period = count_working_days(date(2026, 3, 4), settings.agency.correction_working_days, DEFAULT_CALENDAR).due
    assert letters.chinese_date(period) in text
    assert correction.letter_date == date(2026, 3, 4)
    assert correction.number == "某财信补〔2026〕1号"

    case = transition(tree["handler"], case, Event.RECEIVE_CORRECTION, date(2026, 3, 9))
    case = transition(tree["handler"], case, Event.SEND_FEE_NOTICE, date(2026, 3, 10), fee_method="per_page",
                      fee_yuan=1100, fee_explanation="共 150 页，前 30 页不收费；第31至100页计 70 页，每页10元。")
    fee = "\n".join(paragraphs(services.issue_letter(tree["handler"], case, "fee").content))
    assert "按量计收" in fee and "1100元" in fee and "非税收入专户" in fee and "共 150 页" in fee
    # 国办函〔2020〕109号: 20 working days from the day after the applicant receives the notice.
    assert "请自收到本通知之日的次日起20个工作日内缴纳" in fee and "缴费期限为" not in fee
    Application.objects.filter(pk=case.pk).update(fee_notice_received_on=date(2026, 3, 13))
    case.refresh_from_db()
    fee = "\n".join(paragraphs(services.issue_letter(tree["handler"], case, "fee").content))
    assert f"缴费期限为{letters.chinese_date(payment_deadline(date(2026, 3, 13)).due)}" in fee

    case = transition(tree["handler"], case, Event.RECEIVE_PAYMENT, date(2026, 3, 12))
    case = transition(tree["approver"], case, Event.EXTEND, date(2026, 3, 16), "所需合同分散在三个科室。")
    extension = "\n".join(paragraphs(services.issue_letter(tree["approver"], case, "extension").content))
    deadline = reply_deadline(case)
    assert deadline.original_due is not None
    assert letters.chinese_date(deadline.due) in extension and letters.chinese_date(deadline.original_due) in extension
    assert "所需合同分散在三个科室。" in extension and "第三十三条第二款" in extension

    receipt = "\n".join(paragraphs(services.issue_letter(tree["handler"], case, "acknowledgment").content))
    assert letters.chinese_date(case.due_on) in receipt and case.number in receipt and "2025年本局政府采购合同" in receipt
    assert "0531-12345678" in receipt


def test_reply_letter_of_the_outcome(configured):
    case = decided(configured, "rejected_repeat", "本局已于2026年1月5日就相同内容作出答复。")
    letter = services.issue_letter(configured["handler"], case, "reply_rejected_repeat")
    texts = paragraphs(letter.content)
    assert texts[0] == "政府信息公开申请答复告知书" and texts[2] == "李四："
    body = "\n".join(texts)
    assert "第三十六条第（六）项" in body and "本局已于2026年1月5日就相同内容作出答复。" in body
    assert "60日内向某县人民政府申请行政复议" in body and "6个月内向某县人民法院提起行政诉讼" in body
    assert texts[-2:] == ["某县财政局", "2026年3月10日"]
    assert letter.sha256 == hashlib.sha256(bytes(letter.content)).hexdigest()
    assert letter.filename == f"{case.number}-政府信息公开申请答复告知书.docx"
    # Only the reply of the case's own outcome.
    with pytest.raises(LetterError, match="不能生成"):
        services.issue_letter(configured["handler"], case, "reply_granted")


def test_withdrawn_case_gets_a_reply_with_the_withdrawal_reason(configured):
    case = registered(configured)
    case = transition(configured["handler"], case, Event.WITHDRAW, date(2026, 3, 5), "申请人来电撤回申请。")
    letter = services.issue_letter(configured["handler"], case, "reply_other_other")
    assert "申请人来电撤回申请。" in "\n".join(paragraphs(letter.content))


def test_consultation_letter_names_the_third_party(configured):
    case = registered(configured)
    case = transition(configured["handler"], case, Event.START_CONSULTATION, date(2026, 3, 5), "合同含供应商报价明细")
    with pytest.raises(LetterError, match=r"\{第三方\}"):
        services.issue_letter(configured["handler"], case, "consultation")
    letter = services.issue_letter(configured["handler"], case, "consultation", third_party="某某建设有限公司")
    texts = paragraphs(letter.content)
    assert texts[2] == "某某建设有限公司：" and letter.recipient == "某某建设有限公司"
    assert "李四" not in "\n".join(texts)
    assert "合同含供应商报价明细" in "\n".join(texts)


# --------------------------------------------------------------------------- permissions and settings


def test_who_may_issue(configured):
    tree = configured
    case = decided(tree)
    for name in ("registrar", "supervisor", "stranger"):
        with pytest.raises(PermissionDenied, match="承办或审核人员"):
            services.issue_letter(tree[name], case, "reply_granted")
    assert not IssuedLetter.objects.exists()
    assert services.issue_letter(tree["handler"], case, "reply_granted").issued_by == tree["handler"]
    assert services.issue_letter(tree["approver"], case, "reply_granted").issued_by == tree["approver"]
    assert IssuedLetter.objects.filter(application=case).count() == 2


def test_missing_settings_give_a_chinese_error_and_store_nothing(tree, client):
    # Without settings, a department's review body is its people's government (the parent).
    letter = services.issue_letter(tree["handler"], decided(tree), "reply_granted")
    assert "60日内向某县人民政府申请行政复议" in "\n".join(paragraphs(letter.content))
    # An agency with no people's government above it must name its review body.
    case = register_application(tree["stranger"], tree["other"], **person())
    case = transition(tree["stranger"], case, Event.DECIDE, date(2026, 3, 10), outcome="granted")
    with pytest.raises(LetterError, match="请本机关审核人员在“文书设置”页面填写行政复议机关"):
        services.issue_letter(tree["stranger"], case, "reply_granted")
    client.force_login(tree["stranger"])
    url = reverse("letters:issue", args=[case.pk, "reply_granted"])
    response = client.post(url)
    assert response.status_code == 400
    assert "填写行政复议机关" in response.content.decode()
    # From the case page (a referer on this site): back there, with the message.
    response = client.post(url, HTTP_REFERER="http://testserver/cases/1/", follow=True)
    assert response.redirect_chain[0] == ("http://testserver/cases/1/", 302)
    assert not IssuedLetter.objects.filter(application=case).exists()


def test_settings_page_is_for_approvers(tree, client):
    url = reverse("letters:settings", args=[tree["bureau"].pk])
    client.force_login(tree["handler"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"review_body": "x", "court": "y", "correction_working_days": 15}).status_code == 403
    client.force_login(tree["stranger"])
    assert client.get(url).status_code == 404
    client.force_login(tree["approver"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"review_body": "某县人民政府", "court": "", "correction_working_days": 0})
    assert response.status_code == 400 and not LetterSettings.objects.exists()
    response = client.post(url, {"review_body": "某县人民政府", "court": "某县人民法院", "number_prefix": "某财告字",
                                 "correction_working_days": 10, "page_numbers": "on"})
    assert response.status_code == 302
    saved = LetterSettings.objects.get(agency=tree["bureau"])
    assert (saved.court, saved.agency.correction_working_days, saved.page_numbers, saved.updated_by) == (
        "某县人民法院", 10, True, tree["approver"])
    assert saved.signature == "某县财政局"


# --------------------------------------------------------------------------- templates


def test_template_edit_keeps_history_and_is_used(configured, client):
    tree = configured
    url = reverse("letters:template_edit", args=[tree["bureau"].pk, "reply_granted"])
    client.force_login(tree["handler"])
    page = client.get(url).content.decode()
    assert "系统默认文本" in page and "{救济途径}" in page
    assert client.post(url, {"title": "x", "body": "{救济途径}", "action": "save"}).status_code == 403

    client.force_login(tree["approver"])
    # Unknown placeholders: refused by name, nothing stored.
    response = client.post(url, {"title": "答复书", "body": "{申请人.__class__}\n{救济途径}", "action": "save"})
    assert response.status_code == 200 and "{申请人.__class__}" in response.content.decode()
    assert not LetterTemplate.objects.exists()
    # A preview stores nothing and marks the placeholders.
    response = client.post(url, {"title": "答复书", "body": "{称谓}的申请已办结。\n{救济途径}", "action": "preview"})
    assert "<mark>{称谓}</mark>" in response.content.decode() and not LetterTemplate.objects.exists()

    first = "{称谓}申请的“{所需信息}”本局予以公开（{法律依据}）。\n{救济途径}"
    assert client.post(url, {"title": "某县财政局答复书", "body": first, "note": "简化", "action": "save"}).status_code == 302
    second = first + "\n如有疑问请来电。"
    assert client.post(url, {"title": "某县财政局答复书", "body": second, "action": "save"}).status_code == 302
    versions = list(LetterTemplate.objects.filter(agency=tree["bureau"], kind="reply_granted").order_by("version"))
    assert [(t.version, t.body) for t in versions] == [(1, first), (2, second)]
    with pytest.raises(ValidationError):
        versions[0].delete()
    page = client.get(url).content.decode()
    assert "第1版" in page and "第2版" in page and "简化" in page

    case = decided(tree)
    letter = services.issue_letter(tree["handler"], case, "reply_granted")
    texts = paragraphs(letter.content)
    assert texts[0] == "某县财政局答复书" and letter.template_version == 2
    assert "您申请的“2025年本局政府采购合同”本局予以公开" in "\n".join(texts)
    assert "如有疑问请来电。" in texts

    # Another agency's templates are not even visible.
    client.force_login(tree["stranger"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("letters:templates", args=[tree["bureau"].pk])).status_code == 404


def test_template_service_validates_and_skips_unchanged(configured):
    tree = configured
    with pytest.raises(ValidationError, match=r"\{缴费途径\}"):
        services.save_template(tree["approver"], tree["bureau"], "correction", "补正告知书", "{补正事项}{缴费途径}")
    with pytest.raises(PermissionDenied):
        services.save_template(tree["handler"], tree["bureau"], "correction", "补正告知书", "{补正事项}")
    one = services.save_template(tree["approver"], tree["bureau"], "correction", "补正告知书", "{补正事项}")
    again = services.save_template(tree["approver"], tree["bureau"], "correction", "补正告知书", "{补正事项}")
    assert one.pk == again.pk and LetterTemplate.objects.count() == 1


# --------------------------------------------------------------------------- issue and download over HTTP


def test_issue_and_download_through_the_client(configured, client):
    tree = configured
    case = decided(tree, "denied_process_info", "会议纪要尚未定稿。")
    client.force_login(tree["handler"])
    response = client.post(reverse("letters:issue", args=[case.pk, "reply_denied_process_info"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = response["Content-Disposition"]
    name = f"{case.number}-政府信息公开申请答复告知书.docx"
    assert disposition.startswith("attachment;") and f"filename*=utf-8''{quote(name)}" in disposition
    body = "\n".join(paragraphs(response.content))
    assert "李四：" in body and "第十六条第二款" in body and "会议纪要尚未定稿。" in body
    letter = IssuedLetter.objects.get(application=case)
    assert bytes(letter.content) == response.content

    download = reverse("letters:download", args=[letter.pk])
    for name in ("handler", "approver", "registrar", "supervisor"):
        client.force_login(tree[name])
        got = client.get(download)
        assert got.status_code == 200 and got.content == response.content, name
        assert got["Content-Disposition"].startswith("attachment;")
    client.force_login(tree["stranger"])
    assert client.get(download).status_code == 404
    assert client.post(reverse("letters:issue", args=[case.pk, "reply_denied_process_info"])).status_code == 404
    client.force_login(tree["supervisor"])
    assert client.post(reverse("letters:issue", args=[case.pk, "reply_denied_process_info"])).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302  # to the login page
    assert IssuedLetter.objects.filter(application=case).count() == 1


def test_unknown_kind_is_404(configured, client):
    case = decided(configured)
    client.force_login(configured["handler"])
    assert client.post(reverse("letters:issue", args=[case.pk, "reply_nonsense"])).status_code == 404
    assert client.get(reverse("letters:issue", args=[case.pk, "reply_granted"])).status_code == 405


def test_case_panel_lists_letters_and_offers_kinds_to_issuers(configured):
    tree = configured
    case = decided(tree)
    letter = services.issue_letter(tree["handler"], case, "reply_granted")

    def panel(user) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("letters/case_panel.html", {"application": case, "user": user}, request=request)

    html = panel(tree["handler"])
    action = reverse("letters:issue", args=[case.pk, "reply_granted"])
    assert f'action="{action}"' in html and "生成政府信息公开申请答复告知书（予以公开）</button>" in html
    assert reverse("letters:download", args=[letter.pk]) in html and letter.filename in html
    assert "csrfmiddlewaretoken" in html
    readonly = panel(tree["supervisor"])
    assert reverse("letters:download", args=[letter.pk]) in readonly and "<button" not in readonly


def test_a_second_click_returns_the_first_letter_and_draws_no_second_number(configured, client):
    tree = configured
    case = decided(tree, "denied_process_info", "会议纪要尚未定稿。")
    client.force_login(tree["handler"])
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    url = reverse("letters:issue", args=[case.pk, "reply_denied_process_info"])
    first = client.post(url, {"token": token})
    again = client.post(url, {"token": token})  # the same form sent twice
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert IssuedLetter.objects.filter(application=case).count() == 1
    # A new page gives a new form: a deliberate second letter gets the next number.
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    fresh = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    assert fresh != token
    client.post(url, {"token": fresh})
    numbers = list(IssuedLetter.objects.filter(application=case).order_by("pk").values_list("number_sequence", flat=True))
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1


def test_a_missing_review_body_links_to_the_letter_settings(tree, client):
    case = register_application(tree["stranger"], tree["other"], **person())
    case = transition(tree["stranger"], case, Event.DECIDE, date(2026, 3, 10), outcome="granted")
    client.force_login(tree["stranger"])
    url = reverse("letters:issue", args=[case.pk, "reply_granted"])
    settings_link = f'<a href="{reverse("letters:settings", args=[tree["other"].pk])}">“文书设置”</a>'
    assert settings_link in client.post(url).content.decode()  # the error page
    back = client.post(url, HTTP_REFERER=f"http://testserver/cases/{case.pk}/", follow=True)
    assert settings_link in back.content.decode()  # the message on the case page


def test_a_letter_missing_case_details_links_to_the_case_and_the_templates(configured, client):
    tree = configured
    case = decided(tree)
    services.save_template(tree["approver"], tree["bureau"], "reply_granted", "政府信息公开申请答复书",
                           "{申请人}：\n您申请获取的{所需信息}，予以公开。\n{救济途径}")
    Application.objects.filter(pk=case.pk).update(description="")  # as if registered without it
    client.force_login(tree["handler"])
    page = client.post(reverse("letters:issue", args=[case.pk, "reply_granted"])).content.decode()
    assert "本案缺少以下内容" in page
    assert f'<a href="{reverse("desk:case", args=[case.pk])}">在案件中登记</a>' in page
    assert f'<a href="{reverse("letters:templates", args=[tree["bureau"].pk])}">文书模板</a>' in page


def test_an_office_continues_this_year_s_sequence_and_never_goes_back(configured, client):
    tree = configured
    year = date.today().year
    url = reverse("letters:settings", args=[tree["bureau"].pk])
    client.force_login(tree["approver"])
    page = client.get(url).content.decode()
    assert f"{year}年答复告知书的下一个顺序号" in page
    base = {"review_body": "某县人民政府", "court": "某县人民法院", "number_prefix": "某财信",
            "correction_working_days": 15, "contact_phone": "0531-12345678"}
    saved = client.post(url, {**base, "next_reply": "38", "reason": "此前已纸质编号至37号"})
    assert saved.status_code == 302
    letter = services.issue_letter(tree["handler"], decided(tree), "reply_granted")
    assert letter.number_sequence == 38 and letter.number == f"某财信复〔{year}〕38号"
    history = client.get(url).content.decode()
    assert f"{year}年答复告知书的下一个顺序号：1 → 38" in history
    back = client.post(url, {**base, "next_reply": "12"})
    assert back.status_code == 400 and "已使用到第38号" in back.content.decode()
    assert "文书设置没有保存" in back.content.decode()
    assert services.next_numbers(tree["bureau"], year)["reply"] == 39


def test_issuing_a_letter_says_what_was_made_and_a_second_click_makes_nothing_new(configured, client):
    tree = configured
    case = decided(tree)
    client.force_login(tree["handler"])
    url = reverse("letters:issue", args=[case.pk, "reply_granted"])
    first = client.post(url, {"token": "form-1"})
    letter = IssuedLetter.objects.get(application=case)
    assert first.status_code == 200 and first["Content-Type"].startswith(views.DOCX_TYPE)
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert f"文号 {letter.number}" in page and "已生成" in page
    again = client.post(url, {"token": "form-1"})
    assert again.status_code == 200 and IssuedLetter.objects.filter(application=case).count() == 1
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "没有重复生成" in page
