"""Tracking codes out of the session table: receipts used to keep the code in the session
(``portal_online_receipt``) for up to 14 days; it now travels in a signed cookie. This removes the
key from the sessions that still hold it."""

from django.db import migrations

OLD_KEY = "portal_online_receipt"


def forget_codes(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.filter(session_data__isnull=False).iterator():
        data = store.decode(session.session_data)
        if OLD_KEY in data:
            del data[OLD_KEY]
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_portal_revision"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_codes, migrations.RunPython.noop)]
