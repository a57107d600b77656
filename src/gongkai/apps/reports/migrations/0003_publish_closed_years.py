"""The reports public before versions existed (those of closed years) become version 1, as they
stood, approved by whoever closed the year: the public keeps seeing them, and from now on they
change only through a new approved version."""

from django.db import migrations
from django.db.models import Sum


def publish_closed_years(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    YearClose = apps.get_model("cases", "YearClose")
    Application = apps.get_model("cases", "Application")
    Agency = apps.get_model("agencies", "Agency")
    for closed in YearClose.objects.all():
        report = AnnualReport.objects.filter(agency_id=closed.agency_id, year=closed.year).first()
        if report is None or not report.table2 or ReportVersion.objects.filter(report=report).exists():
            continue
        if set(closed.tables) != {"applications", "review_litigation"}:
            continue
        fee = Application.objects.filter(agency_id=closed.agency_id, fee_paid_on__year=closed.year) \
            .aggregate(total=Sum("fee_yuan"))["total"] or 0
        content = {"agency": Agency.objects.get(pk=closed.agency_id).name, "table2": report.table2, "sections": report.sections,
                   "published_on": report.published_on.isoformat() if report.published_on else None,
                   "website": report.website, "address": report.address, "telephone": report.telephone,
                   "fee_yuan": str(fee), "tables": closed.tables}
        version = ReportVersion.objects.create(report=report, number=1, content=content, reason="升级时按已结转年度的报告发布",
                                               approved_by_id=closed.closed_by_id)
        ReportVersion.objects.filter(pk=version.pk).update(approved_at=closed.closed_at)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_versions"),
        ("cases", "0004_legal_fields"),
    ]

    operations = [migrations.RunPython(publish_closed_years, migrations.RunPython.noop)]
