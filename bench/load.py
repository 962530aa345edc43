#!/usr/bin/env python
"""Load, a database restart and a killed import against gunicorn and PostgreSQL, with locust
(headless, 127.0.0.1).

    flock /work/heavy.lock .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--restart]
        [--kill-import] [--orgs 20000] [--reuse]

Builds its database afresh (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sx_load,
dropped and created again unless --reuse): the demo district at --scale (1.0: the whole district,
about 21,600 organizations), topped up with generated organizations (bench/scale.py's COPY) to at
least --orgs. With --reuse an existing database is kept only when it already holds --orgs
organizations. The size is printed and goes into RESULT.

Then gunicorn as production runs it (production settings, one sync worker a core, persistent
database connections, tasks inline) on a free port, and four kinds of users in one process, each
logged in with its demo account:
- service officers log visits (POST /api/service/visits);
- enterprises raise demands and rate the answered ones (POST /api/cases/cases, .../rate);
- the district dispatches pending demands to a department and watches the dashboard (the page and
  the JSON its live refresh fetches);
- departments sign and answer what was dispatched to them.
Users of one account never act on the same case at once: a user claims (case, version) before its
transition, and a claimed one is skipped by the others (claims are atomic: locust's users are
greenlets of one process and nothing yields between the test and the claim). So a 409 is a
failure of the server, not of the bench: it is counted among the failures and reported apart.
Phase 0 (the reference, same run): --reference-users users (5) for up to 30 s, the same mix:
what a request costs when it does not queue; the phases below are given as ratios to it.
Each phase starts its users and waits until all have logged in (reported apart as the ramp-up:
fifty Argon2 hashes within seconds are no real morning); then --seconds are measured.
Phase 1: --users for --seconds. Goal: no errors, p99 under 500 ms.
Phase 2 (--restart): the same, with PostgreSQL restarted (`pg_ctlcluster 15 main restart`) at a
third of the run. Errors while it is down are expected; after it is back (readyz 200) every
request must succeed, and SQL invariants must hold: no case without its creation event, no case
whose state disagrees with its last event.
Phase 3 (--kill-import): a confirmed organization import (--import-rows generated rows) runs in
its own process and is killed with SIGKILL once it reports half the file done; the database must be
as before (a fingerprint of the organizations, the coverage summary and the audit log).
Prints the figures per phase and per endpoint, the ratio of p99 to the goal, the load average,
and `RESULT {json}`.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sx_load")
PASSWORD = "Sanxin@2026"  # sanxin.demo.steps.DEMO_PASSWORD
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: the day as the district counts it
WORKERS = os.cpu_count() or 2  # docs/operations.md: one sync worker a core serves database views best
ENV = {**os.environ, "DATABASE_URL": DATABASE_URL,
       "DJANGO_SETTINGS_MODULE": "config.settings.production",
       "DJANGO_SECRET_KEY": "bench-load-not-for-the-internet-0123456789abcdefghij",
       "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_HSTS_SECONDS": "0",
       "DB_CONN_MAX_AGE": "60",  # production's persistent connections, said explicitly
       "CELERY_BROKER_URL": "", "LOG_LEVEL": "WARNING", "AXES_FAILURE_LIMIT": "1000",
       "MEDIA_ROOT": tempfile.mkdtemp(prefix="sanxin-load-media-")}
PY = str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else sys.executable
BIN = Path(PY).parent


def free_port() -> int:
    """Another engineer's benchmark may hold a fixed port on this shared machine."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port()
HOST = f"http://127.0.0.1:{PORT}"


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def sql_one(query: str, params=None):
    import psycopg
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as c:
        return c.execute(query, params).fetchone()


def size() -> dict:
    orgs, cases, visits = sql_one("""SELECT (SELECT count(*) FROM registry_organization),
        (SELECT count(*) FROM cases_case), (SELECT count(*) FROM service_visit)""")
    return {"organizations": orgs, "cases": cases, "visits": visits}


def recreate_database(reuse: bool, min_orgs: int) -> bool:
    """A fresh database unless --reuse finds one already big enough. Returns whether it is new."""
    import psycopg
    name = DATABASE_URL.rsplit("/", 1)[-1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone()
        if exists and reuse:
            try:
                if size()["organizations"] >= min_orgs:
                    return False
            except psycopg.Error:
                pass
            print(f"--reuse: {name} is smaller than {min_orgs:,} organizations; building afresh")
        if exists:
            c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return True


def setup(scale: float, min_orgs: int, reuse: bool) -> dict:
    started = time.monotonic()
    fresh = recreate_database(reuse, min_orgs)
    if fresh:
        manage("migrate", "--noinput", "-v0")
        manage("demo", "--scale", str(scale))
    manage("collectstatic", "--noinput", "-v0")
    os.environ.update(ENV)
    import django
    django.setup()
    if fresh and size()["organizations"] < min_orgs:
        from bench.scale import fill_to
        from sanxin.coverage import summary
        fill_to(min_orgs, print)
        summary.rebuild()  # COPY sends no signals: the dashboard reads the summary
    return {**size(), "built_afresh": fresh, "setup_s": round(time.monotonic() - started, 1)}


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
        [str(BIN / "gunicorn"), "config.wsgi", "--workers", str(WORKERS),
         "--worker-class", "sync", "-b", f"127.0.0.1:{PORT}", "--timeout", "30"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
CONFLICTS: list[tuple[float, str]] = []
CLAIMED: set[tuple[int, int]] = set()
LOGGED_IN = [0]  # users past on_start in the current phase


def claim(rows: list[dict]) -> dict | None:
    """The first case (at its version) that no other user has taken. Users are greenlets of one
    process and nothing here yields, so the test and the claim cannot interleave."""
    for case in rows:
        key = (case["id"], case["version"])
        if key not in CLAIMED:
            CLAIMED.add(key)
            return case
    return None


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
        self.prepare()
        LOGGED_IN[0] += 1

    def prepare(self) -> None:
        """What a user reads once after logging in (part of the ramp-up)."""

    def api(self, method: str, path: str, name: str, body=None):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        return self.client.request(method, path, json=body, headers=headers, name=name)

    def rows(self, path: str, name: str) -> list[dict]:
        response = self.api("GET", path, name)
        try:
            return response.json().get("results", []) if response.ok else []
        except ValueError:
            return []

    def transition(self, state: str, action: str, who: str, body: dict) -> None:
        """Claim one case in `state` and perform `action` on it."""
        case = claim(self.rows(f"/api/cases/cases?state={state}&page_size=20", f"{who}: {state}"))
        if case is not None:
            self.api("POST", f"/api/cases/cases/{case['id']}/transitions/{action}",
                     f"{who}: {action}", {"version": case["version"], **body})


class Officer(SanxinUser):
    weight = 3
    username = "demo_officer"

    @task
    def log_visit(self) -> None:
        mine = self.rows("/api/service/assignments?page_size=50", "officer: my enterprises")
        if mine:
            org = random.choice(mine)["organization_id"]
            self.api("POST", "/api/service/visits", "officer: log a visit", {
                "organization_id": org, "visited_on": datetime.now(DISTRICT_TZ).date().isoformat(),
                "met_person": "负责人", "discussed": "走访了解生产经营情况。"})


class Enterprise(SanxinUser):
    weight = 3
    username = "demo_huafeng"

    def prepare(self) -> None:
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
        self.transition("answered", "rate", "enterprise",
                        {"rating": "satisfied", "resolved": True})


class District(SanxinUser):
    weight = 2
    username = "demo_district"
    department_id = None

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="district: dashboard page")
        # what the page's live refresh fetches (static/dashboard/dashboard.js)
        self.client.get("/dashboard/data.json", name="district: dashboard data")

    @task(1)
    def dispatch(self) -> None:
        self.transition("pending", "dispatch", "district",
                        {"lead_department": District.department_id})


class Department(SanxinUser):
    weight = 2
    username = "demo_shuiwu"

    @task
    def handle(self) -> None:
        self.transition("dispatched", "sign", "department", {"note": "已签收，正在办理。"})
        self.transition("signed", "answer", "department", {"answer": "已协调办理，请查收。"})


@events.request.add_listener
def on_request(request_type, name, response_time, response_length, exception, response=None,
               **kwargs):
    if exception is None:
        return
    status = getattr(response, "status_code", 0)
    FAILURES.append((time.monotonic(), name, f"{status} {str(exception)[:80]}"))
    if status == 409:  # users never share a (case, version): the server let two writes race
        CONFLICTS.append((time.monotonic(), name))


def endpoint_figures(environment) -> dict:
    return {name: {"requests": entry.num_requests, "failures": entry.num_failures,
                   "median_ms": entry.get_response_time_percentile(0.5),
                   "p99_ms": entry.get_response_time_percentile(0.99)}
            for (name, _method), entry in sorted(environment.stats.entries.items())
            if entry.num_requests}


def ramp_up(environment, runner, users: int) -> dict:
    """Start the users and wait until all have logged in; their log-ins (a deliberately slow
    Argon2 hash each, all within seconds, which no real morning looks like) are reported apart
    and the measured window starts afterwards."""
    LOGGED_IN[0] = 0
    started = time.monotonic()
    runner.start(users, spawn_rate=max(1, users // 5))
    while LOGGED_IN[0] < users and time.monotonic() - started < 120:
        time.sleep(0.1)
    figures = {"seconds": round(time.monotonic() - started, 1), "logged_in": LOGGED_IN[0],
               **endpoint_figures(environment)}
    environment.stats.reset_all()
    return figures


def run_phase(users: int, seconds: int, restart_at: float | None) -> dict:
    # events=: the listener above is on locust's global events; a bare Environment makes its own
    environment = Environment(user_classes=[Officer, Enterprise, District, Department],
                              events=events)
    runner = environment.create_local_runner()
    ramp = ramp_up(environment, runner, users)
    FAILURES.clear()
    CONFLICTS.clear()
    started = time.monotonic()
    load_before = loadavg()
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
              "conflicts_409": len(CONFLICTS),
              "rps": round(stats.total_rps, 1), "median_ms": stats.get_response_time_percentile(0.5),
              "p95_ms": stats.get_response_time_percentile(0.95),
              "p99_ms": stats.get_response_time_percentile(0.99),
              "load_before": load_before, "load_after": loadavg()}
    if restart_at is not None:
        recovered = outage.get("recovered", float("inf")) + 2  # requests in flight at recovery
        after = [f for f in FAILURES if f[0] - started > recovered]
        result.update(outage={k: round(v, 2) for k, v in outage.items()},
                      failures_after_recovery=len(after), examples_after=[f[1:] for f in after[:3]])
    else:
        result["examples"] = [f[1:] for f in FAILURES[:3]]
    result.update(invariants())
    result["endpoints"] = endpoint_figures(environment)
    result["ramp_up"] = ramp
    return result


# --- an import killed mid-file ------------------------------------------------------------------
FINGERPRINT = """
    SELECT (SELECT count(*) FROM registry_organization),
           (SELECT md5(string_agg(id || ':' || name || ':' || employees || ':' || updated_at,
                                  ',' ORDER BY id)) FROM registry_organization),
           (SELECT coalesce(sum(n), 0) FROM coverage_coveragecell),
           (SELECT count(*) FROM auditlog_logentry)"""


def kill_import(rows: int) -> dict:
    """A confirmed organization import in its own process (as a Celery worker runs it), killed with
    SIGKILL once it reports half the file written (inside its transaction): the database must be
    exactly as before."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections

    from bench.import_orgs import generate
    from sanxin.accounts.models import User
    from sanxin.imports.models import ImportJob, JobStatus
    from sanxin.imports.services import import_job_create

    connections.close_all()  # this process's connection did not survive a --restart phase
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orgs.csv"
        generate(path, rows, invalid_every=0)
        upload = SimpleUploadedFile("orgs.csv", path.read_bytes(), "text/csv")
    actor = User.objects.get(username="demo_district")
    job = import_job_create(actor=actor, target="organizations", upload=upload)  # dry run, inline
    if job.status != JobStatus.CHECKED:
        return {"error": f"the dry run ended {job.status}: {job.issues.first()}"}
    # what import_job_confirm does, without running the task in this process
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING, processed_rows=0)
    before = sql_one(FINGERPRINT)
    code = f"import django; django.setup(); from sanxin.imports.jobs import run_apply; run_apply({job.pk})"
    worker = subprocess.Popen([PY, "-c", code], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    started = time.monotonic()
    progressed = 0
    while worker.poll() is None and time.monotonic() - started < 300 and progressed < rows // 2:
        time.sleep(0.05)
        progressed = ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk)
    killed_at = round(time.monotonic() - started, 2)
    if worker.poll() is not None:
        return {"error": "the import ended before it could be killed: use more --import-rows"}
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(30)
    after = sql_one(FINGERPRINT)
    return {"rows": rows, "killed_after_s": killed_at, "rows_processed_when_killed": progressed,
            "database_unchanged": after == before,
            "organizations_before": before[0], "organizations_after": after[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1.0: whole district)")
    parser.add_argument("--orgs", type=int, default=20_000,
                        help="at least this many organizations (generated beyond the demo)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the existing database if it already holds --orgs organizations")
    parser.add_argument("--restart", action="store_true", help="also the database-restart phase")
    parser.add_argument("--kill-import", action="store_true",
                        help="also an import killed with SIGKILL mid-file")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--reference-users", type=int, default=5,
                        help="the reference: the same mix with this few users, measured first")
    args = parser.parse_args()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    database = setup(args.scale, args.orgs, args.reuse)
    print(f"database {DATABASE_URL.rsplit('/', 1)[-1]}: {database['organizations']:,} organizations, "
          f"{database['cases']:,} cases, {database['visits']:,} visits "
          f"({'built afresh' if database['built_afresh'] else 'reused'} in {database['setup_s']} s)")
    from sanxin.registry.models import Department as Dept
    District.department_id = Dept.objects.get(code="shuiwu").pk
    gunicorn = start_gunicorn()
    print(f"gunicorn: {WORKERS} sync workers on {HOST}, DB_CONN_MAX_AGE={ENV['DB_CONN_MAX_AGE']}")
    results = {}
    try:
        results["reference"] = run_phase(args.reference_users, min(args.seconds, 30), None)
        report("reference", results["reference"])
        results["steady"] = run_phase(args.users, args.seconds, None)
        report("steady", results["steady"])
        if args.restart:
            results["restart"] = run_phase(args.users, args.seconds, args.seconds / 3)
            report("restart", results["restart"])
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
    if args.kill_import:
        results["import_killed"] = kill_import(args.import_rows)
        print("import killed:", json.dumps(results["import_killed"], ensure_ascii=False))
    steady = results["steady"]
    reference = results["reference"]
    results["ratios"] = {
        "p99_to_goal": round(steady["p99_ms"] / 500, 2),
        "median_to_reference": round(steady["median_ms"] / max(reference["median_ms"], 1), 2),
        "p99_to_reference": round(steady["p99_ms"] / max(reference["p99_ms"], 1), 2)}
    print(f"reference ({args.reference_users} users): median {reference['median_ms']} ms, "
          f"p99 {reference['p99_ms']} ms; {args.users} users: median "
          f"{results['ratios']['median_to_reference']}×, p99 {results['ratios']['p99_to_reference']}× "
          "the reference")
    print(f"p99 {steady['p99_ms']} ms = {steady['p99_ms'] / 500:.2f}× the 500 ms goal; "
          f"failures {steady['failures']} of {steady['requests']} ({steady['conflicts_409']} of them 409)")
    shutil.rmtree(ENV["MEDIA_ROOT"], ignore_errors=True)  # the uploads of the killed import
    print(f"load average at the end: {loadavg()}")
    print("RESULT " + json.dumps({"bench": "load", "users": args.users, "seconds": args.seconds,
                                  "workers": WORKERS, "database": database, **results},
                                 ensure_ascii=False))


def report(phase: str, result: dict) -> None:
    print(f"{phase}: " + json.dumps({k: v for k, v in result.items()
                                     if k not in ("endpoints", "ramp_up")}, ensure_ascii=False))
    ramp = result["ramp_up"]
    print(f"  ramp-up (not measured): {ramp['logged_in']} users logged in within {ramp['seconds']} s; "
          f"log in median {ramp.get('log in', {}).get('median_ms')} ms, "
          f"p99 {ramp.get('log in', {}).get('p99_ms')} ms")
    for name, f in result["endpoints"].items():
        print(f"  {name:<32} {f['requests']:>6} req  {f['failures']:>4} failed  "
              f"median {f['median_ms']:>6} ms  p99 {f['p99_ms']:>6} ms")


if __name__ == "__main__":
    main()
