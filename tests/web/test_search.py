"""Full-text search of published items: jieba words (title first), one or two Chinese characters,
highlighted and escaped snippets, FTS5 / tsquery syntax in queries taken as text, the index
following publication and withdrawal, the rebuild command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from lxml import html

from gongkai.apps.catalogue import items, review
from gongkai.apps.catalogue.models import Item
from gongkai.apps.search import services as search_services
from gongkai.apps.search.models import SearchEntry
from gongkai.apps.search.segment import grams, parse_query, words
from gongkai.apps.search.services import highlight, rebuild, search, snippet

from .test_portal_catalogue import (  # noqa: F401 - fixtures
    TODAY,
    draft,
    fresh_cache,
    make_office,
    portal_data,
    publish,
)

HOSTILE = ['"', '""', "'", "*", "低保*", ":", "title:低保", "(", ")", "(低保", "低保)", "NEAR", "NEAR(低保 标准)",
           "低保 AND", "OR 低保", "NOT", "AND OR NOT", "^", "-低保", "+", "{title_words}: 低保", "低保 NEAR/2 标准",
           "' OR 1=1 --", "'; DROP TABLE search_searchentry; --", "\\", "%", "_", "&", "|", "!", "<->", "低保 & 标准",
           "<script>alert(1)</script>", "低保\x00", "　", "💡", "a" * 500, "低" * 300]


def titles(results) -> list[str]:
    return [hit.item.title for hit in results.hits]


def test_segmentation_terms_are_plain_words():
    assert {"低保", "标准"} <= set(words("城市低保标准提高"))
    assert {"最低", "生活", "保障"} <= set(words("最低生活保障"))
    assert set(grams("低保标准")) == {"低", "保", "标", "准", "低保", "保标", "标准"}
    assert "2026" in grams("2026年低保")
    for text in HOSTILE:
        for term in words(text) + grams(text):
            assert term.isalnum(), (text, term)  # no FTS5 or tsquery syntax survives


def test_query_modes():
    assert parse_query("低保").mode == "grams" and parse_query("低").mode == "grams"
    assert parse_query("最低生活保障标准").mode == "words"
    assert parse_query("  ** ( ) ").mode == "empty"
    # Function words are not required (but highlighted), unless there is nothing else.
    assert parse_query("关于低保的通知").terms == ("低保", "通知")
    assert "关于" in parse_query("关于低保的通知").marks
    assert parse_query("关于的").terms == ("关于", "的")


def test_two_character_word_finds_the_item(portal_data):
    results = search("低保")
    assert titles(results) == ["关于调整城乡居民最低生活保障标准的通知"]
    assert "<mark>低保</mark>" in results.hits[0].snippet_html


def test_two_characters_inside_a_longer_word_and_one_character(portal_data):
    # "保标" is no word of jieba, but the text contains it: found by its characters.
    assert titles(search("保标")) == ["关于调整城乡居民最低生活保障标准的通知"]
    assert "某县本级部门预算公开说明" in titles(search("预"))
    assert search("鑫").total == 0


def test_phrase_finds_by_all_its_words_and_title_ranks_first(portal_data):
    bureau = portal_data["bureau"]
    mention = publish(bureau, "assistance", "县民政局召开全体会议", "会议学习了最低生活保障标准调整的文件。")
    results = search("最低生活保障标准")
    assert titles(results) == ["关于调整城乡居民最低生活保障标准的通知", mention.title]
    assert "<mark>" in results.hits[0].title_html
    # All words are required.
    assert search("最低生活保障 预算").total == 0
    assert titles(search("部门预算")) == ["某县本级部门预算公开说明"]


def test_fallback_to_characters_when_jieba_cuts_the_query_otherwise(portal_data):
    results = search("低保标")  # jieba: 低保 + 标, the text has 低保 + 标准
    assert titles(results) == ["关于调整城乡居民最低生活保障标准的通知"] and results.by_grams


def test_never_finds_unpublished_items(portal_data):
    for query in ("低保", "低保资金发放", "审核中", "撤下", "公示", "内部草稿"):
        found = titles(search(query))
        for key in ("draft", "review", "withdrawn"):
            assert portal_data["items"][key].title not in found, query
    assert SearchEntry.objects.filter(item__state=Item.State.PUBLISHED).count() == SearchEntry.objects.count()


def test_index_follows_publication_edit_and_withdrawal(portal_data):
    bureau = portal_data["bureau"]
    item = draft(bureau, "assistance", "特困人员救助供养标准公告", "特困人员基本生活标准。")
    assert search("特困").total == 0
    review.submit(bureau.handler, item)
    assert search("特困").total == 0
    review.approve_section(bureau.section_head, item, "经审查同意公开")
    assert search("特困").total == 0
    item = review.approve_leader(bureau.leader, Item.objects.get(pk=item.pk), "同意发布")
    assert titles(search("特困")) == [item.title]
    review.withdraw(bureau.leader, item, "内容有误")
    assert search("特困").total == 0 and search("特困人员救助供养").total == 0


def test_filters_agency_category_since(portal_data):
    bureau, county = portal_data["bureau"], portal_data["county"]
    publish(county, "assistance", "县政府低保工作会议纪要", "研究低保工作。")
    assert len(search("低保").hits) == 2
    assert titles(search("低保", agency_ids=[county.agency.pk])) == ["县政府低保工作会议纪要"]
    assert titles(search("低保", category_ids=[bureau.categories["assistance"].pk])) == [
        "关于调整城乡居民最低生活保障标准的通知"]
    assert search("低保", agency_ids=[]).total == 0
    from datetime import date, timedelta
    assert titles(search("低保", since=date.today() - timedelta(days=1))) == ["县政府低保工作会议纪要"]


def test_pages_and_count(portal_data):
    bureau = portal_data["bureau"]
    for n in range(25):
        publish(bureau, "assistance", f"第{n}批临时救助对象公示", "临时救助对象名单。", published_days_ago=n % 5)
    first = search("临时救助", per_page=10)
    assert first.total == 26 and first.pages == 3 and first.has_next and not first.has_previous
    third = search("临时救助", per_page=10, page=3)
    assert len(third.hits) == 6 and not third.has_next
    seen = {hit.item.pk for p in (1, 2, 3) for hit in search("临时救助", per_page=10, page=p).hits}
    assert len(seen) == 26


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_do_not_raise(portal_data, query):
    results = search(query)
    assert results.total >= 0
    for hit in results.hits:
        assert "<script>" not in hit.title_html + hit.snippet_html


def test_hostile_queries_on_the_page(client, portal_data):
    for query in HOSTILE[:20] + ["<script>alert(1)</script>"]:
        response = client.get(reverse("portal:search"), {"q": query})
        assert response.status_code == 200, query
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_highlight_and_snippet_escape_html():
    assert highlight("<b>低保</b>", ("低保",)) == "&lt;b&gt;<mark>低保</mark>&lt;/b&gt;"
    assert highlight("a&b", ()) == "a&amp;b"
    text = "前" * 200 + "低保<i>" + "后" * 200
    piece = snippet(text, ("低保",))
    assert piece.startswith("……") and piece.endswith("……") and "<mark>低保</mark>&lt;i&gt;" in piece


def test_search_page(client, portal_data):
    from .test_portal_catalogue import assert_accessible

    response = client.get(reverse("portal:search"), {"q": "低保"})
    tree = html.fromstring(response.content.decode())
    assert_accessible(tree)
    results = tree.xpath("//ol[@class='items']/li")
    assert len(results) == 1
    # The query and its synonym (search/0003: 低保 → 最低生活保障) are both marked.
    assert {mark.text for mark in results[0].xpath(".//mark")} == {"低保", "最低生活保障"}
    link = results[0].xpath(".//a[@class='title']")[0].get("href")
    assert client.get(link).status_code == 200
    empty = html.fromstring(client.get(reverse("portal:search"), {"q": "没有这样的内容啊"}).content.decode())
    assert "没有找到" in empty.text_content()
    bureau = portal_data["bureau"].agency
    scoped = client.get(reverse("portal:search"), {"q": "预算", "agency": bureau.pk}).content.decode()
    assert "某县本级部门预算公开说明" not in scoped


def test_rebuild_command(portal_data):
    SearchEntry.objects.all().delete()
    assert search("低保").total == 0
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "3 条" in out.getvalue()  # the three published items
    assert titles(search("低保")) == ["关于调整城乡居民最低生活保障标准的通知"]
    assert rebuild(batch_size=1) == 3
    assert titles(search("临时救助")) == ["某县临时救助实施办法"]


# Published 0 to 4181 days ago: several on one day (ties broken by id), dense recent days, sparse
# years; on PostgreSQL the index is asked one slice of time after another (``services._Index``).
SPREAD = [0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 40, 55, 89, 144, 233, 377, 400, 610, 987, 1597, 2584, 3000, 4181]


@pytest.fixture
def spread(db):
    office = make_office("某县应急管理局")
    other = make_office("某县财政局", tag="f")
    made = {"title": [], "text": [], "other": []}
    for n, days in enumerate(SPREAD):
        variant = ("title", "text", "other")[n % 3]
        title, summary = {
            "title": (f"第{n}批临时救助资金发放公示", "名单见附件。"),
            "text": (f"第{n}次局长办公会议纪要", "会议研究了临时救助资金的发放。"),
            "other": (f"第{n}期政务动态", "本期介绍营商环境工作。"),
        }[variant]
        item = publish(office, "assistance", title, summary, days_ago=days + 1, published_days_ago=days)
        made[variant].append(item)
    made["elsewhere"] = [publish(other, "finance", "临时救助资金预算安排", "财政安排临时救助资金。",
                                 days_ago=700, published_days_ago=699)]
    return office, made


def newest_first(items) -> list[int]:
    return [item.pk for item in sorted(items, key=lambda i: (i.published_on, i.pk), reverse=True)]


def every_page(text, per_page, **filters) -> tuple[list[int], int]:
    first = search(text, per_page=per_page, **filters)
    pks = [hit.item.pk for p in range(1, first.pages + 1)
           for hit in search(text, per_page=per_page, page=p, **filters).hits]
    return pks, first.total


@pytest.fixture(params=["whole", "sliced"])
def asked(request, spread, monkeypatch):
    """The index asked whole, or (PostgreSQL) slice by slice as a large index is."""
    if request.param == "sliced":
        monkeypatch.setattr(search_services, "SLICED_FROM", 0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the planner's estimate of the items, and term statistics
                cursor.execute("ANALYZE search_searchentry")
    return request.param


@pytest.mark.parametrize("per_page", [1, 2, 3, 7, 100])
def test_order_over_years_is_title_first_then_newest(spread, asked, per_page):
    office, made = spread
    in_title, in_text = made["title"] + made["elsewhere"], made["text"]
    assert every_page("临时救助资金", per_page) == (newest_first(in_title) + newest_first(in_text),
                                                   len(in_title) + len(in_text))
    # Characters: newest first, whatever the field.
    assert every_page("救助", per_page) == (newest_first(in_title + in_text), len(in_title) + len(in_text))
    mine = {"agency_ids": [office.agency.pk]}
    assert every_page("临时救助资金", per_page, **mine)[0] == newest_first(made["title"]) + newest_first(in_text)
    since = TODAY - timedelta(days=400)
    recent = [i for i in in_title + in_text if i.published_on >= since]
    assert every_page("救助", per_page, since=since) == (newest_first(recent), len(recent))
    assert every_page("营商环境", per_page) == (newest_first(made["other"]), len(made["other"]))


def test_large_counts_are_estimated_from_the_newest_slices(spread, asked, monkeypatch):
    office, made = spread
    monkeypatch.setattr(search_services, "EXACT_UP_TO", 3)
    matching = made["title"] + made["text"] + made["elsewhere"]
    results = search("救助", per_page=1)
    assert [hit.item.pk for hit in results.hits] == newest_first(matching)[:1]
    if asked == "sliced" and connection.vendor == "postgresql":
        # Counted in the newest slices only, until 4 matches: the rest extrapolated by days.
        assert results.estimated and results.total_text == f"约{results.found}条"
        assert 4 <= results.found <= 10 * len(matching)
    else:  # one query counts every match
        assert not results.estimated and results.found == len(matching)
        assert results.total_text == f"{len(matching)}条"
    # A query with few matches is counted exactly however the index is asked.
    few = search("预算安排", per_page=1)
    assert not few.estimated and few.found == 1 == few.total
    assert [hit.item for hit in few.hits] == made["elsewhere"]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the period terms are in PostgreSQL's tsvector columns only (CI runs this on it)")
def test_postgresql_vectors_hold_the_period_terms_of_the_publication_date(spread):
    from gongkai.apps.search.periods import period_terms

    with connection.cursor() as cursor:
        cursor.execute("SELECT published_on, tsvector_to_array(document), tsvector_to_array(title_vector), "
                       "tsvector_to_array(grams_vector) FROM search_searchentry")
        rows = cursor.fetchall()
    assert len(rows) == len(SPREAD) + 1
    for published_on, *vectors in rows:
        for lexemes in vectors:
            assert {x for x in lexemes if x.startswith("@")} == set(period_terms(published_on))


def test_synonyms_find_the_full_form_and_the_short_one(portal_data):
    from gongkai.apps.search.models import Synonym
    from gongkai.apps.search.synonyms import delete_synonym, save_synonym

    bureau = portal_data["bureau"]
    full = publish(bureau, "assistance", "关于发放特困人员救助供养金的公告", "本月特困人员救助供养金已经发放。")
    short = publish(bureau, "assistance", "城关街道公积金业务办理指南", "公积金提取业务在政务服务中心办理。")
    # The preset list (migration search/0003): 特困 → 特困人员救助供养, 公积金 → 住房公积金.
    assert Synonym.objects.filter(term="特困").exists()
    assert full.title in titles(search("特困"))  # the short form finds the full one (it also has it)
    assert short.title in titles(search("住房公积金"))  # the full form finds the short one
    results = search("住房公积金")
    assert "<mark>公积金</mark>" in [h for h in results.hits if h.item.pk == short.pk][0].snippet_html
    # An office's own pair: the index rows of the items it touches are refreshed at once.
    before = search("救助金")
    assert full.title not in titles(before)
    pair = save_synonym("救助金", "救助供养金", user=None)
    assert full.title in titles(search("救助金"))
    delete_synonym(pair)
    assert full.title not in titles(search("救助金"))


def test_the_office_edits_the_synonyms_in_its_pages(client, portal_data, django_user_model):
    from gongkai.apps.agencies.models import Membership

    approver = django_user_model.objects.create_user("approver")
    Membership.objects.create(user=approver, agency=portal_data["bureau"].agency, role=Membership.Role.APPROVER)
    handler = django_user_model.objects.create_user("handler")
    Membership.objects.create(user=handler, agency=portal_data["bureau"].agency, role=Membership.Role.HANDLER)
    client.force_login(handler)
    assert client.get("/search/synonyms/").status_code == 403
    client.force_login(approver)
    page = client.get("/search/synonyms/")
    assert page.status_code == 200 and "最低生活保障" in page.content.decode()
    saved = client.post("/search/synonyms/", {"term": "城乡低保", "expansion": "城乡居民最低生活保障"}, follow=True)
    assert "已保存" in saved.content.decode()
    duplicate = client.post("/search/synonyms/", {"term": "低保", "expansion": "别的"})
    assert duplicate.status_code == 200 and "该简称已经设置过" in duplicate.content.decode()
    same = client.post("/search/synonyms/", {"term": "低保", "expansion": "低保"})
    assert "简称和规范名称相同" in same.content.decode()
