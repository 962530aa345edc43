"""The demo district gets party organizations, members and instructors in the source's
proportions, with blind spots and a finding of every kind."""
import pytest
from django.core.management import call_command
from stdnum.cn import ric

from sanxin.accounts.models import User
from sanxin.coverage import summary
from sanxin.coverage.engine import Status, with_status
from sanxin.coverage.findings import FINDING_KINDS, finding_counts, findings_for
from sanxin.coverage.models import CampaignTarget, CoverageSnapshot
from sanxin.coverage.suggestions import obeys_rules, suggestions_for
from sanxin.party.identity import id_digest
from sanxin.party.models import Instructor, Member, PartyOrganization
from sanxin.registry.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_party_and_coverage():
    call_command("demo", scale=0.1)
    assert PartyOrganization.objects.count() == round(531 * 0.1)
    assert Member.objects.count() == round(6358 * 0.1)
    assert Instructor.objects.count() == round(435 * 0.1)
    numbers = list(Member.objects.values_list("id_number", "id_digest"))
    assert all(ric.is_valid(n) and d == id_digest(n) for n, d in numbers)
    assert len({n for n, _ in numbers}) == len(numbers)
    district = User.objects.get(username="demo_district")
    counts = finding_counts(findings_for(district))
    assert set(counts) == set(FINDING_KINDS)
    assert all(counts.values()), counts  # a finding of every kind, 未落实属地 included
    statuses = set(with_status(Organization.objects.filter(is_sanyou=True))
                   .values_list("coverage_status", flat=True))
    assert statuses == {Status.SINGLE, Status.JOINT, Status.WORK, Status.BLANK}
    suggestions = suggestions_for(district)
    assert suggestions and all(obeys_rules(s) for s in suggestions)
    assert CoverageSnapshot.objects.values("month").distinct().count() == 6
    # every step after the summary's rebuild kept it current
    assert summary.differences() == {"organizations": [], "cells": []}
    assert CampaignTarget.objects.count() == 3
