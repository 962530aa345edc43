"""Two users apply plans at the same moment: exactly one wins, the other is told it is stale.
Real concurrent transactions need PostgreSQL (SQLite serializes whole-database writes)."""
import threading

import pytest
from django.db import connection, connections

from sanxin.service import services
from sanxin.service.models import Assignment, AssignmentPlan

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_applies_one_wins_one_is_stale(district, officer_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for truly concurrent transactions")
    plans = [services.plan_preview(actor=district.district, mode="assign"),
             services.plan_preview(actor=district.area_user, mode="rebalance")]
    actors = [district.district, district.area_user]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply(index: int) -> None:
        try:
            barrier.wait()
            services.plan_apply(actor=actors[index], plan=plans[index])
            outcomes.append("applied")
        except services.StalePlan:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied", "stale"]
    statuses = sorted(AssignmentPlan.objects.values_list("status", flat=True))
    assert statuses == ["applied", "stale"]
    # exactly one plan's changes exist: a1 and a2 have one current officer each, no duplicates
    current = Assignment.objects.filter(ended_at__isnull=True)
    assert current.count() == 3
    assert Assignment.objects.filter(organization=district.a1).count() == 1
