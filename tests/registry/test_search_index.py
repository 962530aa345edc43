import pytest
from django.db import connection

from sanxin.registry.models import Organization

pytestmark = pytest.mark.django_db


def test_name_search_uses_the_trigram_index_on_postgresql(district):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = Organization.objects.filter(name__icontains="甲一化工").explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "org_name_trgm" in plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_organization'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"org_name_trgm", "org_credit_code_trgm"} <= names
