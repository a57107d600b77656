"""Letters as the law requires them (issue 11): the remedy by outcome and kind of agency
(行政复议法 Art. 22–27, 行政诉讼法 Art. 15), the letters of 条例 Art. 36(4) and 36(5), the reasons
of refusals (Art. 36(3), 37), the letter to the third party (Art. 32), the correction letter
(Art. 30), each letter's own number (文号) and the PDF.

Every letter kind is rendered for every outcome and kind of agency and read back with
python-docx; the registry's letters are issued through the services and the test client.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from datetime import date

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.cases.models import Application
from gongkai.apps.cases.services import register_application, transition
from gongkai.apps.letters import services
from gongkai.apps.letters.models import IssuedLetter, LetterSettings
from gongkai.apps.signoff.services import configure as configure_signoff
from gongkai.core.casework import letters, remedy
from gongkai.core import standard
from gongkai.core.casework.letters import LetterError
from gongkai.core.casework.lifecycle import Event
from gongkai.core.casework.remedy import AgencyKind
from gongkai.core.casework.letter_document import render_letter
from gongkai.core.casework.workdays import DEFAULT_CALENDAR, count_working_days
from tests.web.test_registry import person as registry_person

REVIEW_FIRST = "应当自收到本告知书之日起60日内先向"
CHOICE = "也可以自收到本告知书之日起6个月内向"
ONLINE = "某省行政复议网上申请平台（https://fy.example.gov.cn）"

# --------------------------------------------------------------------------- every kind, outcome, agency kind


def _values(kind: letters.LetterKind, agency_kind: AgencyKind, *, moved=frozenset()) -> dict[str, str]:
    values = {
        "申请人": "张三", "称谓": "您", "申请编号": "2026-0042", "收到申请日期": "2026年3月2日",
        "所需信息": "2025年本街道低保发放名单", "答复期限": "2026年3月30日", "原答复期限": "2026年3月30日",
        "复议机关": "", "人民法院": "", "机关名称": "某机关", "联系方式": "", "日期": "2026年3月20日",
        "文号": letters.format_number(letters.NUMBER_SERIES[kind.series][1], "青政信", 2026, 3),
        "办理结果": "", "答复说明": "", "答复理由": "名单含有个人身份证号码和家庭收入等个人隐私。",
        "禁止公开的法律": "《中华人民共和国个人信息保护法》第二十八条", "其他机关": "某县民政局",
        "其他机关联系方式": "0531-87654321", "补正告知日期": "2026年3月4日", "收到补正日期": "2026年3月9日",
        "补正事项": "请写明所需名单的年度和村（社区）名称", "补正期限": "2026年3月25日", "延期理由": "需调取档案",
        "第三方": "某某建设有限公司", "征求意见事项": "", "征求意见日期": "2026年3月5日", "征求意见期限": "2026年3月26日",
        "收费方式": "按量计收", "收费金额": "1100", "收费说明": "", "收费通知日期": "2026年3月5日",
        "缴费期限": "2026年4月2日", "缴费途径": "某县财政局非税收入专户",
    }
    if kind.outcome == "other_other":
        values["答复说明"] = "申请人于2026年3月10日撤回申请。"
    if "救济途径" in kind.placeholders:
        values["救济途径"] = letters.remedy_for(
            kind, agency_kind, review_body="某复议机关", court=remedy.default_court(agency_kind),
            review_first_outcomes=moved).text
    return values


def _docx_text(letter: letters.Letter) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(render_letter(letter))).paragraphs)


@pytest.mark.parametrize("agency_kind", list(AgencyKind), ids=lambda k: k.value)
@pytest.mark.parametrize("kind_key", list(letters.KINDS))
def test_every_kind_for_every_agency_kind_has_its_basis_and_remedy(kind_key, agency_kind):
    kind = letters.KINDS[kind_key]
    text = _docx_text(letters.compose(kind, _values(kind, agency_kind)))
    assert kind.basis in text or kind.basis.replace("的规定", "") in text or all(
        part in text for part in re.findall(r"第[^条]+条", kind.basis)), (kind_key, kind.basis)
    assert letters.format_number(letters.NUMBER_SERIES[kind.series][1], "青政信", 2026, 3) in text
    assert not re.search(r"[{}｛｝]", text)
    if "救济途径" not in kind.placeholders:
        assert "行政复议" not in text or kind.key == "consultation"
        return
    court = "有管辖权的中级人民法院" if agency_kind in remedy.INTERMEDIATE_COURT_KINDS else "有管辖权的人民法院"
    if kind.outcome in remedy.REFUSAL_OUTCOMES and kind.review_first_possible:
        assert REVIEW_FIRST + "某复议机关申请行政复议" in text, kind_key
        assert f"15日内向{court}提起行政诉讼" in text
        assert "第二十三条第一款第（四）项" in text
        if kind.outcome == "partial":  # the disclosed part keeps the choice
            assert "本答复中不予公开的部分" in text and CHOICE + court in text
        else:
            assert CHOICE not in text
    else:
        assert REVIEW_FIRST not in text, kind_key
        assert f"60日内向某复议机关申请行政复议，{CHOICE}{court}提起行政诉讼" in text, kind_key


@pytest.mark.parametrize("outcome", sorted(remedy.CONTESTED_OUTCOMES))
def test_an_agency_may_move_a_contested_row_to_review_first(outcome):
    kind = letters.reply_kind(outcome)
    text = _docx_text(letters.compose(kind, _values(kind, AgencyKind.COUNTY_DEPARTMENT, moved=frozenset({outcome}))))
    assert REVIEW_FIRST in text and CHOICE not in text


def test_a_refusal_stays_review_first_whatever_the_agency_sets():
    kind = letters.reply_kind("denied_state_secret")
    values = _values(kind, AgencyKind.COUNTY_DEPARTMENT, moved=frozenset())
    assert REVIEW_FIRST in values["救济途径"]


def test_the_two_letters_of_unable_not_held_cite_different_articles():
    held = letters.reply_kind("unable_not_held")
    other = letters.reply_kind("unable_not_held", other_agency=True)
    assert held.key != other.key and held.outcome == other.outcome == "unable_not_held"
    assert held.basis.endswith("第三十六条第（四）项") and other.basis.endswith("第三十六条第（五）项")
    assert {"其他机关", "其他机关联系方式", "答复理由"} <= other.required
    text = "\n".join(letters.compose(other, _values(other, AgencyKind.COUNTY_DEPARTMENT)).paragraphs)
    assert "某县民政局" in text and "0531-87654321" in text
    with pytest.raises(LetterError, match=r"\{其他机关联系方式\}"):
        letters.compose(other, {**_values(other, AgencyKind.COUNTY_DEPARTMENT), "其他机关联系方式": ""})


@pytest.mark.parametrize("outcome", sorted(remedy.REFUSAL_OUTCOMES))
def test_refusals_and_partial_disclosure_must_state_reasons(outcome):
    kind = letters.reply_kind(outcome)
    assert "答复理由" in kind.required
    values = _values(kind, AgencyKind.COUNTY_DEPARTMENT)
    assert "名单含有个人身份证号码和家庭收入等个人隐私。" in "\n".join(letters.compose(kind, values).paragraphs)
    with pytest.raises(LetterError, match=r"\{答复理由\}"):
        letters.compose(kind, {**values, "答复理由": ""})


def test_law_prohibited_names_the_law_and_query_matters_cite_36_7():
    kind = letters.reply_kind("denied_law_prohibited")
    assert "禁止公开的法律" in kind.required
    text = "\n".join(letters.compose(kind, _values(kind, AgencyKind.COUNTY_DEPARTMENT)).paragraphs)
    assert "属于《中华人民共和国个人信息保护法》第二十八条禁止公开的政府信息" in text
    query = letters.reply_kind("denied_query_matter")
    assert query.basis == "《中华人民共和国政府信息公开条例》第三十六条第（七）项"
    text = "\n".join(letters.compose(query, _values(query, AgencyKind.COUNTY_DEPARTMENT)).paragraphs)
    assert "参照" not in text and "没有一一对应" not in text


def test_number_patterns_are_validated():
    assert letters.format_number("{前缀}补〔{年}〕{序号}号", "青政信", 2026, 3) == "青政信补〔2026〕3号"
    for bad, why in [("{前缀}补〔2026〕{序号}号", r"\{年\}"), ("{前缀}补〔{年}〕号", r"\{序号\}"),
                     ("{前缀}{年}{序号}{序号}", r"\{序号\}"), ("{机关}〔{年}〕{序号}号", r"\{机关\}"),
                     ("{前缀〔{年}〕{序号}号", "花括号"), ("", "不能为空")]:
        with pytest.raises(LetterError, match=why):
            letters.validate_number_pattern(bad)


# =========================================================================== the registry

User = get_user_model()


@pytest.fixture
def tree(db):
    city = Agency.objects.create(name="某市人民政府", kind=Agency.Kind.CITY)
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY, parent=city)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    tax = Agency.objects.create(name="某县税务局", kind=Agency.Kind.DEPARTMENT, parent=county, vertical=True)
    users = {}
    for name, agency, role in [("handler", bureau, Membership.Role.HANDLER),
                               ("approver", bureau, Membership.Role.APPROVER),
                               ("county_handler", county, Membership.Role.HANDLER),
                               ("county_approver", county, Membership.Role.APPROVER),
                               ("tax_handler", tax, Membership.Role.HANDLER)]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    # Decided directly here, without review and sign-off (docs/signoff.md; tests/web/test_signoff.py).
    for agency, approver in ((bureau, "approver"), (county, "county_approver")):
        configure_signoff(users[approver], agency, [], "本机关直接作出答复决定")
    tax_approver = User.objects.create_user("tax_approver", password="x")
    Membership.objects.create(user=tax_approver, agency=tax, role=Membership.Role.APPROVER)
    configure_signoff(tax_approver, tax, [], "本机关直接作出答复决定")
    return {"city": city, "county": county, "bureau": bureau, "tax": tax, **users}


def decided(tree, outcome, *, agency="bureau", handler="handler", reasons="名单含有个人隐私。", **fields):
    case = register_application(tree[handler], tree[agency], **registry_person(description="2025年本局政府采购合同"))
    details = {k: fields.pop(k) for k in ("prohibiting_law", "other_agency_name", "other_agency_contact")
               if k in fields}
    case = transition(tree[handler], case, Event.DECIDE, date(2026, 3, 10), "已审查。", outcome=outcome,
                      decision_reasons=reasons, **details)
    if fields:
        Application.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case


def text_of(letter: IssuedLetter) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(letter.content))).paragraphs)


def test_refusal_letter_tells_of_review_first_with_the_default_review_body(tree):
    case = decided(tree, "denied_process_info", reasons="会议纪要尚未定稿，属于过程性信息。")
    text = text_of(services.issue_letter(tree["handler"], case, "reply_denied_process_info"))
    assert "您如对本答复不服，应当自收到本告知书之日起60日内先向某县人民政府申请行政复议" in text
    assert "向有管辖权的人民法院提起行政诉讼" in text and CHOICE not in text
    assert "会议纪要尚未定稿，属于过程性信息。" in text


def test_granted_letter_keeps_the_choice(tree):
    text = text_of(services.issue_letter(tree["handler"], decided(tree, "granted", reasons=""), "reply_granted"))
    assert REVIEW_FIRST not in text and f"60日内向某县人民政府申请行政复议，{CHOICE}有管辖权的人民法院" in text


def test_county_government_is_reviewed_above_and_sued_at_the_intermediate_court(tree):
    case = decided(tree, "partial", agency="county", handler="county_handler", reasons="部分内容涉及商业秘密。")
    text = text_of(services.issue_letter(tree["county_handler"], case, "reply_partial"))
    assert "对本答复中不予公开的部分不服，应当自收到本告知书之日起60日内先向某市人民政府申请行政复议" in text
    assert "有管辖权的中级人民法院" in text and "部分内容涉及商业秘密。" in text


def test_vertical_agency_must_name_its_review_body(tree):
    case = decided(tree, "denied_state_secret", agency="tax", handler="tax_handler")
    with pytest.raises(LetterError, match="实行垂直领导的部门.*行政复议机关"):
        services.issue_letter(tree["tax_handler"], case, "reply_denied_state_secret")
    assert not IssuedLetter.objects.exists()
    # Letters without a remedy need no review body.
    assert services.remedy_settings(tree["tax"]).review_body == ""


def test_contested_rows_moved_in_the_settings_with_history(tree, client):
    case = decided(tree, "unable_needs_creation", reasons="")
    assert REVIEW_FIRST not in text_of(services.issue_letter(tree["handler"], case, "reply_unable_needs_creation"))
    client.force_login(tree["approver"])
    url = reverse("letters:settings", args=[tree["bureau"].pk])
    form = {"correction_working_days": 15, "review_first_outcomes": ["unable_needs_creation"],
            "reason": "经法制机构审核", **{f"pattern_{s}": p for s, (_, p) in letters.NUMBER_SERIES.items()}}
    assert client.post(url, form).status_code == 302
    settings = LetterSettings.objects.get(agency=tree["bureau"])
    assert settings.review_first_outcomes == ["unable_needs_creation"]
    assert REVIEW_FIRST in text_of(services.issue_letter(tree["handler"], case, "reply_unable_needs_creation"))
    # A refusal row cannot be moved back: it is not even offered.
    response = client.post(url, {**form, "review_first_outcomes": ["denied_state_secret"]})
    assert response.status_code == 400
    assert client.post(url, {**form, "review_first_outcomes": [], "reason": "恢复默认"}).status_code == 302
    from gongkai.apps.letters.models import LetterSettingsChange

    changes = list(LetterSettingsChange.objects.filter(agency=tree["bureau"]).order_by("pk"))
    assert [c.reason for c in changes] == ["经法制机构审核", "恢复默认"]
    assert changes[1].before["review_first_outcomes"] == ["unable_needs_creation"]
    assert changes[1].after["review_first_outcomes"] == [] and changes[1].user == tree["approver"]
    assert "另按复议前置告知的办理结果" in [label for label, _, _ in changes[1].changes]
    assert "经法制机构审核" in client.get(url).content.decode()


@pytest.mark.parametrize("fields", [{"reply_channel": "email"}, {"delivery_wanted": "电子邮件"},
                                    {"delivery_wanted": "网上获取"}])
def test_online_reply_must_name_the_online_review_channel(tree, fields):
    case = decided(tree, "denied_third_party", **fields)
    with pytest.raises(LetterError, match="网上申请行政复议的渠道"):
        services.issue_letter(tree["handler"], case, "reply_denied_third_party")
    assert not IssuedLetter.objects.exists()
    services.save_settings(tree["approver"], tree["bureau"], online_review_channel=ONLINE)
    text = text_of(services.issue_letter(tree["handler"], case, "reply_denied_third_party"))
    assert f"您可以通过{ONLINE}在线提交行政复议申请" in text


def test_posted_reply_needs_no_online_channel(tree):
    case = decided(tree, "denied_third_party", delivery_wanted="电子邮件", reply_channel="post")
    assert ONLINE not in text_of(services.issue_letter(tree["handler"], case, "reply_denied_third_party"))


def test_other_agencys_information_gets_the_36_5_letter(tree):
    case = decided(tree, "unable_not_held", reasons="该合同由县政府采购中心签订和保存。",
                   other_agency_name="某县政府采购中心", other_agency_contact="0531-7654321，某县人民路1号")
    kinds = [k.key for k in services.available_kinds(case)]
    assert "reply_unable_other_agency" in kinds and "reply_unable_not_held" not in kinds
    text = text_of(services.issue_letter(tree["handler"], case, "reply_unable_other_agency"))
    assert "第三十六条第（五）项" in text and "第三十六条第（四）项" not in text
    assert "某县政府采购中心" in text and "0531-7654321，某县人民路1号" in text
    assert "该合同由县政府采购中心签订和保存。" in text
    Application.objects.filter(pk=case.pk).update(other_agency_contact="")
    case.refresh_from_db()
    with pytest.raises(LetterError, match=r"\{其他机关联系方式\}"):
        services.issue_letter(tree["handler"], case, "reply_unable_other_agency")

    held = decided(tree, "unable_not_held", reasons="")
    assert "reply_unable_not_held" in [k.key for k in services.available_kinds(held)]
    text = text_of(services.issue_letter(tree["handler"], held, "reply_unable_not_held"))
    assert "第三十六条第（四）项" in text and "第（五）项" not in text and "不存在" in text


def test_refusal_without_reasons_is_not_generated(tree):
    # The lifecycle refuses such a decision now; a case decided before it did is what remains.
    case = decided(tree, "denied_internal_affairs")
    Application.objects.filter(pk=case.pk).update(decision_reasons="")
    case.events.filter(event=Event.DECIDE.value).update(reason="")
    case.refresh_from_db()
    with pytest.raises(LetterError, match=r"\{答复理由\}"):
        services.issue_letter(tree["handler"], case, "reply_denied_internal_affairs")


def test_law_prohibited_letter_names_the_law(tree):
    case = decided(tree, "denied_law_prohibited", prohibiting_law="《中华人民共和国统计法》第三十九条")
    text = text_of(services.issue_letter(tree["handler"], case, "reply_denied_law_prohibited"))
    assert "属于《中华人民共和国统计法》第三十九条禁止公开的政府信息" in text
    bare = decided(tree, "denied_law_prohibited", prohibiting_law="某法")  # decided before the law was required:
    Application.objects.filter(pk=bare.pk).update(prohibiting_law="")
    bare.refresh_from_db()
    with pytest.raises(LetterError, match=r"\{禁止公开的法律\}"):
        services.issue_letter(tree["handler"], bare, "reply_denied_law_prohibited")


def consulted(tree, outcome, **fields):
    case = register_application(tree["handler"], tree["bureau"], **registry_person(description="某项目中标合同"))
    case = transition(tree["handler"], case, Event.START_CONSULTATION, date(2026, 3, 4), "合同含供应商报价")
    Application.objects.filter(pk=case.pk).update(consultation_party="某某建设有限公司",
                                                  consultation_due_on=date(2026, 3, 25))
    case.refresh_from_db()
    return case


def test_consultation_letter_states_the_due_date(tree):
    case = consulted(tree, "granted")
    letter = services.issue_letter(tree["handler"], case, "consultation")
    text = text_of(letter)
    assert letter.recipient == "某某建设有限公司" and "15个工作日内（即2026年3月25日前）" in text


def test_disclosure_over_the_third_partys_objection_is_told_to_it(tree):
    case = consulted(tree, "granted")
    case = transition(tree["handler"], case, Event.END_CONSULTATION, date(2026, 3, 20))
    assert "third_party_disclosure" not in [k.key for k in services.available_kinds(case)]
    case = transition(tree["handler"], case, Event.DECIDE, date(2026, 3, 24), outcome="granted",
                      decision_reasons="该合同涉及公共资金使用，不公开可能对公共利益造成重大影响。")
    assert "third_party_disclosure" in [k.key for k in services.available_kinds(case)]
    letter = services.issue_letter(tree["handler"], case, "third_party_disclosure")
    text = text_of(letter)
    assert letter.recipient == "某某建设有限公司" and text.split("\n")[2] == "某某建设有限公司："
    assert "决定公开的政府信息内容：某项目中标合同。" in text
    assert "决定公开的理由：该合同涉及公共资金使用，不公开可能对公共利益造成重大影响。" in text
    assert "第三十二条" in text and "2026年3月4日" in text
    assert "贵方如对本答复不服" in text and REVIEW_FIRST not in text
    assert "李" not in text.split("\n", 3)[3] or registry_person()["applicant_name"] not in text
    # A refusal, or a case without a consultation, has no such letter.
    assert "third_party_disclosure" not in [k.key for k in services.available_kinds(decided(tree, "granted"))]


def test_correction_letter_prints_the_items_and_the_agency_period(tree):
    Agency.objects.filter(pk=tree["bureau"].pk).update(correction_working_days=7)
    case = register_application(tree["handler"], tree["bureau"], **registry_person())
    case = transition(tree["handler"], case, Event.REQUEST_CORRECTION, date(2026, 3, 4), "申请内容不明确",
                      correction_kind="unclear", correction_items="1. 所需合同的名称或者编号；\n2. 签订年度")
    text = text_of(services.issue_letter(tree["handler"], case, "correction"))
    assert "1. 所需合同的名称或者编号；" in text and "2. 签订年度" in text
    due = count_working_days(date(2026, 3, 4), 7, DEFAULT_CALENDAR).due
    assert f"请于{letters.chinese_date(due)}前" in text


# --------------------------------------------------------------------------- numbers


def test_each_letter_has_its_own_number_by_series_and_year(tree):
    services.save_settings(tree["approver"], tree["bureau"], number_prefix="青政信",
                           number_patterns={"reply": "{前缀}答〔{年}〕第{序号}号"})
    first, second = decided(tree, "granted", reasons=""), decided(tree, "granted", reasons="")
    a = services.issue_letter(tree["handler"], first, "reply_granted")
    b = services.issue_letter(tree["handler"], second, "reply_granted")
    c = services.issue_letter(tree["handler"], first, "reply_granted")  # issued again: a new number
    assert [x.number for x in (a, b, c)] == ["青政信答〔2026〕第1号", "青政信答〔2026〕第2号", "青政信答〔2026〕第3号"]
    assert text_of(b).split("\n")[1] == "青政信答〔2026〕第2号"
    receipt = services.issue_letter(tree["handler"], register_application(tree["handler"], tree["bureau"],
                                                                          **registry_person()), "acknowledgment")
    assert receipt.number.startswith("青政信受〔") and receipt.number.endswith("〕1号")
    other = services.issue_letter(tree["county_handler"], decided(tree, "granted", agency="county",
                                                                 handler="county_handler", reasons=""),
                                  "reply_granted")
    assert other.number == "复〔2026〕1号"  # another agency, its own sequence
    assert (c.number_series, c.number_year, c.number_sequence) == ("reply", 2026, 3)


def test_a_refused_letter_uses_no_number(tree):
    # The lifecycle refuses such a decision now; a case decided before it did is what remains.
    case = decided(tree, "denied_internal_affairs")
    Application.objects.filter(pk=case.pk).update(decision_reasons="")
    case.events.filter(event=Event.DECIDE.value).update(reason="")
    case.refresh_from_db()
    with pytest.raises(LetterError):
        services.issue_letter(tree["handler"], case, "reply_denied_internal_affairs")
    letter = services.issue_letter(tree["handler"], decided(tree, "granted", reasons=""), "reply_granted")
    assert letter.number == "复〔2026〕1号"


def test_invalid_number_patterns_are_refused(tree, client):
    with pytest.raises(ValidationError, match="序号"):
        services.save_settings(tree["approver"], tree["bureau"], number_patterns={"reply": "{前缀}〔{年}〕号"})
    client.force_login(tree["approver"])
    form = {"correction_working_days": 15, **{f"pattern_{s}": p for s, (_, p) in letters.NUMBER_SERIES.items()}}
    response = client.post(reverse("letters:settings", args=[tree["bureau"].pk]),
                           {**form, "pattern_correction": "{前缀}补{序号}"})
    assert response.status_code == 400 and "{年}" in response.content.decode()
    assert not LetterSettings.objects.exists()


def test_sequential_numbers_never_repeat(tree):
    cases = [decided(tree, "granted", reasons="") for _ in range(3)]
    numbers = [services.issue_letter(tree["handler"], cases[i % 3], "reply_granted").number for i in range(12)]
    assert numbers == [f"复〔2026〕{n}号" for n in range(1, 13)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs this on it)")
def test_concurrent_letters_never_share_a_number(tree):
    cases = [decided(tree, "granted", reasons="") for _ in range(4)]
    errors: list[BaseException] = []

    def work(case):
        try:
            for _ in range(6):
                services.issue_letter(tree["handler"], case, "reply_granted")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(IssuedLetter.objects.values_list("number_sequence", flat=True))
    assert sequences == list(range(1, 25))
    assert len(set(IssuedLetter.objects.values_list("number", flat=True))) == 24


# --------------------------------------------------------------------------- PDF


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext（poppler-utils）未安装")
def test_letter_downloads_as_pdf(tree, client):
    services.save_settings(tree["approver"], tree["bureau"], number_prefix="青政信")
    case = decided(tree, "denied_process_info", reasons="会议纪要尚未定稿。")
    letter = services.issue_letter(tree["handler"], case, "reply_denied_process_info")
    client.force_login(tree["handler"])
    response = client.get(reverse("letters:download_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and ".pdf" in response["Content-Disposition"]
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    squeezed = re.sub(r"\s+", "", text.decode("utf-8"))
    assert "政府信息公开申请答复告知书" in squeezed and "青政信复〔2026〕1号" in squeezed
    assert "应当自收到本告知书之日起60日内先向某县人民政府申请行政复议" in squeezed
    client.force_login(tree["tax_handler"])
    assert client.get(reverse("letters:download_pdf", args=[letter.pk])).status_code == 404


# --------------------------------------------------------------------------- the public guide


def test_public_guide_states_the_same_remedy(tree, client):
    services.save_settings(tree["approver"], tree["bureau"], court="某县人民法院", online_review_channel=ONLINE,
                           review_first_outcomes=["unable_needs_creation"])
    page = client.get(reverse("portal:guide", args=[tree["bureau"].pk])).content.decode()
    text = re.sub(r"<[^>]+>|\s+", "", page)
    assert "不予公开的答复（包括部分公开中不予公开的部分）不服的，应当先向某县人民政府申请行政复议" in text
    assert "向某县人民法院提起行政诉讼" in text and ONLINE in text
    assert standard.APPLICATIONS.row("unable_needs_creation").short_label in text
    county = client.get(reverse("portal:guide", args=[tree["county"].pk])).content.decode()
    assert "某市人民政府" in county and "中级人民法院" in county
