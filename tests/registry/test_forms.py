import pytest
from django.utils import translation

from sanxin.registry.models import Organization

from ..factories import credit_code

pytestmark = pytest.mark.django_db


def payload(district, **overrides):
    data = {"name": "重庆新建有限公司", "credit_code": credit_code(), "domain": "enterprise",
            "kind": "company", "area": "500102006", "industry": "C",
            "authority": district.dept_x.pk, "employees": "12", "status": "operating",
            "has_premises": "on", "contact_phone": "13900001111"}
    data.update(overrides)
    return data


def test_area_user_creates_an_organization_in_own_area(district, client_for):
    client = client_for(district.area_user)
    response = client.post("/organizations/new/", payload(district))
    assert response.status_code == 302
    org = Organization.objects.get(name="重庆新建有限公司")
    assert org.area == district.area_a and org.is_sanyou


@pytest.mark.parametrize("field,value,message_part", [
    ("credit_code", "91110000600037341M", "check character"),
    ("credit_code", "123", "18 characters"),
    ("area", "500102999", "Unknown area code"),
    ("employees", "-3", "negative"),
    ("kind", "courier", "does not belong"),
])
def test_bad_input_names_the_field_and_saves_nothing(district, client_for, field, value,
                                                     message_part):
    client = client_for(district.district)
    before = Organization.objects.count()
    with translation.override("en"):
        response = client.post("/organizations/new/", payload(district, **{field: value}),
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors
        assert message_part in " ".join(errors[field])
        assert message_part in response.content.decode()
    assert Organization.objects.count() == before


def test_duplicate_credit_code_is_refused(district, client_for):
    client = client_for(district.district)
    with translation.override("en"):
        response = client.post("/organizations/new/",
                               payload(district, credit_code=district.a1.credit_code),
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "already exists" in str(response.context["form"].errors)
    assert Organization.objects.filter(credit_code=district.a1.credit_code).count() == 1


def test_messages_are_chinese_by_default(district, client_for):
    client = client_for(district.district)
    response = client.post("/organizations/new/", payload(district, credit_code="123"))
    assert "统一社会信用代码应为18位" in response.content.decode()


def test_area_user_cannot_create_in_another_area(district, client_for):
    client = client_for(district.area_user)
    response = client.post("/organizations/new/", payload(district, area="500102007"))
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not Organization.objects.filter(name="重庆新建有限公司").exists()


def test_contact_and_department_cannot_edit(district, client_for):
    for user in (district.contact_a1, district.dept_user):
        assert client_for(user).get("/organizations/new/").status_code == 403
        assert client_for(user).post(f"/organizations/{district.a1.pk}/edit/",
                                     payload(district)).status_code == 403


def test_area_user_cannot_edit_outside_scope(district, client_for):
    response = client_for(district.area_user).get(f"/organizations/{district.b1.pk}/edit/")
    assert response.status_code == 404


def test_sanyou_rule_boundaries(district):
    from sanxin.registry.rules import is_sanyou

    assert not is_sanyou(has_premises=True, employees=9, status="operating")
    assert is_sanyou(has_premises=True, employees=10, status="operating")
    assert not is_sanyou(has_premises=False, employees=10, status="operating")
    assert not is_sanyou(has_premises=True, employees=10, status="suspended")
    assert not is_sanyou(has_premises=True, employees=None, status="operating")
    district.a1.employees = 9
    district.a1.save()
    district.a1.refresh_from_db()
    assert district.a1.is_sanyou is False
    district.a1.employees = 10
    district.a1.save()
    district.a1.refresh_from_db()
    assert district.a1.is_sanyou is True
