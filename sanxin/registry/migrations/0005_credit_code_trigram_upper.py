"""The credit-code trigram index on UPPER(credit_code::text), which the search's `icontains`
compiles to, instead of on credit_code::text.

On credit_code::text the GIN index also answers equality (pg_trgm ≥ 1.6), and the import's
existence check (`credit_code = ANY(...)`, 2,000 codes a chunk) chose it on a table without
statistics: each check then read the GIN pending list of every row the import's open COPY had
sent, about 35 s a chunk at a few hundred thousand rows. On the UPPER expression the index serves
the search only; equality goes to the unique B-tree. Skipped where 0002 made no trigram index."""
from django.db import migrations

OLD = "CREATE INDEX org_credit_code_trgm ON registry_organization USING gin ((credit_code::text) gin_trgm_ops)"
NEW = ("CREATE INDEX org_credit_code_trgm ON registry_organization "
       "USING gin (UPPER(credit_code::text) gin_trgm_ops)")


def _swap(schema_editor, create: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'org_credit_code_trgm'")
        if cursor.fetchone() is None:  # no pg_trgm here (0002 warned): nothing to change
            return
    schema_editor.execute("DROP INDEX org_credit_code_trgm")
    schema_editor.execute(create)


def forwards(apps, schema_editor):
    _swap(schema_editor, NEW)


def backwards(apps, schema_editor):
    _swap(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_dashboard_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
