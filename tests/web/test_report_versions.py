"""Published annual reports change only through a new, approved revision; the earlier versions
stay public; the PDF of a published version is rendered once (issue 12 items 3 and 9)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.apps.reports import services
from gongkai.apps.reports.models import ReportVersion
from gongkai.core import standard

YEAR = date.today().year - 1
FIRST, REVISED = "本年度第一版正文。", "本年度修订后的正文。"


@pytest.fixture
def office(db):
    bureau = Agency.objects.create(name="某县财政局", kind=Agency.Kind.DEPARTMENT)
    people = {}
    for name, role in [("handler", "handler"), ("approver", "approver"), ("other_approver", "approver")]:
        people[name] = get_user_model().objects.create_user(name, password="x")
        Membership.objects.create(user=people[name], agency=bureau, role=role)
    table2 = {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows}
    table2["admin_fees"]["amount"] = "0.5"
    services.save_table2(people["handler"], bureau, YEAR, table2)
    services.save_narrative(people["handler"], bureau, YEAR, {"overview": FIRST}, date(YEAR + 1, 1, 20))
    services.close_year(people["approver"], bureau, YEAR)
    return {"bureau": bureau, **people}


def public_text(client, bureau, year=YEAR, number=None) -> str:
    url = (reverse("portal:report_version", args=[bureau.pk, year, number]) if number
           else reverse("portal:report", args=[bureau.pk, year]))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def public_docx_text(client, bureau) -> str:
    response = client.get(reverse("portal:report_download", args=[bureau.pk, YEAR, "docx"]))
    assert response.status_code == 200
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)


def test_a_handlers_edit_of_a_published_year_is_a_draft_until_an_approver_publishes_it(office, client):
    bureau = office["bureau"]
    assert FIRST in public_text(client, bureau) and FIRST in public_docx_text(client, bureau)
    staff = client
    staff.force_login(office["handler"])
    form = {spec.key: "" for spec in standard.SECTIONS}
    form.update(overview=REVISED, published_on=f"{YEAR + 1}-01-20", website="", address="", telephone="")
    assert staff.post(reverse("reports:narrative", args=[bureau.pk, YEAR]), form).status_code == 302
    page = staff.get(reverse("reports:year", args=[bureau.pk, YEAR])).content.decode()
    assert "尚未发布的修改" in page
    # The public report is unchanged: page and download.
    text = public_text(client, bureau)
    assert FIRST in text and REVISED not in text
    assert REVISED not in public_docx_text(client, bureau)
    # A handler cannot publish it.
    assert staff.post(reverse("reports:publish", args=[bureau.pk, YEAR]), {"reason": "更正"}).status_code == 403
    assert ReportVersion.objects.count() == 1
    # An approver publishes it as a new version, with the reason.
    staff.force_login(office["approver"])
    response = staff.post(reverse("reports:publish", args=[bureau.pk, YEAR]), {"reason": "更正第一部分的表述"})
    assert response.status_code == 302
    text = public_text(client, bureau)
    assert REVISED in text and FIRST not in text and "第2版" in text
    assert REVISED in public_docx_text(client, bureau)
    # The earlier version stays public, with its date, listed on the reports page.
    listing = client.get(reverse("portal:reports", args=[bureau.pk])).content.decode()
    first, second = ReportVersion.objects.order_by("number")
    assert reverse("portal:report_version", args=[bureau.pk, YEAR, 1]) in listing
    assert timezone.localtime(first.approved_at).strftime("%Y-%m-%d") in listing and "更正第一部分的表述" in listing
    old = public_text(client, bureau, number=1)
    assert FIRST in old and REVISED not in old and "历史版本" in old
    old_docx = client.get(reverse("portal:report_version_download", args=[bureau.pk, YEAR, 1, "docx"]))
    assert FIRST in "\n".join(p.text for p in DocxDocument(io.BytesIO(old_docx.content)).paragraphs)
    assert client.get(reverse("portal:report_version", args=[bureau.pk, YEAR, 3])).status_code == 404
    assert (second.approved_by, second.reason) == (office["approver"], "更正第一部分的表述")


def test_table2_of_a_published_year_changes_publicly_only_after_approval(office, client):
    bureau = office["bureau"]
    values = {r.key: {c.key: 1 for c in r.columns} for r in standard.ACTIVE.rows}
    values["admin_fees"]["amount"] = "0.5"
    values["penalty"] = {"decisions": 4321}
    services.save_table2(office["handler"], bureau, YEAR, values)
    assert "4321" not in public_text(client, bureau)
    services.publish_report(office["other_approver"], bureau, YEAR, "补正表二行政处罚数")
    assert "4321" in public_text(client, bureau)
    assert "4321" not in public_text(client, bureau, number=1)


def test_publication_is_refused_without_reason_change_or_close(office):
    bureau, approver = office["bureau"], office["approver"]
    with pytest.raises(services.ValidationError, match="没有尚未发布的修改"):
        services.publish_report(approver, bureau, YEAR, "再发一次")
    services.save_narrative(office["handler"], bureau, YEAR, {"overview": REVISED}, date(YEAR + 1, 1, 20))
    with pytest.raises(services.ValidationError, match="修订说明"):
        services.publish_report(approver, bureau, YEAR, "  ")
    with pytest.raises(services.PermissionDenied):
        services.publish_report(office["handler"], bureau, YEAR, "更正")
    services.save_narrative(office["handler"], bureau, YEAR - 1, {"overview": "往年"}, date(YEAR, 1, 20))
    with pytest.raises(services.ValidationError, match="尚未结转"):
        services.publish_report(approver, bureau, YEAR - 1, "")


def test_the_pdf_of_a_published_version_is_rendered_once(office, client, monkeypatch):
    bureau = office["bureau"]
    calls = []
    real = services.render_report

    def counting(assembled, fmt):
        calls.append(fmt)
        return real(assembled, fmt)

    monkeypatch.setattr(services, "render_report", counting)
    url = reverse("portal:report_download", args=[bureau.pk, YEAR, "pdf"])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF") and calls == ["pdf"]
    second = client.get(url)
    assert second.content == first.content and calls == ["pdf"]  # kept, not rendered again
    # A new version is rendered anew.
    services.save_narrative(office["handler"], bureau, YEAR, {"overview": REVISED}, date(YEAR + 1, 1, 20))
    services.publish_report(office["approver"], bureau, YEAR, "更正")
    third = client.get(url)
    assert third.status_code == 200 and calls == ["pdf", "pdf"] and third.content != first.content
    client.get(url)
    assert calls == ["pdf", "pdf"]


def test_the_migration_publishes_the_reports_of_years_closed_before_versions_existed(office, client):
    import importlib

    from django.apps import apps

    bureau = office["bureau"]
    ReportVersion.objects.all().delete()  # as before the migration: a closed year, no version
    assert client.get(reverse("portal:report", args=[bureau.pk, YEAR])).status_code == 404
    migration = importlib.import_module("gongkai.apps.reports.migrations.0003_publish_closed_years")
    migration.publish_closed_years(apps, None)
    version = ReportVersion.objects.get()
    assert (version.number, version.approved_by) == (1, office["approver"])
    assert FIRST in public_text(client, bureau) and "某县财政局" in public_text(client, bureau)
    migration.publish_closed_years(apps, None)  # run twice: nothing added
    assert ReportVersion.objects.count() == 1
