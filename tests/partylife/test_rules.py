"""Each frequency rule at its period boundaries, on a hand-built branch."""
from datetime import date

import pytest

from sanxin.party.models import PartyOrganization
from sanxin.partylife import rules
from sanxin.partylife.models import Meeting, MeetingKind
from sanxin.partylife.selectors import branches_for_compliance, evaluate_branches

from .conftest import make_branch

ON = date(2026, 6, 15)  # "today" for these checks: 2025 is closed, 2026-06 is running


def status_of(branch, rule, label, on=ON, first=date(2025, 1, 1), last=date(2026, 12, 31)):
    row = evaluate_branches(list(branches_for_compliance(
        PartyOrganization.objects.filter(pk=branch.pk))), first, last, on)[0]
    for result in row.results:
        if result.rule.code == rule.code:
            return dict(result.periods).get(label)
    return "not_applicable"


def hold(branch, kind, day, counts_for=None, status="held"):
    return Meeting.objects.create(party_organization=branch, kind=kind, held_on=day,
                                  counts_for=counts_for, status=status, topic="t")


@pytest.fixture
def big_branch(district):
    org, _members = make_branch("大支部", "branch", district.area_a, [district.a1], 7)
    return org


# (rule, label of the first period, its last day, first day of the next period)
BOUNDARIES = [
    (rules.BRANCH_GENERAL_QUARTERLY, "2025Q1", date(2025, 3, 31), date(2025, 4, 1)),
    (rules.BRANCH_COMMITTEE_MONTHLY, "2025-02", date(2025, 2, 28), date(2025, 3, 1)),
    (rules.GROUP_MONTHLY, "2025-04", date(2025, 4, 30), date(2025, 5, 1)),
    (rules.LECTURE_QUARTERLY, "2025Q3", date(2025, 9, 30), date(2025, 10, 1)),
    (rules.THEME_DAY_MONTHLY, "2025-01", date(2025, 1, 31), date(2025, 2, 1)),
    (rules.LIFE_MEETING_YEARLY, "2025", date(2025, 12, 31), date(2026, 1, 1)),
    (rules.APPRAISAL_YEARLY, "2025", date(2025, 12, 31), date(2026, 1, 1)),
]


@pytest.mark.parametrize(("rule", "label", "last_day", "next_day"), BOUNDARIES,
                         ids=[b[0].code for b in BOUNDARIES])
def test_period_with_its_meeting_on_the_last_day_is_on_time(big_branch, rule, label, last_day,
                                                            next_day):
    hold(big_branch, rule.meeting_kind, last_day)
    assert status_of(big_branch, rule, label) == rules.CheckStatus.ON_TIME


@pytest.mark.parametrize(("rule", "label", "last_day", "next_day"), BOUNDARIES,
                         ids=[b[0].code for b in BOUNDARIES])
def test_period_without_its_meeting_is_missing(big_branch, rule, label, last_day, next_day):
    hold(big_branch, rule.meeting_kind, next_day)  # a day too late counts for the next period
    assert status_of(big_branch, rule, label) == rules.CheckStatus.MISSING
    next_label = rules.period_label(rules.period_start(next_day, rule.period), rule.period)
    assert status_of(big_branch, rule, next_label) in (rules.CheckStatus.ON_TIME,
                                                       rules.CheckStatus.OPEN)


@pytest.mark.parametrize(("rule", "label", "last_day", "next_day"), BOUNDARIES,
                         ids=[b[0].code for b in BOUNDARIES])
def test_first_day_of_the_period_counts(big_branch, rule, label, last_day, next_day):
    hold(big_branch, rule.meeting_kind, rules.period_start(last_day, rule.period))
    assert status_of(big_branch, rule, label) == rules.CheckStatus.ON_TIME


def test_other_kinds_do_not_satisfy_a_rule(big_branch):
    hold(big_branch, MeetingKind.LECTURE, date(2025, 2, 10))
    hold(big_branch, MeetingKind.BRANCH_COMMITTEE, date(2025, 2, 10))
    assert status_of(big_branch, rules.BRANCH_GENERAL_QUARTERLY, "2025Q1") == "missing"
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2025-02") == "missing"
    assert status_of(big_branch, rules.LECTURE_QUARTERLY, "2025Q1") == "on_time"


def test_planned_meeting_does_not_count(big_branch):
    hold(big_branch, MeetingKind.THEME_DAY, date(2025, 5, 10), status="planned")
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2025-05") == "missing"


def test_make_up_meeting_is_late_for_the_missed_period_only(big_branch):
    hold(big_branch, MeetingKind.BRANCH_GENERAL, date(2025, 4, 10), counts_for=date(2025, 3, 1))
    assert status_of(big_branch, rules.BRANCH_GENERAL_QUARTERLY, "2025Q1") == "late"
    assert status_of(big_branch, rules.BRANCH_GENERAL_QUARTERLY, "2025Q2") == "missing"


def test_running_period_is_open_not_missing(big_branch):
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2026-06") == "open"
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2026-05") == "missing"
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2026-07") is None  # not yet due
    hold(big_branch, MeetingKind.THEME_DAY, date(2026, 6, 2))
    assert status_of(big_branch, rules.THEME_DAY_MONTHLY, "2026-06") == "on_time"


def test_committee_and_group_rules_need_seven_full_members(district):
    small, _m = make_branch("小支部", "branch", district.area_a, [district.a1], 6)
    assert status_of(small, rules.BRANCH_COMMITTEE_MONTHLY, "2025-01") == "not_applicable"
    assert status_of(small, rules.GROUP_MONTHLY, "2025-01") == "not_applicable"
    assert status_of(small, rules.THEME_DAY_MONTHLY, "2025-01") == "missing"
    from sanxin.party.models import Member

    Member.objects.create(name="第七人", status="probationary", party_organization=small)
    assert status_of(small, rules.BRANCH_COMMITTEE_MONTHLY, "2025-01") == "not_applicable"
    Member.objects.create(name="第七人", status="full", party_organization=small)
    assert status_of(small, rules.BRANCH_COMMITTEE_MONTHLY, "2025-01") == "missing"


def test_committees_are_not_checked_as_branches(district):
    committee = PartyOrganization.objects.create(name="党委", kind="committee", area=district.area_a)
    general = PartyOrganization.objects.create(name="总支", kind="general_branch",
                                               area=district.area_a)
    listed = branches_for_compliance(PartyOrganization.objects.filter(pk__in=[committee.pk,
                                                                              general.pk]))
    assert list(listed) == []


def test_period_helpers():
    assert rules.period_start(date(2025, 8, 17), rules.Period.QUARTER) == date(2025, 7, 1)
    assert rules.period_end(date(2024, 2, 3), rules.Period.MONTH) == date(2024, 2, 29)
    assert rules.period_end(date(2025, 11, 3), rules.Period.QUARTER) == date(2025, 12, 31)
    assert len(rules.periods_between(date(2025, 1, 1), date(2025, 12, 31), rules.Period.MONTH)) == 12
    assert rules.periods_between(date(2025, 2, 1), date(2025, 4, 1), rules.Period.QUARTER) == [
        date(2025, 1, 1), date(2025, 4, 1)]
    assert rules.compliance_rate(0, 0, 0) is None
    assert rules.compliance_rate(3, 1, 0) == 0.75
