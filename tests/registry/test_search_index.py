import pytest
from django.db import connection

from sanxin.registry.models import Organization

pytestmark = pytest.mark.django_db


def test_name_search_uses_the_trigram_index_on_postgresql(district):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # tiny test tables: forbid the plans a planner prefers there (a scan, or the primary key
        # read in order), leaving a bitmap scan of whichever index can answer LIKE '%…%'
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = Organization.objects.filter(name__icontains="甲一化工").order_by().explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
            cursor.execute("SET enable_indexscan = on")
    assert "org_name_trgm" in plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_organization'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"org_name_trgm", "org_credit_code_trgm"} <= names


def test_credit_code_search_uses_its_trigram_index_and_equality_the_btree(district):
    """The search's fragment of a code (icontains, as the organization list asks) uses the
    trigram index; the import's existence check (`credit_code = ANY`) must not be answered by the trigram
    index: with a COPY open it read the GIN pending list of every row sent (registry 0005)."""
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    from sanxin.imports.specs.organizations import _with_codes

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            exists = _with_codes(Organization.objects.all(), ["91500102MA5U8ABC1X"]).explain()
            # on a tiny table the B-tree (all of it, then a filter) looks as cheap: take it away,
            # inside the test's transaction, to see which index the search's expression matches
            cursor.execute("DROP INDEX organization_credit_code_unique")
            search = Organization.objects.filter(credit_code__icontains="91500102").order_by().explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
            cursor.execute("SET enable_indexscan = on")
    assert "org_credit_code_trgm" not in exists and "organization_credit_code_unique" in exists
    assert "org_credit_code_trgm" in search
