"""Deadlines from 签收 in working days (and hours for 紧急), moved by an approved extension;
overdue is computed from the deadline each time."""
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sanxin.cases import services
from sanxin.cases.models import Case, Category, DeadlineRule
from sanxin.cases.selectors import get_case, overdue_visible_to
from sanxin.core.models import CalendarYear

from .conftest import raise_case


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def sign_at(district, case, when: datetime) -> Case:
    services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                             fields={"lead_department": district.dept_f.pk}, now=when - timedelta(hours=1))
    return services.case_transition(actor=district.functional_user, case_id=case.pk, action="sign",
                                    fields={"note": "已联系"}, now=when)


def test_general_case_signed_before_the_spring_festival(district):
    case = sign_at(district, raise_case(district), at(2026, 2, 13, 10, 0))
    # 7 working days: 2-14 (Sat), 2-24..2-27, 2-28 (Sat), 3-2 → due at the end of 3-2.
    assert timezone.localtime(case.deadline) == at(2026, 3, 3, 0, 0)
    # The signing limit (1 working day from dispatch on Friday) is the working Saturday.
    assert timezone.localtime(case.response_due) == at(2026, 2, 15, 0, 0)


def test_complex_case_signed_in_the_holiday_week(district):
    case = sign_at(district, raise_case(district, urgency="complex"), at(2026, 2, 18, 9, 0))
    # From 2-18 (off): 2-24, 25, 26, 27, 28, 3-2, 3, 4, 5, 6, 9, 10, 11, 12, 13 → 15th is 3-13.
    assert timezone.localtime(case.deadline) == at(2026, 3, 14, 0, 0)


def test_urgent_case_counts_clock_hours(district):
    signed = at(2026, 2, 16, 22, 0)   # a holiday evening: emergencies do not wait
    case = sign_at(district, raise_case(district, urgency="urgent"), signed)
    assert case.deadline == signed + timedelta(hours=2)


def test_category_rule_beats_the_urgency_default(district):
    case = sign_at(district, raise_case(district, category="utilities"), at(2026, 3, 2, 9, 0))
    assert case.deadline == at(2026, 3, 3, 9, 0)   # 水电气: 24 h
    DeadlineRule.objects.filter(urgency="normal", category=None).update(working_days=3)
    other = sign_at(district, raise_case(district, category="land"), at(2026, 3, 2, 9, 0))
    assert timezone.localtime(other.deadline) == at(2026, 3, 6, 0, 0)   # edited: 3 working days


def test_year_not_in_the_table_uses_monday_to_friday(district):
    assert not CalendarYear.objects.filter(year=2027).exists()
    # Friday 2027-02-05, a week before the 2027 Spring Festival (nobody entered it yet):
    case = sign_at(district, raise_case(district), at(2027, 2, 5, 10, 0))
    assert timezone.localtime(case.deadline) == at(2027, 2, 17, 0, 0)   # 2-8..2-12, 2-15, 2-16


def test_approved_extension_moves_the_deadline_by_working_days(district):
    case = sign_at(district, raise_case(district), at(2026, 2, 10, 9, 0))
    # 7 working days from Tue 2-10: 11, 12, 13, 14, 24, 25, 26 → due end of 2-26.
    assert timezone.localtime(case.deadline) == at(2026, 2, 27, 0, 0)
    services.case_transition(actor=district.functional_user, case_id=case.pk,
                             action="request_extension", now=at(2026, 2, 12, 9, 0),
                             fields={"reason": "需要现场踏勘", "working_days": 3})
    case = services.case_transition(actor=district.district, case_id=case.pk,
                                    action="approve_extension", now=at(2026, 2, 12, 10, 0))
    assert timezone.localtime(case.deadline) == at(2026, 3, 3, 0, 0)   # 2-27, 2-28, 3-2
    assert case.extension_count == 1


def test_refused_extension_keeps_the_deadline(district):
    case = sign_at(district, raise_case(district), at(2026, 2, 10, 9, 0))
    deadline = case.deadline
    services.case_transition(actor=district.functional_user, case_id=case.pk,
                             action="request_extension", now=at(2026, 2, 12, 9, 0),
                             fields={"reason": "需要现场踏勘", "working_days": 3})
    case = services.case_transition(actor=district.district, case_id=case.pk,
                                    action="refuse_extension", now=at(2026, 2, 12, 10, 0),
                                    fields={"reason": "期限足够"})
    assert case.deadline == deadline and case.extensions.get().state == "refused"


def test_overdue_is_computed_not_stored(district):
    case = sign_at(district, raise_case(district, urgency="urgent"), timezone.now() - timedelta(hours=3))
    assert get_case(district.district, case.pk).is_overdue is True
    assert list(overdue_visible_to(district.district)) == [case]
    assert list(overdue_visible_to(district.contact_a1)) == [case]
    assert list(overdue_visible_to(district.officer_user)) == []
    services.case_transition(actor=district.functional_user, case_id=case.pk, action="answer",
                             fields={"answer": "已派员现场处置，故障已排除。"})
    assert get_case(district.district, case.pk).is_overdue is False
    assert list(overdue_visible_to(district.district)) == []
    assert not any(f.name.startswith("overdue") for f in Case._meta.fields)


def test_deadline_rule_needs_days_or_hours():
    from django.core.exceptions import ValidationError

    rule = DeadlineRule(urgency="complex", category=Category(code="x", name="x"))
    with pytest.raises(ValidationError):
        rule.full_clean(exclude=["category"])
