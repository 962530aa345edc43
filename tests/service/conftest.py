"""Service fixtures on top of the shared hand-built district (tests/conftest.py):
officer_a serves nobody yet in area A; the shared officer serves b1 in area B."""
import pytest

from sanxin.service.models import ServiceOfficer
from tests.factories import user_with_role


@pytest.fixture
def officer_a(district) -> ServiceOfficer:
    user = user_with_role("officer_a", "officer")
    return ServiceOfficer.objects.create(user=user, area=district.area_a, capacity=5,
                                         industries="C", latitude=29.71, longitude=107.40)
