"""The public portal: agencies, guide, catalogue by category, item pages, annual reports and the
Atom feed, on real data made through the catalogue's own review (drafted, approved twice,
published). Nothing that is not published is shown by any route.

The helpers at the top (``build_portal_data``, ``publish``, ``draft``, ``closed_report``) are used by
test_search.py, test_api.py and the browser tests too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from lxml import etree, html

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.catalogue import items, review
from gongkai.apps.catalogue.models import Category, Item
from gongkai.apps.letters.models import LetterSettings
from gongkai.apps.reports.services import close_year, save_narrative, save_table2
from gongkai.core import standard
from gongkai.core.casework.workdays import show

User = get_user_model()
TODAY = date.today()
LAST_YEAR = TODAY.year - 1
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Office:
    """An agency with the three people its review needs, and its catalogue categories."""

    agency: Agency
    handler: object
    section_head: object
    leader: object
    categories: dict[str, Category] = field(default_factory=dict)


def make_office(name: str, parent: Agency | None = None, tag: str = "") -> Office:
    agency = Agency.objects.create(name=name, kind=Agency.Kind.DEPARTMENT if parent else Agency.Kind.COUNTY,
                                   parent=parent)
    Agency.objects.filter(pk=agency.pk).update(credit_code=f"1137{agency.pk:014d}")  # the index number prefix
    agency.refresh_from_db()
    people = []
    for role_name, role in (("handler", Membership.Role.HANDLER), ("section", Membership.Role.APPROVER),
                            ("leader", Membership.Role.APPROVER)):
        user = User.objects.create_user(f"{role_name}{tag}{agency.pk}", password="x")
        Membership.objects.create(user=user, agency=agency, role=role)
        people.append(user)
    office = Office(agency, *people)
    top = Category.objects.create(agency=agency, name="政策文件", position=1)
    office.categories = {
        "policy": top,
        "normative": Category.objects.create(agency=agency, parent=top, name="行政规范性文件", position=1),
        "assistance": Category.objects.create(agency=agency, name="社会救助", position=2),
        "finance": Category.objects.create(agency=agency, name="财政信息", position=3),
    }
    return office


def draft(office: Office, category: str, title: str, summary: str = "", body: str = "", days_ago: int = 10,
          **fields) -> Item:
    return items.create_item(office.handler, office.agency, category=office.categories[category], title=title,
                                 summary=summary, body=body or summary or title, publisher=office.agency.name,
                                 made_on=TODAY - timedelta(days=days_ago), **fields)


def publish(office: Office, category: str, title: str, summary: str = "", body: str = "", days_ago: int = 10,
            published_days_ago: int = 0, **fields) -> Item:
    """An item drafted, submitted, approved by the section head and by the leader: published."""
    item = draft(office, category, title, summary, body, days_ago, **fields)
    item = review.submit(office.handler, item)
    item = review.approve_section(office.section_head, item, "经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开")
    item = review.approve_leader(office.leader, item, "同意发布", on=TODAY - timedelta(days=published_days_ago))
    assert item.state == Item.State.PUBLISHED
    return item


def closed_report(office: Office, year: int = LAST_YEAR) -> None:
    """The agency's annual report of ``year`` written (table 2, narrative) and the year closed."""
    table2 = {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows}
    table2["admin_fees"]["amount"] = "0.5"
    save_table2(office.leader, office.agency, year, table2)
    save_narrative(office.leader, office.agency, year,
                   {"overview": "本年度本机关坚持以公开为常态、不公开为例外，持续推进政务公开。",
                    "problems": "政策解读形式较为单一，下一年度将增加图解。"}, date(year + 1, 1, 20))
    close_year(office.leader, office.agency, year)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The portal caches category counts per agency id; ids come again in a new test database."""
    cache.clear()


@pytest.fixture
def portal_data(db):
    return build_portal_data()


def build_portal_data() -> dict:
    """Two agencies with published items, a draft, an item under review, a withdrawn item and a
    closed annual report."""
    county = make_office("某县人民政府")
    bureau = make_office("某县民政局", parent=county.agency)
    LetterSettings.objects.create(agency=bureau.agency, review_body="某县人民政府", court="某县人民法院",
                                  contact_phone="0531-12345678", contact_address="某县人民路1号",
                                  updated_by=bureau.leader)
    items = {
        "subsistence": publish(bureau, "assistance", "关于调整城乡居民最低生活保障标准的通知",
                               "自本年7月1日起，城市低保标准提高到每人每月900元，农村低保标准提高到每人每月700元。",
                               "各乡镇人民政府、街道办事处：\n为保障困难群众基本生活，经县人民政府同意，现将调整城乡低保标准有关事项通知如下。",
                               document_number="某民发〔2026〕3号", published_days_ago=2),
        "normative": publish(bureau, "normative", "某县临时救助实施办法",
                             "规范临时救助的对象、标准和程序。", kind=Item.Kind.NORMATIVE_DOCUMENT,
                             document_number="某民规〔2026〕1号", effective_on=TODAY - timedelta(days=5),
                             published_days_ago=1),
        "budget": publish(county, "finance", "某县本级部门预算公开说明", "公开本年度县本级部门预算和“三公”经费预算。",
                          published_days_ago=3),
        "draft": draft(bureau, "assistance", "关于低保资金发放的内部草稿", "低保资金发放名单草稿，尚未审核。"),
        "review": review.submit(bureau.handler, draft(bureau, "assistance", "低保审核中的通知", "低保审核中的内容。")),
        "withdrawn": review.withdraw(bureau.leader, publish(bureau, "assistance", "已撤下的低保公示",
                                                               "低保公示内容，已撤下。"), "公示期满"),
    }
    closed_report(bureau)
    return {"county": county, "bureau": bureau, "items": items}


def hidden(portal_data) -> list[Item]:
    return [portal_data["items"][k] for k in ("draft", "review", "withdrawn")]


def page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, html.fromstring(response.content.decode())


def assert_accessible(tree) -> None:
    """The basics every public page keeps: language, skip link, landmarks, one h1, labelled
    inputs, header cells with scope."""
    assert tree.getroottree().getroot().get("lang") == "zh-Hans"
    assert tree.xpath("//a[@class='skip' and @href='#main']")
    assert tree.xpath("//header") and tree.xpath("//main[@id='main']") and tree.xpath("//nav") and tree.xpath("//footer")
    # One header on every page, holding the column's navigation (政府信息公开专栏).
    assert len(tree.xpath("//header")) == 1
    assert [a.text_content() for a in tree.xpath("//header//nav[@aria-label='政府信息公开栏目']//a")][1:] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开"]
    assert len(tree.xpath("//h1")) == 1
    for control in tree.xpath("//input[not(@type='hidden')] | //select | //textarea"):
        labelled = tree.xpath(f"//label[@for='{control.get('id')}']") or control.get("aria-label")
        assert control.get("id") and labelled, etree.tostring(control)
    for th in tree.xpath("//th"):
        assert th.get("scope") in ("row", "col", "rowgroup", "colgroup"), etree.tostring(th)


# ----------------------------------------------------------------------------- the pages


def test_home_lists_agencies_and_the_latest_published(client, portal_data):
    response, tree = page(client, reverse("portal:home"))
    assert_accessible(tree)
    text = tree.text_content()
    assert "某县人民政府" in text and "某县民政局" in text
    assert "关于调整城乡居民最低生活保障标准的通知" in text
    for item in hidden(portal_data):
        assert item.title not in text


def test_home_goes_straight_to_the_only_agency(client, db):
    office = make_office("某乡人民政府")
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:agency", args=[office.agency.pk])


def test_agency_home_has_tree_latest_and_reports(client, portal_data):
    bureau = portal_data["bureau"].agency
    response, tree = page(client, reverse("portal:agency", args=[bureau.pk]))
    assert_accessible(tree)
    text = tree.text_content()
    assert "某县临时救助实施办法" in text and "某县本级部门预算公开说明" not in text  # another agency's item
    assert f"{LAST_YEAR}年政府信息公开工作年度报告" in text
    counts = {a.text_content().strip(): a for a in tree.xpath("//nav[@aria-labelledby='tree-title']//a")}
    assert any(k.startswith("社会救助") and k.endswith("1") for k in counts)  # only the one published
    for item in hidden(portal_data):
        assert item.title not in text


def test_catalogue_by_category_newest_first_with_subcategories_and_pages(client, portal_data):
    bureau = portal_data["bureau"]
    for n in range(22):
        publish(bureau, "normative", f"第{n}号规范性文件清理结果", "清理结果。", kind=Item.Kind.OTHER,
                days_ago=40, published_days_ago=30 - n)
    policy = bureau.categories["policy"]
    response, tree = page(client, reverse("portal:category", args=[bureau.agency.pk, policy.pk]))
    assert_accessible(tree)
    titles = [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")]
    # The parent category lists its subcategory's items, 20 a page, newest first.
    assert len(titles) == 20 and titles[0] == "某县临时救助实施办法" and titles[1] == "第21号规范性文件清理结果"
    assert "共 23 条" in tree.text_content()
    response, tree = page(client, reverse("portal:category", args=[bureau.agency.pk, policy.pk]) + "?page=2")
    titles = [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")]
    assert titles == ["第2号规范性文件清理结果", "第1号规范性文件清理结果", "第0号规范性文件清理结果"]
    # The tree marks the current category.
    assert tree.xpath("//nav[contains(@class, 'tree')]//a[@aria-current='page']/span[1]")[0].text == "政策文件"


def test_category_counts_follow_publication(client, portal_data):
    bureau = portal_data["bureau"]
    url = reverse("portal:category", args=[bureau.agency.pk, bureau.categories["assistance"].pk])
    _, tree = page(client, url)
    assert "共 1 条" in tree.text_content()
    publish(bureau, "assistance", "新发布的救助信息", "救助。")
    _, tree = page(client, url)
    assert "共 2 条" in tree.text_content() and len(tree.xpath("//ol[@class='items']/li")) == 2


def test_kept_catalogue_pages_follow_every_change(client, portal_data, django_assert_num_queries):
    bureau = portal_data["bureau"]
    url = reverse("portal:catalogue", args=[bureau.agency.pk])
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):  # kept: only the agency and its revision are read
        assert client.get(url).content.decode() == first
    # Publication, withdrawal, a category renamed, the agency renamed: each shows at once.
    item = publish(bureau, "assistance", "新发布的救助信息", "救助。")
    assert "新发布的救助信息" in client.get(url).content.decode()
    review.withdraw(bureau.leader, item, "内容有误")
    assert "新发布的救助信息" not in client.get(url).content.decode()
    category = bureau.categories["assistance"]
    category.name = "社会救助信息"
    category.save()
    assert "社会救助信息" in client.get(url).content.decode()
    bureau.agency.name = "某县民政和人社局"
    bureau.agency.save()
    assert "某县民政和人社局" in client.get(url).content.decode()
    # Another server process changes the catalogue: the revision in the database tells this one.
    kept = client.get(url).content.decode()
    Item.objects.filter(pk=portal_data["items"]["subsistence"].pk).update(title="标题在别处改过")
    assert client.get(url).content.decode() == kept  # QuerySet.update sends no signal ...
    from django.db.models import F

    from gongkai.apps.portal.models import PortalRevision
    PortalRevision.objects.filter(agency=bureau.agency).update(revision=F("revision") + 1)
    assert "标题在别处改过" in client.get(url).content.decode()  # ... a new revision is read


def test_kept_pages_are_keyed_by_what_the_paginator_shows(client, portal_data):
    bureau = portal_data["bureau"]
    for n in range(21):
        publish(bureau, "finance", f"第{n}期财政信息", "财政。", days_ago=40, published_days_ago=30 - n)
    url = reverse("portal:category", args=[bureau.agency.pk, bureau.categories["finance"].pk])

    def titles(query: str) -> list[str]:
        tree = html.fromstring(client.get(url + query).content.decode())
        return [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")]

    first, last = titles(""), titles("?page=2")
    assert len(first) == 20 and last == ["第0期财政信息"]
    assert titles("?page=abc") == first and titles("?page=99999999999") == last == titles("?page=3")
    assert titles("?page=1") == first
    page(client, reverse("portal:category", args=[bureau.agency.pk, 999999]), 404)  # not kept
    page(client, reverse("portal:category", args=[bureau.agency.pk, 999999]), 404)


def test_catalogue_never_lists_unpublished(client, portal_data):
    bureau = portal_data["bureau"]
    _, tree = page(client, reverse("portal:catalogue", args=[bureau.agency.pk]))
    text = tree.text_content()
    assert "关于调整城乡居民最低生活保障标准的通知" in text
    for item in hidden(portal_data):
        assert item.title not in text
    # Another agency's category is not found under this agency.
    other = portal_data["county"].categories["finance"]
    page(client, reverse("portal:category", args=[bureau.agency.pk, other.pk]), 404)


def test_item_page_shows_the_metadata_table_and_body(client, portal_data):
    item = portal_data["items"]["normative"]
    _, tree = page(client, reverse("portal:item", args=[item.pk]))
    assert_accessible(tree)
    block = tree.xpath("//section[@class='index-block']")[0]
    assert block.xpath("string(h2)") == "信息索引"
    rows = {dt.text_content(): dt.getnext().text_content().strip() for dt in block.xpath(".//dt")}
    assert list(rows)[:7] == ["索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "有效性"]
    assert rows["索引号"] == item.index_number and rows["文号"] == "某民规〔2026〕1号"
    assert rows["生成日期"] == item.made_on.isoformat() and rows["发布日期"] == item.published_on.isoformat()
    assert rows["有效性"].startswith("现行有效")
    assert "规范临时救助的对象、标准和程序。" in tree.text_content()


def test_item_page_escapes_the_text(client, portal_data):
    bureau = portal_data["bureau"]
    item = publish(bureau, "assistance", "标题<script>alert(1)</script>", "概述<b>粗</b>")
    response = client.get(reverse("portal:item", args=[item.pk]))
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("key", ["draft", "review", "withdrawn"])
def test_unpublished_item_page_is_404(client, portal_data, key):
    page(client, reverse("portal:item", args=[portal_data["items"][key].pk]), 404)


def test_attachment_of_a_published_item_downloads_and_of_a_draft_does_not(client, portal_data):
    bureau = portal_data["bureau"]
    item = draft(bureau, "assistance", "低保申请表格", "申请表格见附件。")
    attachment = items.add_attachment(bureau.handler, item, "低保申请表.pdf", b"%PDF-1.4 test")
    url = reverse("portal:item_attachment", args=[item.pk, attachment.pk])
    assert client.get(url).status_code == 404
    review.submit(bureau.handler, item)
    review.approve_section(bureau.section_head, item, "经审查同意公开")
    review.approve_leader(bureau.leader, Item.objects.get(pk=item.pk), "同意发布")
    _, tree = page(client, reverse("portal:item", args=[item.pk]))
    assert tree.xpath(f"//a[@href='{url}']")[0].text == "低保申请表.pdf"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    detail = client.get(f"/public/api/items/{item.pk}").json()
    assert detail["attachments"] == [{"name": "低保申请表.pdf", "url": "http://testserver" + url}]


def test_guide_is_generated_from_the_agency(client, portal_data):
    bureau = portal_data["bureau"].agency
    _, tree = page(client, reverse("portal:guide", args=[bureau.pk]))
    assert_accessible(tree)
    text = tree.text_content()
    assert "某县民政局政府信息公开指南" in text
    assert "20个工作日内予以答复" in text and "最长不超过20个工作日" in text
    assert "某县人民政府申请行政复议" in text and "某县人民法院提起行政诉讼" in text
    assert "0531-12345678" in text and "信函" in text and "当面" in text
    assert "第31页至第100页每页10元" in text
    assert f"{LAST_YEAR}年" in text


def test_the_agency_adds_to_its_guide_and_every_change_is_kept(client, portal_data):
    from gongkai.apps.catalogue.models import GuideSupplement, GuideSupplementRevision

    bureau = portal_data["bureau"]
    url, guide = reverse("catalogue:guide"), reverse("portal:guide", args=[bureau.agency.pk])
    fields = {"agency": bureau.agency.pk, "office_hours": "工作日 9:00—17:00", "email": "gk@example.gov.cn",
              "notes": "本局还通过“某县民政”微信公众号发布信息。\n查阅场所：某县人民路1号一楼。<script>alert(1)</script>",
              "reason": "补充办公时间"}
    # A handler may not; the guide is unchanged.
    client.force_login(bureau.handler)
    assert client.post(url, fields).status_code == 403
    assert not GuideSupplement.objects.exists()
    # A bad e-mail address is refused in Chinese, nothing is stored.
    client.force_login(bureau.leader)
    response = client.post(url, {**fields, "email": "不是邮箱"})
    assert response.status_code == 400 and "输入一个有效的 Email 地址" in response.content.decode()
    assert not GuideSupplement.objects.exists()
    assert client.post(url, fields).status_code == 302
    client.logout()
    _, tree = page(client, guide)
    assert_accessible(tree)
    text = tree.text_content()
    assert "工作日 9:00—17:00" in text and "gk@example.gov.cn" in text and "微信公众号" in text
    notes = tree.xpath("//section[h2[@id='g5']]/p")  # the lines kept as lines
    assert len(notes) == 1 and notes[0].xpath("br") and notes[0].text == "本局还通过“某县民政”微信公众号发布信息。"
    assert not tree.xpath("//script") and "<script>alert(1)</script>" in text  # shown as text, not run
    # A second change: both kept, with before and after.
    client.force_login(bureau.leader)
    client.post(url, {**fields, "office_hours": "工作日 8:30—17:30", "reason": "调整办公时间"})
    revisions = list(GuideSupplementRevision.objects.order_by("pk"))
    assert [r.reason for r in revisions] == ["补充办公时间", "调整办公时间"]
    assert revisions[1].changes == [("办公时间", "工作日 9:00—17:00", "工作日 8:30—17:30")]
    assert "调整办公时间" in client.get(reverse("catalogue:setup"), {"agency": bureau.agency.pk}).content.decode()


def test_annual_reports_list_only_closed_years_without_errors(client, portal_data):
    bureau, county = portal_data["bureau"], portal_data["county"]
    _, tree = page(client, reverse("portal:reports", args=[bureau.agency.pk]))
    assert_accessible(tree)
    assert f"{bureau.agency.name}{LAST_YEAR}年政府信息公开工作年度报告" in tree.text_content()
    # The county wrote no table 2: its closed year has errors and is not public.
    close_year(county.leader, county.agency, LAST_YEAR)
    _, tree = page(client, reverse("portal:reports", args=[county.agency.pk]))
    assert "尚未在本平台发布年度报告" in tree.text_content()
    page(client, reverse("portal:report", args=[county.agency.pk, LAST_YEAR]), 404)
    # An open year is not public either.
    page(client, reverse("portal:report", args=[bureau.agency.pk, TODAY.year]), 404)


def test_annual_report_page_has_real_tables_and_downloads(client, portal_data):
    import io

    from docx import Document

    bureau = portal_data["bureau"].agency
    _, tree = page(client, reverse("portal:report", args=[bureau.pk, LAST_YEAR]))
    assert_accessible(tree)
    text = tree.text_content()
    assert "本年度本机关坚持以公开为常态" in text
    captions = [c.text_content() for c in tree.xpath("//table/caption")]
    assert len(captions) == 3
    assert tree.xpath("//table//th[@scope='col']") and tree.xpath("//table//th[@scope='row']")
    docx = client.get(reverse("portal:report_download", args=[bureau.pk, LAST_YEAR, "docx"]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    document = Document(io.BytesIO(docx.content))
    assert any("本年度本机关坚持以公开为常态" in p.text for p in document.paragraphs)
    pdf = client.get(reverse("portal:report_download", args=[bureau.pk, LAST_YEAR, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("portal:report_download", args=[bureau.pk, LAST_YEAR, "exe"])).status_code == 404


def test_inactive_agency_is_not_public(client, portal_data):
    bureau = portal_data["bureau"].agency
    Agency.objects.filter(pk=bureau.pk).update(active=False)
    page(client, reverse("portal:agency", args=[bureau.pk]), 404)
    page(client, reverse("portal:item", args=[portal_data["items"]["subsistence"].pk]), 404)


def test_deadline_page_still_works(client, db):
    response = client.get(reverse("online:deadline"), {"received": "2026-01-20"})
    assert response.status_code == 200 and show(date(2026, 2, 24)) in response.content.decode()


# ------------------------------------------------------------------------------- the feed


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)  # raises on XML that is not well formed


def test_atom_feed_of_all_and_of_one_agency(client, portal_data):
    root = _feed(client, reverse("portal:feed"))
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "关于调整城乡居民最低生活保障标准的通知" in titles and "某县本级部门预算公开说明" in titles
    for item in hidden(portal_data):
        assert item.title not in titles
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        link = entry.find(f"{ATOM}link").get("href")
        assert re.search(r"/public/items/\d+/$", link)
        assert client.get(link).status_code == 200
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    bureau = portal_data["bureau"].agency
    root = _feed(client, reverse("portal:agency_feed", args=[bureau.pk]))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "某县临时救助实施办法" in titles and "某县本级部门预算公开说明" not in titles
    assert root.findtext(f"{ATOM}title") == "某县民政局 · 最新主动公开信息"
