"""core/prepared.py gives what the queryset itself gives, on SQLite and PostgreSQL alike."""
from datetime import date

import pytest
from django.db.models import F
from django.db.models.functions import Upper

from sanxin.core.prepared import PreparedQuery
from sanxin.registry.models import Organization
from tests.factories import AreaFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_row_with_its_related_rows_is_the_querysets(django_assert_num_queries):
    org = OrganizationFactory(established=date(2019, 3, 8), latitude=29.71, contact_phone="13800000000")
    by_id = PreparedQuery(lambda pk: Organization.objects.select_related("area__parent").filter(pk=pk))
    expected = Organization.objects.select_related("area__parent").get(pk=org.pk)
    for _ in range(2):   # compiled on the first call, only run on the second
        with django_assert_num_queries(1):
            [found] = by_id.rows(org.pk)
            assert (found.area.name, found.area.parent_id) == (expected.area.name, expected.area.parent_id)
        assert _values(found) == _values(expected)
        assert _values(found.area) == _values(expected.area)
        assert found.established == date(2019, 3, 8)   # a date, not the text SQLite stores
        assert not found._state.adding and found._state.db == "default"


def test_rows_come_in_the_querysets_order_and_none_is_an_empty_list():
    area = AreaFactory()
    for name in ("乙公司", "甲公司", "丙公司"):
        OrganizationFactory(name=name, area=area)
    OrganizationFactory(name="别处公司")
    in_area = PreparedQuery(lambda area_id: Organization.objects.filter(area_id=area_id).order_by("-name", "id"))
    assert in_area.rows(area.pk) == list(Organization.objects.filter(area=area).order_by("-name", "id"))
    assert len(in_area.rows(area.pk)) == 3
    assert in_area.rows(-1) == []


def test_annotations_are_set_as_the_queryset_sets_them():
    org = OrganizationFactory(name="注解公司", industry="c", employees=37)
    labelled = PreparedQuery(lambda pk: Organization.objects.annotate(
        section=Upper("industry"), staff=F("employees")).filter(pk=pk))
    found = labelled.rows(org.pk)[0]
    assert (found.section, found.staff) == ("C", 37)


def test_a_constant_in_the_query_is_refused_rather_than_run_with_the_wrong_value():
    org = OrganizationFactory(status="operating")
    operating = PreparedQuery(lambda pk: Organization.objects.filter(pk=pk, status="operating"))
    with pytest.raises(ValueError, match="parameters must be its arguments"):
        operating.rows(org.pk)


def test_case_page_reads_match_the_orm(district, django_assert_num_queries):
    from sanxin.cases.models import Case
    from sanxin.cases.selectors import CASE_RELATED, case_of_stamp, case_stamp, case_timeline, case_timeline_rows
    from tests.cases.conftest import drive, raise_case

    case = drive(district, raise_case(district), "answered")
    stamp = case_stamp(district.district, case.pk)
    found = case_of_stamp(stamp)
    expected = Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)
    assert _values(found) == _values(expected)
    assert found.organization.area.name == expected.organization.area.name
    with django_assert_num_queries(1):
        events = case_timeline_rows(found)
        labels = [(e.action, e.actor.username if e.actor else None, e.case.pk) for e in events]
    assert [_values(e) for e in events] == [_values(e) for e in case_timeline(expected)]
    assert sorted(a for a, _u, _c in labels) == ["answer", "dispatch", "raise", "sign", "start"]
    assert {c for _a, _u, c in labels} == {case.pk}
    Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(Case.DoesNotExist):
        case_of_stamp(stamp)
