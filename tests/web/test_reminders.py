"""Reminder e-mails: one Chinese digest per handler/approver with an e-mail address and agency,
listing that agency's cases due today, within 3 working days and overdue, with links."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.apps.agencies.models import Membership
from gongkai.apps.cases.services import transition
from gongkai.core.casework.lifecycle import Event

from tests.web.test_desk import User, register, tree, world  # noqa: F401 - shared fixtures

DAY = date(2026, 9, 30)


@pytest.fixture
def due_cases(world):
    cases = {
        "overdue": register(world, received_on=date(2026, 9, 1), applicant_name="逾期者"),
        "today": register(world, received_on=date(2026, 9, 2), applicant_name="今日者"),
        "soon": register(world, received_on=date(2026, 9, 7), applicant_name="调休日者"),  # due 10-10 (Sat, worked)
        "later": register(world, received_on=date(2026, 9, 8), applicant_name="节后较晚者"),
        "waiting": register(world, received_on=date(2026, 8, 31), applicant_name="待补正者"),
        "street": register(world, agency=world.street, user=world.street_handler, received_on=date(2026, 9, 2),
                           applicant_name="街道者"),
    }
    transition(world.handler, cases["waiting"], Event.REQUEST_CORRECTION, date(2026, 9, 2), correction_kind="unclear", correction_items="请写明所需信息的名称、文号或形成时间")
    return cases


def test_each_handler_and_approver_gets_one_digest_of_their_agency(world, due_cases, mailoutbox, settings):
    settings.GONGKAI_BASE_URL = "https://gongkai.example.cn/"
    call_command("send_reminders", "--date", DAY.isoformat())
    by_recipient = {m.to[0]: m for m in mailoutbox}
    # Bureau: its handler and approver; the street: its handler. Registrars and supervisors: none.
    assert sorted(by_recipient) == ["bureau_approver@example.cn", "bureau_handler@example.cn",
                                    "street_handler@example.cn"]
    mail = by_recipient["bureau_handler@example.cn"]
    assert mail.subject == "【公开】某县财政局办理提醒（2026-09-30）：今日到期 1 件、3个工作日内到期 1 件、已逾期 1 件"
    body = mail.body
    for expected in ["【今日到期】1 件", "今日者", "【3个工作日内到期】1 件（2026-10-10 前届满）", "调休日者",
                     "【已逾期】1 件", "逾期者", "答复期限 2026-09-29",
                     f"https://gongkai.example.cn/cases/{due_cases['today'].pk}/",
                     f"https://gongkai.example.cn/lists/overdue/?agency={world.bureau.pk}"]:
        assert expected in body, expected
    assert "节后较晚者" not in body and "待补正者" not in body and "街道者" not in body
    street = by_recipient["street_handler@example.cn"].body
    assert "街道者" in street and "今日者" not in street


def test_no_mail_without_address_or_without_cases(world, due_cases, mailoutbox, capsys):
    User.objects.filter(username__in=["bureau_handler", "bureau_approver", "street_handler"]).update(email="")
    call_command("send_reminders", "--date", DAY.isoformat())
    assert mailoutbox == []
    # A day on which nothing is due within 3 working days and nothing is overdue: no mail at all.
    User.objects.filter(username="bureau_handler").update(email="bureau_handler@example.cn")
    call_command("send_reminders", "--date", "2026-08-20")
    assert mailoutbox == [] and "未发送邮件" in capsys.readouterr().out


def test_a_person_with_two_roles_gets_one_mail(world, due_cases, mailoutbox):
    Membership.objects.create(user=world.handler, agency=world.bureau, role=Membership.Role.APPROVER)
    call_command("send_reminders", "--date", DAY.isoformat())
    assert [m.to[0] for m in mailoutbox].count("bureau_handler@example.cn") == 1


def test_bad_date_is_a_chinese_error(db, mailoutbox):
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("send_reminders", "--date", "2026-02-30")
    assert mailoutbox == []


def test_a_bad_record_does_not_stop_the_other_reminders(world, due_cases, mailoutbox, capsys):
    # A line break in an agency's name would be a header injection; it is kept on one line.
    world.bureau.name = "某县财政局\nBcc: attacker@example.org"
    world.bureau.save()
    # An address that cannot be a header: this one mail fails, the others are sent.
    User.objects.filter(username="bureau_approver").update(email="approver@example.cn\nBcc: attacker@example.org")
    with pytest.raises(CommandError, match="1 封提醒邮件发送失败"):
        call_command("send_reminders", "--date", DAY.isoformat())
    sent = {m.to[0]: m for m in mailoutbox}
    assert sorted(sent) == ["bureau_handler@example.cn", "street_handler@example.cn"]
    subject = sent["bureau_handler@example.cn"].subject
    assert "\n" not in subject and subject.startswith("【公开】某县财政局 Bcc: attacker@example.org办理提醒")
    assert "发送失败" in capsys.readouterr().err
