import pytest

from sanxin.core.pagination import CappedPaginator
from sanxin.registry.models import Organization

from ..factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_counts_exactly_below_the_cap_and_stops_above(district):
    for i in range(7):
        OrganizationFactory(name=f"分页{i}", area=district.area_a)
    qs = Organization.objects.order_by("id")
    exact = CappedPaginator(qs, 3)
    exact.cap = 20
    assert (exact.count, exact.capped, exact.num_pages) == (10, False, 4)
    capped = CappedPaginator(qs, 3)
    capped.cap = 6
    assert capped.capped and capped.num_pages == 2
    assert [o.pk for o in capped.page(2)] == list(qs.values_list("pk", flat=True)[3:6])


def test_list_page_says_more_than_the_cap(district, client_for, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    response = client_for(district.district).get("/organizations/", HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 2 results" in response.content.decode()
