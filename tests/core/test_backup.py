"""Backup then restore gives back exactly the rows that were there (SQLite and PostgreSQL)."""
import pytest
from django.core.management import CommandError, call_command

from sanxin.registry.models import Organization

from ..factories import OrganizationFactory


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(district, tmp_path):
    OrganizationFactory(name="备份前的单位", area=district.area_a)
    before = sorted(Organization.objects.values_list("id", "name", "credit_code"))
    target = tmp_path / "sanxin.dump"
    call_command("backup", output=target)
    assert target.stat().st_size > 0

    Organization.objects.filter(name="备份前的单位").update(name="被改掉的名称")
    OrganizationFactory(name="备份后新增的单位", area=district.area_a)
    call_command("restore", str(target), yes=True)

    after = sorted(Organization.objects.values_list("id", "name", "credit_code"))
    assert after == before
    # the sequence is restored too: a new row does not collide with restored ids
    OrganizationFactory(name="恢复后新增", area=district.area_a)


@pytest.mark.django_db
def test_restore_of_a_missing_file_changes_nothing(district, tmp_path):
    count = Organization.objects.count()
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)
    assert Organization.objects.count() == count
