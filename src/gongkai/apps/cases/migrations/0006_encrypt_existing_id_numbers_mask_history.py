"""Existing ID numbers encrypted (with their digest), and the history's copies of them masked.

The numbers are read and written with plain SQL: the column now belongs to an encrypted field,
whose reading refuses a clear value. A value that is already a token is left alone, so running it
again changes nothing. Going back decrypts the numbers; the history stays masked (the clear
numbers are not kept anywhere to restore them).
"""

from django.db import migrations

BATCH = 500


def _rows(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number FROM {table} WHERE id_number IS NOT NULL AND id_number <> ''")
        return cursor.fetchall()


def encrypt_numbers(apps, schema_editor):
    from gongkai.apps.cases.personal import encrypt, id_digest, is_token

    connection = schema_editor.connection
    table = connection.ops.quote_name(apps.get_model("cases", "Application")._meta.db_table)
    changes = [(encrypt(number), id_digest(number), pk) for pk, number in _rows(connection, table)
               if not is_token(number)]
    with connection.cursor() as cursor:
        for start in range(0, len(changes), BATCH):
            cursor.executemany(f"UPDATE {table} SET id_number = %s, id_number_digest = %s WHERE id = %s",
                               changes[start:start + BATCH])


def decrypt_numbers(apps, schema_editor):
    from gongkai.apps.cases.personal import decrypt, is_token

    connection = schema_editor.connection
    table = connection.ops.quote_name(apps.get_model("cases", "Application")._meta.db_table)
    changes = [(decrypt(token), pk) for pk, token in _rows(connection, table) if is_token(token)]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET id_number = %s, id_number_digest = '' WHERE id = %s", changes)


def mask_history(apps, schema_editor):
    from django.db.models import Q

    from gongkai.apps.cases.personal import is_masked, mask_id_number

    CaseEvent = apps.get_model("cases", "CaseEvent")
    events = CaseEvent.objects.filter(Q(before__has_key="id_number") | Q(after__has_key="id_number"))
    changed = []
    for event in events.iterator(chunk_size=BATCH):
        dirty = False
        for record in (event.before, event.after):
            value = record.get("id_number") if isinstance(record, dict) else None
            if value and not is_masked(value):
                record["id_number"] = mask_id_number(value)
                dirty = True
        if dirty:
            changed.append(event)
        if len(changed) >= BATCH:
            CaseEvent.objects.bulk_update(changed, ["before", "after"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["before", "after"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_encrypt_id_numbers"),
    ]

    operations = [
        migrations.RunPython(encrypt_numbers, decrypt_numbers),
        migrations.RunPython(mask_history, migrations.RunPython.noop),
    ]
