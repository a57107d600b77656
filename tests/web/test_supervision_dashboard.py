"""The region pages of the supervising office (apps/supervision: figures.refresh_region and the
dashboard views): a county with departments, a township and an agency that sent nothing, two
years of reports built from seed 004 with their tables replaced, checked by the real checker.
The figures are asserted against the formulas worked by hand here; the pages by what they show."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.supervision.figures import refresh_for_report, refresh_region
from gongkai.apps.supervision.models import CollectedReport, RegionFigure, RegionYear
from gongkai.core import standard
from gongkai.core.report.checking import check_report
from gongkai.core.report.model import report_from_json, report_to_json
from gongkai.core.report.parsing import read_report

from tests.conftest import SEEDS

BASE = report_to_json(read_report(SEEDS["004"]))
BASE["narrative_facts"] = {}


def tables(granted=0, partial=0, denied=0, not_held=0, forward=0, over=0, review=(0, 0, 0, 0), broken=False):
    """A table 3 whose natural-person column holds the numbers (the rest zero) and that balances
    (unless ``broken``: then 一 is one more than it should be); table 4's 行政复议 block from
    ``review`` = (upheld, corrected, other, pending)."""
    t3 = {row: dict.fromkeys(standard.APPLICATION_COLUMN_KEYS, 0) for row in standard.APPLICATIONS.row_keys}

    def put(row, n):
        t3[row]["natural_person"] = t3[row]["total"] = n

    put("granted", granted)
    put("partial", partial)
    put("denied_third_party", denied)
    put("unable_not_held", not_held)
    decided = granted + partial + denied + not_held
    put("total", decided)
    put("carried_forward", forward)
    put("carried_over", over)
    put("new_received", decided + forward - over + (1 if broken else 0))
    t4 = {block: dict.fromkeys(standard.REVIEW_COLUMN_KEYS, 0) for block in standard.REVIEW_LITIGATION.row_keys}
    t4["review"].update(zip(("upheld", "corrected", "other", "pending"), review))
    t4["review"]["total"] = sum(review)
    active = copy.deepcopy(BASE["tables"]["active"])
    return {"active": active, "applications": t3, "review_litigation": t4}


def collect(region, agency, year, published, table_values, received_at_order=0):
    data = copy.deepcopy(BASE)
    data["tables"] = table_values
    data["cells"] = {}
    data["year"] = year
    data["agency"] = agency.name
    data["period"] = {"start": f"{year}-01-01", "end": f"{year}-12-31", "raw": f"{year}年1月1日至12月31日", "line": 1}
    data["published"] = {"date": published.isoformat(), "raw": published.isoformat(), "line": 90} if published else None
    model = report_from_json(data)
    findings = [f.to_json() for f in check_report(model)]
    body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return CollectedReport.objects.create(
        region=region, agency=agency, agency_name=agency.name, year=year, origin=CollectedReport.Origin.UPLOADED,
        source=f"{agency.name}{year}.txt", sha256=hashlib.sha256(body + bytes([received_at_order])).hexdigest(),
        fmt="txt", size=len(body), data=body, status=CollectedReport.Status.READ, report=data, findings=findings,
        published_on=published)


@pytest.fixture
def county(db):
    return build_county()


def build_county():
    """The county, its agencies, two years of reports, three users (a supervisor of the county, a
    handler of the education bureau, the supervisor of a neighbouring county); figures refreshed."""
    User = get_user_model()
    county = Agency.objects.create(name="示例县人民政府", kind=Agency.Kind.COUNTY)
    names = {"edu": ("示例县教育局", Agency.Kind.DEPARTMENT), "police": ("示例县公安局", Agency.Kind.DEPARTMENT),
             "health": ("示例县卫生健康委员会", Agency.Kind.DEPARTMENT), "town": ("示例县城关镇人民政府", Agency.Kind.TOWNSHIP),
             "finance": ("示例县财政局", Agency.Kind.DEPARTMENT)}
    a = {key: Agency.objects.create(name=name, kind=kind, parent=county) for key, (name, kind) in names.items()}
    a["county"] = county
    # 2023
    collect(county, county, 2023, date(2024, 3, 20), tables(granted=10, partial=2, not_held=3))
    collect(county, a["edu"], 2023, date(2024, 1, 20), tables(granted=4, partial=1))
    collect(county, a["police"], 2023, date(2024, 1, 25), tables(granted=20, denied=2, not_held=8, forward=2))
    collect(county, a["health"], 2023, date(2024, 1, 30), tables(granted=12, not_held=1))
    # 2024: the education bureau's applications jump 5 -> 40; police late by 10 days with a broken
    # table 3; the township's report has no date; the finance bureau sends nothing in either year.
    collect(county, county, 2024, date(2025, 3, 31), tables(granted=11, partial=3, not_held=2, review=(2, 1, 0, 0)))
    collect(county, a["edu"], 2024, date(2025, 1, 15), tables(granted=30, partial=6, not_held=4))
    collect(county, a["police"], 2024, date(2025, 2, 10), tables(granted=3, denied=10, not_held=7, over=2, broken=True))
    collect(county, a["health"], 2024, date(2025, 1, 31), tables(granted=14, partial=1, not_held=1))
    collect(county, a["town"], 2024, None, tables())
    users = {}
    for key, agency, role in (("supervisor", county, Membership.Role.SUPERVISOR),
                              ("handler", a["edu"], Membership.Role.HANDLER)):
        users[key] = User.objects.create_user(username=key, password="x")
        Membership.objects.create(user=users[key], agency=agency, role=role)
    other = Agency.objects.create(name="邻县人民政府", kind=Agency.Kind.COUNTY)
    users["other"] = User.objects.create_user(username="other", password="x")
    Membership.objects.create(user=users["other"], agency=other, role=Membership.Role.SUPERVISOR)
    refresh_region(county)
    return a, users, other


def fig(agency, year) -> RegionFigure:
    return RegionFigure.objects.get(agency=agency, year=year)


def test_refresh_stores_each_agencys_indicators_timeliness_and_findings(county):
    a, _, _ = county
    assert RegionFigure.objects.filter(region=a["county"]).count() == 6 * 2  # every agency, every year
    edu = fig(a["edu"], 2024)
    assert edu.received == 40 and edu.decided == 40
    assert edu.disclosure_rate == pytest.approx(36 / 40 * 100)  # (30 + 6) / 40
    assert edu.not_held_share == pytest.approx(10.0)
    assert edu.correction_rate is None and edu.indicators["correction_rate"]["status"] == "not_applicable"
    assert edu.on_time is True and edu.days_late == 0 and edu.deadline == date(2025, 1, 31)
    assert edu.changes["received"]["delta"] == "35"
    police = fig(a["police"], 2024)
    assert police.on_time is False and police.days_late == 10  # 10 February against 31 January
    assert police.errors >= 2 and police.rule_counts.get("T3-balance") == 2  # two columns: 自然人 and 总计
    county_2024 = fig(a["county"], 2024)
    assert county_2024.deadline == date(2025, 3, 31) and county_2024.on_time is True  # a government: 31 March
    assert county_2024.correction_rate == 33.33  # 1 corrected of 3 concluded, stored as shown (2 places)
    town = fig(a["town"], 2024)
    assert town.has_report and town.on_time is None and town.published_on is None
    assert town.disclosure_rate is None and town.indicators["disclosure_rate"]["status"] == "not_applicable"
    finance = fig(a["finance"], 2024)
    assert not finance.has_report and finance.received is None


def test_region_year_totals_ranks_and_outliers(county):
    a, _, _ = county
    year = RegionYear.objects.get(region=a["county"], year=2024)
    assert (year.agencies, year.reports, year.on_time, year.late, year.undated) == (6, 5, 3, 1, 1)
    assert year.failing == 1 and year.rule_agencies["T3-balance"] == 1
    sums = year.totals["sums"]["applications"]
    assert sums["granted"]["total"] == 11 + 30 + 3 + 14
    assert sums["new_received"]["total"] == 16 + 40 + (20 - 2 + 1) + 16 + 0
    assert "不等同于本级政府" in year.totals["label"]
    decided = sums["total"]["total"]
    assert Decimal(year.indicators["disclosure_rate"]["value"]) == (
        Decimal((11 + 3 + 30 + 6 + 3 + 14 + 1) * 100) / decided).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    # ranks of the disclosure rate: health 15/16, edu 36/40, county 14/16, police 3/20; the town has none
    order = sorted(RegionFigure.objects.filter(region=a["county"], year=2024, disclosure_rate__isnull=False),
                   key=lambda f: f.ranks["disclosure_rate"])
    assert [f.agency_id for f in order] == [a[k].pk for k in ("health", "edu", "county", "police")]
    assert fig(a["town"], 2024).ranks == {"received": 5}  # 0 applications: last by count, no rate to rank
    # the visible rules: 5 -> 40 is a sudden change; police's 15 % disclosure is far below the median
    edu_flags = {o["rule"] for o in fig(a["edu"], 2024).outliers}
    assert "O-sudden-change" in edu_flags
    police_flags = [o for o in fig(a["police"], 2024).outliers if o["rule"] == "O-far-from-median"]
    assert any(o["indicator"] == "disclosure_rate" for o in police_flags)
    assert year.outliers == RegionFigure.objects.filter(region=a["county"], year=2024, outlier_count__gt=0).count()


def test_a_newer_report_replaces_the_figures_after_it_is_collected(county):
    a, _, _ = county
    newer = collect(a["county"], a["health"], 2024, date(2025, 1, 10), tables(granted=2, partial=2), 1)
    refresh_for_report(newer)
    health = fig(a["health"], 2024)
    assert health.report_id == newer.pk and health.received == 4 and health.disclosure_rate == pytest.approx(100.0)


def login(client, user):
    client.force_login(user)
    return client


def test_region_page_shows_agencies_late_and_failing_in_words_totals_matrix_and_charts(county, client,
                                                                                         django_assert_max_num_queries):
    a, users, _ = county
    login(client, users["supervisor"])
    url = reverse("supervision:region", args=[a["county"].pk])
    # five of its own (region, permission, years, the page of agencies, the outliers) and those of
    # the session and the navigation; none per agency
    with django_assert_max_num_queries(16):
        response = client.get(url, {"year": 2024, "sort": "disclosure_rate"})
    assert response.status_code == 200
    html = response.content.decode()
    for agency in a.values():
        assert agency.name in html
    assert "逾期10天" in html and "错误" in html and "未收到报告" in html and "未写明发布日期" in html
    assert "T3-balance" in html  # the matrix names the rule
    assert "各机关年度报告数据之和" in html
    assert 'id="chart-trend-counts"' in html and 'id="chart-matrix"' in html and "echarts.min.js" in html
    assert "O-sudden-change" in html and "变化幅度不低于50%" in html
    # sorted by the disclosure rate, high to low, with the ranks
    positions = [html.index(a[k].name + "</a>") for k in ("health", "edu", "county", "police")]
    assert positions == sorted(positions)
    assert "第1名" in html
    late = client.get(url, {"year": 2024, "show": "late"}).content.decode()
    assert a["police"].name in late and a["edu"].name + "</a>" not in late


def test_region_page_paginates_and_sorts_in_sql(county, client):
    a, users, _ = county
    login(client, users["supervisor"])
    from gongkai.apps.supervision import dashboard
    original = dashboard.PAGE_SIZE
    dashboard.PAGE_SIZE = 2
    try:
        url = reverse("supervision:region", args=[a["county"].pk])
        first = client.get(url, {"year": 2024, "sort": "received", "dir": "desc"})
        second = client.get(url, {"year": 2024, "sort": "received", "dir": "desc", "page": 2})
    finally:
        dashboard.PAGE_SIZE = original
    first_names = [f.agency.name for f in first.context["page"].object_list]
    assert first_names == [a["edu"].name, a["police"].name]  # 40, 19
    assert "第1页，共3页" in first.content.decode()
    assert [f.agency.name for f in second.context["page"].object_list][0] in (a["county"].name, a["health"].name)


def test_only_the_regions_supervisor_sees_it(county, client):
    a, users, other = county
    url = reverse("supervision:region", args=[a["county"].pk])
    assert client.get(url).status_code == 302  # to the login page
    login(client, users["handler"])
    assert client.get(url).status_code == 403
    client.logout()
    login(client, users["other"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("supervision:compare", args=[a["county"].pk]), {"agency": a["edu"].pk}).status_code == 403
    # a supervisor of the county's department sees nothing of the county either
    login(client, users["supervisor"])
    edu_supervisor = get_user_model().objects.create_user(username="edu-sup", password="x")
    Membership.objects.create(user=edu_supervisor, agency=a["edu"], role=Membership.Role.SUPERVISOR)
    login(client, edu_supervisor)
    assert client.get(url).status_code == 403
    # the neighbouring county has no reports yet: its page says so, and /supervision/ leads there
    login(client, users["other"])
    assert client.get(reverse("supervision:index")).url == reverse("supervision:region", args=[other.pk])
    response = client.get(reverse("supervision:region", args=[other.pk]))
    assert response.status_code == 200 and "尚无统计数据" in response.content.decode()


def test_compare_side_by_side_and_one_agencys_years(county, client):
    a, users, _ = county
    login(client, users["supervisor"])
    url = reverse("supervision:compare", args=[a["county"].pk])
    side = client.get(url + f"?year=2024&agency={a['edu'].pk}&agency={a['police'].pk}")
    html = side.content.decode()
    assert side.status_code == 200 and "2个机关并列对比" in html
    assert "90.0%" in html and "15.0%" in html  # edu 36/40, police 3/20
    assert 'id="chart-side-rates"' in html
    years = client.get(url, {"agency": a["edu"].pk})
    html = years.content.decode()
    assert "示例县教育局 · 历年指标" in html and "2023年" in html and "2024年" in html
    assert "+35（+700.0%）" in html
    outside = Agency.objects.create(name="外县某局", kind=Agency.Kind.DEPARTMENT)
    assert client.get(url, {"agency": outside.pk}).status_code == 404
    found = client.get(url, {"year": 2024, "q": "公安"}).content.decode()
    assert a["police"].name in found and a["edu"].name not in found


def test_indicators_page_shows_every_formula_and_rule(client, db):
    user = get_user_model().objects.create_user(username="any", password="x")
    login(client, user)
    html = client.get(reverse("supervision:indicators")).content.decode()
    from gongkai.core.report.indicators import INDICATORS, OUTLIER_RULES
    for spec in INDICATORS:
        assert spec.name in html and spec.formula in html
    for rule in OUTLIER_RULES:
        assert rule.id in html and rule.describe() in html
