from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from sanxin.accounts.models import PersonalDataRead
from sanxin.registry.models import Organization

from ..factories import credit_code

pytestmark = pytest.mark.django_db


def org_entries(org_id):
    return LogEntry.objects.filter(content_type__model="organization", object_pk=str(org_id))


def test_create_change_delete_are_recorded_with_who_and_where(district, client_for):
    client = client_for(district.district)
    client.post("/organizations/new/", {
        "name": "审计测试有限公司", "credit_code": credit_code(), "domain": "enterprise",
        "kind": "company", "area": "500102006", "industry": "C", "employees": "3",
        "status": "operating"}, REMOTE_ADDR="10.1.2.3")
    org = Organization.objects.get(name="审计测试有限公司")
    client.post(f"/organizations/{org.pk}/edit/", {
        "name": "审计测试有限公司", "credit_code": org.credit_code, "domain": "enterprise",
        "kind": "company", "area": "500102006", "industry": "C", "employees": "30",
        "status": "operating"}, REMOTE_ADDR="10.1.2.3")
    entries = list(org_entries(org.pk).order_by("timestamp"))
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == district.district for e in entries)
    assert entries[0].remote_addr == "10.1.2.3"
    assert entries[1].changes_dict["employees"] == ["3", "30"]
    org_id = org.pk
    org.delete()
    assert org_entries(org_id).filter(action=LogEntry.Action.DELETE).exists()


def test_unmasked_reads_are_logged_and_masked_ones_are_not(district, client_for):
    client_for(district.area_user).get(f"/organizations/{district.a1.pk}/")
    assert PersonalDataRead.objects.count() == 0
    client = client_for(district.district)
    client.get(f"/organizations/{district.a1.pk}/")
    read = PersonalDataRead.objects.get()
    assert (read.actor, read.channel, read.object_id) == (district.district, "page",
                                                          str(district.a1.pk))
    b"".join(client.get("/organizations/export/", {"format": "csv"}).streaming_content)
    export = PersonalDataRead.objects.get(channel="export")
    assert export.rows == 3
    client.get(f"/api/registry/organizations/{district.a1.pk}")
    assert PersonalDataRead.objects.filter(channel="api").count() == 1


def test_audit_page_is_for_the_district_only_and_filters(district, client_for):
    district.a1.name = "改名有限公司"
    district.a1.save()
    for user in (district.area_user, district.dept_user, district.contact_a1,
                 district.officer_user):
        assert client_for(user).get("/accounts/audit/").status_code == 403
    client = client_for(district.district)
    response = client.get("/accounts/audit/", {"model": "registry.organization",
                                               "object_id": district.a1.pk})
    assert response.status_code == 200
    assert {e.object_pk for e in response.context["page"]} == {str(district.a1.pk)}
    response = client.get("/accounts/audit/", {"since": "2030-01-02", "until": "2030-01-01"})
    assert "until" in response.context["form"].errors


def test_cleanup_never_deletes_younger_than_six_months(district):
    entry = org_entries(district.a1.pk).first()
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(days=100))
    old = org_entries(district.a2.pk).first()
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=400))
    call_command("audit_cleanup", days=1)  # asks for 1 day: the minimum of 183 still holds
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert not LogEntry.objects.filter(pk=old.pk).exists()
