import pytest
from django.core.management import call_command

from sanxin.accounts.models import User
from sanxin.registry.models import Area, Organization

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple]:
    return list(Organization.objects.order_by("id").values_list(
        "name", "credit_code", "area__code", "industry", "employees", "latitude")[:500])


def test_demo_counts_named_organizations_and_logins():
    call_command("demo", scale=0.05)
    assert Area.objects.filter(parent__code="500102").count() == 29  # 27 units + 2 parks
    assert Area.objects.filter(kind="park").count() == 2
    counts = dict((d, Organization.objects.filter(domain=d).count())
                  for d in ("enterprise", "social", "new_employment"))
    assert counts["enterprise"] == round(20_400 * 0.05) + 5
    assert counts["social"] > 0 and counts["new_employment"] > 0
    for name in ("重庆华峰化工有限公司", "重庆华峰锦纶纤维有限公司",
                 "涪陵菜乡结绳文化传播有限公司", "重庆卡涑科技有限公司"):
        assert Organization.objects.filter(name=name).exists()
    assert Organization.objects.get(name="重庆卡涑科技有限公司").area.name == "涪陵高新区"
    from stdnum.cn import uscc

    codes = list(Organization.objects.exclude(credit_code=None)
                 .values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(uscc.is_valid(c) for c in codes)
    kinds = set(User.objects.filter(username__startswith="demo_")
                .values_list("roles__kind", flat=True))
    assert kinds == {"district", "area", "department", "organization", "officer"}
    # the source's door-to-door figures: every (operating) enterprise served, 10 major projects escorted
    import json
    from io import StringIO

    from sanxin.coverage import summary

    out = StringIO()
    call_command("figures", "--json", stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    assert (figures["service.enterprise_coverage"], figures["service.major_projects"]) == (100.0, 10)
    assert figures["service.operating_enterprises"] < figures["organizations.enterprise"]  # some closed
    assert summary.differences() == {"organizations": [], "cells": []}


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic_and_rerun_keeps_data():
    call_command("demo", scale=0.02)
    first = fingerprint()
    call_command("demo", scale=0.02)  # second run: reuses what exists
    assert fingerprint() == first
    call_command("demo", scale=0.02, reset=True)
    assert fingerprint() == first


def test_demo_coordinates_inside_the_district():
    call_command("demo", scale=0.02)
    lat = Organization.objects.values_list("latitude", flat=True)
    lng = Organization.objects.values_list("longitude", flat=True)
    assert min(lat) > 29.2 and max(lat) < 30.2
    assert min(lng) > 106.8 and max(lng) < 107.9
