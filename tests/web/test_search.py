"""Full-text search of published items: jieba words (title first), one or two Chinese characters,
highlighted and escaped snippets, FTS5 / tsquery syntax in queries taken as text, the index
following publication and withdrawal, the rebuild command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import html

from gongkai.apps.catalogue import services as catalogue
from gongkai.apps.catalogue.models import Item
from gongkai.apps.search.models import SearchEntry
from gongkai.apps.search.segment import grams, parse_query, words
from gongkai.apps.search.services import highlight, rebuild, search, snippet

from .test_portal_catalogue import draft, fresh_cache, make_office, portal_data, publish  # noqa: F401 - fixtures

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
    catalogue.submit(bureau.handler, item)
    assert search("特困").total == 0
    catalogue.approve_section(bureau.section_head, item, "经审查同意公开")
    assert search("特困").total == 0
    item = catalogue.approve_leader(bureau.leader, Item.objects.get(pk=item.pk), "同意发布")
    assert titles(search("特困")) == [item.title]
    catalogue.withdraw(bureau.leader, item, "内容有误")
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
    assert results[0].xpath(".//mark")[0].text == "低保"
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
