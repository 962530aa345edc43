"""The demo step reproduces the source's figures (scaled) with consistent timelines."""
import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sanxin.cases.models import Case, CaseEvent, CaseHandler, RectificationTask
from sanxin.cases.selectors import overdue_cases

pytestmark = pytest.mark.django_db


def test_demo_cases_match_the_source_figures():
    call_command("demo", scale=0.1)
    kinds = dict(Case.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds["problem"] == round(628 * 0.1)
    assert Case.objects.filter(is_good_suggestion=True).count() == round(239 * 0.1)
    solved = Case.objects.filter(tailored_solution=True)
    assert solved.count() == round(68 * 0.1) and not solved.exclude(state="closed").exists()
    assert kinds["demand"] == 150
    assert Case.objects.filter(return_count__gt=0).exists()
    assert Case.objects.filter(reopen_count__gt=0).exists()
    assert Case.objects.filter(extension_count__gt=0).exists()
    assert overdue_cases(Case.objects.all()).exists()
    assert not Case.objects.filter(state="closed", answer="").exists()
    # Every handling department leads some case, and fresh demands await dispatch, whatever the
    # clock says (an earlier version left both to chance and failed on some days).
    from sanxin.cases.demo import LEAD_BY_CATEGORY

    leads = set(Case.objects.exclude(lead_department=None).values_list("lead_department__code", flat=True))
    assert leads == set(LEAD_BY_CATEGORY.values())
    awaiting = Case.objects.filter(state="pending", lead_department=None, kind="demand")
    assert awaiting.count() >= 2
    # Every case's version counts its transitions; every closed case has its close event.
    from django.db.models import Q

    counted = Count("events", filter=~Q(events__action__startswith="auto_"))
    for case in Case.objects.annotate(n=counted).order_by("?")[:50]:
        assert case.version == case.n
    assert CaseEvent.objects.filter(action="close").count() == Case.objects.filter(state="closed").count()
    assert RectificationTask.objects.exists()
    # Only 职能部门 handle cases, as lead or co-handler.
    assert not Case.objects.exclude(lead_department=None).exclude(lead_department__kind="functional").exists()
    assert not CaseHandler.objects.exclude(department__kind="functional").exists()
    _demands_raised_on_visits()


def _demands_raised_on_visits():
    """Demands raised on a visit are linked to a visit of the officer who serves the enterprise,
    raised by that officer on the visit's day or later; the demo officer's login shows some."""
    from sanxin.service.models import Assignment

    on_visits = Case.objects.filter(kind="demand", source="visit").select_related("visit__officer")
    assert on_visits.exists() and not on_visits.filter(visit=None).exists()
    serving = set(Assignment.objects.filter(ended_at=None).values_list("organization_id", "officer__user_id"))
    for case in on_visits:
        assert case.visit.organization_id == case.organization_id
        assert case.raised_by_id == case.visit.officer.user_id == case.officer_id
        assert (case.organization_id, case.raised_by_id) in serving
        assert timezone.localtime(case.created_at).date() >= case.visit.visited_on
        assert case.title in case.visit.demands
    assert on_visits.filter(raised_by__username="demo_officer").exists()
    assert not Case.objects.exclude(source="visit").exclude(visit=None).exists()
