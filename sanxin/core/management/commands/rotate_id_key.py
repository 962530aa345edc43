"""Re-encrypt every encrypted column under the newest key of SANXIN_ID_ENCRYPTION_KEYS.

Run after putting a new key first in the list (docs/operations.md, "Rotating the ID-number
key"); afterwards the old keys can be removed. Safe to re-run and to interrupt: each batch is its
own transaction and a value already under the newest key is left as it is.
"""
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sanxin.core import crypto

BATCH = 1000


def encrypted_columns() -> list[tuple[str, str]]:
    """(table, column) of every EncryptedTextField in the project."""
    return [(model._meta.db_table, field.column)
            for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, crypto.EncryptedTextField)]


def rotate_column(table: str, column: str) -> int:
    """Re-encrypt the values of one column not yet under the newest key; returns how many."""
    quote = connection.ops.quote_name
    changed, last_id = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} WHERE id > %s "
                           f"AND {quote(column)} <> '' ORDER BY id LIMIT %s", [last_id, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return changed
            last_id = rows[-1][0]
            updates = [(crypto.rotate(value), pk) for pk, value in rows
                       if not crypto.under_newest_key(value)]
            cursor.executemany(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",
                               updates)
            changed += len(updates)


class Command(BaseCommand):
    help = "Re-encrypt ID numbers under the newest key of SANXIN_ID_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        for table, column in encrypted_columns():
            changed = rotate_column(table, column)
            self.stdout.write(f"{table}.{column}: {changed} re-encrypted")
