"""The JSON API of published items against its OpenAPI 3.1 document: the document is valid
(openapi-spec-validator), every documented path answers, and every response matches the schema
documented for its status (jsonschema, additional fields refused)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate

from gongkai.apps.catalogue.models import Item

from .test_portal_catalogue import fresh_cache, hidden, portal_data, publish  # noqa: F401 - fixtures
from .test_report_versions import YEAR, office  # noqa: F401 - a published report

API = "/public/api"


@pytest.fixture
def spec(client, db):
    response = client.get(reverse("portal:api_openapi"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def check(spec: dict, response, path: str, status: int) -> dict:
    """The response's status is documented for ``path`` and its body matches the schema."""
    assert response.status_code == status, response.content.decode()
    documented = spec["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**documented, "components": spec["components"]}, format_checker=FormatChecker())
    body = response.json()
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, [e.message for e in errors]
    return body


def test_the_document_is_valid_openapi_31(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": API}]
    assert set(spec["paths"]) == {"/items", "/items/{id}", "/categories", "/agencies", "/reports",
                                  "/reports/{agency}/{year}", "/reports/{agency}/{year}/csv"}


def test_every_documented_path_answers_as_documented(client, spec, portal_data, office):
    item = portal_data["items"]["subsistence"]
    for path in spec["paths"]:
        url = API + path.replace("{id}", str(item.pk)).replace("{agency}", str(office["bureau"].pk)).replace("{year}", str(YEAR))
        if path.endswith("/csv"):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
            continue
        check(spec, client.get(url), path, 200)


def test_published_tables_are_open_data_as_json_and_csv(client, spec, office):
    bureau = office["bureau"]
    listed = check(spec, client.get(API + "/reports", {"agency": bureau.pk}), "/reports", 200)["reports"]
    assert [(r["agency"]["name"], r["year"], r["version"]) for r in listed] == [("某县财政局", YEAR, 1)]
    body = check(spec, client.get(listed[0]["json_url"]), "/reports/{agency}/{year}", 200)
    assert body["tables"]["active"]["admin_fees"] == {"amount": "0.5"}
    assert body["tables"]["active"]["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert body["tables"]["applications"]["total"]["total"] == 0  # no application in the registry that year
    csv_text = client.get(listed[0]["csv_url"]).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "机关,年度,版本,表,行键,行,列键,列,数值"
    assert f"某县财政局,{YEAR},1,主动公开政府信息情况,admin_fees," in csv_text and csv_text.count("\n") > 100
    check(spec, client.get(f"{API}/reports/{bureau.pk}/{YEAR - 5}"), "/reports/{agency}/{year}", 404)
    check(spec, client.get(API + "/reports", {"agency": "x"}), "/reports", 400)


def test_the_interface_is_described_for_people_without_any_outside_script(client, spec, db):
    page = client.get("/public/api/")
    text = page.content.decode()
    assert page.status_code == 200
    for path in spec["paths"]:
        assert f"/public/api{path}" in text
    assert "<script" not in text and "ReportTables" in text and "开放数据" in text


def test_items_list_only_published_newest_first(client, spec, portal_data):
    body = check(spec, client.get(API + "/items"), "/items", 200)
    found = [i["title"] for i in body["items"]]
    assert found == ["某县临时救助实施办法", "关于调整城乡居民最低生活保障标准的通知", "某县本级部门预算公开说明"]
    assert body["count"] == 3 and body["pages"] == 1 and body["next"] is None
    for item in hidden(portal_data):
        assert item.title not in found
    first = body["items"][0]
    assert first["validity"] == "in_force" and first["validity_label"] == "现行有效"
    assert first["kind"] == "normative_documents" and first["document_number"] == "某民规〔2026〕1号"
    assert client.get(first["url"]).status_code == 200 and client.get(first["api_url"]).status_code == 200


def test_items_filters(client, spec, portal_data):
    bureau, county = portal_data["bureau"], portal_data["county"]

    def titles(**params):
        return [i["title"] for i in check(spec, client.get(API + "/items", params), "/items", 200)["items"]]

    assert titles(agency=county.agency.pk) == ["某县本级部门预算公开说明"]
    assert titles(category=bureau.categories["policy"].pk) == ["某县临时救助实施办法"]  # with subcategories
    assert titles(since=(date.today() - timedelta(days=1)).isoformat()) == ["某县临时救助实施办法"]
    assert titles(q="低保") == ["关于调整城乡居民最低生活保障标准的通知"]
    assert titles(q="低保", agency=county.agency.pk) == []
    assert titles(q="救助", category=bureau.categories["assistance"].pk) == []
    assert titles(agency=999999) == []


def test_items_pages(client, spec, portal_data):
    bureau = portal_data["bureau"]
    for n in range(4):
        publish(bureau, "finance", f"第{n}季度财政资金使用情况", "财政资金。", published_days_ago=5 + n)
    body = check(spec, client.get(API + "/items", {"per_page": 3}), "/items", 200)
    assert body["count"] == 7 and body["pages"] == 3 and body["previous"] is None
    seen = [i["id"] for i in body["items"]]
    while body["next"]:
        body = check(spec, client.get(body["next"]), "/items", 200)
        seen += [i["id"] for i in body["items"]]
    assert len(seen) == len(set(seen)) == 7
    assert body["previous"] is not None
    beyond = check(spec, client.get(API + "/items", {"page": 9}), "/items", 200)
    assert beyond["items"] == []
    searched = check(spec, client.get(API + "/items", {"q": "财政资金", "per_page": 2}), "/items", 200)
    assert searched["count"] == 4 and searched["pages"] == 2 and searched["next"]


@pytest.mark.parametrize("params", [{"agency": "x"}, {"agency": "-1"}, {"page": "0"}, {"per_page": "101"},
                                    {"since": "2026-13-01"}, {"since": "昨天"}, {"category": "1 OR 1=1"}])
def test_bad_parameters_are_400_with_a_chinese_message(client, spec, portal_data, params):
    body = check(spec, client.get(API + "/items", params), "/items", 400)
    assert body["error"] == "invalid_parameter" and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


@pytest.mark.parametrize("query", ['"', "NEAR(低保", "*", "'; DROP TABLE catalogue_item; --", "低保)"])
def test_hostile_search_in_the_api(client, spec, portal_data, query):
    check(spec, client.get(API + "/items", {"q": query}), "/items", 200)


def test_item_detail_and_404_for_unpublished(client, spec, portal_data):
    item = portal_data["items"]["subsistence"]
    body = check(spec, client.get(f"{API}/items/{item.pk}"), "/items/{id}", 200)
    assert body["title"] == item.title and body["body"].startswith("各乡镇人民政府")
    assert body["agency"] == {"id": item.agency_id, "name": "某县民政局"}
    for hidden_item in hidden(portal_data):
        body = check(spec, client.get(f"{API}/items/{hidden_item.pk}"), "/items/{id}", 404)
        assert body["error"] == "not_found"
    check(spec, client.get(f"{API}/items/987654"), "/items/{id}", 404)


def test_categories_in_tree_order_with_counts(client, spec, portal_data):
    bureau = portal_data["bureau"]
    body = check(spec, client.get(API + "/categories", {"agency": bureau.agency.pk}), "/categories", 200)
    rows = [(c["name"], c["depth"], c["published_count"]) for c in body["categories"]]
    assert rows == [("政策文件", 0, 1), ("行政规范性文件", 1, 1), ("社会救助", 0, 1), ("财政信息", 0, 0)]
    check(spec, client.get(API + "/categories", {"agency": "abc"}), "/categories", 400)


def test_agencies(client, spec, portal_data):
    body = check(spec, client.get(API + "/agencies"), "/agencies", 200)
    assert [a["name"] for a in body["agencies"]] == ["某县人民政府", "某县民政局"]


def test_no_route_shows_an_unpublished_item(client, portal_data):
    """One sweep over every public route with the title of each hidden item."""
    bureau = portal_data["bureau"].agency
    urls = [reverse("portal:home"), reverse("portal:agency", args=[bureau.pk]),
            reverse("portal:catalogue", args=[bureau.pk]), reverse("portal:feed"),
            reverse("portal:agency_feed", args=[bureau.pk]), API + "/items", API + "/items?q=低保",
            reverse("portal:search") + "?q=低保"]
    for item in hidden(portal_data):
        assert item.state != Item.State.PUBLISHED
        for url in urls:
            assert item.title not in client.get(url).content.decode(), (url, item.title)
