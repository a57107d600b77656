"""The disclosure column as citizens know it (政府信息公开专栏): one header on every public page with
the same navigation (指南, 制度, 法定主动公开内容, 年报, 依申请公开) and breadcrumbs; catalogue items
with their 主题分类, 成文日期 and 政策解读 links, edited by staff, shown in the 信息索引 block,
filtered, in the API and the feed; the 政府信息公开制度 page; the search box's own example."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from lxml import etree, html

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.catalogue import review
from gongkai.apps.catalogue.models import Category, Item
from gongkai.apps.search import services as search_services

from .test_portal_catalogue import (  # noqa: F401  (fixtures)
    ATOM, LAST_YEAR, TODAY, assert_accessible, build_portal_data, fresh_cache, page, portal_data, publish,
)

COLUMN = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开"]


def crumbs(tree) -> list[str]:
    return [li.text_content().strip() for li in tree.xpath("//nav[@aria-label='位置']/ol/li")]


def column_links(tree) -> list[str]:
    return [a.text_content() for a in tree.xpath("//header//nav[@aria-label='政府信息公开栏目']//a")]


def public_pages(data) -> list[tuple[str, int, list[str]]]:
    """(url, status, the breadcrumbs expected) of every public page."""
    bureau, item = data["bureau"].agency, data["items"]["subsistence"]
    category = data["bureau"].categories["assistance"]
    b = bureau.name
    return [
        (reverse("portal:home"), 200, ["首页"]),
        (reverse("portal:agency", args=[bureau.pk]), 200, ["首页", b]),
        (reverse("portal:guide", args=[bureau.pk]), 200, ["首页", b, "政府信息公开指南"]),
        (reverse("portal:rules", args=[bureau.pk]), 200, ["首页", b, "政府信息公开制度"]),
        (reverse("portal:catalogue", args=[bureau.pk]), 200, ["首页", b, "法定主动公开内容"]),
        (reverse("portal:category", args=[bureau.pk, category.pk]), 200, ["首页", b, "法定主动公开内容", "社会救助"]),
        (reverse("portal:item", args=[item.pk]), 200, ["首页", b, "法定主动公开内容", "社会救助", "正文"]),
        (reverse("portal:reports", args=[bureau.pk]), 200, ["首页", b, "政府信息公开年报"]),
        (reverse("portal:report", args=[bureau.pk, LAST_YEAR]), 200, ["首页", b, "政府信息公开年报", f"{LAST_YEAR}年"]),
        (reverse("portal:agency_on_request", args=[bureau.pk]), 200, ["首页", b, "依申请公开"]),
        (reverse("portal:on_request"), 200, ["首页", "依申请公开"]),
        (reverse("portal:region_section", args=["guide"]), 200, ["首页", "政府信息公开指南"]),
        (reverse("portal:region_section", args=["reports"]), 200, ["首页", "政府信息公开年报"]),
        (reverse("portal:search") + "?q=低保", 200, ["首页", "信息检索"]),
        (reverse("portal:api_docs"), 200, ["首页", "数据接口"]),
        (reverse("online:apply"), 200, ["首页", "依申请公开", "网上申请"]),
        (reverse("online:track"), 200, ["首页", "依申请公开", "查询办理进度"]),
        (reverse("online:deadline"), 200, ["首页", "依申请公开", "答复期限计算"]),
        (reverse("portal:item", args=[data["items"]["draft"].pk]), 404, ["首页"]),
    ]


def test_every_public_page_has_one_header_the_column_and_its_place(client, portal_data):
    for url, status, expected in public_pages(portal_data):
        response = client.get(url)
        assert response.status_code == status, url
        tree = html.fromstring(response.content.decode())
        assert len(tree.xpath("//header")) == 1, url
        links = column_links(tree)
        assert links[1:] == COLUMN, (url, links)
        assert crumbs(tree) == expected, (url, crumbs(tree))
        assert len(tree.xpath("//h1")) == 1, url


def test_the_column_leads_to_the_agencys_pages_and_marks_the_current_one(client, portal_data):
    bureau = portal_data["bureau"].agency
    _, tree = page(client, reverse("portal:reports", args=[bureau.pk]))
    nav = {a.text_content(): a for a in tree.xpath("//header//nav[@aria-label='政府信息公开栏目']//a")}
    assert nav["政府信息公开指南"].get("href") == reverse("portal:guide", args=[bureau.pk])
    assert nav["政府信息公开制度"].get("href") == reverse("portal:rules", args=[bureau.pk])
    assert nav["法定主动公开内容"].get("href") == reverse("portal:catalogue", args=[bureau.pk])
    assert nav["依申请公开"].get("href") == reverse("portal:agency_on_request", args=[bureau.pk])
    assert [a.text_content() for a in tree.xpath("//header//a[@aria-current='page']")] == ["政府信息公开年报"]
    # The pages of online applications belong to 依申请公开 (their views name no section).
    _, tree = page(client, reverse("online:track"))
    assert [a.text_content() for a in tree.xpath("//header//a[@aria-current='page']")] == ["依申请公开"]
    # At the region's level a section lists every agency's page of it.
    _, tree = page(client, reverse("portal:region_section", args=["rules"]))
    hrefs = tree.xpath("//main//ul[contains(@class, 'agencies')]//a/@href")
    assert reverse("portal:rules", args=[bureau.pk]) in hrefs
    page(client, reverse("portal:region_section", args=["nothing"]), 404)


def test_every_catalogue_page_links_to_an_application(client, portal_data):
    bureau, item = portal_data["bureau"], portal_data["items"]["subsistence"]
    for url, text in ((reverse("portal:catalogue", args=[bureau.agency.pk]), f"向{bureau.agency.name}申请公开政府信息"),
                      (reverse("portal:category", args=[bureau.agency.pk, bureau.categories["finance"].pk]),
                       f"向{bureau.agency.name}申请公开政府信息"),
                      (reverse("portal:item", args=[item.pk]), "申请公开与本信息相关的政府信息")):
        _, tree = page(client, url)
        links = tree.xpath("//main//p[@class='apply-link']/a[1]")
        assert links and links[0].text_content() == text and links[0].get("href") == reverse("online:apply"), url


# ----------------------------------------------------------------------- 主题分类, 成文日期, 政策解读


def test_staff_set_topic_written_date_and_the_interpreted_policy_in_the_item_form(client, portal_data):
    bureau = portal_data["bureau"]
    policy = portal_data["items"]["normative"]
    client.force_login(bureau.handler)
    form = {"agency": bureau.agency.pk, "category": bureau.categories["policy"].pk, "title": "《某县临时救助实施办法》解读",
            "publisher": bureau.agency.name, "made_on": TODAY.isoformat(), "kind": "other", "index_number": "",
            "topic": "16", "written_on": (TODAY - timedelta(days=1)).isoformat(), "interprets": policy.index_number}
    # Wrong input is refused in Chinese and nothing is stored.
    for bad, message in (({"topic": "99"}, "选择一个有效的选项"),
                         ({"written_on": (TODAY + timedelta(days=1)).isoformat()}, "成文日期不能晚于今天"),
                         ({"interprets": "113700000000000099/2026-99999"}, "没有索引号为"),
                         ({"interprets": portal_data["items"]["draft"].index_number}, "没有索引号为")):
        response = client.post(reverse("catalogue:create"), {**form, **bad})
        assert response.status_code == 400 and message in response.content.decode(), bad
    assert not Item.objects.filter(title=form["title"]).exists()
    response = client.post(reverse("catalogue:create"), form)
    assert response.status_code == 302
    item = Item.objects.get(title=form["title"])
    assert (item.topic, item.written_on, item.interprets) == ("16", TODAY - timedelta(days=1), policy)
    # The edit form shows them again; a change is recorded with the field's name.
    edit = client.get(reverse("catalogue:edit", args=[item.pk])).content.decode()
    assert policy.index_number in edit and 'value="16" selected' in edit
    response = client.post(reverse("catalogue:edit", args=[item.pk]), {**form, "topic": "14", "reason": "改主题"})
    assert response.status_code == 302
    staff_page = client.get(reverse("catalogue:item", args=[item.pk])).content.decode()
    assert "劳动、人事、监察" in staff_page and "主题分类" in staff_page and "某县临时救助实施办法" in staff_page


def test_item_page_shows_the_index_block_and_links_interpretation_and_policy_both_ways(client, portal_data):
    bureau = portal_data["bureau"]
    policy = portal_data["items"]["normative"]
    reading = publish(bureau, "policy", "《某县临时救助实施办法》政策解读", "解读。", topic="16",
                      written_on=TODAY - timedelta(days=3), interprets=policy)
    review.withdraw(bureau.leader, publish(bureau, "policy", "已撤下的解读", "撤下。", interprets=policy), "有误")
    _, tree = page(client, reverse("portal:item", args=[reading.pk]))
    assert_accessible(tree)
    block = tree.xpath("//section[@class='index-block']")[0]
    rows = {dt.text_content(): dt.getnext().text_content().strip() for dt in block.xpath(".//dt")}
    assert rows["主题分类"] == "民政、扶贫、救灾" and rows["成文日期"] == (TODAY - timedelta(days=3)).isoformat()
    assert rows["索引号"] == reading.index_number and rows["发布机构"] == bureau.agency.name
    policy_url = reverse("portal:item", args=[policy.pk])
    assert policy_url in tree.xpath("//p[@id='interprets']/a/@href")
    _, tree = page(client, policy_url)
    links = tree.xpath("//section[@id='interpretations']//a")
    # The policy lists its published interpretation, not the withdrawn one.
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("《某县临时救助实施办法》政策解读", reverse("portal:item", args=[reading.pk]))]
    rows = {dt.text_content(): dt.getnext().text_content().strip()
            for dt in tree.xpath("//section[@class='index-block']//dt")}
    assert rows["主题分类"] == "—" and rows["成文日期"] == "—" and rows["文号"] == "某民规〔2026〕1号"


def test_an_interpretation_needs_a_published_policy(portal_data):
    from django.core.exceptions import ValidationError

    from gongkai.apps.catalogue import items

    bureau = portal_data["bureau"]
    with pytest.raises(ValidationError, match="已发布"):
        items.create_item(bureau.handler, bureau.agency, category=bureau.categories["policy"], title="解读草稿",
                          publisher="某县民政局", made_on=TODAY, interprets=portal_data["items"]["draft"])
    with pytest.raises(ValidationError, match="主题分类"):
        items.create_item(bureau.handler, bureau.agency, category=bureau.categories["policy"], title="解读草稿",
                          publisher="某县民政局", made_on=TODAY, topic="综合政务")


def test_catalogue_is_filtered_by_topic(client, portal_data):
    bureau = portal_data["bureau"]
    publish(bureau, "assistance", "临时救助资金发放情况", "发放。", topic="16")
    publish(bureau, "assistance", "救助站建设项目", "建设。", topic="09")
    url = reverse("portal:category", args=[bureau.agency.pk, bureau.categories["assistance"].pk])
    _, tree = page(client, url + "?topic=16")
    assert_accessible(tree)
    titles = [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")]
    assert titles == ["临时救助资金发放情况"] and "共 1 条" in tree.text_content()
    assert tree.xpath("//select[@id='topic']/option[@selected]/@value") == ["16"]
    assert crumbs(tree)[-1] == "民政、扶贫、救灾"
    # The kept page of the category without a topic is another page.
    _, tree = page(client, url)
    assert len(tree.xpath("//ol[@class='items']/li")) == 3
    _, tree = page(client, reverse("portal:catalogue", args=[bureau.agency.pk]) + "?topic=09")
    assert [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")] == ["救助站建设项目"]
    page(client, url + "?topic=99", 404)


def test_api_and_feed_carry_topic_written_date_and_interpretations(client, portal_data):
    bureau = portal_data["bureau"]
    policy = portal_data["items"]["normative"]
    reading = publish(bureau, "policy", "临时救助办法解读", "解读。", topic="16",
                      written_on=TODAY - timedelta(days=2), interprets=policy)
    listed = client.get(reverse("portal:api_items") + "?topic=16").json()
    assert [i["id"] for i in listed["items"]] == [reading.pk] and listed["count"] == 1
    assert listed["items"][0]["topic"] == "16" and listed["items"][0]["topic_label"] == "民政、扶贫、救灾"
    assert listed["items"][0]["written_on"] == (TODAY - timedelta(days=2)).isoformat()
    detail = client.get(reverse("portal:api_item", args=[reading.pk])).json()
    assert detail["interprets"]["id"] == policy.pk and detail["interpretations"] == []
    detail = client.get(reverse("portal:api_item", args=[policy.pk])).json()
    assert detail["interprets"] is None and [i["id"] for i in detail["interpretations"]] == [reading.pk]
    assert detail["topic"] == "" and detail["written_on"] is None
    for query in ("?topic=99", "?topic=16&q=救助"):
        response = client.get(reverse("portal:api_items") + query)
        assert response.status_code == 400 and response.json()["error"] == "invalid_parameter", query
    feed = etree.fromstring(client.get(reverse("portal:agency_feed", args=[bureau.agency.pk])).content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "临时救助办法解读")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["政策文件", "民政、扶贫、救灾"]
    assert entry.findtext("{urn:gongkai:catalogue}writtenOn") == (TODAY - timedelta(days=2)).isoformat()
    assert entry.findtext("{urn:gongkai:catalogue}indexNumber") == reading.index_number


# ----------------------------------------------------------------------------- 政府信息公开制度


def test_disclosure_rules_page_shows_the_offices_text_and_the_catalogues_rules(client, portal_data):
    bureau = portal_data["bureau"]
    url = reverse("portal:rules", args=[bureau.agency.pk])
    _, tree = page(client, url)
    assert "本机关尚未在本平台公布政府信息公开制度" in tree.text_content()
    client.force_login(bureau.leader)
    response = client.post(reverse("catalogue:guide"), {
        "agency": bureau.agency.pk, "office_hours": "", "email": "", "notes": "",
        "disclosure_rules": "一、主动公开制度。\n二、保密审查制度。<script>x</script>", "reason": "公布制度"})
    assert response.status_code == 302
    client.logout()
    rules = Category.objects.create(agency=bureau.agency, name="政府信息公开制度", position=9)
    bureau.categories["rules"] = rules
    publish(bureau, "rules", "某县民政局政府信息公开保密审查办法", "审查。")
    _, tree = page(client, url)
    assert_accessible(tree)
    text = tree.text_content()
    assert "一、主动公开制度。" in text and "二、保密审查制度。<script>x</script>" in text  # text, not markup
    assert not tree.xpath("//main//script")
    assert [a.text_content() for a in tree.xpath("//ol[@class='items']//a[@class='title']")] == [
        "某县民政局政府信息公开保密审查办法"]


# ----------------------------------------------------------------------------- the search example


def test_the_search_boxs_example_finds_the_demo_items(client, db):
    from gongkai.apps.demo.catalogue import publish_demo_items
    from gongkai.apps.demo.county import County, Staff
    from gongkai.apps.portal.catalogue_views import SEARCH_EXAMPLES

    User = get_user_model()
    government = Agency.objects.create(name="青山县人民政府", kind=Agency.Kind.COUNTY)
    Agency.objects.create(name="青山县民政局", kind=Agency.Kind.DEPARTMENT, parent=government)
    Agency.objects.filter(pk=government.pk).update(credit_code="11370000MB0000000X")
    government.refresh_from_db()
    people = []
    for name, role in (("qs_dengji", Membership.Role.REGISTRAR), ("qs_chengban", Membership.Role.HANDLER),
                       ("qs_shenhe", Membership.Role.APPROVER)):
        user = User.objects.create_user(name, password="x")
        Membership.objects.create(user=user, agency=government, role=role)
        people.append(user)
    county = County(government, [government], {government.pk: Staff(*people)}, supervisor=None)
    publish_demo_items(county, date.today(), seed=7, count=12)
    assert Item.objects.filter(state=Item.State.PUBLISHED).count() == 12
    assert Item.objects.exclude(interprets=None).exists() and not Item.objects.filter(topic="").exists()
    _, tree = page(client, reverse("portal:home"))
    assert tree.xpath("//input[@id='home-q']/@placeholder") == ["例如：" + "、".join(SEARCH_EXAMPLES)]
    for example in SEARCH_EXAMPLES:
        _, tree = page(client, reverse("portal:search") + f"?q={example}")
        assert tree.xpath("//ol[@class='items']/li"), example
        assert search_services.search(example).total >= 1
    # The 低保 standard's page links its interpretation.
    policy = Item.objects.filter(title__contains="最低生活保障标准", interpretations__isnull=False).first()
    _, tree = page(client, reverse("portal:item", args=[policy.pk]))
    assert tree.xpath("//section[@id='interpretations']//a")
    assert json.loads(client.get(reverse("portal:api_item", args=[policy.pk])).content)["interpretations"]
