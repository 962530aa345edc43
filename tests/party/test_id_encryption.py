"""ID numbers are encrypted at rest, found by full number through the digest, and re-encrypted
under a new key by `rotate_id_key`; masking reads the decrypted value as before."""
from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from sanxin.core import crypto
from sanxin.core.masking import mask_id_number
from sanxin.party.models import Member
from tests.party.builders import id_number, members

pytestmark = pytest.mark.django_db
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_column(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM party_member WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_column_holds_no_plain_number(branches):
    member = branches["ma"]
    stored = raw_column(member.pk)
    assert crypto.is_encrypted(stored)
    assert member.id_number not in stored and member.id_number[-4:] not in stored
    assert Member.objects.get(pk=member.pk).id_number == member.id_number
    assert Member.objects.values_list("id_number", flat=True).get(pk=member.pk) == member.id_number


def test_equal_numbers_encrypt_differently_and_blank_stays_blank(branches):
    assert crypto.encrypt("500102199001010011") != crypto.encrypt("500102199001010011")
    blank = members(branches["a"], 1)[0]
    assert raw_column(blank.pk) == "" and Member.objects.get(pk=blank.pk).id_digest is None


def test_bulk_writes_are_encrypted_too(branches):
    number = id_number(seq=77)
    created = members(branches["a"], 1, id_number=number)[0]
    assert crypto.is_encrypted(raw_column(created.pk))
    Member.objects.bulk_update([Member(pk=created.pk, id_number=id_number(seq=78))], ["id_number"])
    assert Member.objects.get(pk=created.pk).id_number == id_number(seq=78)
    assert crypto.is_encrypted(raw_column(created.pk))


def test_lookup_by_full_number_goes_through_the_digest(branches, district, client_for):
    member = branches["ma"]
    client = client_for(district.district)
    found = client.get("/party/members/", {"id_number": member.id_number}).context["rows"]
    assert [m.pk for m, _ in found] == [member.pk]
    # The ciphertext is randomized: a plain equality on the column can never find anyone.
    assert not Member.objects.filter(id_number=member.id_number).exists()


def test_masking_unchanged(branches, district, client_for):
    member = branches["ma"]
    body = client_for(district.area_user).get("/party/members/").content.decode()
    assert mask_id_number(member.id_number) in body and member.id_number not in body
    assert raw_column(member.pk) not in body


@pytest.fixture
def old_key(settings):
    settings.SANXIN_ID_ENCRYPTION_KEYS = [OLD]
    return settings


def test_rotation_re_encrypts_under_the_newest_key(old_key, branches):
    settings = old_key
    old_member = members(branches["a"], 1, id_number=id_number(seq=81))[0]
    before = raw_column(old_member.pk)
    settings.SANXIN_ID_ENCRYPTION_KEYS = [NEW, OLD]  # newest first: it encrypts, both decrypt
    assert Member.objects.get(pk=old_member.pk).id_number == id_number(seq=81)
    assert not crypto.under_newest_key(before)
    out = StringIO()
    call_command("rotate_id_key", stdout=out)
    assert "party_member.id_number: 3 re-encrypted" in out.getvalue()  # ma, mb and old_member
    after = raw_column(old_member.pk)
    assert after != before and crypto.under_newest_key(after)
    settings.SANXIN_ID_ENCRYPTION_KEYS = [NEW]  # the old key dropped after rotation
    assert Member.objects.get(pk=old_member.pk).id_number == id_number(seq=81)
    assert Member.objects.get(pk=branches["ma"].pk).id_number == branches["ma"].id_number


def test_a_missing_key_is_a_clear_error_not_garbage(old_key, branches):
    settings = old_key
    settings.SANXIN_ID_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured, match="rotate_id_key"):
        Member.objects.get(pk=branches["ma"].pk)
    settings.SANXIN_ID_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="32 URL-safe"):
        crypto.encrypt("x")


def test_migration_encrypts_plain_rows_and_reverses(branches):
    migration = import_module("sanxin.party.migrations.0003_encrypt_id_numbers")
    member, editor = branches["ma"], SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:  # a row as it was before the migration
        cursor.execute("UPDATE party_member SET id_number = %s WHERE id = %s",
                       [member.id_number, member.pk])
    migration.encrypt_existing(None, editor)
    assert crypto.is_encrypted(raw_column(member.pk))
    assert Member.objects.get(pk=member.pk).id_number == member.id_number
    migration.encrypt_existing(None, editor)  # re-running leaves encrypted rows alone
    assert Member.objects.get(pk=member.pk).id_number == member.id_number
    migration.decrypt_existing(None, editor)
    assert raw_column(member.pk) == member.id_number


def test_edit_form_masks_for_roles_without_need_and_keeps_the_stored_values(branches, district,
                                                                            client_for):
    member = branches["ma"]
    client = client_for(district.area_user)
    body = client.get(f"/party/members/{member.pk}/edit/").content.decode()
    assert member.id_number not in body and member.phone not in body
    assert mask_id_number(member.id_number) in body
    response = client.post(f"/party/members/{member.pk}/edit/", {
        "name": "改名党员", "gender": member.gender, "id_number": mask_id_number(member.id_number),
        "phone": "138****5678", "status": member.status,
        "party_organization": member.party_organization_id, "role": member.role})
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.name, member.id_number, member.phone) == (
        "改名党员", branches["ma"].id_number, "13812345678")
    response = client.post(f"/party/members/{member.pk}/edit/", {
        "name": "改名党员", "id_number": mask_id_number(member.id_number), "phone": "138****0000",
        "status": member.status, "party_organization": member.party_organization_id,
        "role": member.role})
    assert "phone" in response.context["form"].errors  # another masked value is not a phone
