"""The role matrix: every URL the project routes, for every role, shows exactly that role's scope.

`ROUTES` maps every routed pattern (pages, exports, API operations under /api/; found by walking
`django.urls.get_resolver()`) to a check; `EXEMPT` lists the few left out, each with its reason.
`test_every_route_is_in_the_matrix` fails when a route is added without an entry: add one (a
`listing`, `detail`, `write`, `page`, ... below) in the same commit as the route.

The world (built once per module): the demo district at a small scale, so that every app has rows,
plus the hand-built district of tests/conftest.py whose users are the roles (district, area,
department as industry authority, department as functional department, organization contact,
service officer) and whose three organizations are canaries. Every response of every route to
every role is checked for:
- no server error; anonymous callers are sent to log in (pages) or get 401 (API);
- no canary outside the role's scope: the names of a1/a2/b1 per the scope table of
  docs/development.md (written out here, independently of the code), and of members, cases and
  other rows the role cannot see;
- no full ID number or phone for a role without `sees_personal_data` (masking);
and per route kind:
- detail: a row in scope answers 200; a row outside answers 404 exactly like a row that does not
  exist, and without its name;
- listing: the rows listed are a subset of the rows in scope (by detail link or JSON id), at least
  one in-scope row is listed when there is one, and no out-of-scope name appears;
- write: a POST on a row outside the scope answers like a POST on a missing row and changes
  nothing.
Which rows are "in scope" for a kind is the app's own `*_visible_to` selector (scoping.py's one
WHERE clause per model); the organization table below checks that oracle against the written
scope table, and the apps' own scope tests check their selectors.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sanxin.accounts.models import User

pytestmark = pytest.mark.django_db
MISSING_PK = 2_147_483_000
ROLES = ("district", "area", "department", "functional", "organization", "officer")
CALLERS = (*ROLES, "anonymous")
# Organizations of the hand-built district each role sees (docs/development.md, Scoping).
ORG_SCOPE = {
    "district": {"a1", "a2", "b1"},
    "area": {"a1", "a2"},            # area A: 敦仁街道
    "department": {"a1", "b1"},      # industry authority of a1 and b1
    "functional": set(),             # only cases dispatched to it
    "organization": {"a1"},          # its own
    "officer": {"b1"},               # the organizations it serves
    "anonymous": set(),
}
PUBLIC = "public"


# ---------------------------------------------------------------------------------------------
# Kinds of rows: the oracle of who sees what (the app's scoped selector) and how a row shows up.
@dataclass(frozen=True)
class Kind:
    selector: str                       # "module:function" returning the actor's rows
    link: str | None = None             # detail link in HTML lists, "{pk}" for the id

    def visible(self, actor: User | None) -> models.QuerySet:
        module, name = self.selector.split(":")
        function = getattr(__import__(module, fromlist=[name]), name)
        return function(actor)

    def link_ids(self, body: str) -> set[int]:
        if not self.link:
            return set()
        pattern = re.escape(self.link).replace(re.escape("{pk}"), r"(\d+)")
        return {int(pk) for pk in re.findall(pattern, body)}


KINDS = {
    "organization": Kind("sanxin.registry.selectors:organizations_visible_to", "/organizations/{pk}/"),
    "area": Kind("sanxin.registry.selectors:areas_visible_to"),
    "party_org": Kind("sanxin.party.selectors:party_orgs_visible_to", "/party/organizations/{pk}/"),
    "member": Kind("sanxin.party.selectors:members_visible_to", "/party/members/{pk}/"),
    "instructor": Kind("sanxin.party.selectors:instructors_visible_to", "/party/instructors/{pk}/"),
    "officer": Kind("sanxin.service.selectors:officers_visible_to", "/service/officers/{pk}/"),
    "assignment": Kind("sanxin.service.selectors:assignments_visible_to"),
    "plan": Kind("sanxin.service.selectors:plans_visible_to", "/service/optimizer/plans/{pk}/"),
    "visit": Kind("sanxin.service.selectors:visits_visible_to", "/service/visits/{pk}/"),
    "project": Kind("sanxin.service.selectors:projects_visible_to", "/service/projects/{pk}/"),
    "case": Kind("sanxin.cases.selectors:cases_visible_to", "/cases/{pk}/"),
    "meeting": Kind("sanxin.partylife.selectors:meetings_visible_to", "/partylife/meetings/{pk}/"),
    "study": Kind("sanxin.partylife.selectors:study_records_visible_to"),
    "place": Kind("sanxin.partylife.selectors:study_places_visible_to"),
    "vanguard": Kind("sanxin.partylife.selectors:vanguard_units_visible_to",
                     "/partylife/vanguard/{pk}/"),
    "volunteering": Kind("sanxin.partylife.selectors:volunteer_activities_visible_to",
                         "/partylife/volunteering/{pk}/"),
    "candidate": Kind("sanxin.partylife.selectors:candidates_visible_to",
                      "/partylife/development/{pk}/"),
    "intake_plan": Kind("sanxin.partylife.selectors:intake_plans_visible_to"),
    "pairing": Kind("sanxin.pairings.selectors:pairings_visible_to", "/pairings/{pk}/"),
    "brand": Kind("sanxin.pairings.selectors:brands_visible_to", "/brands/{pk}/"),
    "case_study": Kind("sanxin.pairings.selectors:cases_visible_to", "/brands/cases/{pk}/"),
    "chain": Kind("sanxin.chains.selectors:chains_visible_to", "/chains/{pk}/"),
    "post": Kind("sanxin.chains.selectors:posts_visible_to", "/chains/posts/{pk}/"),
    "deal": Kind("sanxin.chains.selectors:deals_visible_to"),
    "chain_problem": Kind("sanxin.chains.selectors:problems_visible_to", "/chains/problems/{pk}/"),
    "chain_link": Kind("sanxin.chains.selectors:links_visible_to"),
    "chain_member": Kind("sanxin.chains.selectors:members_visible_to"),
    "honour": Kind("sanxin.pairings.selectors:honours_visible_to"),
    "import_job": Kind("sanxin.imports.selectors:jobs_visible_to", "/imports/jobs/{pk}/"),
    "api_client": Kind("sanxin.apiclients.selectors:clients_visible_to", "/api-clients/{pk}/"),
}


def photo_kind_visible(actor):
    from sanxin.pairings.models import BrandPhoto
    return BrandPhoto.objects.filter(brand__in=KINDS["brand"].visible(actor))


def token_kind_visible(actor):
    from sanxin.apiclients.models import ApiToken
    return ApiToken.objects.filter(client__in=KINDS["api_client"].visible(actor))


class DerivedKind(Kind):
    def __init__(self, function, link=None):
        object.__setattr__(self, "selector", "")
        object.__setattr__(self, "link", link)
        object.__setattr__(self, "_function", function)

    def visible(self, actor):
        return self._function(actor)


KINDS["brand_photo"] = DerivedKind(photo_kind_visible)
KINDS["api_token"] = DerivedKind(token_kind_visible)


def label_of(row: models.Model) -> str:
    for attribute in ("name", "title", "topic"):
        value = getattr(row, attribute, None)
        if isinstance(value, str) and value:
            return value
    return ""


def distinctive(name: str) -> bool:
    """Long enough to be searched for as a leak (a two-character personal name is not)."""
    return len(name) >= 4


# ---------------------------------------------------------------------------------------------
# The world and the calls.
@dataclass
class World:
    users: dict[str, User | None]
    canaries: dict[str, str]                 # a1/a2/b1 → name
    personal: list[str]                      # full ID numbers and phones of canary members
    clients: dict[str, Client] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    _visible: dict = field(default_factory=dict)

    def visible_ids(self, kind: str, caller: str) -> set[int]:
        key = (kind, caller)
        if key not in self._visible:
            user = self.users[caller]
            self._visible[key] = set(KINDS[kind].visible(user).values_list("pk", flat=True)) \
                if user else set()
        return self._visible[key]

    def all_rows(self, kind: str) -> models.QuerySet:
        return KINDS[kind].visible(self.users["district"])

    def labels(self, kind: str) -> dict[int, str]:
        """pk → name of every row of the kind (computed once: the world does not change)."""
        key = (kind, "labels")
        if key not in self._visible:
            self._visible[key] = {row.pk: label_of(row) for row in self.all_rows(kind)}
        return self._visible[key]

    def fail(self, route: str, caller: str, message: str) -> None:
        self.failures.append(f"{route} as {caller}: {message}")


@dataclass
class Reply:
    status: int
    text: str
    location: str = ""


def body_text(response) -> str:
    streaming = getattr(response, "streaming", False)
    raw = b"".join(response.streaming_content) if streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist()
                             if name.endswith(".xml"))
    text = raw.decode("utf-8", "replace")
    if "json" in kind:
        try:  # \uXXXX escapes would hide names from a plain search
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def call(world: World, route: str, caller: str, method: str, url: str, data=None) -> Reply:
    client = world.clients[caller]
    cache.clear()  # rate limits and cached dashboard figures: each call on its own
    try:
        if method == "GET":
            response = client.get(url, data or {})
        elif url.startswith("/api/"):
            response = client.generic(method, url, json.dumps(data or {}),
                                      content_type="application/json")
        else:
            response = client.post(url, data or {})
    except Exception as exc:  # a server error: recorded, the matrix goes on
        world.fail(route, caller, f"{method} {url} raised {type(exc).__name__}: {exc}")
        return Reply(500, "")
    reply = Reply(response.status_code, body_text(response), response.get("Location", ""))
    universal_checks(world, route, caller, method, url, reply)
    return reply


def universal_checks(world: World, route: str, caller: str, method: str, url: str,
                     reply: Reply) -> None:
    where = f"{method} {url} → {reply.status}"
    if reply.status >= 500:
        world.fail(route, caller, f"{where}: server error")
    for code, name in world.canaries.items():
        if code not in ORG_SCOPE[caller] and name in reply.text \
                and (route, caller) not in CANARY_ALLOWED:
            world.fail(route, caller, f"{where}: shows {name} ({code}), outside the scope")
    user = world.users[caller]
    if not (user and user.sees_personal_data):
        for value in world.personal:
            if value in reply.text:
                world.fail(route, caller, f"{where}: shows unmasked personal data {value}")


def expect_login(world: World, route: str, reply: Reply, api: bool) -> None:
    ok = reply.status == 401 if api else (reply.status in (302, 401, 403)
                                          and (reply.status != 302 or "login" in reply.location))
    if not ok:
        world.fail(route, "anonymous", f"→ {reply.status}: not sent to log in")


# ---------------------------------------------------------------------------------------------
# Checks: each returns a function (world, route) → None that records failures.
Check = Callable[[World, str], None]


def sample(world: World, kind: str, caller: str) -> tuple[int | None, int | None]:
    """(a row in the caller's scope, a row outside it), None where there is none."""
    inside = world.visible_ids(kind, caller)
    rows = sorted(world.labels(kind))
    first_in = next((pk for pk in rows if pk in inside), None)
    first_out = next((pk for pk in rows if pk not in inside), None)
    return first_in, first_out


def labels(world: World, kind: str, pks: set[int]) -> dict[int, str]:
    every = world.labels(kind)
    return {pk: every[pk] for pk in pks if pk in every}


def detail(kind: str, url: str, *, in_scope=(200,), outside_scope=(404,), params=None) -> Check:
    """GET one row: 200 inside the scope, 404 outside (as for a missing row), no name leaked.
    Edit pages: a role that may not edit gets 403 for every row, in scope or not."""
    def check(world: World, route: str) -> None:
        api = url.startswith("/api/")
        for caller in CALLERS:
            inside, outside = sample(world, kind, caller)
            if caller == "anonymous":
                pk = inside or outside or MISSING_PK
                expect_login(world, route, call(world, route, caller, "GET", url.format(pk=pk)), api)
                continue
            if inside is not None:
                reply = call(world, route, caller, "GET", url.format(pk=inside), params)
                if reply.status not in in_scope:
                    world.fail(route, caller, f"row {inside} in scope → {reply.status}")
            if outside is not None:
                reply = call(world, route, caller, "GET", url.format(pk=outside), params)
                missing = call(world, route, caller, "GET", url.format(pk=MISSING_PK), params)
                if reply.status != missing.status or reply.status not in outside_scope:
                    world.fail(route, caller, f"row {outside} outside the scope → {reply.status}, "
                                              f"a missing row → {missing.status} (want 404)")
                name = labels(world, kind, {outside}).get(outside, "")
                if distinctive(name) and name in reply.text:
                    world.fail(route, caller, f"row {outside} outside the scope shows {name}")
    return check


def write(kind: str, url: str, method: str = "POST", data=None) -> Check:
    """A write on a row outside the scope answers as on a missing row and changes nothing."""
    def check(world: World, route: str) -> None:
        api = url.startswith("/api/")
        model = world.all_rows(kind).model
        for caller in CALLERS:
            inside, outside = sample(world, kind, caller)
            if caller == "anonymous":
                pk = inside or outside or MISSING_PK
                before = snapshot(model, pk)
                expect_login(world, route, call(world, route, caller, method, url.format(pk=pk),
                                                 data), api)
                if snapshot(model, pk) != before:
                    world.fail(route, caller, f"row {pk} changed")
                continue
            if outside is None:
                continue
            before = snapshot(model, outside)
            reply = call(world, route, caller, method, url.format(pk=outside), data)
            missing = call(world, route, caller, method, url.format(pk=MISSING_PK), data)
            if reply.status != missing.status or reply.status == 200:
                world.fail(route, caller, f"{method} on row {outside} outside the scope → "
                                          f"{reply.status}, on a missing row → {missing.status}")
            if snapshot(model, outside) != before:
                world.fail(route, caller, f"row {outside} outside the scope changed")
    return check


def snapshot(model: type[models.Model], pk: int) -> dict | None:
    row = model.objects.filter(pk=pk).first()
    return None if row is None else {k: str(v) for k, v in model_to_dict(row).items()}


def api_rows(text: str) -> list[dict] | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if isinstance(body, dict):
        body = body.get("results", body.get("items"))
    return body if isinstance(body, list) and all(isinstance(r, dict) for r in body) else None


def listing(kind: str, url: str, *, params=None, denied=()) -> Check:
    """GET a list: only rows in scope, at least one of them when there is one, no other name.
    `denied`: roles refused the whole list (403/404) although they see rows of the kind
    elsewhere."""
    def check(world: World, route: str) -> None:
        api = url.startswith("/api/")
        query = {"page_size": 200, **(params or {})} if api else dict(params or {})
        for caller in CALLERS:
            reply = call(world, route, caller, "GET", url, query)
            if caller == "anonymous":
                expect_login(world, route, reply, api)
                continue
            inside = world.visible_ids(kind, caller)
            if reply.status in (403, 404) and (not inside or caller in denied):
                continue
            if reply.status != 200:
                world.fail(route, caller, f"list → {reply.status}")
                continue
            if api:
                rows = api_rows(reply.text)
                shown = {r["id"] for r in rows or [] if isinstance(r.get("id"), int)}
            else:
                shown = KINDS[kind].link_ids(reply.text)
            if shown - inside:
                world.fail(route, caller, f"lists rows outside the scope: {sorted(shown - inside)[:5]}")
            names_inside = labels(world, kind, inside)
            if inside and not shown and not any(n and n in reply.text for n in names_inside.values()):
                world.fail(route, caller, f"lists none of the {len(inside)} rows in scope")
            outside = sorted(set(world.labels(kind)) - inside)[:100]
            for pk, name in labels(world, kind, set(outside)).items():
                if distinctive(name) and not any(name in n for n in names_inside.values()) \
                        and name in reply.text:
                    world.fail(route, caller, f"shows {name} (row {pk}) outside the scope")
                    break
    return check


def page(url: str, *, params=None, allowed=ROLES, api: bool | None = None) -> Check:
    """A page or endpoint without a row of its own (forms, overviews, aggregates): the universal
    checks, 200 for the roles in `allowed`, and 403/404 (or a redirect) for the others."""
    def check(world: World, route: str) -> None:
        is_api = url.startswith("/api/") if api is None else api
        for caller in CALLERS:
            reply = call(world, route, caller, "GET", url, params)
            if caller == "anonymous":
                if allowed != PUBLIC:
                    expect_login(world, route, reply, is_api)
                continue
            want_ok = allowed == PUBLIC or caller in allowed
            if want_ok and reply.status not in (200, 302):
                world.fail(route, caller, f"→ {reply.status}, want 200")
            if not want_ok and reply.status not in (302, 403, 404):
                world.fail(route, caller, f"→ {reply.status}, want 403 or 404")
    return check


def absent(url: str) -> Check:
    """A route that answers 404 to everyone."""
    def check(world: World, route: str) -> None:
        for caller in CALLERS:
            reply = call(world, route, caller, "GET", url)
            if reply.status != 404:
                world.fail(route, caller, f"→ {reply.status}, want 404")
    return check


def post_only(url: str, data=None) -> Check:
    """A write without a row in its URL: anonymous is refused; callers get no server error and
    no canary (the universal checks). What it may change is each app's own test's business."""
    def check(world: World, route: str) -> None:
        expect_login(world, route, call(world, route, "anonymous", "POST", url, data),
                     url.startswith("/api/"))
        for caller in ROLES:
            call(world, route, caller, "POST", url, data)
    return check


def both(*checks: Check) -> Check:
    def check(world: World, route: str) -> None:
        for one in checks:
            one(world, route)
    return check


DISTRICT_ONLY = ("district",)
PARTY_OFFICES = ("district", "area")
EDITABLE = (200, 403)   # an edit page of a row in scope: the form, or 403 for a role that may not
PROBLEM_CASE = {"kind": "problem", "category": "financing", "collector_level": "leader"}
PARTY_UNITS = ("district", "area", "organization")  # and the organization's own secretary


# ---------------------------------------------------------------------------------------------
# The matrix: every routed pattern → its check.
ROUTES: dict[str, Check] = {
    "": page("/"),
    "i18n/setlang/": page("/i18n/setlang/", allowed=PUBLIC),  # a language cookie, no data
    "healthz": page("/healthz", allowed=PUBLIC),
    "readyz": page("/readyz", allowed=PUBLIC),
    # accounts
    "accounts/login/": page("/accounts/login/", allowed=PUBLIC),
    "accounts/logout/": post_only("/accounts/logout/"),
    "accounts/password/": page("/accounts/password/"),
    "accounts/audit/": page("/accounts/audit/", allowed=DISTRICT_ONLY),
    "accounts/locked/": page("/accounts/locked/", allowed=DISTRICT_ONLY),
    # registry
    "organizations/": listing("organization", "/organizations/"),
    "organizations/new/": page("/organizations/new/", allowed=PARTY_OFFICES),
    "organizations/export/": listing("organization", "/organizations/export/", params={"format": "csv"}),
    "organizations/<int:pk>/": detail("organization", "/organizations/{pk}/"),
    "organizations/<int:pk>/edit/": both(
        detail("organization", "/organizations/{pk}/edit/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("organization", "/organizations/{pk}/edit/")),
    # Areas are reference data (the district's township names), listed to every role.
    "api/registry/areas": page("/api/registry/areas"),
    "api/registry/departments": page("/api/registry/departments"),
    "api/registry/organizations": listing("organization", "/api/registry/organizations"),
    "api/registry/organizations/<org_id>": detail("organization", "/api/registry/organizations/{pk}"),
    # party
    "party/organizations/": listing("party_org", "/party/organizations/"),
    "party/organizations/new/": page("/party/organizations/new/", allowed=PARTY_OFFICES),
    "party/organizations/export/": listing("party_org", "/party/organizations/export/",
                                           params={"format": "csv"}),
    "party/organizations/<int:pk>/": detail("party_org", "/party/organizations/{pk}/"),
    "party/organizations/<int:pk>/edit/": both(
        detail("party_org", "/party/organizations/{pk}/edit/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("party_org", "/party/organizations/{pk}/edit/")),
    "party/members/": listing("member", "/party/members/"),
    "party/members/new/": page("/party/members/new/", allowed=PARTY_OFFICES),
    "party/members/export/": listing("member", "/party/members/export/", params={"format": "csv"}),
    "party/members/<int:pk>/": detail("member", "/party/members/{pk}/"),
    "party/members/<int:pk>/edit/": both(
        detail("member", "/party/members/{pk}/edit/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("member", "/party/members/{pk}/edit/")),
    # A member's data rights are the district's: others get 403 (in scope) or 404 (outside).
    "party/members/<int:pk>/data.json": detail("member", "/party/members/{pk}/data.json",
                                               in_scope=(200, 403), outside_scope=(404,)),
    "party/members/<int:pk>/erase/": both(
        detail("member", "/party/members/{pk}/erase/", in_scope=(200, 403), outside_scope=(404,)),
        write("member", "/party/members/{pk}/erase/", data={"reason": "x", "confirm": "on"})),
    "party/instructors/": listing("instructor", "/party/instructors/"),
    "party/instructors/new/": page("/party/instructors/new/", allowed=PARTY_OFFICES),
    "party/instructors/<int:pk>/edit/": both(
        detail("instructor", "/party/instructors/{pk}/edit/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("instructor", "/party/instructors/{pk}/edit/")),
    "api/party/organizations": listing("party_org", "/api/party/organizations"),
    "api/party/organizations/<po_id>": detail("party_org", "/api/party/organizations/{pk}"),
    "api/party/members": listing("member", "/api/party/members"),
    "api/party/members/<member_id>": detail("member", "/api/party/members/{pk}"),
    "api/party/instructors": listing("instructor", "/api/party/instructors"),
}
ROUTES.update({
    # coverage
    "coverage/": page("/coverage/"),
    "coverage/organizations/": listing("organization", "/coverage/organizations/"),
    "coverage/organizations/export/": listing("organization", "/coverage/organizations/export/",
                                              params={"format": "csv"}),
    "coverage/findings/": page("/coverage/findings/"),
    "coverage/findings/export/": page("/coverage/findings/export/", params={"format": "csv"}),
    "coverage/trend/": page("/coverage/trend/"),
    "coverage/targets/": page("/coverage/targets/"),
    "coverage/suggestions/": page("/coverage/suggestions/"),
    "coverage/suggestions/accept/": post_only("/coverage/suggestions/accept/"),
    "api/coverage/rates": page("/api/coverage/rates"),
    "api/coverage/organizations": listing("organization", "/api/coverage/organizations"),
    "api/coverage/findings": page("/api/coverage/findings"),
    # service
    "service/": page("/service/"),
    "service/officers/": listing("officer", "/service/officers/"),
    "service/officers/new/": page("/service/officers/new/", allowed=PARTY_OFFICES),
    "service/officers/<int:pk>/": detail("officer", "/service/officers/{pk}/"),
    "service/officers/<int:pk>/edit/": both(
        detail("officer", "/service/officers/{pk}/edit/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("officer", "/service/officers/{pk}/edit/")),
    "service/coverage/": page("/service/coverage/"),
    "service/unassigned/": page("/service/unassigned/"),
    "service/assignments/<int:org_pk>/": detail("organization", "/service/assignments/{pk}/"),
    "service/optimizer/": page("/service/optimizer/", allowed=PARTY_OFFICES),
    "service/optimizer/plans/<int:pk>/": detail("plan", "/service/optimizer/plans/{pk}/"),
    "service/optimizer/plans/<int:pk>/apply/": write("plan", "/service/optimizer/plans/{pk}/apply/"),
    "service/visits/": listing("visit", "/service/visits/"),
    "service/visits/new/": page("/service/visits/new/", allowed=("officer",)),
    "service/visits/overdue/": page("/service/visits/overdue/"),
    "service/visits/frequent/": page("/service/visits/frequent/"),
    "service/visits/<int:pk>/": detail("visit", "/service/visits/{pk}/"),
    "service/visits/<int:pk>/settle/": write("visit", "/service/visits/{pk}/settle/"),
    "service/projects/": listing("project", "/service/projects/"),
    "service/projects/<int:pk>/": detail("project", "/service/projects/{pk}/"),
    "api/service/officers": both(listing("officer", "/api/service/officers"),
                                 post_only("/api/service/officers")),
    "api/service/officers/<officer_id>": detail("officer", "/api/service/officers/{pk}"),
    "api/service/assignments": listing("assignment", "/api/service/assignments"),
    "api/service/organizations/<org_id>/assignments": detail(
        "organization", "/api/service/organizations/{pk}/assignments"),
    "api/service/organizations/<org_id>/assignment": write(
        "organization", "/api/service/organizations/{pk}/assignment", "POST", {"officer_id": 1}),
    "api/service/optimizer/preview": post_only("/api/service/optimizer/preview"),
    "api/service/optimizer/plans/<plan_id>": detail("plan", "/api/service/optimizer/plans/{pk}"),
    "api/service/optimizer/plans/<plan_id>/apply": write(
        "plan", "/api/service/optimizer/plans/{pk}/apply"),
    "api/service/visits": both(listing("visit", "/api/service/visits"),
                               post_only("/api/service/visits")),
    "api/service/visits/<visit_id>": detail("visit", "/api/service/visits/{pk}"),
    "api/service/projects": listing("project", "/api/service/projects"),
    "api/service/projects/<project_id>": detail("project", "/api/service/projects/{pk}"),
    # cases
    "cases/": listing("case", "/cases/"),
    "cases/new/": page("/cases/new/", allowed=("district", "area", "organization", "officer")),
    "cases/measures/": page("/cases/measures/"),
    "cases/overdue/": page("/cases/overdue/"),
    "cases/notifications/": page("/cases/notifications/"),
    "cases/calendar/": page("/cases/calendar/", allowed=DISTRICT_ONLY),
    "cases/<int:pk>/": detail("case", "/cases/{pk}/"),
    "cases/<int:pk>/do/<slug:action>/": write("case", "/cases/{pk}/do/accept/"),
    "cases/<int:pk>/attach/": write("case", "/cases/{pk}/attach/"),
    "cases/<int:pk>/rectification/": write("case", "/cases/{pk}/rectification/"),
    "cases/<int:pk>/rectification/<int:task_id>/": write("case", "/cases/{pk}/rectification/1/"),
    "api/cases/cases": both(listing("case", "/api/cases/cases"), post_only("/api/cases/cases")),
    "api/cases/cases/<case_id>": detail("case", "/api/cases/cases/{pk}"),
    "api/cases/cases/<case_id>/timeline": detail("case", "/api/cases/cases/{pk}/timeline"),
    "api/cases/cases/<case_id>/transitions/<action>": write(
        "case", "/api/cases/cases/{pk}/transitions/accept"),
    "api/cases/transitions": page("/api/cases/transitions"),
    "api/cases/measures": page("/api/cases/measures"),
    "api/cases/overdue": page("/api/cases/overdue"),
    "api/cases/hotline": post_only("/api/cases/hotline"),
    "api/cases/hotline/<ticket>": page("/api/cases/hotline/NO-SUCH-TICKET", allowed=()),
    # party life
    "partylife/": page("/partylife/"),
    "partylife/meetings/": listing("meeting", "/partylife/meetings/"),
    "partylife/meetings/new/": page("/partylife/meetings/new/", allowed=PARTY_UNITS),
    "partylife/meetings/<int:pk>/": detail("meeting", "/partylife/meetings/{pk}/"),
    "partylife/compliance/": page("/partylife/compliance/"),
    "partylife/alerts/": page("/partylife/alerts/"),
    "partylife/absences/": page("/partylife/absences/"),
    "partylife/study/": page("/partylife/study/"),
    "partylife/study/new/": page("/partylife/study/new/", allowed=PARTY_UNITS),
    "partylife/places/": page("/partylife/places/"),
    "partylife/vanguard/": listing("vanguard", "/partylife/vanguard/"),
    "partylife/vanguard/new/": page("/partylife/vanguard/new/", allowed=PARTY_UNITS),
    "partylife/vanguard/<int:pk>/": detail("vanguard", "/partylife/vanguard/{pk}/"),
    "partylife/volunteering/": listing("volunteering", "/partylife/volunteering/"),
    "partylife/volunteering/new/": page("/partylife/volunteering/new/", allowed=PARTY_UNITS),
    "partylife/volunteering/<int:pk>/": detail("volunteering", "/partylife/volunteering/{pk}/"),
    "partylife/development/": listing("candidate", "/partylife/development/"),
    "partylife/development/new/": page("/partylife/development/new/", allowed=PARTY_UNITS),
    "partylife/development/<int:pk>/": both(detail("candidate", "/partylife/development/{pk}/"),
                                            write("candidate", "/partylife/development/{pk}/")),
    "api/partylife/meetings": both(listing("meeting", "/api/partylife/meetings"),
                                   post_only("/api/partylife/meetings")),
    "api/partylife/meetings/<meeting_id>": detail("meeting", "/api/partylife/meetings/{pk}"),
    "api/partylife/meetings/<meeting_id>/make-up": write(
        "meeting", "/api/partylife/meetings/{pk}/make-up"),
    "api/partylife/compliance": page("/api/partylife/compliance"),
    "api/partylife/alerts": page("/api/partylife/alerts"),
    "api/partylife/absences": page("/api/partylife/absences"),
    "api/partylife/places": both(listing("place", "/api/partylife/places"),
                                 post_only("/api/partylife/places")),
    "api/partylife/study": both(listing("study", "/api/partylife/study"),
                                post_only("/api/partylife/study")),
    "api/partylife/study/totals": page("/api/partylife/study/totals"),
    "api/partylife/vanguard": both(listing("vanguard", "/api/partylife/vanguard"),
                                   post_only("/api/partylife/vanguard")),
    "api/partylife/vanguard/counts": page("/api/partylife/vanguard/counts"),
    "api/partylife/vanguard/<unit_id>": detail("vanguard", "/api/partylife/vanguard/{pk}"),
    "api/partylife/vanguard/<unit_id>/achievements": write(
        "vanguard", "/api/partylife/vanguard/{pk}/achievements"),
    "api/partylife/volunteering": both(listing("volunteering", "/api/partylife/volunteering"),
                                       post_only("/api/partylife/volunteering")),
    "api/partylife/volunteering/totals": page("/api/partylife/volunteering/totals"),
    "api/partylife/volunteering/<activity_id>": detail(
        "volunteering", "/api/partylife/volunteering/{pk}"),
    "api/partylife/candidates": both(listing("candidate", "/api/partylife/candidates"),
                                     post_only("/api/partylife/candidates")),
    "api/partylife/candidates/<candidate_id>": detail(
        "candidate", "/api/partylife/candidates/{pk}"),
    "api/partylife/candidates/<candidate_id>/talk": write(
        "candidate", "/api/partylife/candidates/{pk}/talk"),
    "api/partylife/candidates/<candidate_id>/advance": write(
        "candidate", "/api/partylife/candidates/{pk}/advance"),
    "api/partylife/candidates/<candidate_id>/extend": write(
        "candidate", "/api/partylife/candidates/{pk}/extend"),
    "api/partylife/plans": both(listing("intake_plan", "/api/partylife/plans"),
                                post_only("/api/partylife/plans")),
    # pairings, brands, case studies
    "pairings/": listing("pairing", "/pairings/"),
    "pairings/areas/": page("/pairings/areas/"),
    "pairings/new/": page("/pairings/new/", allowed=PARTY_OFFICES),
    "pairings/<int:pk>/": detail("pairing", "/pairings/{pk}/"),
    "pairings/<int:pk>/edit/": both(detail("pairing", "/pairings/{pk}/edit/", in_scope=EDITABLE),
                                    write("pairing", "/pairings/{pk}/edit/", data={"goals": "x"})),
    "pairings/<int:pk>/activities/": write("pairing", "/pairings/{pk}/activities/"),
    "pairings/<int:pk>/problems/": write("pairing", "/pairings/{pk}/problems/"),
    "pairings/<int:pk>/end/": write("pairing", "/pairings/{pk}/end/"),
    "brands/": listing("brand", "/brands/"),
    "brands/new/": page("/brands/new/", allowed=PARTY_OFFICES),
    "brands/<int:pk>/": detail("brand", "/brands/{pk}/"),
    "brands/<int:pk>/edit/": both(detail("brand", "/brands/{pk}/edit/", in_scope=EDITABLE),
                                  write("brand", "/brands/{pk}/edit/", data={"name": "x"})),
    "brands/photos/<int:pk>/delete/": write("brand_photo", "/brands/photos/{pk}/delete/"),
    "brands/<int:pk>/photos/": write("brand", "/brands/{pk}/photos/"),
    "brands/photos/<int:pk>/": detail("brand_photo", "/brands/photos/{pk}/"),
    "brands/cases/": listing("case_study", "/brands/cases/"),
    "brands/cases/new/": page("/brands/cases/new/", allowed=PARTY_OFFICES),
    "brands/cases/<int:pk>/": detail("case_study", "/brands/cases/{pk}/"),
    "brands/cases/<int:pk>/edit/": both(
        detail("case_study", "/brands/cases/{pk}/edit/", in_scope=EDITABLE),
        write("case_study", "/brands/cases/{pk}/edit/", data={"title": "x"})),
    "brands/cases/honours/<int:pk>/edit/": both(
        detail("honour", "/brands/cases/honours/{pk}/edit/", in_scope=EDITABLE),
        write("honour", "/brands/cases/honours/{pk}/edit/", data={"title": "x"})),
    "brands/cases/<int:pk>/honours/": write("case_study", "/brands/cases/{pk}/honours/"),
    "api/pairings/pairings": both(listing("pairing", "/api/pairings/pairings"),
                                  post_only("/api/pairings/pairings")),
    "api/pairings/pairings/counts": page("/api/pairings/pairings/counts"),
    "api/pairings/pairings/<pairing_id>": both(
        detail("pairing", "/api/pairings/pairings/{pk}"),
        write("pairing", "/api/pairings/pairings/{pk}", method="PATCH", data={"goals": "x"})),
    "api/pairings/pairings/<pairing_id>/activities": write(
        "pairing", "/api/pairings/pairings/{pk}/activities"),
    "api/pairings/pairings/<pairing_id>/problems": write(
        "pairing", "/api/pairings/pairings/{pk}/problems"),
    "api/pairings/pairings/<pairing_id>/end": write("pairing", "/api/pairings/pairings/{pk}/end"),
    "api/pairings/brands": both(listing("brand", "/api/pairings/brands"),
                                post_only("/api/pairings/brands")),
    "api/pairings/brands/<brand_id>": both(
        detail("brand", "/api/pairings/brands/{pk}"),
        write("brand", "/api/pairings/brands/{pk}", method="PATCH", data={"slogan": "x"})),
    "api/pairings/brands/photos/<photo_id>": write("brand_photo", "/api/pairings/brands/photos/{pk}",
                                                   method="DELETE"),
    "api/pairings/brands/<brand_id>/photos": write("brand", "/api/pairings/brands/{pk}/photos"),
    "api/pairings/cases": both(listing("case_study", "/api/pairings/cases"),
                               post_only("/api/pairings/cases")),
    "api/pairings/cases/<case_id>": both(
        detail("case_study", "/api/pairings/cases/{pk}"),
        write("case_study", "/api/pairings/cases/{pk}", method="PATCH", data={"summary": "x"})),
    "api/pairings/cases/honours/<honour_id>": write(
        "honour", "/api/pairings/cases/honours/{pk}", method="PATCH", data={"title": "x"}),
    "api/pairings/cases/<case_id>/honours": write("case_study", "/api/pairings/cases/{pk}/honours"),
    # chains
    "chains/": listing("chain", "/chains/"),
    "chains/<int:pk>/": detail("chain", "/chains/{pk}/"),
    "chains/<int:pk>/edit/": both(detail("chain", "/chains/{pk}/edit/", in_scope=EDITABLE),
                                  write("chain", "/chains/{pk}/edit/", data={"name": "x"})),
    "chains/links/<int:pk>/edit/": both(
        detail("chain_link", "/chains/links/{pk}/edit/", in_scope=EDITABLE),
        write("chain_link", "/chains/links/{pk}/edit/", data={"name": "x"})),
    "chains/members/<int:pk>/edit/": both(
        detail("chain_member", "/chains/members/{pk}/edit/", in_scope=EDITABLE),
        write("chain_member", "/chains/members/{pk}/edit/")),
    "chains/problems/<int:pk>/": detail("chain_problem", "/chains/problems/{pk}/"),
    "chains/problems/<int:pk>/case/": write("chain_problem", "/chains/problems/{pk}/case/",
                                            data=PROBLEM_CASE),
    "chains/<int:pk>/links/": write("chain", "/chains/{pk}/links/"),
    "chains/<int:pk>/members/": write("chain", "/chains/{pk}/members/"),
    "chains/<int:pk>/problems/": write("chain", "/chains/{pk}/problems/"),
    "chains/<int:pk>/market/": detail("chain", "/chains/{pk}/market/"),
    "chains/<int:pk>/posts/new/": both(
        detail("chain", "/chains/{pk}/posts/new/", in_scope=(200, 403), outside_scope=(403, 404)),
        write("chain", "/chains/{pk}/posts/new/")),
    "chains/posts/<int:pk>/": detail("post", "/chains/posts/{pk}/"),
    "chains/posts/<int:pk>/deals/": write("post", "/chains/posts/{pk}/deals/"),
    "api/chains/chains": both(listing("chain", "/api/chains/chains"),
                              post_only("/api/chains/chains")),
    "api/chains/chains/<chain_id>": both(
        detail("chain", "/api/chains/chains/{pk}"),
        write("chain", "/api/chains/chains/{pk}", method="PATCH", data={"description": "x"})),
    "api/chains/links/<link_id>": write("chain_link", "/api/chains/links/{pk}", method="PATCH",
                                       data={"name": "x"}),
    "api/chains/members/<member_id>": write("chain_member", "/api/chains/members/{pk}",
                                           method="PATCH", data={"branch_id": None}),
    "api/chains/problems": listing("chain_problem", "/api/chains/problems"),
    "api/chains/problems/<problem_id>": detail("chain_problem", "/api/chains/problems/{pk}"),
    "api/chains/problems/<problem_id>/case": write(
        "chain_problem", "/api/chains/problems/{pk}/case", data=PROBLEM_CASE),
    "api/chains/chains/<chain_id>/links": write("chain", "/api/chains/chains/{pk}/links"),
    "api/chains/chains/<chain_id>/members": write("chain", "/api/chains/chains/{pk}/members"),
    "api/chains/chains/<chain_id>/problems": write("chain", "/api/chains/chains/{pk}/problems"),
    "api/chains/chains/<chain_id>/market": detail("chain", "/api/chains/chains/{pk}/market"),
    "api/chains/posts": both(listing("post", "/api/chains/posts"), post_only("/api/chains/posts")),
    "api/chains/posts/<post_id>": detail("post", "/api/chains/posts/{pk}"),
    "api/chains/posts/<post_id>/proposals": detail("post", "/api/chains/posts/{pk}/proposals"),
    "api/chains/posts/<post_id>/close": write("post", "/api/chains/posts/{pk}/close"),
    "api/chains/deals": both(listing("deal", "/api/chains/deals"), post_only("/api/chains/deals")),
    # imports
    "imports/": page("/imports/", allowed=PARTY_OFFICES),
    "imports/templates/<slug:target>.<str:fmt>": page("/imports/templates/organizations.csv",
                                                       allowed=PARTY_OFFICES),
    "imports/export/<slug:target>/": both(
        listing("organization", "/imports/export/organizations/", params={"format": "csv"}),
        page("/imports/export/members/", params={"format": "csv"}, allowed=())),  # no export spec
    "imports/jobs/<int:pk>/": detail("import_job", "/imports/jobs/{pk}/"),
    "imports/jobs/<int:pk>/progress/": detail("import_job", "/imports/jobs/{pk}/progress/"),
    "imports/jobs/<int:pk>/confirm/": write("import_job", "/imports/jobs/{pk}/confirm/"),
    "imports/jobs/<int:pk>/problems.csv": detail("import_job", "/imports/jobs/{pk}/problems.csv"),
    # Every role may ask what it may import (an empty list for roles that may import nothing).
    "api/imports/kinds": page("/api/imports/kinds"),
    "api/imports/kinds/<kind>/template": page("/api/imports/kinds/organizations/template",
                                              params={"format": "csv"}, allowed=PARTY_OFFICES),
    "api/imports/jobs": both(listing("import_job", "/api/imports/jobs"),
                             post_only("/api/imports/jobs")),
    "api/imports/jobs/<job_id>": detail("import_job", "/api/imports/jobs/{pk}"),
    "api/imports/jobs/<job_id>/problems": detail("import_job", "/api/imports/jobs/{pk}/problems"),
    "api/imports/jobs/<job_id>/confirm": write("import_job", "/api/imports/jobs/{pk}/confirm"),
    # dashboard
    "dashboard/": page("/dashboard/"),
    "dashboard/data.json": page("/dashboard/data.json"),
    "dashboard/report/": page("/dashboard/report/"),
    "api/dashboard/figures": page("/api/dashboard/figures"),
    # API clients and the API itself
    "api-clients/": listing("api_client", "/api-clients/"),
    "api-clients/new/": page("/api-clients/new/", allowed=DISTRICT_ONLY),
    "api-clients/<int:pk>/": detail("api_client", "/api-clients/{pk}/"),
    "api-clients/<int:pk>/tokens/new/": write("api_client", "/api-clients/{pk}/tokens/new/"),
    "api-clients/tokens/<int:pk>/revoke/": write("api_token", "/api-clients/tokens/{pk}/revoke/"),
    "api/apiclients/me": page("/api/apiclients/me"),
    "api/apiclients/clients": both(listing("api_client", "/api/apiclients/clients"),
                                   post_only("/api/apiclients/clients")),
    "api/apiclients/tokens/<token_id>/revoke": write(
        "api_token", "/api/apiclients/tokens/{pk}/revoke"),
    "api/openapi.json": page("/api/openapi.json", allowed=PUBLIC),
    "api/docs": page("/api/docs", allowed=PUBLIC),
    "api/": absent("/api/"),  # ninja's root: nothing there
})

EXEMPT = {
    "admin/": "Django admin: staff accounts only (is_staff), no scope by design; not a user "
              "page of any role. Its routes are skipped as one prefix.",
}
# (route, role) pairs allowed to show a canary organization outside the role's scope, with why.
CANARY_ALLOWED: dict[tuple[str, str], str] = {}


# ---------------------------------------------------------------------------------------------
def walk(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def routed() -> set[str]:
    return {route for route in walk(get_resolver().url_patterns)
            if not any(route.startswith(prefix) for prefix in EXEMPT)}


def test_every_route_is_in_the_matrix():
    routes = routed()
    missing = sorted(routes - set(ROUTES))
    stale = sorted(set(ROUTES) - routes)
    assert not missing, f"routes without a role-matrix check (add them to ROUTES): {missing}"
    assert not stale, f"ROUTES entries for routes that no longer exist: {stale}"
    assert any(route.startswith("api/") for route in routes)  # the ninja routes were walked


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    from tests.conftest import build_district
    from tests.party.builders import id_number, members, party_org

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", scale=0.01, verbosity=0, stdout=StringIO())
        d = build_district()
        personal = []
        for org, seq in ((d.a1, 901), (d.a2, 902), (d.b1, 903)):
            branch = party_org(f"{org.name}党支部", org.area, [org])
            number, phone = id_number(seq=seq), f"1391234{seq:04d}"
            member = members(branch, 1, employer=org, id_number=number, phone=phone)[0]
            member.save()
            personal += [number, phone]
        users = {**d.users(), "anonymous": None}
        yield World(users=users, personal=personal,
                    canaries={"a1": d.a1.name, "a2": d.a2.name, "b1": d.b1.name})
        transaction.set_rollback(True)


def test_the_organization_oracle_matches_the_written_scope_table(world):
    names = {code: name for code, name in world.canaries.items()}
    for caller in ROLES:
        seen = set(KINDS["organization"].visible(world.users[caller])
                   .filter(name__in=names.values()).values_list("name", flat=True))
        assert seen == {names[code] for code in ORG_SCOPE[caller]}, caller


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_role_matrix(world, route):
    world.failures.clear()
    for caller, user in world.users.items():  # fresh sessions: logout and set-language routes
        world.clients[caller] = Client()
        if user:
            world.clients[caller].force_login(user)
    ROUTES[route](world, route)
    assert not world.failures, "\n".join(world.failures)
