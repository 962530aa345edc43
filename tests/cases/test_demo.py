"""The demo step reproduces the source's figures (scaled) with consistent timelines."""
import pytest
from django.core.management import call_command
from django.db.models import Count

from sanxin.cases.models import Case, CaseEvent, RectificationTask
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
    assert Case.objects.values("lead_department").distinct().count() >= 8
    # Every case's version counts its transitions; every closed case has its close event.
    from django.db.models import Q

    counted = Count("events", filter=~Q(events__action__startswith="auto_"))
    for case in Case.objects.annotate(n=counted).order_by("?")[:50]:
        assert case.version == case.n
    assert CaseEvent.objects.filter(action="close").count() == Case.objects.filter(state="closed").count()
    assert RectificationTask.objects.exists()
