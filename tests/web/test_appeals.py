"""Reviews and lawsuits: only against decisions, validated in Chinese, every change kept, per role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.appeals.models import Appeal, AppealEvent, Lawsuit, Review
from gongkai.apps.appeals.services import edit_appeal, file_lawsuit, file_review
from gongkai.apps.cases.services import register_application, transition
from gongkai.apps.reports.services import close_year
from gongkai.apps.signoff.services import configure as configure_signoff
from gongkai.core.casework.lifecycle import Event

User = get_user_model()
TODAY = date.today()
LAST = TODAY.year - 1


@pytest.fixture
def case(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    users = {}
    for name, agency, role in [("registrar", bureau, "registrar"), ("handler", bureau, "handler"),
                               ("approver", bureau, "approver"), ("supervisor", county, "supervisor")]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    application = register_application(
        users["registrar"], bureau, applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
        id_number="370000199001011234", phone="13800000000", channel="online", received_on=date(LAST, 3, 2),
        description="某项目征收补偿方案")
    configure_signoff(users["approver"], bureau, [], "本机关直接作出答复决定")  # no sign-off (docs/signoff.md)
    return {"bureau": bureau, "application": application, **users}


def decide(case):
    return transition(case["handler"], case["application"], Event.DECIDE, date(LAST, 3, 20), outcome="partial",
                      decision_reasons="部分内容涉及个人隐私")


def review_fields(**extra):
    return {"case_number": "某政复〔2025〕3号", "body": "某县人民政府", "filed_on": date(LAST, 4, 10), **extra}


def test_only_a_decided_application_is_appealed(case):
    with pytest.raises(ValidationError) as info:
        file_review(case["handler"], case["application"], **review_fields())
    assert "尚未作出答复决定" in str(info.value.message_dict["application"])
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fields,field,message", [
    (review_fields(filed_on=date(LAST, 3, 1)), "filed_on", "早于答复决定日期"),
    (review_fields(filed_on=TODAY + timedelta(1)), "filed_on", "晚于今天"),
    (review_fields(result="upheld"), "concluded_on", "请填写审结日期"),
    (review_fields(concluded_on=date(LAST, 5, 1)), "concluded_on", "尚未审结的，不应填写审结日期"),
    (review_fields(result="upheld", concluded_on=date(LAST, 4, 1)), "concluded_on", "早于申请复议或起诉日期"),
    (review_fields(body=" "), "body", "请填写复议机关"),
    (review_fields(case_number=""), "case_number", "请填写案号"),
])
def test_results_and_dates_are_validated_in_chinese(case, fields, field, message):
    decide(case)
    with pytest.raises(ValidationError) as info:
        file_review(case["handler"], case["application"], **fields)
    assert message in str(info.value.message_dict[field])
    assert not Appeal.objects.exists()


def test_a_lawsuit_after_review_needs_the_concluded_review(case):
    decide(case)
    review = file_review(case["handler"], case["application"], **review_fields())
    assert isinstance(review, Review) and Review.objects.count() == 1 and not Lawsuit.objects.exists()
    with pytest.raises(ValidationError, match="请选择所涉行政复议"):
        file_lawsuit(case["handler"], case["application"], after_review=True, case_number="（2025）行初1号",
                     body="某县人民法院", filed_on=date(LAST, 5, 1))
    with pytest.raises(ValidationError, match="只有复议后起诉"):
        file_lawsuit(case["handler"], case["application"], after_review=False, case_number="（2025）行初1号",
                     body="某县人民法院", filed_on=date(LAST, 5, 1), review=review)
    edit_appeal(case["handler"], review, "收到复议决定书", result="upheld", concluded_on=date(LAST, 6, 1))
    with pytest.raises(ValidationError, match="不能早于复议审结日期"):
        file_lawsuit(case["handler"], case["application"], after_review=True, case_number="（2025）行初1号",
                     body="某县人民法院", filed_on=date(LAST, 5, 20), review=review)
    lawsuit = file_lawsuit(case["handler"], case["application"], after_review=True, case_number="（2025）行初1号",
                           body="某县人民法院", filed_on=date(LAST, 6, 10), review=review)
    assert isinstance(lawsuit, Lawsuit) and lawsuit.review == review


def test_every_change_is_kept_and_nothing_deleted(case):
    decide(case)
    review = file_review(case["handler"], case["application"], **review_fields())
    with pytest.raises(ValidationError, match="修改须说明理由"):
        edit_appeal(case["handler"], review, " ", result="upheld", concluded_on=date(LAST, 6, 1))
    edit_appeal(case["approver"], review, "收到复议决定书", result="upheld", concluded_on=date(LAST, 6, 1))
    events = list(AppealEvent.objects.filter(appeal=review).order_by("at", "pk"))
    assert [e.action for e in events] == ["create", "edit"]
    assert events[1].user == case["approver"] and events[1].reason == "收到复议决定书"
    assert events[1].before["result"] == "pending" and events[1].after["result"] == "upheld"
    assert ("结果", "pending", "upheld") in events[1].changes
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        review.delete()


def test_roles_and_the_closed_year(case):
    decide(case)
    for who in ("registrar", "supervisor"):
        with pytest.raises(PermissionDenied):
            file_review(case[who], case["application"], **review_fields())
    review = file_review(case["handler"], case["application"], **review_fields(filed_on=date(LAST, 12, 1)))
    close_year(case["approver"], case["bureau"], LAST)
    with pytest.raises(ValidationError, match="已结转"):
        edit_appeal(case["handler"], review, "改日期", filed_on=date(LAST, 12, 2))
    with pytest.raises(ValidationError, match="已结转"):
        file_review(case["handler"], case["application"], **review_fields(case_number="复2"))
    # A result arriving after the closed year does not change it: allowed, and recorded.
    if TODAY > date(TODAY.year, 1, 5):
        edit_appeal(case["handler"], review, "收到复议决定书", result="corrected", concluded_on=date(TODAY.year, 1, 5))
    edit_appeal(case["handler"], review, "更正案号", case_number="某政复〔2025〕4号")
    assert Appeal.objects.get().case_number == "某政复〔2025〕4号"


def test_views_panel_and_access(case, client):
    application = decide(case)
    client.force_login(case["handler"])
    add = reverse("appeals:add_review", args=[application.pk])
    page = client.post(add, {"kind": "review", "case_number": "复1", "body": "", "filed_on": f"{LAST}-04-10",
                             "result": "pending"}).content.decode()
    assert "请填写复议机关" in page and not Appeal.objects.exists()
    response = client.post(add, {"kind": "review", "case_number": "复1", "body": "某县人民政府",
                                 "filed_on": f"{LAST}-04-10", "result": "pending"})
    review = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[review.pk])
    edit = reverse("appeals:edit", args=[review.pk])
    page = client.post(edit, {"case_number": "复1", "body": "某县人民政府", "filed_on": f"{LAST}-04-10",
                              "result": "upheld", "concluded_on": "", "reason": "结案"}).content.decode()
    assert "请填写审结日期" in page
    client.post(edit, {"case_number": "复1", "body": "某县人民政府", "filed_on": f"{LAST}-04-10",
                       "result": "upheld", "concluded_on": f"{LAST}-06-01", "reason": "结案"})
    review.refresh_from_db()
    assert review.result == "upheld" and review.events.count() == 2
    detail = client.get(reverse("appeals:detail", args=[review.pk])).content.decode()
    assert "结案" in detail and "结果维持" in detail
    panel = render_to_string("appeals/case_panel.html", {"application": application, "user": case["handler"]})
    assert "复1" in panel and add in panel and edit in panel
    panel = render_to_string("appeals/case_panel.html", {"application": application, "user": case["supervisor"]})
    assert "复1" in panel and add not in panel and edit not in panel
    client.force_login(case["supervisor"])
    assert client.get(reverse("appeals:detail", args=[review.pk])).status_code == 200
    assert client.get(add).status_code == 403
    assert client.post(edit, {}).status_code == 403


# --- appeals not against a decision (issue 11 item 9): 不作为, third parties, active disclosure -----

def table4_values(agency, year):
    from gongkai.apps.reports.tables import table4
    from gongkai.core.report.model import table_values

    return table_values(table4(agency, year))


def test_an_undecided_application_is_appealed_for_not_being_answered(case, client):
    """The form on an undecided case offers 不作为 (never a 500); the appeal counts in table 4."""
    application = case["application"]
    client.force_login(case["handler"])
    add = reverse("appeals:add_review", args=[application.pk])
    page = client.get(add)
    body = page.content.decode()
    assert page.status_code == 200 and 'value="inaction"' in body and 'value="decision"' not in body
    # Asked for a review of the decision there is none of: a form error, not a 500.
    data = {"kind": "review", "case_number": "某政复〔2025〕9号", "body": "某县人民政府", "filed_on": f"{LAST}-04-20",
            "result": "pending"}
    response = client.post(add, {**data, "subject": "decision"})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    with pytest.raises(ValidationError, match="尚未作出答复决定"):
        file_review(case["handler"], application, subject="decision", **review_fields())
    assert not Appeal.objects.exists()
    response = client.post(add, {**data, "subject": "inaction"})
    review = Appeal.objects.get()
    assert response.status_code == 302 and (review.subject, review.agency) == ("inaction", case["bureau"])
    assert "未答复或逾期答复（不作为）" in client.get(reverse("appeals:detail", args=[review.pk])).content.decode()
    # Not before the application was received.
    with pytest.raises(ValidationError, match="早于收到申请日期"):
        file_lawsuit(case["handler"], application, after_review=False, subject="inaction",
                     case_number="（2025）行初2号", body="某县人民法院", filed_on=date(LAST, 3, 1))
    # The decision that came later does not undo it; a lawsuit after the review keeps its subject.
    decide(case)
    edit_appeal(case["handler"], review, "收到复议决定书", result="corrected", concluded_on=date(LAST, 5, 20))
    file_lawsuit(case["handler"], application, after_review=True, subject="inaction", review=Review.objects.get(),
                 case_number="（2025）行初3号", body="某县人民法院", filed_on=date(LAST, 6, 1))
    values = table4_values(case["bureau"], LAST)
    assert values["review"]["corrected"] == 1 and values["litigation_after_review"]["pending"] == 1


def test_a_third_party_contests_a_disclosure(case):
    with pytest.raises(ValidationError, match="没有予以公开或部分公开的决定"):
        file_lawsuit(case["handler"], case["application"], after_review=False, subject="third_party",
                     appellant="某建设公司", case_number="（2025）行初5号", body="某县人民法院", filed_on=date(LAST, 4, 1))
    decide(case)  # partial: something is disclosed
    with pytest.raises(ValidationError) as info:
        file_lawsuit(case["handler"], case["application"], after_review=False, subject="third_party",
                     case_number="（2025）行初5号", body="某县人民法院", filed_on=date(LAST, 4, 1))
    assert "请填写该第三方的名称" in str(info.value.message_dict["appellant"])
    suit = file_lawsuit(case["handler"], case["application"], after_review=False, subject="third_party",
                        appellant="某建设公司", case_number="（2025）行初5号", body="某县人民法院", filed_on=date(LAST, 4, 1))
    assert (suit.subject, suit.appellant, suit.agency) == ("third_party", "某建设公司", case["bureau"])
    assert table4_values(case["bureau"], LAST)["litigation_direct"]["pending"] == 1
    panel = render_to_string("appeals/case_panel.html", {"application": case["application"], "user": case["handler"]})
    assert "第三方不服公开决定：某建设公司" in panel


def test_active_disclosure_is_appealed_without_an_application(case, client):
    from gongkai.apps.catalogue.models import Category, Item

    bureau = case["bureau"]
    category = Category.objects.create(agency=bureau, name="财政预决算")
    item = Item.objects.create(agency=bureau, category=category, index_number="000014349/2025-00007", title="2025年部门预算",
                               publisher="某县财政局", made_on=date(LAST, 2, 1), created_by=case["handler"])
    with pytest.raises(ValidationError) as info:
        file_review(case["handler"], None, subject="active", agency=bureau, **review_fields())
    assert "请选择所涉信息或在说明中写明所涉事项" in str(info.value.message_dict["note"])
    with pytest.raises(PermissionDenied):
        file_review(case["registrar"], None, subject="active", agency=bureau, note="未公开预算", **review_fields())
    review = file_review(case["handler"], None, subject="active", agency=bureau, note="未主动公开部门预算",
                         **review_fields(case_number="某政复〔2025〕11号"))
    assert review.application is None and review.agency == bureau
    # Through the pages: the list, the form with the agency and the item's index number.
    client.force_login(case["handler"])
    listing = client.get(reverse("appeals:index")).content.decode()
    assert "某政复〔2025〕11号" in listing and reverse("appeals:add_active_lawsuit") in listing
    add = reverse("appeals:add_active_lawsuit")
    data = {"agency": bureau.pk, "kind": "litigation_direct", "case_number": "（2025）行初8号", "body": "某县人民法院",
            "filed_on": f"{LAST}-05-06", "result": "pending", "item_index": "no-such-index"}
    response = client.post(add, data)
    assert response.status_code == 400 and "没有索引号为 no-such-index 的信息" in response.content.decode()
    response = client.post(add, {**data, "item_index": item.index_number})
    suit = Appeal.objects.get(case_number="（2025）行初8号")
    assert response.status_code == 302 and (suit.subject, suit.catalogue_item, suit.application) == ("active", item, None)
    assert "2025年部门预算" in client.get(reverse("appeals:detail", args=[suit.pk])).content.decode()
    edit = client.post(reverse("appeals:edit", args=[suit.pk]), {**data, "item_index": item.index_number,
                                                                 "result": "upheld", "concluded_on": f"{LAST}-08-01",
                                                                 "reason": "收到判决书"})
    assert edit.status_code == 302 and Appeal.objects.get(pk=suit.pk).result == "upheld"
    values = table4_values(bureau, LAST)
    assert values["review"]["pending"] == 1 and values["litigation_direct"]["upheld"] == 1
    assert table4_values(bureau.parent.subtree(), LAST)["review"]["total"] == 1
    # The supervisor sees it, changes nothing; an outsider does not see it.
    client.force_login(case["supervisor"])
    assert client.get(reverse("appeals:detail", args=[suit.pk])).status_code == 200
    assert client.get(add).status_code == 403
    outsider = User.objects.create_user("outsider", password="x")
    other = Agency.objects.create(name="另一县财政局", kind=Agency.Kind.DEPARTMENT)
    Membership.objects.create(user=outsider, agency=other, role="handler")
    client.force_login(outsider)
    assert client.get(reverse("appeals:detail", args=[suit.pk])).status_code == 404
    assert "（2025）行初8号" not in client.get(reverse("appeals:index")).content.decode()
