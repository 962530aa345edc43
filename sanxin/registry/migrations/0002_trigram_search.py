"""Trigram indexes for the organization search by name or credit-code fragment (PostgreSQL only).

`name__icontains` compiles to UPPER(name::text) LIKE UPPER('%…%'), which no B-tree index helps;
a pg_trgm GIN index on the same expression does. SQLite has no such index and needs none at the
embedded sizes. Creating the extension needs a role allowed to do so; without it the indexes are
skipped with a warning and search still works, by scanning."""
import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)

CREATE = [
    "CREATE INDEX IF NOT EXISTS org_name_trgm ON registry_organization "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS org_credit_code_trgm ON registry_organization "
    "USING gin ((credit_code::text) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS org_name_trgm", "DROP INDEX IF EXISTS org_credit_code_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 (no privilege: search still works without)
        log.warning("pg_trgm unavailable (%s): organization search will scan", exc)
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
