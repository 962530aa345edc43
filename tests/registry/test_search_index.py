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
