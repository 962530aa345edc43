"""The audit log names the machine client behind an API change; the request log is pruned."""
import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanxin.apiclients.models import ApiClient, ApiRequestLog
from sanxin.apiclients.services import api_request_log_prune
from sanxin.chains.models import Chain


def create_chain(client, name: str, **headers):
    """chains.Chain is in the audit log (sanxin/accounts/auditing.py); a district may create one."""
    return client.post("/api/chains/chains", json.dumps({"name": name}),
                       content_type="application/json", **headers)


def chain_entry(name: str) -> LogEntry:
    chain = Chain.objects.get(name=name)
    return LogEntry.objects.get_for_object(chain).get(action=LogEntry.Action.CREATE)


def test_an_api_write_by_a_token_is_audited_with_its_client(district, make_token, bearer):
    token = make_token("district")
    client = ApiClient.objects.get(tokens__prefix=token[:11])
    response = create_chain(bearer(token), "榨菜产业链", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 201, response.content
    entry = chain_entry("榨菜产业链")
    assert entry.actor == client.user
    assert entry.remote_addr == "10.0.0.7"
    assert entry.additional_data["api_client"] == {"id": client.pk, "name": client.name,
                                                   "token": token[:11]}


def test_a_session_write_is_audited_without_a_client(district, client_for):
    response = create_chain(client_for(district.district), "页岩气产业链")
    assert response.status_code == 201
    entry = chain_entry("页岩气产业链")
    assert entry.actor == district.district
    assert "api_client" not in (entry.additional_data or {})


def test_the_client_is_not_carried_over_to_the_next_request(district, make_token, bearer,
                                                           client_for):
    bearer(make_token("district")).get("/api/apiclients/me")
    create_chain(client_for(district.district), "电子产业链")  # the next request, a person's
    Chain.objects.create(name="不经请求")  # and a write outside any request
    assert "api_client" not in (chain_entry("电子产业链").additional_data or {})
    outside = chain_entry("不经请求")
    assert outside.actor is None and "api_client" not in (outside.additional_data or {})


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
