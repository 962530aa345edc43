#!/usr/bin/env python
"""Load and a database restart against gunicorn and PostgreSQL, with locust (headless, 127.0.0.1).

    flock /work/heavy.lock .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--restart]

Sets up its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sx_load) with
the demo district, starts gunicorn (production settings, 2 workers, port 8765, tasks inline), and
runs four kinds of users in one process, each logged in with its demo account:
- service officers log visits (POST /api/service/visits);
- enterprises raise demands and rate the answered ones (POST /api/cases/cases, .../rate);
- the district dispatches pending demands to a department and watches the dashboard;
- departments sign and answer what was dispatched to them.
Phase 1: --users for --seconds. Goal: no errors, p99 under 500 ms.
Phase 2 (--restart): the same, with PostgreSQL restarted (`pg_ctlcluster 15 main restart`) at a
third of the run. Errors while it is down are expected; after it is back (readyz 200) every
request must succeed, and SQL invariants must hold: no case without its creation event, no case
whose state disagrees with its last event.
Prints the figures per phase, the ratio of p99 to the goal, and `RESULT {json}`.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sx_load")
PORT = 8765
HOST = f"http://127.0.0.1:{PORT}"
PASSWORD = "Sanxin@2026"  # sanxin.demo.steps.DEMO_PASSWORD
ENV = {**os.environ, "DATABASE_URL": DATABASE_URL,
       "DJANGO_SETTINGS_MODULE": "config.settings.production",
       "DJANGO_SECRET_KEY": "bench-load-not-for-the-internet-0123456789abcdefghij",
       "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_HSTS_SECONDS": "0",
       "CELERY_BROKER_URL": "", "LOG_LEVEL": "WARNING", "AXES_FAILURE_LIMIT": "1000"}
PY = str(ROOT / ".venv/bin/python")


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


def setup(scale: float) -> dict:
    import psycopg
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        name = DATABASE_URL.rsplit("/", 1)[-1]
        if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    subprocess.run([PY, "manage.py", "demo", "--scale", str(scale)], cwd=ROOT, env=ENV,
                   check=True, stdout=subprocess.DEVNULL)
    return sql_one("""SELECT (SELECT count(*) FROM registry_organization),
                             (SELECT count(*) FROM cases_case)""")


def sql_one(query: str):
    import psycopg
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as c:
        return c.execute(query).fetchone()


def invariants() -> dict:
    half_written, state_mismatch = sql_one("""
        SELECT (SELECT count(*) FROM cases_case c
                WHERE NOT EXISTS (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id)),
               (SELECT count(*) FROM cases_case c JOIN LATERAL (
                    SELECT to_state FROM cases_caseevent e WHERE e.case_id = c.id
                      AND e.to_state <> '' ORDER BY e.at DESC, e.id DESC LIMIT 1) last ON true
                WHERE last.to_state <> c.state)""")
    return {"cases_without_event": half_written, "state_not_last_event": state_mismatch}


def start_gunicorn() -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--timeout", "30"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    wait_ready(60)
    return process


def wait_ready(seconds: float) -> float:
    import requests
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if requests.get(f"{HOST}/readyz", timeout=2).status_code == 200:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("the site did not become ready")


# --- locust users -------------------------------------------------------------------------------
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

FAILURES: list[tuple[float, str, str]] = []


class SanxinUser(HttpUser):
    abstract = True
    host = HOST
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login page")
        self.client.post("/accounts/login/", {
            "username": self.username, "password": PASSWORD,
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}, name="log in")

    def api(self, method: str, path: str, name: str, body=None):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        return self.client.request(method, path, json=body, headers=headers, name=name)

    def rows(self, path: str, name: str) -> list[dict]:
        response = self.api("GET", path, name)
        try:
            return response.json().get("results", []) if response.ok else []
        except ValueError:
            return []


class Officer(SanxinUser):
    weight = 3
    username = "demo_officer"

    @task
    def log_visit(self) -> None:
        mine = self.rows("/api/service/assignments?page_size=50", "officer: my enterprises")
        if mine:
            org = random.choice(mine)["organization_id"]
            self.api("POST", "/api/service/visits", "officer: log a visit", {
                "organization_id": org, "visited_on": date.today().isoformat(),
                "met_person": "负责人", "discussed": "走访了解生产经营情况。"})


class Enterprise(SanxinUser):
    weight = 3
    username = "demo_huafeng"

    def on_start(self) -> None:
        super().on_start()
        own = self.rows("/api/registry/organizations", "enterprise: own organization")
        self.org = own[0]["id"] if own else None

    @task(2)
    def raise_demand(self) -> None:
        if self.org:
            self.api("POST", "/api/cases/cases", "enterprise: raise a demand", {
                "kind": "demand", "organization": self.org, "title": "用工招聘需求",
                "description": "企业需要招聘技术工人二十名。", "category": "financing",
                "source": "contact"})

    @task(1)
    def rate(self) -> None:
        for case in self.rows("/api/cases/cases?state=answered", "enterprise: answered")[:1]:
            self.api("POST", f"/api/cases/cases/{case['id']}/transitions/rate",
                     "enterprise: rate", {"version": case["version"], "rating": "satisfied",
                                          "resolved": True})


class District(SanxinUser):
    weight = 2
    username = "demo_district"
    department_id = None

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="district: dashboard page")
        self.api("GET", "/api/dashboard/figures", "district: figures")

    @task(1)
    def dispatch(self) -> None:
        for case in self.rows("/api/cases/cases?state=pending", "district: pending")[:1]:
            self.api("POST", f"/api/cases/cases/{case['id']}/transitions/dispatch",
                     "district: dispatch", {"version": case["version"],
                                            "lead_department": District.department_id})


class Department(SanxinUser):
    weight = 2
    username = "demo_shuiwu"

    @task
    def handle(self) -> None:
        for state, action, extra in (("dispatched", "sign", {}),
                                     ("signed", "answer", {"answer": "已协调办理，请查收。"})):
            for case in self.rows(f"/api/cases/cases?state={state}", f"department: {state}")[:1]:
                self.api("POST", f"/api/cases/cases/{case['id']}/transitions/{action}",
                         f"department: {action}", {"version": case["version"], **extra})


@events.request.add_listener
def on_request(request_type, name, response_time, response_length, exception, response=None,
               **kwargs):
    status = getattr(response, "status_code", 0)
    # 409 is a correct answer to two users acting on the same case at once (a version check).
    if exception is not None and status != 409:
        FAILURES.append((time.monotonic(), name, f"{status} {str(exception)[:80]}"))


def run_phase(users: int, seconds: int, restart_at: float | None) -> dict:
    FAILURES.clear()
    environment = Environment(user_classes=[Officer, Enterprise, District, Department])
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=max(1, users // 5))
    outage = {}
    if restart_at is not None:
        def restart() -> None:
            time.sleep(restart_at)
            outage["restart_started"] = time.monotonic() - started
            subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
            outage["db_back"] = time.monotonic() - started
            outage["site_ready_after_s"] = round(wait_ready(60), 2)
            outage["recovered"] = time.monotonic() - started
        threading.Thread(target=restart, daemon=True).start()
    time.sleep(seconds)
    runner.quit()
    stats = environment.stats.total
    result = {"requests": stats.num_requests, "failures": stats.num_failures,
              "rps": round(stats.total_rps, 1), "median_ms": stats.get_response_time_percentile(0.5),
              "p95_ms": stats.get_response_time_percentile(0.95),
              "p99_ms": stats.get_response_time_percentile(0.99)}
    if restart_at is not None:
        recovered = outage.get("recovered", float("inf")) + 2  # requests in flight at recovery
        after = [f for f in FAILURES if f[0] - started > recovered]
        result.update(outage={k: round(v, 2) for k, v in outage.items()},
                      failures_after_recovery=len(after), examples_after=[f[1:] for f in after[:3]])
    else:
        result["examples"] = [f[1:] for f in FAILURES[:3]]
    result.update(invariants())
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--restart", action="store_true", help="also the database-restart phase")
    args = parser.parse_args()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    orgs, cases = setup(args.scale)
    print(f"database {DATABASE_URL.rsplit('/', 1)[-1]}: {orgs:,} organizations, {cases:,} cases")
    os.environ.update(ENV)
    import django
    django.setup()
    from sanxin.registry.models import Department as Dept
    District.department_id = Dept.objects.get(code="shuiwu").pk
    gunicorn = start_gunicorn()
    results = {}
    try:
        results["steady"] = run_phase(args.users, args.seconds, None)
        print("steady:", json.dumps(results["steady"], ensure_ascii=False))
        if args.restart:
            results["restart"] = run_phase(args.users, args.seconds, args.seconds / 3)
            print("restart:", json.dumps(results["restart"], ensure_ascii=False))
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
    steady = results["steady"]
    print(f"p99 {steady['p99_ms']} ms = {steady['p99_ms'] / 500:.2f}× the 500 ms goal; "
          f"errors {steady['failures']} of {steady['requests']}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print("RESULT " + json.dumps({"bench": "load", "users": args.users, "seconds": args.seconds,
                                  "organizations": orgs, **results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
