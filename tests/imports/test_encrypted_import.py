"""Members written by the import pipeline (COPY on PostgreSQL, bulk_create elsewhere) have their ID
numbers encrypted at rest like members saved through a form (sanxin/core/crypto.py)."""
import pytest
from django.db import connection

from sanxin.core import crypto
from sanxin.imports.models import JobStatus
from sanxin.party.models import Member, PartyOrganization

from .conftest import csv_bytes, messages_of
from .test_party_import import M_HEADER, id_number

pytestmark = pytest.mark.django_db


def test_imported_id_numbers_are_encrypted_and_found_by_digest(district, upload, confirm):
    branch = PartyOrganization.objects.create(name="甲一化工党支部", kind="branch", area=district.area_a)
    rows = [["王五", id_number(5), "甲一化工党支部", "男", "正式党员", "", ""]]
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    confirm(district.district, job)
    member = Member.objects.get(name="王五", party_organization=branch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM party_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert crypto.is_encrypted(stored) and id_number(5) not in stored
    assert member.id_number == id_number(5)
    rows[0][0] = "王五一"  # matched again by the digest: an update, not a second person
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members")
    assert (job.to_create, job.to_update) == (0, 1), messages_of(job)
