"""The online-application models, moved here from ``portal`` (portal.0006 drops them from portal's
state). Nothing happens to the database: the tables keep their names (``db_table``) and rows.
On a new database ``portal.0001``/``0004`` create the tables and this migration only takes them
into ``online``'s state. The content types of the three models follow them to the new label, so
that admin history and permissions stay attached."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("onlineintake", "onlinesubmission", "throttlecount")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="online", model=model).exists():
            ContentType.objects.using(db).filter(app_label="portal", model=model).update(app_label="online")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="portal", model=model).exists():
            ContentType.objects.using(db).filter(app_label="online", model=model).update(app_label="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agencies", "0001_initial"),
        ("cases", "0004_legal_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0005_order_by_agency_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OnlineIntake",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("enabled", models.BooleanField(default=True, verbose_name="接受网上申请")),
                        ("contact", models.CharField(blank=True, help_text="显示在回执和办理进度页面上，例如“0531-12345678（工作日 9:00–17:00）”", max_length=200, verbose_name="咨询电话或联系方式")),
                        ("notice", models.TextField(blank=True, help_text="选择本机关时显示在申请表上方（可不填）", verbose_name="申请须知")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("agency", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="online_intake", to="agencies.agency", verbose_name="机关")),
                    ],
                    options={
                        "verbose_name": "网上申请受理机关",
                        "verbose_name_plural": "网上申请受理机关",
                        "db_table": "portal_onlineintake",
                        "ordering": ["agency__order_path"],
                    },
                ),
                migrations.CreateModel(
                    name="OnlineSubmission",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code_hash", models.CharField(editable=False, max_length=64, unique=True, verbose_name="查询码摘要（SHA-256）")),
                        ("applicant_key", models.CharField(blank=True, editable=False, max_length=100, verbose_name="申请人摘要")),
                        ("submitted_at", models.DateTimeField(auto_now_add=True, verbose_name="提交时间")),
                        ("application", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="online_submission", to="cases.application", verbose_name="申请")),
                    ],
                    options={
                        "verbose_name": "网上申请",
                        "verbose_name_plural": "网上申请",
                        "db_table": "portal_onlinesubmission",
                        "ordering": ["-submitted_at"],
                        "indexes": [models.Index(fields=["applicant_key"], name="online_submission_applicant")],
                    },
                ),
                migrations.CreateModel(
                    name="ThrottleCount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=100)),
                        ("window_start", models.DateTimeField()),
                        ("expires_at", models.DateTimeField(db_index=True)),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "访问频率计数",
                        "verbose_name_plural": "访问频率计数",
                        "db_table": "portal_throttlecount",
                        "constraints": [models.UniqueConstraint(fields=("key", "window_start"), name="throttle_count_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
