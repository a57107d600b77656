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
from gongkai.core.lifecycle import Event

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
