"""The audit log names the machine client behind an API change; the request log is pruned."""
import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanxin.apiclients.models import ApiClient, ApiRequestLog
from sanxin.apiclients.services import api_request_log_prune
from sanxin.cases.models import Case, CaseEvent


@pytest.fixture
def cases_audited():
    """Cases are not in the audit log (their events are their history): the event model is
    registered here, so that a real API write by a token produces an audit entry."""
    auditlog.register(CaseEvent)
    yield
    auditlog.unregister(CaseEvent)


def dispatch_entry(case: Case) -> LogEntry:
    event = CaseEvent.objects.get(case=case, action="dispatch")
    return LogEntry.objects.get_for_object(event).get(action=LogEntry.Action.CREATE)


def test_an_api_write_by_a_token_is_audited_with_its_client(district, make_token, bearer,
                                                            cases_audited):
    from tests.cases.conftest import raise_case

    case = raise_case(district)
    token = make_token("district")
    client = ApiClient.objects.get(tokens__prefix=token[:11])
    response = bearer(token).post(
        f"/api/cases/cases/{case.pk}/transitions/dispatch",
        json.dumps({"lead_department": district.dept_f.pk}), content_type="application/json",
        REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    entry = dispatch_entry(case)
    assert entry.actor == client.user
    assert entry.remote_addr == "10.0.0.7"
    assert entry.additional_data["api_client"] == {"id": client.pk, "name": client.name,
                                                   "token": token[:11]}


def test_a_session_write_is_audited_without_a_client(district, client_for, cases_audited):
    from tests.cases.conftest import raise_case

    case = raise_case(district)
    response = client_for(district.district).post(
        f"/api/cases/cases/{case.pk}/transitions/dispatch",
        json.dumps({"lead_department": district.dept_f.pk}), content_type="application/json")
    assert response.status_code == 200
    entry = dispatch_entry(case)
    assert entry.actor == district.district
    assert "api_client" not in (entry.additional_data or {})


def test_the_client_is_not_carried_over_to_the_next_request(district, make_token, bearer,
                                                           cases_audited):
    from tests.cases.conftest import raise_case

    bearer(make_token("district")).get("/api/apiclients/me")
    case = raise_case(district)  # written outside any request
    event = CaseEvent.objects.get(case=case, action="raise")
    entry = LogEntry.objects.get_for_object(event).get()
    assert entry.actor is None and "api_client" not in (entry.additional_data or {})


def _logged(district, make_token, bearer) -> list[ApiRequestLog]:
    client = bearer(make_token("district"))
    for _ in range(3):
        client.get("/api/apiclients/me")
    rows = list(ApiRequestLog.objects.order_by("id"))
    assert len(rows) == 3
    return rows


def test_request_log_rows_older_than_the_retention_are_pruned(district, make_token, bearer,
                                                              settings):
    settings.API_REQUEST_LOG_RETENTION_DAYS = 183
    old, edge, new = _logged(district, make_token, bearer)
    now = timezone.now()
    ApiRequestLog.objects.filter(pk=old.pk).update(at=now - timedelta(days=184))
    ApiRequestLog.objects.filter(pk=edge.pk).update(at=now - timedelta(days=182))
    assert api_request_log_prune(now=now) == 1
    assert set(ApiRequestLog.objects.values_list("pk", flat=True)) == {edge.pk, new.pk}


def test_the_daily_cleanup_command_prunes_the_request_log(district, make_token, bearer,
                                                          settings, capsys):
    settings.API_REQUEST_LOG_RETENTION_DAYS = 30
    old, kept, _ = _logged(district, make_token, bearer)
    ApiRequestLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    ApiRequestLog.objects.filter(pk=kept.pk).update(at=timezone.now() - timedelta(days=29))
    call_command("audit_cleanup", days=365)
    assert not ApiRequestLog.objects.filter(pk=old.pk).exists()
    assert ApiRequestLog.objects.filter(pk=kept.pk).exists()
    assert "deleted 1 API request log rows older than 30 days" in capsys.readouterr().out


def test_the_beat_task_prunes_too(district, make_token, bearer, settings):
    from sanxin.accounts.tasks import audit_cleanup_task

    settings.API_REQUEST_LOG_RETENTION_DAYS = 1
    old, *_ = _logged(district, make_token, bearer)
    ApiRequestLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=2))
    assert audit_cleanup_task.delay(older_than_days=365).get()["api_requests"] == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the worker process must share the test database")
def test_the_beat_task_on_a_real_celery_worker(district, make_token, bearer):
    """The scheduled task by its stable name, on a real worker on Redis, with the default
    retention (183 days)."""
    from tests.celery_worker import real_worker

    old, young, _ = _logged(district, make_token, bearer)
    ApiRequestLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=200))
    ApiRequestLog.objects.filter(pk=young.pk).update(at=timezone.now() - timedelta(days=100))
    with real_worker() as worker:
        result = worker.send("accounts.audit_cleanup", 365).get(timeout=90)
    output = worker.output
    assert result["api_requests"] == 1, output
    assert set(ApiRequestLog.objects.values_list("pk", flat=True)) >= {young.pk}
    assert not ApiRequestLog.objects.filter(pk=old.pk).exists()
