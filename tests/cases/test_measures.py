"""Measures on hand-built cases whose answers are counted by hand below."""
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sanxin.cases import services
from sanxin.cases.measures import Period, compute_measures
from sanxin.cases.models import Case, Rating, RectificationTask

from .conftest import ANSWER, raise_case


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def step(district, case, action, actor, when, **fields) -> Case:
    return services.case_transition(actor=actor, case_id=case.pk, action=action, fields=fields, now=when)


@pytest.fixture
def built(district):
    """Five demands of a1/b1, raised in March 2026, and one from 2025 outside the period.

    c1 dispatched Mon 3-2 09:00, signed 3-2 10:00 (limit end of 3-3: responsive), answered 3-5
       (deadline end of 3-11: on time), rated satisfied, resolved.
    c2 dispatched 3-2, signed 3-5 (late), answered 3-20 (deadline end of 3-16: late), rated
       unsatisfied → reopened 3-20 (new deadline end of 3-31), answered again 3-23 (on time for
       the second round), rated basic, not resolved.
    c3 dispatched 3-2, returned 3-3, dispatched again 3-3 and signed 3-3 (responsive), not answered;
       deadline end of 3-12: overdue.
    c4 dispatched 3-2, never signed (not responsive).
    c5 pending (never dispatched).
    """
    d, lead = district, district.functional_user
    fields = {"lead_department": d.dept_f.pk}
    cases = [raise_case(d, organization=d.b1 if i == 4 else d.a1,
                        actor=d.officer_user if i == 4 else d.contact_a1, title=f"诉求{i}")
             for i in range(1, 6)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created_at=at(2026, 3, 1, 9))
    c1, c2, c3, c4, c5 = cases
    for c in (c1, c2, c3, c4):
        step(d, c, "dispatch", d.district, at(2026, 3, 2, 9), **fields)
    step(d, c1, "sign", lead, at(2026, 3, 2, 10), note="电话")
    step(d, c1, "answer", lead, at(2026, 3, 5, 10), answer=ANSWER)
    step(d, c1, "rate", d.contact_a1, at(2026, 3, 6, 10), rating=Rating.SATISFIED, resolved=True)
    step(d, c2, "sign", lead, at(2026, 3, 5, 10), note="电话")
    step(d, c2, "answer", lead, at(2026, 3, 20, 10), answer=ANSWER)
    step(d, c2, "rate", d.contact_a1, at(2026, 3, 20, 12), rating=Rating.UNSATISFIED, resolved=False)
    step(d, c2, "answer", lead, at(2026, 3, 23, 10), answer=ANSWER + "（补充）")
    step(d, c2, "rate", d.contact_a1, at(2026, 3, 24, 10), rating=Rating.BASIC, resolved=False)
    step(d, c3, "return", lead, at(2026, 3, 3, 9), reason="职责不符")
    step(d, c3, "dispatch", d.district, at(2026, 3, 3, 10), **fields)
    step(d, c3, "sign", lead, at(2026, 3, 3, 11), note="上门")
    old = raise_case(d, title="去年的")
    Case.objects.filter(pk=old.pk).update(created_at=at(2025, 6, 1, 9))
    return cases


MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def ratios(row) -> dict[str, tuple[int, int]]:
    return {code: (r.numerator, r.denominator) for code, r in row.measures.items()}


def test_whole_scope_measures(district, built):
    [row] = compute_measures(district.district, MARCH, now=at(2026, 4, 1))
    assert row.cases == 5
    assert ratios(row) == {
        "response": (2, 4),     # c1, c3 signed within the limit ÷ c1..c4 dispatched
        # c1, and c2 whose 重办 restarted the clock (answered 3-23, due end of 3-31)
        # ÷ c1, c2 (answered) and c3 (past its deadline)
        "on_time": (2, 3),
        "resolved": (1, 2),     # c1 ÷ rated c1, c2
        "satisfied": (1, 2),    # c1 satisfied; c2 was unsatisfied first (basic only after 重办)
        "returned": (1, 4),     # c3
        "reopened": (1, 2),     # c2 ÷ c1, c2
        "rectified": (0, 0),
    }
    assert row.measures["response"].percent == "50.0%"


def test_scope_changes_the_denominators(district, built):
    [row] = compute_measures(district.contact_a1, MARCH, now=at(2026, 4, 1))
    assert row.cases == 4 and ratios(row)["response"] == (2, 3)   # c4 belongs to b1
    [row] = compute_measures(district.officer_user, MARCH, now=at(2026, 4, 1))
    assert row.cases == 1 and ratios(row)["response"] == (0, 1)


def test_per_area_ranking(district, built):
    rows = compute_measures(district.district, MARCH, group="area", rank_by="response",
                            now=at(2026, 4, 1))
    assert [(r.label, ratios(r)["response"]) for r in rows] == [("敦仁街道", (2, 3)), ("崇义街道", (0, 1))]


def test_per_department_and_period(district, built):
    rows = compute_measures(district.district, Period(date(2025, 1, 1), date(2025, 12, 31)),
                            group="department", now=at(2026, 4, 1))
    assert rows == []   # the 2025 case was never dispatched
    [row] = compute_measures(district.district, MARCH, group="department", now=at(2026, 4, 1))
    assert row.label == "区税务局" and row.cases == 4   # c5 has no department


def test_rectification_rate(district):
    d = district
    problems = [raise_case(d, kind="problem", title=f"问题{i}") for i in range(3)]
    good = raise_case(d, kind="suggestion", is_good_suggestion=True, title="好建议")
    plain = raise_case(d, kind="suggestion", title="一般建议")
    due = timezone.localdate() + timedelta(days=10)
    done = services.rectification_add(actor=d.district, case_id=problems[0].pk, title="整改",
                                      owner="车间主任", deadline=due)
    services.rectification_update(actor=d.district, task_id=done.pk, progress=100, evidence="照片三张")
    services.rectification_add(actor=d.district, case_id=problems[1].pk, title="整改", owner="厂长",
                               deadline=due)
    task = services.rectification_add(actor=d.area_user, case_id=good.pk, title="采纳", owner="办公室",
                                      deadline=due)
    services.rectification_update(actor=d.area_user, task_id=task.pk, progress=100, evidence="制度文件")
    [row] = compute_measures(d.district, Period())
    assert ratios(row)["rectified"] == (2, 3)
    from sanxin.cases.errors import CaseError, Forbidden

    with pytest.raises(CaseError):
        services.rectification_add(actor=d.district, case_id=plain.pk, title="x", owner="y", deadline=due)
    with pytest.raises(Forbidden):
        services.rectification_add(actor=d.contact_a1, case_id=problems[2].pk, title="x", owner="y",
                                   deadline=due)
    with pytest.raises(CaseError) as caught:
        services.rectification_update(actor=d.district, task_id=task.pk, progress=100, evidence=" ")
    assert caught.value.field == "evidence"
    assert RectificationTask.objects.get(pk=task.pk).evidence == "制度文件"
