"""The correction period moves from the letter settings to the agency (the registry reads it too)."""

from django.db import migrations


def to_agency(apps, schema_editor):
    LetterSettings = apps.get_model("letters", "LetterSettings")
    Agency = apps.get_model("agencies", "Agency")
    for agency_id, days in LetterSettings.objects.values_list("agency_id", "correction_working_days"):
        Agency.objects.filter(pk=agency_id).update(correction_working_days=days)


def to_letter_settings(apps, schema_editor):
    LetterSettings = apps.get_model("letters", "LetterSettings")
    Agency = apps.get_model("agencies", "Agency")
    for settings in LetterSettings.objects.all():
        settings.correction_working_days = Agency.objects.get(pk=settings.agency_id).correction_working_days
        settings.save(update_fields=["correction_working_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_agency_vertical_correction_period"),
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_agency, to_letter_settings),
        migrations.RemoveField(model_name="lettersettings", name="correction_working_days"),
    ]
