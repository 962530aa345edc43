"""The reminder/supervision sweep: what it writes, that a second run writes nothing, the
management command, and once with a real Celery worker on Redis (PostgreSQL only)."""
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sanxin.cases import services
from sanxin.cases.models import CaseEvent, Notification
from sanxin.cases.sweep import run_sweep

from .conftest import drive, raise_case

# Its own Redis database (5) and a queue per run, so parallel test runs do not take its tasks.
REDIS_URL = os.environ.get("CASES_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def build_cases(district):
    """One overdue, one due within the day, one comfortably early, one not signed in time."""
    now = timezone.now()
    overdue = drive(district, raise_case(district, urgency="urgent", title="停电"),
                    "signed", now=now - timedelta(hours=5))
    near = drive(district, raise_case(district, urgency="urgent", title="停水"),
                 "signed", now=now - timedelta(minutes=90))
    early = drive(district, raise_case(district, urgency="complex", title="用地"), "signed")
    unsigned = drive(district, raise_case(district, urgency="urgent", title="断气"), "dispatched",
                     now=now - timedelta(hours=3))
    return overdue, near, early, unsigned


@pytest.mark.django_db
def test_sweep_writes_each_reminder_once(district, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    district.functional_user.email = "shuiwu@example.cn"
    district.functional_user.save()
    overdue, near, early, unsigned = build_cases(district)
    first = run_sweep()
    assert first.supervised == [overdue.pk]
    assert first.reminded == [near.pk]
    assert first.sign_reminded == [unsigned.pk]
    assert CaseEvent.objects.filter(case=early, action__startswith="auto").count() == 0
    assert Notification.objects.filter(user=district.functional_user, case=overdue).exists()
    second = run_sweep()
    assert second.as_dict() == {"reminded": 0, "supervised": 0, "sign_reminded": 0}
    assert CaseEvent.objects.filter(action__startswith="auto").count() == 3


@pytest.mark.django_db
def test_emails_go_out_on_commit(district, django_capture_on_commit_callbacks):
    district.functional_user.email = "shuiwu@example.cn"
    district.functional_user.save()
    case = raise_case(district)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                                 fields={"lead_department": district.dept_f.pk})
    assert [m.to for m in mail.outbox] == [["shuiwu@example.cn"]]
    assert Notification.objects.get(user=district.functional_user).case == case


@pytest.mark.django_db
def test_management_command(district, capsys):
    build_cases(district)
    call_command("case_sweep")
    assert "supervised=1" in capsys.readouterr().out
    call_command("case_sweep")
    assert "supervised=0" in capsys.readouterr().out


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the worker process must share the test database")
def test_sweep_on_a_real_celery_worker(district):
    from celery import Celery

    overdue, near, _early, unsigned = build_cases(district)
    queue = f"sx-cases-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": database_url(), "CELERY_BROKER_URL": REDIS_URL,
           "CELERY_RESULT_BACKEND": REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        env=env, cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # A client of its own: the project's app is eager in tests and may have cached that.
    client = Celery("sx-cases-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    try:
        first = client.send_task("cases.sweep", queue=queue).get(timeout=90)
        second = client.send_task("cases.sweep", queue=queue).get(timeout=30)
    finally:
        client.close()
        worker.terminate()
        try:
            output = worker.communicate(timeout=15)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode(errors="replace")
    assert first == {"reminded": 1, "supervised": 1, "sign_reminded": 1}, output
    assert second == {"reminded": 0, "supervised": 0, "sign_reminded": 0}, output
    assert CaseEvent.objects.filter(case=overdue, action="auto_supervise", actor=None).count() == 1
    assert CaseEvent.objects.filter(case=unsigned, action="auto_remind_sign").count() == 1
