"""Every rule at its boundary."""
from datetime import date

import pytest

from sanxin.party import rules


@pytest.mark.parametrize(("full", "needed"), [(None, False), (0, False), (2, False), (3, True), (4, True)])
def test_own_branch_from_three_full_members(full, needed):
    assert rules.needs_own_branch(full) is needed


@pytest.mark.parametrize(("units", "too_many"), [(None, False), (1, False), (5, False), (6, True)])
def test_joint_branch_covers_at_most_five_units(units, too_many):
    assert rules.joint_branch_too_large(units) is too_many


@pytest.mark.parametrize(("members", "too_many"), [(None, False), (50, False), (51, True)])
def test_branch_has_at_most_fifty_members(members, too_many):
    assert rules.branch_too_large(members) is too_many


@pytest.mark.parametrize(("members", "kind"), [(0, "branch"), (50, "branch"), (51, "general_branch"),
                                               (100, "general_branch"), (101, "committee")])
def test_suggested_kind_by_size(members, kind):
    assert rules.suggested_kind(members) == kind


@pytest.mark.parametrize(("full", "needed"), [(None, False), (6, False), (7, True)])
def test_committee_from_seven_full_members(full, needed):
    assert rules.needs_committee(full) is needed


@pytest.mark.parametrize(("size", "ok"), [(0, True), (None, True), (1, False), (2, False), (3, True),
                                          (7, True), (8, False)])
def test_committee_size(size, ok):
    assert rules.committee_size_allowed(size) is ok


def test_term_is_three_years_or_five_for_villages():
    assert rules.term_end_for(date(2023, 5, 10)) == date(2026, 5, 10)
    assert rules.term_end_for(date(2023, 5, 10), village_or_community=True) == date(2028, 5, 10)
    assert rules.term_end_for(date(2024, 2, 29)) == date(2027, 2, 28)


def test_term_expires_the_day_after_it_ends():
    end = date(2026, 5, 10)
    assert not rules.term_expired(end, date(2026, 5, 9))
    assert not rules.term_expired(end, end)
    assert rules.term_expired(end, date(2026, 5, 11))
    assert not rules.term_expired(None, date(2026, 5, 11))
