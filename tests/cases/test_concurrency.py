"""Two users act on the same case at once: exactly one transition happens, the other is told the
case changed meanwhile. Real concurrent transactions, so PostgreSQL only."""
import threading

import pytest
from django.db import connection, connections

from sanxin.cases import selectors, services
from sanxin.cases.errors import ChangedMeanwhile
from sanxin.cases.models import Case, CaseEvent

from .conftest import co_department, drive, raise_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def run_together(monkeypatch, calls):
    """Run each call in its own thread and transaction; all read the case before any writes."""
    barrier = threading.Barrier(len(calls), timeout=20)
    original = selectors.get_case

    def get_case_then_wait(actor, pk):
        case = original(actor, pk)
        barrier.wait()          # every thread has read the same version
        return case

    monkeypatch.setattr(services, "get_case", get_case_then_wait)
    outcomes: list[object] = [None] * len(calls)

    def worker(index, call):
        try:
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_sign_and_return_at_once_one_wins(district, monkeypatch):
    case = drive(district, raise_case(district), "dispatched")
    lead = district.functional_user
    outcomes = run_together(monkeypatch, [
        lambda: services.case_transition(actor=lead, case_id=case.pk, action="sign",
                                         fields={"note": "已联系"}),
        lambda: services.case_transition(actor=lead, case_id=case.pk, action="return",
                                         fields={"reason": "不属本部门"}),
    ])
    winners = [o for o in outcomes if isinstance(o, Case)]
    losers = [o for o in outcomes if isinstance(o, ChangedMeanwhile)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "changed_meanwhile" and losers[0].status == 409
    final = Case.objects.get(pk=case.pk)
    assert final.state == winners[0].state and final.version == case.version + 1
    assert CaseEvent.objects.filter(case=case, action__in=["sign", "return"]).count() == 1


def test_two_district_users_dispatch_at_once(district, monkeypatch):
    from tests.factories import user_with_role

    second = user_with_role("district2", "district")
    case = raise_case(district)
    outcomes = run_together(monkeypatch, [
        lambda: services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                                         fields={"lead_department": district.dept_f.pk}),
        lambda: services.case_transition(actor=second, case_id=case.pk, action="dispatch",
                                         fields={"lead_department": co_department().pk}),
    ])
    assert sorted(type(o).__name__ for o in outcomes) == ["Case", "ChangedMeanwhile"], outcomes
    final = Case.objects.get(pk=case.pk)
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    assert CaseEvent.objects.get(case=case, action="dispatch").data["lead_department"] == \
        final.lead_department_id
