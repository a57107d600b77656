"""OnlineIntake, OnlineSubmission and ThrottleCount now belong to ``online`` (online.0001 takes
them into its state): removed from portal's state only — the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0005_order_by_agency_order"),
        ("online", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OnlineIntake"),
                migrations.DeleteModel(name="OnlineSubmission"),
                migrations.DeleteModel(name="ThrottleCount"),
            ],
            database_operations=[],
        ),
    ]
