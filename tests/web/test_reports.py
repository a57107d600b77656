"""Tables 3 and 4 from the registry, the year's close, the annual report assembled and rendered."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as DocxDocument

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.appeals.services import edit_appeal, file_review
from gongkai.apps.demo import county as demo
from gongkai.apps.cases.models import Application, YearClose
from gongkai.apps.cases.services import register_application, transition
from gongkai.apps.reports.services import assemble, close_year, render_report, save_narrative, save_table2
from gongkai.apps.reports.tables import table3, table4
from gongkai.apps.signoff.services import configure as configure_signoff
from gongkai.core import standard
from gongkai.core.report.checking import Severity, check_report
from gongkai.core.casework.lifecycle import Event, TransitionError
from gongkai.core.report.model import Report, table_values

User = get_user_model()
TODAY = date.today()
LAST = TODAY.year - 1


def person(received_on, applicant_type="natural_person", **extra):
    fields = dict(applicant_type=applicant_type, applicant_name="张三", phone="13800000000", channel="online",
                  received_on=received_on, description="本街道低保发放名单")
    if applicant_type == "natural_person":
        fields.update(id_type="居民身份证", id_number="370000199001011234")
    else:
        fields.update(contact_person="李四")
    fields.update(extra)
    return fields


@pytest.fixture
def office(db):
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county)
    street = Agency.objects.create(name="某街道办事处", kind=Agency.Kind.TOWNSHIP, parent=county)
    users = {}
    for name, agency, role in [("registrar", bureau, "registrar"), ("handler", bureau, "handler"),
                               ("approver", bureau, "approver"), ("supervisor", county, "supervisor"),
                               ("street_handler", street, "handler"), ("street_approver", street, "approver")]:
        users[name] = User.objects.create_user(name, password="x")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    configure_signoff(users["approver"], bureau, [], "本机关直接作出答复决定")  # no sign-off (docs/signoff.md)
    return {"county": county, "bureau": bureau, "street": street, **users}


def workday(year, month, day):
    d = date(year, month, day)
    while d.weekday() >= 5:
        d += timedelta(1)
    return d


def hand_made(office):
    """A small registry made through the registry's own functions, with the table-3 counts by hand."""
    bureau, reg, handler, approver = office["bureau"], office["registrar"], office["handler"], office["approver"]
    y = LAST

    def new(day, kind="natural_person"):
        return register_application(reg, bureau, **person(day, kind))

    # Received the year before, decided in LAST: carried over, granted.
    old = new(workday(y - 1, 12, 28))
    transition(handler, old, Event.DECIDE, workday(y, 1, 8), outcome="granted")
    # Received the year before and decided then: not in LAST at all.
    older = new(workday(y - 1, 3, 2))
    transition(handler, older, Event.DECIDE, workday(y - 1, 3, 10), outcome="granted")
    # Received in LAST:
    a = new(workday(y, 3, 2))  # granted
    transition(handler, a, Event.DECIDE, workday(y, 3, 10), outcome="granted")
    b = new(workday(y, 3, 3), "commercial")  # partial, replied and closed
    transition(handler, b, Event.DECIDE, workday(y, 3, 12), outcome="partial",
               decision_reasons="部分内容涉及商业秘密（《条例》第十五条）")
    transition(handler, b, Event.SEND_REPLY, workday(y, 3, 13), reply_channel="post", delivery_proof="EMS 1")
    c = new(workday(y, 4, 1))  # correction, received, then unable_unclear
    transition(handler, c, Event.REQUEST_CORRECTION, workday(y, 4, 3), correction_kind="unclear",
               correction_items="请写明所需文件的名称或文号")
    transition(handler, c, Event.RECEIVE_CORRECTION, workday(y, 4, 10))
    transition(handler, c, Event.DECIDE, workday(y, 4, 20), outcome="unable_unclear")
    d = new(workday(y, 5, 6), "legal_service")  # correction lapsed
    transition(handler, d, Event.REQUEST_CORRECTION, workday(y, 5, 7), correction_kind="incomplete",
               correction_items="请补充联系方式")
    transition(handler, d, Event.CORRECTION_LAPSED, workday(y, 6, 10))
    e = new(workday(y, 6, 1))  # withdrawn: other_other
    transition(handler, e, Event.WITHDRAW, workday(y, 6, 3))
    f = new(workday(y, 6, 1))  # the same request again: merged, never counted
    transition(handler, f, Event.MERGE, workday(y, 6, 2), merged_into=e)
    g = new(workday(y, 7, 1), "research")  # fee notice, not paid: other_unpaid_fee
    transition(handler, g, Event.SEND_FEE_NOTICE, workday(y, 7, 2), fee_method="per_page", fee_yuan=700,
               fee_notice_channel="email")
    transition(handler, g, Event.PAYMENT_LAPSED, workday(y, 8, 10))
    v = new(workday(y, 9, 1))  # a mistaken registration, voided: never counted
    transition(approver, v, Event.VOID, workday(y, 9, 2), "误将信访事项登记为政府信息公开申请")
    w = new(workday(y - 1, 12, 29), "commercial")  # registered the year before, voided in LAST: not carried over
    transition(approver, w, Event.VOID, workday(y, 1, 6), "登记到错误的机关")
    h = new(workday(y, 12, 28))  # still open at the year end: carried forward
    i = new(workday(y, 12, 1), "commercial")  # extended, decided in the next year: carried forward
    transition(approver, i, Event.EXTEND, workday(y, 12, 15))
    transition(handler, i, Event.DECIDE, workday(y + 1, 1, 12), outcome="unable_not_held")
    expected = {
        "new_received": {"natural_person": 4, "commercial": 2, "research": 1, "legal_service": 1},
        "carried_over": {"natural_person": 1},
        "granted": {"natural_person": 2},
        "partial": {"commercial": 1},
        "unable_unclear": {"natural_person": 1},
        "other_no_correction": {"legal_service": 1},
        "other_other": {"natural_person": 1},
        "other_unpaid_fee": {"research": 1},
        "total": {"natural_person": 4, "commercial": 1, "research": 1, "legal_service": 1},
        "carried_forward": {"natural_person": 1, "commercial": 1},
    }
    return expected, {"h": h, "i": i, "a": a, "b": b}


def test_table3_from_the_registry_equals_a_count_by_hand(office):
    expected, _ = hand_made(office)
    values = table_values(table3(office["bureau"], LAST))
    for row in standard.APPLICATIONS.row_keys:
        want = {c: expected.get(row, {}).get(c, 0) for c in standard.APPLICANT_KEYS}
        want["total"] = sum(want.values())
        assert values[row] == want, row
    assert not [f for f in _check(table3(office["bureau"], LAST), table4(office["bureau"], LAST)) if f.severity is Severity.ERROR]


def test_one_query_each_for_an_agency_and_a_subtree(office, django_assert_num_queries):
    hand_made(office)
    with django_assert_num_queries(1):
        table3(office["bureau"], LAST)
    with django_assert_num_queries(1):
        table3(office["county"].subtree(), LAST)
    with django_assert_num_queries(1):
        table4(office["county"].subtree(), LAST)


def test_close_year_freezes_the_tables_and_carries_over(office):
    _, cases = hand_made(office)
    bureau = office["bureau"]
    with pytest.raises(PermissionDenied):
        close_year(office["handler"], bureau, LAST)
    with pytest.raises(ValidationError, match="尚未结束"):
        close_year(office["approver"], bureau, TODAY.year)
    with pytest.raises(ValidationError, match=f"请先结转.*{LAST - 1}年"):
        close_year(office["approver"], bureau, LAST)  # the year before has applications and is open
    close_year(office["approver"], bureau, LAST - 1)
    closed = close_year(office["approver"], bureau, LAST)
    with pytest.raises(ValidationError, match="已经结转"):
        close_year(office["approver"], bureau, LAST)
    assert closed.tables["applications"] == table_values(table3(bureau, LAST))
    following = table_values(table3(bureau, LAST + 1))
    assert following["carried_over"] == closed.tables["applications"]["carried_forward"]
    assert following["carried_over"]["total"] == 2
    # The closed year no longer changes; the next one does.
    with pytest.raises(TransitionError, match="已结转"):
        transition(office["handler"], cases["h"], Event.DECIDE, workday(LAST, 12, 30), outcome="granted")
    with pytest.raises(TransitionError, match="已结转"):
        register_application(office["registrar"], bureau, **person(workday(LAST, 12, 29)))
    transition(office["handler"], cases["h"], Event.DECIDE, workday(LAST + 1, 1, 5), outcome="granted")
    assert table_values(table3(bureau, LAST)) == closed.tables["applications"]


def test_table4_counts_filed_in_the_year_with_the_result_at_its_end(office):
    _, cases = hand_made(office)
    handler = office["handler"]
    review = file_review(handler, cases["b"], case_number="复1", body="某县人民政府", filed_on=workday(LAST, 4, 1))
    edit_appeal(handler, review, "收到复议决定书", result="upheld", concluded_on=workday(LAST, 6, 1))
    late = file_review(handler, cases["a"], case_number="复2", body="某县人民政府", filed_on=workday(LAST, 12, 1))
    edit_appeal(handler, late, "收到复议决定书", result="corrected", concluded_on=workday(LAST + 1, 1, 20))
    from gongkai.apps.appeals.services import file_lawsuit

    file_lawsuit(handler, cases["b"], after_review=True, case_number="诉1", body="某县人民法院",
                 filed_on=workday(LAST, 6, 10), review=review)
    file_lawsuit(handler, cases["a"], after_review=False, case_number="诉2", body="某县人民法院",
                 filed_on=workday(LAST + 1, 2, 1))
    values = table_values(table4(office["bureau"], LAST))
    assert values["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert values["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert values["litigation_direct"]["total"] == 0
    assert table_values(table4(office["bureau"], LAST + 1))["litigation_direct"]["pending"] == 1


def _check(applications, review_litigation):
    """core.checking on a report made of the two tables (structure findings aside)."""
    report = Report(year=LAST, agency="某县财政局")
    report.tables["applications"], report.tables["review_litigation"] = applications, review_litigation
    return [f for f in check_report(report) if f.table in ("applications", "review_litigation")]


# Demo cases of one year, made through the registry's services as the demo makes them.
GENERATED = 2_000


@pytest.fixture
def generated_year(db):
    county = demo.create_county(seed=7)
    made = demo.generate_cases(county.agencies, GENERATED, LAST, seed=7, until=date(TODAY.year, 3, 31),
                               weights=county.weights, staff=county.staff)
    demo.generate_appeals(county.agencies, seed=7, until=date(TODAY.year, 3, 31))
    return county, made


def test_a_generated_year_passes_every_check_and_its_history_is_the_lifecycle_replayed(generated_year):
    """One test for both (the year, made through the services, takes minutes to generate)."""
    county, made = generated_year
    _passes_every_check_per_agency_and_aggregated(county, made)
    _history_is_the_lifecycle_replayed()


def _passes_every_check_per_agency_and_aggregated(county, made):
    assert made == GENERATED and Application.objects.count() == GENERATED
    assert len(county.agencies) == 50
    for scope in [*county.agencies, county.government.subtree()]:
        applications, review_litigation = table3(scope, LAST), table4(scope, LAST)
        errors = [f for f in _check(applications, review_litigation) if f.severity is Severity.ERROR]
        assert errors == [], (scope, errors)
    whole = table_values(table3(county.government.subtree(), LAST))
    merged = Application.objects.filter(state="merged").count()
    assert whole["new_received"]["total"] == GENERATED - merged and merged > 0
    assert whole["carried_forward"]["total"] > 0  # decided the next year (until 31 March)
    assert whole["other_no_correction"]["total"] > 0 and whole["other_other"]["total"] > 0
    assert whole["granted"]["total"] > whole["partial"]["total"] > whole["denied_state_secret"]["total"]
    assert whole["new_received"]["natural_person"] / whole["new_received"]["total"] > 0.8
    assert table_values(table4(county.government.subtree(), LAST))["review"]["total"] > 0


def _step_details(event) -> dict:
    """What a recorded step gave the lifecycle, read back from its ``after``."""
    from gongkai.core.casework import lifecycle

    after, step = event.after, Event(event.event)
    if step is Event.DECIDE:
        return {"outcome": after["outcome"], "decision": lifecycle.Decision(
            after["decision_reasons"], after["prohibiting_law"], after["other_agency_name"], after["other_agency_contact"])}
    out = {name: after[name] for name in lifecycle.STEP_DETAILS.get(step, ()) if name in after}
    if out.get("later_due_on"):
        out["later_due_on"] = date.fromisoformat(out["later_due_on"])
    return out


def _history_is_the_lifecycle_replayed():
    from gongkai.apps.cases.services import reply_deadline
    from gongkai.core.casework import lifecycle

    steps = {e.value for e in Event}
    for application in Application.objects.order_by("?")[:300].prefetch_related("events", "pauses"):
        events = list(application.events.all())
        assert events[0].event == "register"
        case = lifecycle.Case(received_on=application.received_on)
        for event in events:
            if event.event in steps:  # the lifecycle accepts each step, in order
                case = lifecycle.apply(case, Event(event.event), event.on, **_step_details(event))
        assert (case.state.value, case.outcome or "", case.decided_on) == (
            application.state, application.outcome, application.decided_on)
        changes = [e for e in events if e.event in steps]
        for before, after in zip(changes, changes[1:]):
            assert before.after == after.before  # each step starts where the previous one ended
        if application.due_on:
            assert application.due_on == reply_deadline(application).due


def _report_for(office, with_table2=True):
    hand_made(office)
    bureau, handler = office["bureau"], office["handler"]
    if with_table2:
        table2 = {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows}
        table2["admin_fees"]["amount"] = "12.3456"
        save_table2(handler, bureau, LAST, table2)
    save_narrative(handler, bureau, LAST, {"overview": "本年度继续推进政务公开。", "problems": "解读形式单一。"},
                   date(LAST + 1, 1, 20))
    return assemble(bureau, LAST)


def test_report_assembled_from_table2_the_registry_and_the_text_renders(office):
    assembled = _report_for(office)
    assert assembled.errors == []
    document = DocxDocument(io.BytesIO(render_report(assembled, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "本年度继续推进政务公开。" in text and "收取信息处理费700元" not in text  # the fee was never paid
    assert text.count("收取信息处理费") == 1  # section 六 states the fee once
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "12.3456" in cells
    html = render_report(assembled, "html").decode()
    assert "12.3456" in html and "某县财政局" in html
    # The drafted summary states the registry's numbers.
    assert "本年度共收到政府信息公开申请8件，上年结转1件" in html
    assert render_report(assembled, "pdf").startswith(b"%PDF")


def test_the_report_is_checked_against_the_deadline_of_the_agency_s_kind(office):
    # A zone's committee, whose name does not tell its kind: the agency record does.
    hand_made(office)
    bureau, handler = office["bureau"], office["handler"]
    bureau.name = "某县经济开发区管理委员会"
    bureau.save()
    save_table2(handler, bureau, LAST, {r.key: {c.key: 0 for c in r.columns} for r in standard.ACTIVE.rows})
    save_narrative(handler, bureau, LAST, {"overview": "本年度继续推进政务公开。"}, date(LAST + 1, 3, 2))

    def dates():
        return [(f.rule, f.severity) for f in assemble(bureau, LAST).findings if f.rule.startswith("D-")]

    assert dates() == [("D-late", Severity.ERROR)]  # a department: 31 January
    Agency.objects.filter(pk=bureau.pk).update(kind=Agency.Kind.COUNTY)
    bureau.refresh_from_db()
    assert dates() == []  # government-level: 31 March


def test_report_without_table2_is_refused_with_the_reason(office):
    from gongkai.apps.reports.services import ReportRefused

    assembled = _report_for(office, with_table2=False)
    with pytest.raises(ReportRefused, match="缺少表二"):
        render_report(assembled, "docx")


def test_table2_is_validated_and_every_change_kept(office):
    bureau, handler = office["bureau"], office["handler"]
    good = {r.key: {c.key: 0 for c in r.columns} for r in standard.ACTIVE.rows}
    bad = {**good, "licensing": {"decisions": -1}, "admin_fees": {"amount": "1.23456"}}
    with pytest.raises(ValidationError) as info:
        save_table2(handler, bureau, LAST, bad)
    assert "不能为负数" in str(info.value.message_dict["licensing.decisions"])
    assert "4位小数" in str(info.value.message_dict["admin_fees.amount"])
    with pytest.raises(PermissionDenied):
        save_table2(office["supervisor"], bureau, LAST, good)
    report = save_table2(handler, bureau, LAST, good)
    save_table2(handler, bureau, LAST, {**good, "penalty": {"decisions": 5}})
    revisions = list(report.revisions.order_by("at", "pk"))
    assert len(revisions) == 2 and revisions[1].before["penalty"] == {"decisions": 0}
    assert revisions[1].after["penalty"] == {"decisions": 5}


def test_year_page_per_role(office, client):
    _report_for(office)
    url = reverse("reports:year", args=[office["bureau"].pk, LAST])
    client.force_login(office["approver"])
    page = client.get(url).content.decode()
    assert "表三" in page and "<table" in page and "办理" in page and "结转" in page
    assert reverse("reports:download", args=[office["bureau"].pk, LAST, "docx"]) in page
    response = client.get(reverse("reports:download", args=[office["bureau"].pk, LAST, "docx"]))
    assert response.status_code == 200
    DocxDocument(io.BytesIO(response.content))
    # The supervisor reads the county aggregated, and writes nothing.
    client.force_login(office["supervisor"])
    page = client.get(reverse("reports:year", args=[office["county"].pk, LAST])).content.decode()
    assert "本机关及下级机关合计" in page and "某县财政局" in page
    assert client.post(reverse("reports:table2", args=[office["bureau"].pk, LAST]), {}).status_code == 403
    client.post(reverse("reports:close", args=[office["bureau"].pk, LAST]))
    assert not YearClose.objects.exists()
    # Another agency's staff do not see the bureau.
    client.force_login(office["street_handler"])
    assert client.get(url).status_code == 404


def test_year_page_forms_save_and_show_errors(office, client):
    hand_made(office)
    client.force_login(office["handler"])
    url = reverse("reports:table2", args=[office["bureau"].pk, LAST])
    data = {f"{r.key}__{c.key}": "0" for r in standard.ACTIVE.rows for c in r.columns}
    page = client.post(url, {**data, "penalty__decisions": "-3"}).content.decode()
    assert "不能为负数" in page
    assert client.post(url, {**data, "penalty__decisions": "3"}).status_code == 302
    page = client.get(reverse("reports:year", args=[office["bureau"].pk, LAST])).content.decode()
    assert 'value="3"' in page and "表二" in page


def test_closing_a_year_before_the_earlier_ones_links_to_each_open_year(office, client):
    hand_made(office)
    bureau = office["bureau"]
    client.force_login(office["approver"])
    response = client.post(reverse("reports:close", args=[bureau.pk, LAST]), follow=True)
    page = response.content.decode()
    assert "请先结转" in page
    assert f'<a href="{reverse("reports:year", args=[bureau.pk, LAST - 1])}">{LAST - 1}年</a>' in page
    assert not YearClose.objects.filter(agency=bureau, year=LAST).exists()
