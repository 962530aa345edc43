"""Fault: the database drops the application's connection (what a PostgreSQL restart does to every
client), once between two requests and once in the middle of raising a case.

The connection is ended with pg_terminate_backend from a second connection rather than by
restarting the server, so the test runs in CI in bounded time and disturbs no other database
(bench/load.py restarts the real server). PostgreSQL only. Afterwards:
- the next request succeeds: CONN_HEALTH_CHECKS makes Django notice the dead persistent
  connection at the start of a request and open a new one;
- no half-written case exists: the case row and its timeline event were one transaction, and the
  dead backend's transaction was rolled back.
"""
import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.db.models import Count
from django.db.models.signals import post_save
from django.test import RequestFactory

from sanxin.cases.models import Case

from ..cases.conftest import raise_case

pytestmark = pytest.mark.django_db(transaction=True)


def terminate(pid: int) -> None:
    """End one backend from another connection, as the server does to its clients on restart."""
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                         password=s["PASSWORD"] or None, dbname=s["NAME"], autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


def half_written_cases() -> int:
    """Cases without their creation event in the timeline: must always be none."""
    return Case.objects.annotate(n=Count("events")).filter(n=0).count()


@pytest.fixture
def persistent_connections():
    """Production's connection settings (the test settings close connections after each request)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: pg_terminate_backend")
    saved = {k: connection.settings_dict[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    yield
    connection.settings_dict.update(saved)
    connection.close()


def wsgi_get(path: str, cookies: str = "") -> int:
    """A request through the real WSGI handler: unlike the test client, it runs the
    request_started signal that health-checks persistent connections."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    status = []
    response = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(response)
    response.close()
    return int(status[0].split()[0])


def test_next_request_succeeds_after_the_connection_was_dropped(persistent_connections, district,
                                                               client_for):
    cookies = client_for(district.district).cookies.output(header="", sep=";").strip()
    assert wsgi_get("/cases/", cookies) == 200
    terminate(connection.connection.info.backend_pid)
    assert wsgi_get("/cases/", cookies) == 200  # health check, reconnect, answer
    assert wsgi_get("/readyz") == 200


def test_connection_dropped_mid_case_leaves_no_half_written_case(persistent_connections, district,
                                                                client_for):
    before = Case.objects.count()

    def drop_connection(sender, instance, created, **kwargs):
        if created:  # the case row is written, its timeline event not yet
            terminate(connection.connection.info.backend_pid)

    post_save.connect(drop_connection, sender=Case, dispatch_uid="fault-drop")
    try:
        with pytest.raises(OperationalError):
            raise_case(district, title="断连测试")
    finally:
        post_save.disconnect(sender=Case, dispatch_uid="fault-drop")
    connection.close()  # what the next request's health check does
    assert Case.objects.count() == before
    assert not Case.objects.filter(title="断连测试").exists()
    assert half_written_cases() == 0
    client = client_for(district.district)
    assert client.get("/cases/").status_code == 200
    raise_case(district, title="断连之后")  # and writing works again
    assert half_written_cases() == 0
