"""Finding cases (search, filters, stable sorts, saved filters), the applicant's other applications,
the queues, batch assignment and in-app notifications — through the pages, on the real database."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.apps.agencies.models import Membership
from gongkai.apps.cases.models import ASSIGN_EVENT, Application, CaseEvent
from gongkai.apps.cases.services import assign_handler, transition
from gongkai.apps.desk.models import SavedFilter
from gongkai.apps.desk.reminders import send_reminders
from gongkai.apps.notices.models import Notification
from gongkai.core.casework.lifecycle import Event

from tests.web.test_desk import as_user, fixed_day, register, text, tree, world  # noqa: F401 - shared fixtures

DAY = date(2026, 9, 30)
Kind = Notification.Kind


def rows(page: str) -> list[str]:
    """The case numbers of a list page, in the order shown."""
    return re.findall(r'<th scope="row"><a href="/cases/\d+/">(\d{4}-\d{4})</a></th>', page)


@pytest.fixture
def registry(world, fixed_day):
    """Six cases of the bureau and one of the street, in several states, handlers and channels."""
    fixed_day(DAY)
    made = {
        "a": register(world, received_on=date(2026, 9, 1), applicant_name="甲", channel="letter"),   # overdue
        "b": register(world, received_on=date(2026, 9, 2), applicant_name="乙", channel="in_person"),  # due today
        "c": register(world, received_on=date(2026, 9, 2), applicant_name="丙", channel="letter"),
        "d": register(world, received_on=date(2026, 9, 10), applicant_name="丁", channel="online"),
        "e": register(world, received_on=date(2026, 8, 3), applicant_name="戊", channel="letter"),
        "f": register(world, received_on=date(2026, 9, 3), applicant_name="己", channel="letter"),
        "street": register(world, agency=world.street, user=world.street_handler, received_on=date(2026, 9, 2),
                           applicant_name="庚", channel="letter"),
    }
    transition(world.handler, made["e"], Event.DECIDE, date(2026, 9, 1), outcome="granted")
    transition(world.approver, made["f"], Event.EXTEND, date(2026, 9, 20), reason="需要调取档案，经负责人同意延长")
    transition(world.handler, made["c"], Event.START_CONSULTATION, date(2026, 9, 4))
    assign_handler(world.handler, made["b"], world.handler)
    assign_handler(world.handler, made["c"], world.approver)
    for case in made.values():
        case.refresh_from_db()
    return made


def page_of(client, key="all", **params):
    return text(client.get(reverse("desk:worklist", args=[key]), params))


# --- search, filters, sorts -----------------------------------------------------------------------

def test_search_box_finds_by_part_of_number_from_the_home_page(client, world, registry):
    as_user(client, world.handler)
    home = text(client.get(reverse("desk:home")))
    assert f'action="{reverse("desk:worklist", args=["all"])}"' in home
    number = registry["d"].number  # e.g. 2026-0004
    page = page_of(client, q=number[:-1])  # "2026-000": all four-digit serials 1..9 of 2026
    assert number in rows(page) and registry["a"].number in rows(page)
    assert rows(page_of(client, q=str(registry["d"].serial))) == [number]


@pytest.mark.parametrize("params, expected", [
    ({"state": "consulting"}, {"c"}),
    ({"outcome": "granted"}, {"e"}),
    ({"channel": "online"}, {"d"}),
    ({"channel": "letter", "state": "registered"}, {"a", "f"}),  # an extension keeps the state
    ({"handler": "none"}, {"a", "d", "e", "f"}),
    ({"received_from": "2026-09-02", "received_to": "2026-09-03"}, {"b", "c", "f"}),
    ({"overdue": "on"}, {"a"}),
    ({"extended": "on"}, {"f"}),
])
def test_filters(client, world, registry, params, expected):
    as_user(client, world.handler)
    page = page_of(client, **params)
    assert set(rows(page)) == {registry[k].number for k in expected}
    assert "庚" not in page  # the street's case is not the bureau handler's to see


def test_handler_filter_and_bad_dates(client, world, registry):
    as_user(client, world.handler)
    assert set(rows(page_of(client, handler=world.approver.pk))) == {registry["c"].number}
    page = page_of(client, received_from="2026-09-10", received_to="2026-09-01")
    assert "结束日期 2026-09-01 早于开始日期 2026-09-10" in page and rows(page) == []
    page = page_of(client, received_from="2026-13-01")
    assert "日期" in page and rows(page) == []


def test_sorts_are_stable_and_reversible_and_kept_in_the_export(client, world, registry):
    as_user(client, world.handler)
    by_received = rows(page_of(client, sort="received"))
    cases = sorted((c for k, c in registry.items() if k != "street"), key=lambda c: (c.received_on, c.pk))
    assert by_received == [c.number for c in cases]
    # b and c were received the same day: ties in registration order, reversed with the rest
    assert rows(page_of(client, sort="-received")) == [c.number for c in reversed(cases)]
    assert rows(page_of(client, sort="number")) == sorted(by_received)
    by_handler = rows(page_of(client, sort="handler"))
    assert by_handler[:2] == [registry["b"].number, registry["c"].number]  # 王承办, 赵主任; then no handler
    # The header links toggle: sorted ascending by due date, the due column's link sorts descending.
    page = page_of(client, sort="due")
    assert 'aria-sort="ascending"' in page and "sort=-due" in page
    response = client.get(reverse("desk:worklist_export", args=["all"]), {"sort": "-received"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    numbers = [row[0] for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("2026-")]
    assert numbers == [c.number for c in reversed(cases)]
    assert any("按收到日期降序" in str(row[0]) for row in sheet.iter_rows(max_row=3, values_only=True))
    # A sort that does not exist is an error shown on the page, not a crash
    page = page_of(client, sort="applicant_id")
    assert "排序方式无效" in page and rows(page) == []


def test_saved_filters(client, world, registry):
    as_user(client, world.handler)
    url = reverse("desk:save_filter", args=["all"])
    response = client.post(url, {"name": "本局信函", "query": "channel=letter&sort=-received&page=3&evil=1"})
    saved = SavedFilter.objects.get(user=world.handler)
    assert saved.query == "channel=letter&sort=-received" and saved.worklist == "all"  # only the list's parameters
    assert response["Location"].endswith("?channel=letter&sort=-received")
    page = page_of(client, "due_today")  # shown on every work-list page
    assert "本局信函" in page and "/lists/all/?channel=letter&amp;sort=-received" in page
    client.post(url, {"name": "本局信函", "query": "channel=online"})  # the same name replaces it
    assert SavedFilter.objects.get(user=world.handler).query == "channel=online"
    assert "请为常用查询起一个名称" in text(client.post(url, {"name": "", "query": "q=1"}, follow=True))
    too_long = "&".join(f"q={'查' * 100}" for _ in range(3))  # 2,700 characters once encoded
    assert "查询条件过长" in text(client.post(url, {"name": "长", "query": too_long}, follow=True))
    assert SavedFilter.objects.filter(user=world.handler).count() == 1
    # Another person neither sees nor deletes it
    as_user(client, world.approver)
    assert "本局信函" not in page_of(client)
    assert client.post(reverse("desk:delete_filter", args=[saved.pk])).status_code == 404
    as_user(client, world.handler)
    client.post(reverse("desk:delete_filter", args=[saved.pk]), {"next": "/lists/all/"})
    assert not SavedFilter.objects.exists()


# --- the applicant's other applications -----------------------------------------------------------

def test_other_applications_of_the_applicant_within_what_the_reader_may_see(client, world, fixed_day):
    fixed_day(DAY)
    same_id = register(world, received_on=date(2026, 9, 1), applicant_name="张三", id_number="110101199003077777",
                       phone="13900000001", description="第一件")
    street = register(world, agency=world.street, user=world.street_handler, received_on=date(2026, 9, 2),
                      applicant_name="张三", id_number="110101199003077777", phone="", description="街道的一件")
    by_contact = register(world, received_on=date(2026, 9, 3), applicant_name="张三", id_number="",
                          phone="13900000001", description="只留电话")
    namesake = register(world, received_on=date(2026, 9, 4), applicant_name="张三", id_number="110101199003070000",
                        phone="13900009999", description="同名不同人")
    current = register(world, received_on=date(2026, 9, 5), applicant_name="张三", id_number="110101199003077777",
                       phone="13900000001", description="本件")
    as_user(client, world.handler)
    page = text(client.get(reverse("desk:case", args=[current.pk])))
    section = page[page.index('id="same-applicant"'):]
    section = section[:section.index("</section>")]
    assert same_id.number in section and by_contact.number in section
    assert namesake.number not in section and current.number not in section
    assert "街道的一件" not in section  # the bureau's handler may not see the street's cases
    as_user(client, world.supervisor)  # the county's supervisor sees both agencies
    page = text(client.get(reverse("desk:case", args=[current.pk])))
    section = page[page.index('id="same-applicant"'):]
    assert street.number in section[:section.index("</section>")] and "某街道办事处" in section
    as_user(client, world.street_handler)  # and from the street's case the bureau's stay hidden
    page = text(client.get(reverse("desk:case", args=[street.pk])))
    section = page[page.index('id="same-applicant"'):]
    assert "第一件" not in section[:section.index("</section>")] and "没有找到该申请人的其他申请" in section


def test_the_due_date_and_on_time_stay_visible_after_the_decision(client, world, fixed_day):
    fixed_day(DAY)
    on_time = register(world, received_on=date(2026, 9, 1))
    late = register(world, received_on=date(2026, 8, 3))
    transition(world.handler, on_time, Event.DECIDE, date(2026, 9, 20), outcome="granted")
    transition(world.handler, late, Event.DECIDE, date(2026, 9, 30), outcome="granted")
    as_user(client, world.handler)
    page = text(client.get(reverse("desk:case", args=[on_time.pk])))
    assert 'id="decided-due"' in page and "2026-09-29" in page and "按期答复" in page
    page = text(client.get(reverse("desk:case", args=[late.pk])))
    assert "逾期答复" in page and "2026-08-31" in page and "晚于期限 30 日" in page


# --- queues and batch assignment ------------------------------------------------------------------

def test_queues(client, world, registry):
    as_user(client, world.handler)
    assert set(rows(page_of(client, "mine"))) == {registry["b"].number}
    assert set(rows(page_of(client, "unassigned"))) == {registry[k].number for k in ("a", "d", "f")}
    assert set(rows(page_of(client, "new_online"))) == {registry["d"].number}
    assert set(rows(page_of(client, "third_party"))) == {registry["c"].number}
    as_user(client, world.approver)
    page = page_of(client, "mine")
    assert set(rows(page)) == {registry["c"].number}
    assert reverse("signoff:queue") in page and "待审核签发的答复" in page


def test_new_online_applications_are_counted_in_the_navigation(client, world, registry):
    as_user(client, world.registrar)
    page = text(client.get(reverse("desk:home")))
    assert f'href="{reverse("desk:worklist", args=["new_online"])}">新网上申请 <span class="count-badge">1</span>' in page
    assign_handler(world.handler, registry["d"], world.handler)  # taken up: no longer new
    page = text(client.get(reverse("desk:home")))
    assert '新网上申请</a>' in page and "新网上申请 <span" not in page
    as_user(client, world.supervisor)  # a supervisor registers nothing: no such link
    assert "新网上申请" not in text(client.get(reverse("desk:home")))


def test_batch_assignment_records_each_and_notifies(client, world, registry):
    as_user(client, world.approver)
    chosen = [registry["a"], registry["d"], registry["f"]]
    before = CaseEvent.objects.filter(event=ASSIGN_EVENT).count()
    response = client.post(reverse("desk:batch_assign"), {"cases": [c.pk for c in chosen], "handler": world.handler.pk,
                                                          "next": "/lists/unassigned/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/lists/unassigned/"
    assert "已将 3 件申请" in text(response)
    for case in chosen:
        case.refresh_from_db()
        assert case.handler == world.handler
        event = CaseEvent.objects.filter(application=case, event=ASSIGN_EVENT).latest("pk")
        assert event.user == world.approver and event.after == {"handler": str(world.handler)} and event.at
    assert CaseEvent.objects.filter(event=ASSIGN_EVENT).count() == before + 3
    notices = Notification.objects.filter(recipient=world.handler, kind=Kind.ASSIGNED)
    assert {n.application_id for n in notices} == {c.pk for c in chosen} and "赵主任" in notices[0].text


def test_batch_assignment_refuses_another_agencys_handler_and_cases(client, world, registry):
    as_user(client, world.approver)
    snapshot = list(Application.objects.order_by("pk").values_list("pk", "handler_id"))
    events = CaseEvent.objects.count()
    # A handler of another agency (the street's): refused, nothing assigned
    response = client.post(reverse("desk:batch_assign"), {"cases": [registry["a"].pk, registry["d"].pk],
                                                          "handler": world.street_handler.pk}, follow=True)
    assert "不是您所在机关的承办人员" in text(response)
    # A case the approver may not see, hidden among the bureau's: refused as a whole
    response = client.post(reverse("desk:batch_assign"), {"cases": [registry["a"].pk, registry["street"].pk],
                                                          "handler": world.handler.pk}, follow=True)
    assert "未分派任何申请" in text(response) or "无权查看" in text(response)
    # A supervisor sees the street and the bureau but acts on neither
    as_user(client, world.supervisor)
    response = client.post(reverse("desk:batch_assign"), {"cases": [registry["a"].pk], "handler": world.handler.pk},
                           follow=True)
    assert "未分派任何申请" in text(response) or "不是您所在机关" in text(response)
    # A handler of both agencies cannot take the street's case for the bureau's handler
    Membership.objects.create(user=world.approver, agency=world.street, role=Membership.Role.APPROVER)
    as_user(client, world.approver)
    response = client.post(reverse("desk:batch_assign"), {"cases": [registry["a"].pk, registry["street"].pk],
                                                          "handler": world.handler.pk}, follow=True)
    assert f"{registry['street'].number}：王承办 不是“某街道办事处”的承办人员" in text(response)
    assert list(Application.objects.order_by("pk").values_list("pk", "handler_id")) == snapshot
    assert CaseEvent.objects.count() == events and not Notification.objects.filter(kind=Kind.ASSIGNED,
                                                                                   recipient=world.handler).exists()
    assert client.get(reverse("desk:batch_assign")).status_code == 405


# --- notifications --------------------------------------------------------------------------------

def test_notifications_made_by_assignment_and_sign_off_and_online_intake(world, registry, fixed_day):
    # assigning to oneself notifies nobody; to another, that person
    assert not Notification.objects.filter(recipient=world.handler, kind=Kind.ASSIGNED).exists()
    notice = Notification.objects.get(recipient=world.approver, kind=Kind.ASSIGNED)
    assert notice.application == registry["c"] and "王承办将申请" in notice.text and not notice.read
    assert "丙" not in notice.text  # no personal data in a notice: erasure after retention leaves none behind
    from gongkai.apps.online.apply_intake import enable_online_intake, submit_online_application
    enable_online_intake(world.bureau)
    fixed_day(timezone.localdate())  # the portal receives on the real today
    receipt = submit_online_application(world.bureau, applicant_type="natural_person", applicant_name="网民",
                                        id_type="居民身份证", id_number="110101199003077777", phone="13900000002",
                                        description="某路段改造的批复文件")
    got = set(Notification.objects.filter(kind=Kind.NEW_ONLINE, application=receipt.application)
              .values_list("recipient__username", flat=True))
    assert got == {world.registrar.username, world.handler.username}  # who register (not the intake account)
    from gongkai.apps.signoff import services as signoff
    draft = signoff.save_draft(world.handler, registry["a"], outcome="denied_process_info", decided_on=DAY,
                               decision_reasons="经检索，本机关未制作、获取该信息。")
    signoff.submit(world.handler, draft)
    assert set(Notification.objects.filter(kind=Kind.SIGNOFF).values_list("recipient", flat=True)) == {world.approver.pk}


def test_the_reminder_run_notifies_once_per_case_and_due_date(world, registry, mailoutbox):
    send_reminders(DAY, "https://gk.example.cn")
    overdue = Notification.objects.filter(kind=Kind.OVERDUE, application=registry["a"])
    # a has no handler: the bureau's handlers and approvers are told
    assert set(overdue.values_list("recipient", flat=True)) == {world.handler.pk, world.approver.pk}
    assert "2026-09-29 已届满" in overdue[0].text
    due_today = Notification.objects.get(kind=Kind.DUE_SOON, application=registry["b"])
    assert due_today.recipient == world.handler and "今日到期" in due_today.text  # its handler only
    count = Notification.objects.count()
    send_reminders(DAY, "https://gk.example.cn")  # the next run of the same day (or the next day) adds none
    assert Notification.objects.count() == count
    assert len(mailoutbox) >= 2  # the e-mails are still sent


def test_notifications_page_read_and_all_read(client, world, registry):
    as_user(client, world.approver)
    send_reminders(DAY, "https://gk.example.cn")
    unread = Notification.objects.filter(recipient=world.approver, read_at__isnull=True)
    count = unread.count()
    assert count >= 2
    home = text(client.get(reverse("desk:home")))
    assert f'aria-label="通知，{count} 条未读"' in home and f'<span class="count-badge">{count}</span>' in home
    page = text(client.get(reverse("notices:index")))
    assert f"王承办将申请 {registry['c'].number} 交由您承办（丙）" in page and "已届满" in page  # the name from the case
    first = unread.first()
    response = client.post(reverse("notices:open", args=[first.pk]))
    assert response["Location"] == reverse("desk:case", args=[first.application_id])
    first.refresh_from_db()
    assert first.read
    second = unread.first()
    client.post(reverse("notices:read"), {"notice": [second.pk]})
    assert unread.count() == count - 2
    # someone else's notice is neither opened nor marked
    mine = Notification.objects.filter(recipient=world.handler, read_at__isnull=True).first()
    assert client.post(reverse("notices:open", args=[mine.pk])).status_code == 404
    client.post(reverse("notices:read"), {"notice": [mine.pk]})
    mine.refresh_from_db()
    assert not mine.read
    response = client.post(reverse("notices:read"), {"all": "1", "next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("notices:index") and unread.count() == 0
    assert "没有未读通知" in text(client.get(reverse("notices:index"), {"unread": 1}))
    assert "条未读" not in text(client.get(reverse("desk:home")))


def test_the_work_list_page_stays_cheap_with_notifications_and_queues(client, world, registry,
                                                                      django_assert_max_num_queries):
    send_reminders(DAY, "https://gk.example.cn")
    for n in range(30):
        register(world, received_on=date(2026, 9, 2), applicant_name=f"申请人{n:02d}", channel="online")
    as_user(client, world.handler)
    for key in ("due_today", "new_online", "mine", "all"):
        with django_assert_max_num_queries(13):  # as before the queues: the navigation's counts are one query
            page = page_of(client, key, sort="handler", channel="online")
        assert 'class="count-badge"' in page
