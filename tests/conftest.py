"""A small hand-built district that every app's tests can share.

district 500102 ─┬─ area A (500102006 敦仁街道): org a1 (industry dept X), a2 (dept Y)
                 └─ area B (500102007 崇义街道): org b1 (dept X)
Users: district, area_a, dept_x (industry), dept_f (functional), contact_a1, officer (serves b1).
"""
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from sanxin.accounts.models import User
from sanxin.registry.models import Area, Department, Organization
from sanxin.service.models import Assignment, ServiceOfficer

from .factories import AreaFactory, DepartmentFactory, OrganizationFactory, user_with_role


@dataclass
class District:
    root: Area
    area_a: Area
    area_b: Area
    dept_x: Department
    dept_y: Department
    dept_f: Department
    a1: Organization
    a2: Organization
    b1: Organization
    district: User
    area_user: User
    dept_user: User
    functional_user: User
    contact_a1: User
    officer_user: User
    officer: ServiceOfficer

    def users(self) -> dict[str, User]:
        return {"district": self.district, "area": self.area_user, "department": self.dept_user,
                "functional": self.functional_user, "organization": self.contact_a1,
                "officer": self.officer_user}


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached sessions and signed-in users (sanxin/accounts/actors.py) outlive a test's rolled-back
    transaction while row ids repeat between tests: every test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db) -> District:
    return build_district()


def build_district() -> District:
    """The fixture's world as a plain function, for module-scoped worlds (tests/test_role_matrix.py)."""
    root = AreaFactory(code="500102", name="涪陵区", kind="district")
    area_a = AreaFactory(code="500102006", name="敦仁街道", parent=root)
    area_b = AreaFactory(code="500102007", name="崇义街道", parent=root)
    dept_x = DepartmentFactory(code="jingxinwei", name="区经济信息委")
    dept_y = DepartmentFactory(code="shangwuwei", name="区商务委")
    dept_f = DepartmentFactory(code="shuiwu", name="区税务局", kind="functional")
    a1 = OrganizationFactory(name="甲一化工有限公司", area=area_a, authority=dept_x)
    a2 = OrganizationFactory(name="甲二商贸有限公司", area=area_a, authority=dept_y, industry="F")
    b1 = OrganizationFactory(name="乙一机械有限公司", area=area_b, authority=dept_x)
    officer_user = user_with_role("officer", "officer")
    officer = ServiceOfficer.objects.create(user=officer_user, area=area_b, capacity=10,
                                            latitude=29.7, longitude=107.39)
    Assignment.objects.create(organization=b1, officer=officer, reason="test")
    return District(
        root=root, area_a=area_a, area_b=area_b, dept_x=dept_x, dept_y=dept_y, dept_f=dept_f,
        a1=a1, a2=a2, b1=b1,
        district=user_with_role("district", "district", sees_personal_data=True),
        area_user=user_with_role("area_a", "area", area=area_a),
        dept_user=user_with_role("dept_x", "department", department=dept_x),
        functional_user=user_with_role("dept_f", "department", department=dept_f),
        contact_a1=user_with_role("contact_a1", "organization", organization=a1),
        officer_user=officer_user, officer=officer,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user."""

    def login(user: User):
        client.force_login(user)
        return client

    return login
