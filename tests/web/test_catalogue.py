"""The catalogue on a real database: index numbers, the two-level review that alone publishes,
rejection and withdrawal, wrong and sensitive words, timeliness, the validity history and table
2, links, presets, and the staff pages per role."""

from __future__ import annotations

import http.server
import itertools
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.catalogue import categories, index_numbers, items, links, review, table2, timeliness, validity, words
from gongkai.apps.catalogue.models import (
    Category,
    Item,
    ItemAttachment,
    ItemEvent,
    LinkCheck,
    ReviewStep,
    ValidityChange,
)
from gongkai.apps.holidays.models import (
    HolidayDay,
    announce_calendar_change,
    work_calendar,
)
from gongkai.apps.reports.services import assemble, save_table2
from gongkai.core.casework import catalogue as rules
from gongkai.core import standard
from gongkai.core.report.model import table_values

User = get_user_model()
Role = Membership.Role
State = Item.State
TODAY = date.today()


@pytest.fixture
def office(db):
    """A county with a finance bureau (a drafter, a section head and a leader, both approvers)
    and its supervisor, and another county's handler, who must see nothing."""
    county = Agency.objects.create(name="某县人民政府", kind=Agency.Kind.COUNTY)
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT, parent=county,
                                   credit_code="11370000MB28123456")
    other = Agency.objects.create(name="另一县人民政府", kind=Agency.Kind.COUNTY)
    people = {}
    for key, name, agency, role in [("drafter", "王承办", bureau, Role.HANDLER),
                                    ("section_head", "李科长", bureau, Role.APPROVER),
                                    ("leader", "赵局长", bureau, Role.APPROVER),
                                    ("registrar", "孙登记", bureau, Role.REGISTRAR),
                                    ("supervisor", "钱主管", county, Role.SUPERVISOR),
                                    ("outsider", "周外县", other, Role.HANDLER)]:
        people[key] = User.objects.create_user(key, password=f"pw-{key}", last_name=name[0], first_name=name[1:])
        Membership.objects.create(user=people[key], agency=agency, role=role)
    categories.load_preset(bureau, "national")
    category = Category.objects.get(agency=bureau, name="行政规范性文件")
    return SimpleNamespace(county=county, bureau=bureau, other=other, category=category, **people)


def draft(office, user=None, **extra) -> Item:
    fields = {"category": office.category, "title": "某县财政局关于规范财政资金管理的通知", "publisher": "某县财政局",
              "made_on": TODAY - timedelta(days=3), "summary": "规范财政资金管理。", "body": "一、总体要求。",
              "kind": Item.Kind.OTHER, **extra}
    return items.create_item(user or office.drafter, office.bureau, **fields)


def publish(office, item: Item, on: date | None = None) -> Item:
    item = review.submit(office.drafter, item)
    item = review.approve_section(office.section_head, item, "经审查，不涉及国家秘密，同意公开。")
    return review.approve_leader(office.leader, item, "同意发布。", on=on)


# ------------------------------------------------------------------------ index numbers


def test_index_numbers_are_generated_per_agency_and_year_in_the_agencys_format(office):
    first, second = draft(office), draft(office)
    assert first.index_number == f"11370000MB28123456/{first.made_on.year}-00001"  # credit code by default
    assert second.index_number.endswith("-00002")
    index_numbers.save_settings(office.section_head, office.bureau, "014416330", "slash_month", 4)
    last_year = draft(office, made_on=date(TODAY.year - 1, 6, 1))
    assert last_year.index_number == f"014416330/{TODAY.year - 1}06-0001"  # a new year starts at 1
    with pytest.raises(PermissionDenied):
        index_numbers.save_settings(office.drafter, office.bureau, "014416330", "hyphen")
    with pytest.raises(ValidationError, match="斜杠"):
        index_numbers.save_settings(office.section_head, office.bureau, "0144/16330", "hyphen")


def test_existing_numbers_are_accepted_normalised_and_unique_per_agency(office):
    item = draft(office, index_number="０１４４１６３３０／２０１８－０４７３６")
    assert item.index_number == "014416330/2018-04736"
    with pytest.raises(ValidationError) as error:
        draft(office, index_number="014416330/2018-04736")
    assert "已被本机关的其他信息使用" in str(error.value.message_dict["index_number"])
    with pytest.raises(ValidationError, match="无法识别"):
        draft(office, index_number="关于某事")
    # Another agency may hold the same number.
    Membership.objects.create(user=office.outsider, agency=office.other, role=Role.APPROVER)
    categories.load_preset(office.other, "national")
    items.create_item(office.outsider, office.other, category=office.other.categories.first(), title="通知",
                         publisher="另一县", made_on=TODAY, index_number="014416330/2018-04736")
    # A generated number skips one entered by hand.
    index_numbers.save_settings(office.section_head, office.bureau, "XZF", "hyphen", 5)
    draft(office, index_number=f"XZF-{TODAY.year}-00001")
    assert draft(office, made_on=TODAY).index_number == f"XZF-{TODAY.year}-00002"


def test_an_agency_without_prefix_or_credit_code_must_enter_numbers(office):
    office.bureau.credit_code = ""
    office.bureau.save()
    with pytest.raises(ValidationError, match="尚未设置索引号前缀"):
        draft(office)
    assert not Item.objects.exists()


# ----------------------------------------------------------------------------- review


def test_draft_section_head_leader_publishes_with_the_secrecy_statements(office):
    item = draft(office, kind=Item.Kind.NORMATIVE_DOCUMENT, document_number="某财规〔2026〕1号",
                 effective_on=TODAY)
    item = publish(office, item)
    assert (item.state, item.published_on) == (State.PUBLISHED, TODAY)
    reviews = list(item.reviews.order_by("pk"))
    assert [(r.level, r.decision, r.user) for r in reviews] == [
        ("section", "approve", office.section_head), ("leader", "approve", office.leader)]
    assert reviews[0].statement.startswith("经审查")
    assert [e.event for e in item.events.order_by("pk")] == ["create", "submit", "approve_section", "publish"]
    publish_event = item.events.get(event="publish")
    assert publish_event.before["state"] == "leader_review" and publish_event.after["state"] == "published"
    # A normative document is in force from its effective date.
    assert [(c.validity, c.on) for c in item.validity_changes.all()] == [("in_force", TODAY)]
    assert item.validity == "in_force"


def test_four_eyes_and_roles(office):
    item = review.submit(office.section_head, draft(office, office.section_head))
    with pytest.raises(ValidationError, match="不能审核自己提交的信息"):
        review.approve_section(office.section_head, item, "同意")
    with pytest.raises(PermissionDenied):
        review.approve_section(office.drafter, item, "同意")  # a handler is no reviewer
    with pytest.raises(PermissionDenied):
        review.approve_section(office.supervisor, item, "同意")
    item = review.approve_section(office.leader, item, "同意")
    with pytest.raises(ValidationError, match="同一人不能既作科室负责人审核又作分管领导审签"):
        review.approve_leader(office.leader, item, "同意")
    with pytest.raises(ValidationError, match="不能审签自己提交的信息"):
        review.approve_leader(office.section_head, item, "同意")
    assert Item.objects.get(pk=item.pk).state == State.LEADER_REVIEW
    with pytest.raises(ValidationError, match="保密审查意见"):
        review.approve_section(office.leader, draft(office), "  ")


def test_no_route_publishes_an_unreviewed_item(office, client):
    item = draft(office)
    for state in (State.DRAFT, State.SECTION_REVIEW):
        if state == State.SECTION_REVIEW:
            item = review.submit(office.drafter, item)
        with pytest.raises(ValidationError, match="未经科室负责人审核同意"):
            review.approve_leader(office.leader, item, "同意")
    # The page: approving an item under the section head's review is the section step, never publication.
    client.force_login(office.leader)
    response = client.post(reverse("catalogue:approve", args=[item.pk]), {"statement": ""})
    assert response.status_code == 400 and Item.objects.get(pk=item.pk).state == State.SECTION_REVIEW
    # The database refuses a published item without both approvals.
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(state=State.PUBLISHED, published_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(state=State.WITHDRAWN, published_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewStep.objects.create(item=item, level="section", decision="approve", statement="", user=office.leader)
    # The admin shows items read-only.
    admin = User.objects.create_superuser("root", "root@example.cn", "pw")
    client.force_login(admin)
    response = client.post(reverse("admin:catalogue_item_change", args=[item.pk]), {"state": "published"})
    assert response.status_code == 403 and Item.objects.get(pk=item.pk).state == State.SECTION_REVIEW


def test_rejection_needs_a_reason_and_returns_the_item_for_editing(office):
    item = review.approve_section(office.section_head, review.submit(office.drafter, draft(office)), "同意")
    with pytest.raises(ValidationError, match="退回理由"):
        review.reject(office.leader, item, "")
    item = review.reject(office.leader, item, "标题不规范")
    assert item.state == State.REJECTED and item.editable
    assert item.section_approval is None and item.leader_approval is None
    item = items.edit_item(office.drafter, item, "按退回意见修改", title="某县财政局关于规范资金管理的通知")
    assert item.events.last().before["title"] != item.events.last().after["title"]
    # The new round needs both approvals again; the old one does not count.
    item = review.submit(office.drafter, item)
    with pytest.raises(ValidationError):
        review.approve_leader(office.leader, item, "同意")
    item = review.approve_section(office.section_head, item, "同意")
    item = review.approve_leader(office.leader, item, "同意")
    assert item.state == State.PUBLISHED
    assert [r.decision for r in item.reviews.order_by("pk")] == ["approve", "reject", "approve", "approve"]
    with pytest.raises(ValidationError, match="不能修改"):
        items.edit_item(office.drafter, item, "", title="改")


def test_withdrawal_of_a_published_item_with_its_reason(office):
    item = publish(office, draft(office))
    with pytest.raises(ValidationError, match="撤下理由"):
        review.withdraw(office.leader, item, " ")
    with pytest.raises(PermissionDenied):
        review.withdraw(office.drafter, item, "有误")
    item = review.withdraw(office.leader, item, "信息有误，需重新制作")
    assert (item.state, item.withdrawn_on) == (State.WITHDRAWN, TODAY)
    assert item.events.last().reason == "信息有误，需重新制作"
    with pytest.raises(ValidationError, match="只有已发布的信息可以撤下"):
        review.withdraw(office.leader, item, "再撤")


# ------------------------------------------------------------------ wrong and sensitive words


def test_sensitive_words_block_submission_until_an_approver_keeps_them(office):
    item = draft(office, body="涉及法轮功问题的处理，依据中华人民共合国有关法律。")
    findings = words.word_findings(item)
    assert {(f.rule.kind, f.rule.word) for f in findings} == {("sensitive", "法轮功"), ("wrong", "中华人民共合国")}
    with pytest.raises(ValidationError, match="含敏感词 法轮功"):
        review.submit(office.drafter, item)
    with pytest.raises(PermissionDenied):
        words.allow_words(office.drafter, item, "依法表述")
    with pytest.raises(ValidationError, match="理由"):
        words.allow_words(office.section_head, item, "")
    item = words.allow_words(office.section_head, item, "引用公安机关通报原文，表述准确")
    assert item.words_allowed == ["法轮功"]
    item = review.submit(office.drafter, item)  # a wrong form alone does not block
    assert item.state == State.SECTION_REVIEW


def test_the_offices_word_lists_are_used_with_or_without_the_defaults(office):
    with pytest.raises(ValidationError, match="第 2 行"):
        words.save_word_list(office.drafter, office.bureau, "wrong", "甲局 → 乙局\n只有一列\n")
    words.save_word_list(office.drafter, office.bureau, "wrong", "某县财政厅 → 某县财政局 # 机构名称\n")
    words.save_word_list(office.section_head, office.bureau, "sensitive", "内部资料\n", use_defaults=False,
                         reason="本机关使用自定的敏感词表")
    item = draft(office, body="某县财政厅印发内部资料。法轮功。中华人民共合国。")
    found = {(f.rule.kind, f.rule.word) for f in words.word_findings(item)}
    assert found == {("wrong", "某县财政厅"), ("sensitive", "内部资料"), ("wrong", "中华人民共合国")}
    with pytest.raises(PermissionDenied):
        words.save_word_list(office.supervisor, office.bureau, "wrong", "")


# --------------------------------------------------------------------------- timeliness


def test_deadline_and_the_late_list(office):
    made = date(2025, 9, 26)
    on_time = draft(office, made_on=made, title="按时发布")
    assert on_time.due_on == rules.active_disclosure_deadline(made, work_calendar()).due == date(2025, 10, 30)
    publish(office, on_time, on=date(2025, 10, 30))
    late = publish(office, draft(office, made_on=made, title="逾期发布"), on=date(2025, 10, 31))
    pending = draft(office, made_on=made, title="逾期未发布")
    fresh = draft(office, made_on=TODAY, title="新近生成")
    listed = list(timeliness.late_items(Agency.objects.filter(pk=office.bureau.pk), TODAY))
    assert set(listed) == {late, pending}
    assert fresh not in listed and late.late and not Item.objects.get(title="按时发布").late


def test_a_holiday_entered_moves_the_stored_deadlines(office, django_capture_on_commit_callbacks):
    item = draft(office, made_on=date(2025, 9, 26))
    with django_capture_on_commit_callbacks(execute=True):
        HolidayDay.objects.create(day=date(2025, 10, 13), workday=False, name="某临时假日")
        announce_calendar_change()
    item.refresh_from_db()
    assert item.due_on == date(2025, 10, 31)


# ---------------------------------------------------------------------- validity, table 2


def test_validity_history_rules(office):
    item = publish(office, draft(office, kind=Item.Kind.RULE, document_number="某政府令第1号",
                                 effective_on=TODAY - timedelta(days=1)))
    with pytest.raises(ValidationError, match="不能早于施行日期"):
        validity.record_validity(office.drafter, item, "repealed", TODAY - timedelta(days=2), "某决定")
    with pytest.raises(ValidationError, match="依据"):
        validity.record_validity(office.drafter, item, "repealed", TODAY, "")
    with pytest.raises(ValidationError, match="已登记"):
        validity.record_validity(office.drafter, item, "in_force", TODAY, "")
    with pytest.raises(PermissionDenied):
        validity.record_validity(office.supervisor, item, "repealed", TODAY, "某决定")
    validity.record_validity(office.drafter, item, "repealed", TODAY, "某政府令第9号废止")
    item.refresh_from_db()
    assert (item.validity, item.repealed_on) == ("repealed", TODAY)
    with pytest.raises(ValidationError, match="已废止"):
        validity.record_validity(office.drafter, item, "expired", TODAY, "到期")
    with pytest.raises(ValidationError, match="只有已发布"):
        validity.record_validity(office.drafter, draft(office), "in_force", TODAY, "")
    with pytest.raises(IntegrityError), transaction.atomic():  # one issue per item, in the database too
        ValidityChange.objects.create(item=item, validity="in_force", on=TODAY, user=office.drafter)


def test_submission_of_a_rule_needs_its_number_and_effective_date(office):
    item = draft(office, kind=Item.Kind.RULE)
    with pytest.raises(ValidationError) as error:
        review.submit(office.drafter, item)
    assert {"规章应填写文号", "规章应填写施行日期（有效性自施行日期起算）"} <= set(error.value.messages)


HISTORY_YEARS = (2019, 2020, 2021, 2022)
ENTRY = st.tuples(
    st.sampled_from([Item.Kind.RULE, Item.Kind.NORMATIVE_DOCUMENT, Item.Kind.OTHER]),
    st.dates(date(2019, 1, 1), date(2022, 12, 31)),  # effective
    st.one_of(st.none(), st.tuples(st.sampled_from(["repealed", "expired"]), st.integers(0, 1500))),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(ENTRY, max_size=8))
def test_table2_from_the_catalogue_equals_the_counts_of_the_validity_history(office, history):
    agency = Agency.objects.create(name=f"某局{Agency.objects.count()}", kind=Agency.Kind.DEPARTMENT,
                                   credit_code="11370000MB28123456")
    for user in (office.drafter, office.section_head, office.leader):
        Membership.objects.create(user=user, agency=agency, role=Membership.objects.get(
            user=user, agency=office.bureau).role)
    category = Category.objects.create(agency=agency, name="文件")
    ends = []
    for kind, effective, end in history:
        item = items.create_item(office.drafter, agency, category=category, title="文件", publisher="某局",
                                    made_on=effective, kind=kind, document_number="某规〔2020〕1号",
                                    effective_on=effective, body="正文")
        item = review.approve_section(office.section_head, review.submit(office.drafter, item), "同意")
        item = review.approve_leader(office.leader, item, "同意")
        end_on = None
        if end is not None and effective + timedelta(days=end[1]) <= TODAY:
            end_on = effective + timedelta(days=end[1])
            validity.record_validity(office.drafter, item, end[0], end_on, "废止决定")
        ends.append((kind, effective, end_on))
    for year in (*HISTORY_YEARS, 2023, 2024):
        expected = {}
        for kind in ("rules", "normative_documents"):
            mine = [(e, x) for k, e, x in ends if k == kind]
            last_day = date(year, 12, 31)
            expected[kind] = {
                "issued": sum(e.year == year for e, _ in mine),
                "repealed": sum(x is not None and x.year == year for _, x in mine),
                "in_force": sum(e <= last_day and (x is None or x > last_day) for e, x in mine),
            }
        assert table2.table2_counts(agency, year) == expected
    kinds = {k for k, _, _ in history if k != Item.Kind.OTHER}
    assert set(table2.catalogue_table2_rows(agency, 2021)) == kinds


def test_annual_report_keeps_the_offices_table2_and_suggests_the_catalogues_counts(office):
    year = TODAY.year - 1
    table2 = {r.key: {c.key: 7 for c in r.columns} for r in standard.ACTIVE.rows}
    table2["admin_fees"]["amount"] = "1.5"
    save_table2(office.drafter, office.bureau, year, table2)
    before = table_values(assemble(office.bureau, year).report.tables["active"])
    assert before["normative_documents"] == {"issued": 7, "repealed": 7, "in_force": 7}
    for effective in (date(year, 3, 1), date(year - 1, 5, 1)):
        publish(office, draft(office, kind=Item.Kind.NORMATIVE_DOCUMENT, document_number="某财规〔2025〕1号",
                              made_on=effective, effective_on=effective))
    assembled = assemble(office.bureau, year)
    assert table_values(assembled.report.tables["active"]) == before  # the office's figures are published
    assert assembled.catalogue_table2 == {"normative_documents": {"issued": 1, "repealed": 0, "in_force": 2}}
    # The year page of the report shows the catalogue's counts as a suggestion.
    client = Client()
    client.force_login(office.drafter)
    page = client.get(reverse("reports:year", args=[office.bureau.pk, year])).content.decode()
    assert "行政规范性文件：本年制发 1 件，本年废止 0 件，现行有效 2 件" in page and "规章：本年制发" not in page


# ------------------------------------------------------------------------------- links


@pytest.fixture
def web_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, body: bool):
            # /ok answers, /no-head refuses HEAD but answers GET, /to-file redirects to a file, the rest is missing.
            if self.path.startswith("/to-file"):
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
            elif self.path.startswith("/ok") or (self.path.startswith("/no-head") and self.command == "GET"):
                self.send_response(200)
            else:
                self.send_response(405 if self.path.startswith("/no-head") else 404)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")

        def do_HEAD(self):
            self._answer(False)

        def do_GET(self):
            self._answer(True)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_links_fetches_only_the_items_own_links_and_records_them(office, web_server, capsys, settings):
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = True  # the test's server is on 127.0.0.1 (refused by default)
    body = (f"见 {web_server}/ok/page.html，另见 {web_server}/missing.html 和 {web_server}/no-head/a 、"
            f"{web_server}/to-file 以及 file:///etc/hosts")
    item = draft(office, body=body)
    draft(office, body="没有链接")
    Membership.objects.create(user=office.outsider, agency=office.other, role=Role.APPROVER)
    categories.load_preset(office.other, "national")
    items.create_item(office.outsider, office.other, category=office.other.categories.first(), title="外县",
                         publisher="外县", made_on=TODAY, body=f"{web_server}/other-agency", index_number="外县/2026-1")
    call_command("check_links", "--agency", str(office.bureau.pk), "--timeout", "5")
    results = {c.url.removeprefix(web_server): (c.ok, c.status) for c in LinkCheck.objects.all()}
    assert results == {"/ok/page.html": (True, 200), "/missing.html": (False, 404), "/no-head/a": (True, 200),
                       "/to-file": (False, 302), "file:///etc/hosts": (False, None)}
    assert "重定向到不允许的地址" in LinkCheck.objects.get(url__endswith="/to-file").error
    assert all(c.item_id == item.pk for c in LinkCheck.objects.all())
    assert "共检查链接 5 个，不可访问 3 个" in capsys.readouterr().out
    # The latest result of each link, failures first, on the page.
    call_command("check_links", "--agency", str(office.bureau.pk))
    latest = list(links.latest_link_checks(Agency.objects.filter(pk=office.bureau.pk)))
    assert len(latest) == 5 and [c.ok for c in latest] == [False, False, False, True, True]


# ----------------------------------------------------------------------------- presets


def test_presets_are_loaded_once_by_the_command(office, capsys):
    call_command("load_catalogue_preset", "--agency", str(office.bureau.pk), "--preset", "grassroots")
    root = Category.objects.get(agency=office.bureau, name="基层政务公开标准目录")
    assert list(root.children.order_by("position").values_list("name", flat=True)) == list(rules.GRASSROOTS_AREAS)
    count = Category.objects.count()
    call_command("load_catalogue_preset", "--agency", str(office.bureau.pk), "--preset", "national")
    call_command("load_catalogue_preset", "--agency", str(office.bureau.pk), "--preset", "grassroots")
    assert Category.objects.count() == count
    assert "新增分类 0 个" in capsys.readouterr().out
    tree = categories.category_tree(office.bureau)
    assert tree[0].category.name == "机构职能" and tree[1].depth == 1


# ------------------------------------------------------------------------------ pages


def test_pages_per_role(office, client):
    item = publish(office, draft(office))
    waiting = review.submit(office.drafter, draft(office, title="待审核的通知"))
    pages = [reverse(name) for name in ("catalogue:list", "catalogue:queue", "catalogue:late", "catalogue:links",
                                        "catalogue:words", "catalogue:setup")]
    for user in (office.drafter, office.leader, office.supervisor):
        client.force_login(user)
        for url in pages + [reverse("catalogue:item", args=[item.pk])]:
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(office.supervisor)  # read-only
    assert client.get(reverse("catalogue:edit", args=[waiting.pk])).status_code == 403
    assert client.post(reverse("catalogue:approve", args=[waiting.pk]), {"statement": "同意"}).status_code == 403
    assert client.post(reverse("catalogue:withdraw", args=[item.pk]), {"reason": "撤"}).status_code == 403
    assert client.get(reverse("catalogue:create")).status_code == 403
    client.force_login(office.outsider)  # another county: nothing exists
    assert client.get(reverse("catalogue:item", args=[item.pk])).status_code == 404
    assert client.post(reverse("catalogue:reject", args=[waiting.pk]), {"reason": "x"}).status_code == 404
    assert "待审核的通知" not in client.get(reverse("catalogue:list")).content.decode()
    client.force_login(office.drafter)  # a handler drafts but does not review
    assert client.post(reverse("catalogue:approve", args=[waiting.pk]), {"statement": "同意"}).status_code == 403
    assert client.get(reverse("catalogue:setup") + f"?agency={office.other.pk}").status_code == 404
    assert Item.objects.get(pk=waiting.pk).state == State.SECTION_REVIEW


def test_list_filters_and_queue(office, client):
    publish(office, draft(office, title="已发布的通知"))
    review.submit(office.drafter, draft(office, title="提交的通知"))
    draft(office, title="去年的通知", made_on=date(TODAY.year - 1, 5, 1),
          category=Category.objects.get(agency=office.bureau, name="规章"))
    client.force_login(office.section_head)

    def titles(**query):
        page = client.get(reverse("catalogue:list"), query).content.decode()
        return {t for t in ("已发布的通知", "提交的通知", "去年的通知") if t in page}

    assert titles() == {"已发布的通知", "提交的通知", "去年的通知"}
    assert titles(state="published") == {"已发布的通知"}
    assert titles(year=TODAY.year - 1) == {"去年的通知"}
    assert titles(category=office.category.pk) == {"已发布的通知", "提交的通知"}
    assert titles(q="去年") == {"去年的通知"}
    queue = client.get(reverse("catalogue:queue")).content.decode()
    assert "提交的通知" in queue and "已发布的通知" not in queue


def test_staff_draft_submit_review_and_publish_through_the_pages(office, client):
    client.force_login(office.drafter)
    form = {"agency": office.bureau.pk, "category": office.category.pk, "title": "关于印发某办法的通知",
            "publisher": "某县财政局", "made_on": TODAY.isoformat(), "kind": "other", "summary": "概述",
            "body": "正文，见 https://www.example.gov.cn/a.html 。", "channels": ["portal", "gazette"],
            "index_number": ""}
    response = client.post(reverse("catalogue:create"), {**form, "title": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(reverse("catalogue:create"), form)
    item = Item.objects.get(title="关于印发某办法的通知")
    assert response.url == reverse("catalogue:item", args=[item.pk])
    assert item.channels == ["portal", "gazette"] and item.state == State.DRAFT
    upload = SimpleUploadedFile("附件.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("catalogue:attach", args=[item.pk]), {"file": upload})
    attachment = ItemAttachment.objects.get(item=item)
    assert attachment.sha256 == __import__("hashlib").sha256(b"%PDF-1.4 test").hexdigest()
    assert b"".join(client.get(reverse("catalogue:attachment", args=[item.pk, attachment.pk])).streaming_content) \
        == b"%PDF-1.4 test"
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    client.post(reverse("catalogue:attach", args=[item.pk]), {"file": bad})
    assert ItemAttachment.objects.filter(item=item).count() == 1
    page = client.get(reverse("catalogue:submit", args=[item.pk])).content.decode()
    assert "https://www.example.gov.cn/a.html" in page and "检查通过" in page
    client.post(reverse("catalogue:submit", args=[item.pk]))
    client.force_login(office.section_head)
    response = client.post(reverse("catalogue:approve", args=[item.pk]), {"statement": ""})
    assert response.status_code == 400 and Item.objects.get(pk=item.pk).state == State.SECTION_REVIEW
    client.post(reverse("catalogue:approve", args=[item.pk]), {"statement": "不涉密，同意"})
    page = client.get(reverse("catalogue:item", args=[item.pk])).content.decode()
    assert "您已作科室负责人审核，须由另一位审核人审签发布" in page
    response = client.post(reverse("catalogue:approve", args=[item.pk]), {"statement": "同意"})
    assert response.status_code == 400 and "同一人不能" in response.content.decode()
    client.force_login(office.leader)
    client.post(reverse("catalogue:approve", args=[item.pk]), {"statement": "同意发布"})
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and item.published_on == TODAY
    page = client.get(reverse("catalogue:item", args=[item.pk])).content.decode()
    assert "不涉密，同意" in page and "同意发布" in page and "分管领导审签并发布" in page


def test_words_and_setup_pages_save_what_staff_enter(office, client):
    client.force_login(office.drafter)
    url = reverse("catalogue:words")
    response = client.post(url, {"agency": office.bureau.pk, "kind": "wrong", "wrong-entries": "甲 → 乙\n坏行\n",
                                 "wrong-use_defaults": "on"})
    assert response.status_code == 400 and "第 2 行" in response.content.decode()
    client.post(url, {"agency": office.bureau.pk, "kind": "sensitive", "sensitive-entries": "内部资料",
                      "sensitive-use_defaults": "on"})
    assert "内部资料" in [r.word for r in words.word_rules(office.bureau) if r.kind == "sensitive"]
    client.post(reverse("catalogue:preset"), {"agency": office.bureau.pk, "preset": "grassroots"})
    assert Category.objects.filter(agency=office.bureau, name="社会保险").exists()
    client.post(reverse("catalogue:add_category"), {"agency": office.bureau.pk, "name": "本局专栏", "code": "",
                                                    "parent": ""})
    assert Category.objects.filter(agency=office.bureau, name="本局专栏", parent=None).exists()
    assert client.post(reverse("catalogue:settings"), {"agency": office.bureau.pk, "index_prefix": "X",
                                                       "index_format": "hyphen", "serial_digits": 5}).status_code == 403
    client.force_login(office.section_head)
    client.post(reverse("catalogue:settings"), {"agency": office.bureau.pk, "index_prefix": "014416330",
                                                "index_format": "hyphen", "serial_digits": 5})
    assert index_numbers.settings_for(office.bureau).index_format == "hyphen"
    client.post(url, {"agency": office.bureau.pk, "kind": "sensitive", "sensitive-entries": "内部资料",
                      "sensitive-reason": "改用本机关词表"})  # an approver switches the defaults off
    assert [r.word for r in words.word_rules(office.bureau) if r.kind == "sensitive"] == ["内部资料"]
    assert "改用本机关词表" in client.get(url + f"?agency={office.bureau.pk}").content.decode()
    client.force_login(office.supervisor)
    assert client.post(url, {"agency": office.bureau.pk, "kind": "sensitive",
                             "sensitive-entries": "x"}).status_code == 403


def test_every_change_is_in_the_history_and_never_deleted(office):
    item = publish(office, draft(office, kind=Item.Kind.NORMATIVE_DOCUMENT, document_number="某财规〔2026〕2号",
                                 effective_on=TODAY))
    validity.record_validity(office.drafter, item, "expired", TODAY, "有效期届满")
    events = list(item.events.order_by("pk"))
    for before, after in itertools.pairwise(events[1:]):
        assert before.after == after.before  # each change starts where the previous one ended
    assert events[-1].event == ItemEvent.Event.VALIDITY and events[-1].after["validity"] == "expired"
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).delete()


def test_the_history_says_recorded_values_in_words(office):
    from gongkai.apps.catalogue.history import item_history, readable

    category = Category.objects.filter(agency=office.bureau).first()
    assert readable("同时发布的渠道", ["portal", "gazette"]) == "门户网站、政府公报"
    assert readable("目录分类", category.pk) == category.name
    assert readable("有效性", "expired") == "已失效"
    assert readable("信息类别", "") == "（空）" and readable("同时发布的渠道", []) == "（空）"
    item = publish(office, draft(office, kind=Item.Kind.NORMATIVE_DOCUMENT, document_number="某财规〔2026〕3号",
                                 effective_on=TODAY))
    validity.record_validity(office.drafter, item, "expired", TODAY, "有效期届满")
    last = item_history(item)[-1]
    assert ("有效性", "现行有效", "已失效") in last.changes


def test_submit_page_shows_findings_and_blocks_sensitive_words_until_kept(office, client):
    item = draft(office, body="依据中华人民共合国有关规定，涉及法轮功问题。")
    client.force_login(office.drafter)
    page = client.get(reverse("catalogue:submit", args=[item.pk])).content.decode()
    assert "“中华人民共合国”应为“中华人民共和国”" in page and "含未经确认的敏感词：法轮功" in page
    assert "确认保留敏感词" not in page  # a handler cannot keep them
    response = client.post(reverse("catalogue:submit", args=[item.pk]))
    assert response.status_code == 400 and Item.objects.get(pk=item.pk).state == State.DRAFT
    assert client.post(reverse("catalogue:allow_words", args=[item.pk]), {"reason": "x"}).status_code == 403
    client.force_login(office.section_head)
    client.post(reverse("catalogue:allow_words", args=[item.pk]), {"reason": "引用通报原文"})
    client.force_login(office.drafter)
    assert client.post(reverse("catalogue:submit", args=[item.pk])).status_code == 302
    assert Item.objects.get(pk=item.pk).state == State.SECTION_REVIEW


def test_a_person_of_two_agencies_drafts_in_the_one_chosen(office, client):
    Membership.objects.create(user=office.drafter, agency=office.other, role=Role.HANDLER)
    Category.objects.create(agency=office.other, name="外县专栏")
    client.force_login(office.drafter)
    page = client.get(reverse("catalogue:create") + f"?agency={office.other.pk}").content.decode()
    assert "外县专栏" in page and "政策解读" not in page
    page = client.get(reverse("catalogue:create")).content.decode()
    assert "外县专栏" not in page and "政策解读" in page
    category = Category.objects.get(name="外县专栏")
    client.post(reverse("catalogue:create"), {
        "agency": office.other.pk, "category": category.pk, "title": "外县通知", "publisher": "另一县人民政府",
        "made_on": TODAY.isoformat(), "kind": "other", "index_number": "外县/2026-7"})
    assert Item.objects.get(title="外县通知").agency == office.other
    # A category of another agency is refused.
    response = client.post(reverse("catalogue:create"), {
        "agency": office.bureau.pk, "category": category.pk, "title": "错配", "publisher": "某县财政局",
        "made_on": TODAY.isoformat(), "kind": "other"})
    assert response.status_code == 400 and not Item.objects.filter(title="错配").exists()


def test_table2_counts_are_one_aggregate_query(office, django_assert_num_queries):
    for effective in (TODAY - timedelta(days=400), TODAY - timedelta(days=1)):
        publish(office, draft(office, kind=Item.Kind.RULE, document_number="某政府令第2号", made_on=effective,
                              effective_on=effective))
    with django_assert_num_queries(1):
        counts = table2.table2_counts(office.bureau, TODAY.year)
    assert counts["rules"]["in_force"] == 2 and counts["normative_documents"] == {"issued": 0, "repealed": 0,
                                                                                 "in_force": 0}


def test_a_missing_index_number_prefix_links_to_the_catalogue_settings(office, client):
    office.bureau.credit_code = ""
    office.bureau.save()
    client.force_login(office.drafter)
    response = client.post(reverse("catalogue:create"), {
        "agency": office.bureau.pk, "category": office.category.pk, "title": "关于印发某办法的通知",
        "publisher": "某县财政局", "made_on": TODAY.isoformat(), "kind": "other", "index_number": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "尚未设置索引号前缀" in page
    assert f'<a href="{reverse("catalogue:setup")}?agency={office.bureau.pk}">“目录设置”</a>' in page
    assert not Item.objects.exists()
