"""ID numbers encrypted at rest (issue 10): the column becomes text holding Fernet tokens, and
every existing plain number is encrypted in place; reversing decrypts them again."""
from django.db import migrations

import sanxin.core.crypto
import sanxin.core.validators

BATCH = 2000


def _convert(apps, schema_editor, transform, wanted) -> None:
    # Raw SQL: the historical model's field would try to decrypt the plain values on read.
    connection = schema_editor.connection
    table = connection.ops.quote_name("party_member")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number FROM {table} WHERE id_number <> ''")
        rows = [(pk, value) for pk, value in cursor.fetchall() if wanted(value)]
        for start in range(0, len(rows), BATCH):
            cursor.executemany(f"UPDATE {table} SET id_number = %s WHERE id = %s",
                               [(transform(value), pk) for pk, value in rows[start:start + BATCH]])


def encrypt_existing(apps, schema_editor) -> None:
    crypto = sanxin.core.crypto
    _convert(apps, schema_editor, crypto.encrypt, lambda v: not crypto.is_encrypted(v))


def decrypt_existing(apps, schema_editor) -> None:
    crypto = sanxin.core.crypto
    _convert(apps, schema_editor, crypto.decrypt, crypto.is_encrypted)


class Migration(migrations.Migration):
    dependencies = [("party", "0002_members_instructors_terms")]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=sanxin.core.crypto.EncryptedTextField(
                blank=True, default="", plain_max_length=18,
                validators=[sanxin.core.validators.validate_id_number],
                verbose_name="resident ID number"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
