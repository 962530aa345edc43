#!/usr/bin/env python
"""Cases over HTTP: gunicorn on PostgreSQL with 100,000 cases, 32 concurrent clients on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_cases_bench CACHE_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/cases_http.py --cases 100000 --clients 32 --seconds 15

CACHE_URL (docs/operations.md) puts sessions, signed-in users and stored pages in Redis, as a
deployment does; without it they are read from PostgreSQL on every request. SANXIN_PAGE_CACHE_SECONDS=0
turns the page store off (every page rendered), for comparison. The RESULT line says which.

Scenarios, each for --seconds, one after the other against the same 2 gunicorn workers:
  bare    a bare Django view reading one organization by primary key (no session): the reference
  detail  a case's page (signed-in department user: session, scope, timeline, allowed actions),
          one of the department's 2,000 newest cases at random: the first view of each renders
          it, later ones are served from the stored page (core/pagecache.py); starts with none
  repeat  the same again, right after: by now nearly every one of the 2,000 pages is stored
  first   a case's page the user has not opened in this run: every request renders
  list    the department's scoped case list, a page of 50
  flow    raise → dispatch → sign → answer → rate through the API (5 POSTs per flow)
Prints requests/s, p50/p99 latency, errors, each rate's ratio to the bare view, and a last line
`RESULT {json}`. Before the load, it measures CPU ms per request in-process (bare, a signed-in
view doing nothing, the empty layout, detail and list as found stored, and "first": a case page
rendered): the ratios without the machine's load.
The data is built once (bulk_create) and reused on the next run.

Gunicorn imports this very file as its WSGI module (`cases_http:application`): it adds the bare
view's URL to the project's URLconf and serves the project otherwise unchanged.
"""
import argparse
import gc
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = "b" * 32
PORT = 8765


# ---------------------------------------------------------------- the WSGI side (in gunicorn)

def _wsgi_application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    add_bench_urls()
    return app


def add_bench_urls() -> None:
    """bare: the reference; signed_in: what any signed-in page pays before its own work (session,
    user, roles); layout: that plus the base layout rendered empty."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import path

    from config import urls
    from sanxin.registry.models import Organization

    def bare(request, pk: int):
        return HttpResponse(Organization.objects.values_list("name", flat=True).get(pk=pk))

    @login_required
    def signed_in(request):
        return HttpResponse(",".join(role.kind for role in request.user.scope_roles))

    @login_required
    def layout(request):
        return render(request, "base.html", {})

    urls.urlpatterns[:0] = [path("bench/bare/<int:pk>/", bare), path("bench/signed-in/", signed_in),
                            path("bench/layout/", layout)]


if os.environ.get("CASES_HTTP_WSGI") == "1":
    application = _wsgi_application()


# ---------------------------------------------------------------- data

def ensure_database(url: str) -> None:
    """Create the bench's own database on first use (it is kept for the next run)."""
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    params = {"host": cfg["HOST"] or "127.0.0.1", "port": cfg["PORT"] or 5432,
              "user": cfg["USER"], "password": cfg["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def build_data(n_cases: int, log) -> dict:
    """Demo district at a quarter scale, then cases up to n_cases by bulk_create (reused)."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from sanxin.accounts.models import Role, User
    from sanxin.cases.models import Case, CaseEvent, Category
    from sanxin.registry.models import Area, Department, Organization

    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        t0 = time.perf_counter()
        with open(os.devnull, "w") as devnull:
            call_command("demo", scale=0.25, verbosity=0, stdout=devnull)
        log(f"demo district (scale 0.25) built in {time.perf_counter() - t0:.0f} s")
    dept = Department.objects.get(code="shuiwu")
    org = Organization.objects.get(name="重庆华峰化工有限公司")
    district = User.objects.get(username="demo_district")
    lead = User.objects.get(username="demo_shuiwu")
    contact = User.objects.get(username="demo_huafeng")
    have = Case.objects.count()
    if have < n_cases:
        t0 = time.perf_counter()
        rng = random.Random(5)
        orgs = list(Organization.objects.values_list("id", flat=True))
        depts = list(Department.objects.filter(kind="functional").values_list("id", flat=True))
        cats = list(Category.objects.all())
        now = timezone.now()
        for start in range(have, n_cases, 5000):
            batch = []
            for i in range(start, min(start + 5000, n_cases)):
                lead_id = rng.choice(depts)
                batch.append(Case(
                    kind="demand", title=f"基准诉求{i}", description="基准测试数据，请忽略。",
                    organization_id=rng.choice(orgs), category=rng.choice(cats), urgency="normal",
                    source="visit", raised_by=district, state="dispatched", version=2,
                    lead_department_id=lead_id, dispatched_at=now, first_dispatched_at=now,
                    response_due=now + timezone.timedelta(days=1)))
            created = Case.objects.bulk_create(batch)
            CaseEvent.objects.bulk_create(
                [CaseEvent(case_id=c.pk, action=a, from_state=f, to_state=t, actor=district, at=now)
                 for c in created for a, f, t in (("raise", "", "pending"),
                                                  ("dispatch", "pending", "dispatched"))])
        log(f"{n_cases - have} cases bulk-created in {time.perf_counter() - t0:.0f} s")
        # Planner statistics for the new rows, as autovacuum would gather them a little later.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case, cases_caseevent, cases_casehandler")
    if not User.objects.filter(username="bench_district2").exists():
        user = User.objects.create(username="bench_district2", password=make_password(None))
        Role.objects.create(user=user, kind="district")
    dept_ids = list(Case.objects.filter(lead_department=dept).order_by("-id").values_list("id", flat=True))
    dept_cases, unseen_cases = dept_ids[:2000], dept_ids[2000:]
    return {"org_ids": list(Organization.objects.values_list("id", flat=True)[:2000]),
            "dept_cases": dept_cases, "unseen_cases": unseen_cases, "dept_id": dept.pk, "org_id": org.pk,
            "cookies": {name: session_cookie(u) for name, u in
                        (("district", district), ("lead", lead), ("contact", contact))},
            "cases": Case.objects.count()}


def session_cookie(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "sanxin.accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# ---------------------------------------------------------------- load

class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors = 0
        self.lock = threading.Lock()

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.errors += not ok


def request(method: str, path: str, cookie: str | None = None, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    t0 = time.perf_counter()
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except OSError:
        return time.perf_counter() - t0, 0, b""
    finally:
        conn.close()
    return time.perf_counter() - t0, status, data


def run_scenario(name: str, work, clients: int, seconds: float) -> dict:
    stats = Stats()
    stop = time.perf_counter() + seconds
    completed = [0]

    def loop(index: int):
        rng = random.Random(index)
        while time.perf_counter() < stop:
            work(rng, stats)
            with stats.lock:
                completed[0] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    lat = sorted(stats.latencies)
    p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: 0.0)
    result = {"requests": len(lat), "rps": round(len(lat) / elapsed, 1),
              "p50_ms": round(p(0.50), 1), "p99_ms": round(p(0.99), 1), "errors": stats.errors,
              "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else 0.0}
    if name == "flow":
        result["flows_per_s"] = round(completed[0] / elapsed, 1)
    return result


def in_process_costs(data: dict, repeat: int = 40) -> dict:
    """CPU milliseconds per request through Django's whole stack in this process (no HTTP, no
    gunicorn, no concurrency): unlike the rates, hardly moved by how busy the machine is, and
    it shows where a page's time goes. Each path is requested a few times first (warm caches)."""
    from django.conf import settings
    from django.test import Client

    add_bench_urls()
    anonymous, lead = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    lead.cookies[settings.SESSION_COOKIE_NAME] = data["cookies"]["lead"]
    case_id, org_id = data["dept_cases"][0], data["org_ids"][0]
    paths = {"bare": (anonymous, f"/bench/bare/{org_id}/"), "signed_in": (lead, "/bench/signed-in/"),
             "layout": (lead, "/bench/layout/"), "detail": (lead, f"/cases/{case_id}/"),
             "list": (lead, "/cases/?page=3")}
    costs = {}
    for name, (client, url) in paths.items():
        for _ in range(5):
            assert client.get(url).status_code == 200, (name, url)
        gc.collect()   # the data build's garbage would be collected inside the first timing
        t0 = time.process_time()
        for _ in range(repeat):
            client.get(url)
        costs[name] = round((time.process_time() - t0) / repeat * 1000, 2)
    # A page rendered, not found stored: cases at the far end of those the load opens first.
    gc.collect()
    t0 = time.process_time()
    for case_id in data["unseen_cases"][-repeat:]:
        assert lead.get(f"/cases/{case_id}/").status_code == 200
    costs["first"] = round((time.process_time() - t0) / repeat * 1000, 2)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from django.conf import settings

    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (e.g. sx_cases_bench).")
    os.environ["DJANGO_DEBUG"] = "0"
    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    data = build_data(args.cases, lambda m: print(m, flush=True))
    cpu = in_process_costs(data)
    # Every page renders afresh at first: the load starts with no stored page (core/pagecache.py).
    from sanxin.core import pagecache

    pagecache.bump("names")
    print("in-process CPU ms/request: " + ", ".join(
        f"{name} {ms} (bare/{name} {cpu['bare'] / ms:.2f})" for name, ms in cpu.items()), flush=True)
    env = {**os.environ, "CASES_HTTP_WSGI": "1", "DJANGO_DEBUG": "0", "LOG_LEVEL": "WARNING",
           "DB_CONN_MAX_AGE": "600", "PYTHONPATH": str(ROOT)}
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--chdir", str(ROOT / "bench"),
         "-w", str(args.workers), "-b", f"127.0.0.1:{PORT}", "--backlog", "512",
         "--log-level", "warning", "cases_http:application"], env=env)
    try:
        for _ in range(100):
            if request("GET", f"/bench/bare/{data['org_ids'][0]}/")[1] == 200:
                break
            time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer")
        results = run_all(data, args)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
    bare = results["bare"]["rps"] or 1
    print(f"\n{data['cases']:,} cases, {args.clients} clients, {args.workers} gunicorn workers, "
          f"{args.seconds:.0f} s per scenario")
    print(f"{'scenario':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'× bare':>7}")
    for name, r in results.items():
        r["ratio_to_bare"] = round(r["rps"] / bare, 2)
        print(f"{name:<8} {r['rps']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['errors']:>7} "
              f"{r['ratio_to_bare']:>7}" + (f"   ({r['flows_per_s']} flows/s)" if "flows_per_s" in r else ""))
    print("RESULT " + json.dumps({"bench": "cases_http", "cases": data["cases"], "clients": args.clients,
                                  "workers": args.workers, "seconds": args.seconds,
                                  "session_engine": settings.SESSION_ENGINE,
                                  "page_cache_seconds": settings.SANXIN_PAGE_CACHE_SECONDS, **results,
                                  "cpu_ms_in_process": cpu}))


def run_all(data: dict, args) -> dict:
    cookies, org_ids, dept_cases = data["cookies"], data["org_ids"], data["dept_cases"]

    def bare(rng, stats):
        seconds, status, _ = request("GET", f"/bench/bare/{rng.choice(org_ids)}/")
        stats.add(seconds, status == 200)

    def detail(rng, stats):
        seconds, status, _ = request("GET", f"/cases/{rng.choice(dept_cases)}/", cookies["lead"])
        stats.add(seconds, status == 200)

    unseen, exhausted = iter(data["unseen_cases"]), [False]

    def first_view(rng, stats):
        try:
            case_id = next(unseen)
        except StopIteration:          # every unseen case shown once: idle rather than repeat
            exhausted[0] = True
            time.sleep(0.05)
            return
        seconds, status, _ = request("GET", f"/cases/{case_id}/", cookies["lead"])
        stats.add(seconds, status == 200)

    def listing(rng, stats):
        page = rng.randint(1, 20)
        seconds, status, _ = request("GET", f"/cases/?page={page}", cookies["lead"])
        stats.add(seconds, status == 200)

    def flow(rng, stats):
        api = "/api/cases/cases"
        seconds, status, body = request("POST", api, cookies["district"], {
            "kind": "demand", "organization": data["org_id"], "title": "基准流程诉求",
            "description": "基准测试", "category": "financing", "source": "visit"})
        stats.add(seconds, status == 201)
        if status != 201:
            return
        case_id = json.loads(body)["id"]
        steps = [("district", "dispatch", {"lead_department": data["dept_id"]}),
                 ("lead", "sign", {"note": "已联系"}),
                 ("lead", "answer", {"answer": "已办理完毕，款项本月到账。"}),
                 ("contact", "rate", {"rating": "satisfied", "resolved": True})]
        for who, action, fields in steps:
            seconds, status, _ = request("POST", f"{api}/{case_id}/transitions/{action}", cookies[who], fields)
            stats.add(seconds, status == 200)
            if status != 200:
                return

    results = {}
    for name, work in (("bare", bare), ("detail", detail), ("repeat", detail), ("first", first_view),
                       ("list", listing), ("flow", flow)):
        results[name] = run_scenario(name, work, args.clients, args.seconds)
        if name == "first" and exhausted[0]:
            results[name]["note"] = "ran out of unseen cases: raise --cases"
        print(name, results[name], flush=True)
    return results


if __name__ == "__main__":
    main()
