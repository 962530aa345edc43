"""factory-boy factories shared by every app's tests."""
import random

import factory
from stdnum.cn import uscc

from sanxin.accounts.models import Role, User
from sanxin.registry.models import Area, Department, Organization

_rng = random.Random(7)


def credit_code(kind: str = "91") -> str:
    """A valid unified social credit code (random organization code, correct check character)."""
    body = kind + "500102" + "".join(_rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                                     for _ in range(9))
    return body + uscc.calc_check_digit(body)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"500102{n + 300:03d}")
    name = factory.Sequence(lambda n: f"测试{n}街道")
    kind = "subdistrict"
    latitude = 29.7
    longitude = 107.39


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = "industry"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"重庆测试{n}有限公司")
    credit_code = factory.LazyFunction(credit_code)
    domain = "enterprise"
    kind = "company"
    area = factory.SubFactory(AreaFactory)
    industry = "C"
    employees = 20
    status = "operating"
    has_premises = True
    latitude = 29.7
    longitude = 107.39
    contact_name = "张伟"
    contact_phone = "13812345678"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("Test-pass-2026")


def user_with_role(username: str, kind: str, **target) -> User:
    user = UserFactory(username=username)
    Role.objects.create(user=user, kind=kind, **target)
    return user
