"""Imports of the service app.

Service officers (助企服务员): one row per officer, keyed by the account name. An officer is a user
account with the officer role and its ServiceOfficer record; a new account is created with the
role and no usable password (an administrator sets one, as for any account); an existing account
must already have the officer role (as in the officer form). The actor's areas bound what it may
create or change, like the officer form: district users anything, township/park users officers of
their areas only (never district-level ones).

Assignments (who serves which enterprise): one row per organization, by credit code, naming its
service officer by account name. A different officer ends the current assignment and starts a
new one (history kept, source "import"); the same officer is unchanged. The rules of a manual
override hold for every row: the actor plans the organization's area, the officer is active, of
that area or district-level, within capacity."""
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxin.accounts.actors import forget as forget_actors
from sanxin.accounts.models import Role, RoleKind, User
from sanxin.accounts.scoping import visible_to
from sanxin.core.masking import mask_phone
from sanxin.imports import cells
from sanxin.imports.specs.base import (
    Column,
    Existing,
    ExportMixin,
    ImportSpec,
    ParsedRow,
    header_key,
    resolve_masked_phone,
)
from sanxin.imports.specs.organizations import OrganizationSpec, _credit_code, _limited
from sanxin.registry.models import Area, Department, Organization
from sanxin.registry.selectors import organizations_visible_to

from . import optimizer
from .models import Assignment, AssignmentDetail, AssignmentSource, ServiceOfficer
from .scoping import OFFICER_SCOPE
from .selectors import planning_area_ids
from .services import _bump_version, can_manage_officers, can_plan

# ---- service officers --------------------------------------------------------------------------

OFF = {
    "username": Column("username", gettext_lazy("account"), required=True, aliases=("账号", "用户名"),
                       example="zhangwei", note=gettext_lazy("Letters, digits and @.+-_ only")),
    "full_name": Column("full_name", gettext_lazy("full name"), required=True, aliases=("姓名",),
                        example="张伟"),
    "phone": Column("phone", gettext_lazy("phone"), aliases=("联系电话", "手机号"), personal="phone"),
    "area": Column("area", gettext_lazy("home area"), aliases=("属地", "所属镇街"), example="500102006",
                   note=gettext_lazy("Code or name of a township or park; blank: district level")),
    "department": Column("department", gettext_lazy("home department"), aliases=("所属部门",)),
    "capacity": Column("capacity", gettext_lazy("capacity"), aliases=("服务企业上限",), example="15",
                       note=gettext_lazy("The most enterprises this officer serves (15 when blank)")),
    "industries": Column("industries", gettext_lazy("industries known"), aliases=("熟悉行业",), example="CF"),
    "latitude": Column("latitude", gettext_lazy("office latitude"), aliases=("纬度",)),
    "longitude": Column("longitude", gettext_lazy("office longitude"), aliases=("经度",)),
    "active": Column("active", gettext_lazy("active"), aliases=("在岗",), example="是"),
}
OFFICER_FIELDS = ["area_id", "department_id", "capacity", "industries", "latitude", "longitude", "active"]
USER_FIELDS = ["full_name", "phone"]
NEW_OFFICER = {"capacity": 15, "industries": "", "active": True}  # the model's defaults


@dataclass
class OfficerContext:
    actor: User
    areas: dict[str, int]              # code or name → id, of the areas the actor manages
    departments: dict[str, int]
    district_level: bool               # may the actor make district-level officers?


def _lookup(values) -> dict[str, int]:
    found: dict[str, int] = {}
    for pk, code, name in values:
        found[header_key(code)] = pk
        found.setdefault(header_key(name), pk)
    return found


def _industries(value: Any) -> str:
    letters = cells.text(value).upper().replace(" ", "")
    bad = sorted({c for c in letters if not "A" <= c <= "T"})
    if bad:
        raise cells.CellError(_("Industries are GB/T 4754 section letters A to T; not: %(bad)s")
                              % {"bad": ", ".join(bad)})
    return "".join(sorted(set(letters)))


class OfficerSpec(ExportMixin, ImportSpec):
    name = "officers"
    label = gettext_lazy("Service officers")
    description = gettext_lazy("Service officers (助企服务员) by account name: a new account is created with the "
                               "officer role and no usable password; an existing one must have that role.")
    model = ServiceOfficer
    columns = tuple(OFF.values())
    order = 45

    def permitted(self, actor: User) -> bool:
        return can_manage_officers(actor)

    def context(self, actor: User) -> OfficerContext:
        managed = planning_area_ids(actor)
        areas = Area.objects.exclude(kind="district")
        if managed is not None:
            areas = areas.filter(pk__in=managed)
        return OfficerContext(
            actor=actor, areas=_lookup(areas.values_list("pk", "code", "name")),
            departments=_lookup(Department.objects.values_list("pk", "code", "name")),
            district_level=managed is None)

    def parse(self, ctx: OfficerContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        readers = {
            "username": self._username, "full_name": self._full_name,
            "phone": OrganizationSpec._phone,
            "area_id": lambda v: self._area(ctx, v),
            "department_id": lambda v: None if cells.is_blank(v) else self._found(
                ctx.departments, v, _("Unknown department “%(value)s”.")),
            "capacity": lambda v: cells.integer(v, minimum=1),
            "industries": _industries,
            "latitude": lambda v: cells.decimal_number(v, low=-90, high=90),
            "longitude": lambda v: cells.decimal_number(v, low=-180, high=180),
            "active": cells.boolean,
        }
        for name, value in raw.items():
            field_name = {"area": "area_id", "department": "department_id"}.get(name, name)
            try:
                parsed = readers[field_name](value)
            except cells.CellError as exc:
                row.add(OFF[name], value, str(exc))
                continue
            if parsed is None and field_name in ("capacity", "active"):
                continue  # blank: the current value (a new officer: the default)
            row.data[field_name] = parsed
        if "username" in row.data and not row.problems:
            row.key = row.data["username"].lower()  # account names are matched without case

    @staticmethod
    def _username(value: Any) -> str:
        name = cells.text(value)
        if not name:
            raise cells.CellError(_("This column is required."))
        if len(name) > 150:
            raise cells.CellError(_("At most %(n)d characters.") % {"n": 150})
        return cells.validated(User.username_validator, name)

    @staticmethod
    def _full_name(value: Any) -> str:
        name = _limited(value, 50)
        if not name:
            raise cells.CellError(_("This column is required."))
        return name

    def _area(self, ctx: OfficerContext, value: Any) -> int | None:
        if cells.is_blank(value):
            if not ctx.district_level:
                raise cells.CellError(_("Choose the area of the officer."))
            return None
        return self._found(ctx.areas, value, _("Unknown area “%(value)s”: use the code or name of a township "
                                               "or park in your scope."))

    @staticmethod
    def _found(lookup: dict[str, int], value: Any, message: str) -> int:
        key = header_key(cells.text(value))
        if key not in lookup:
            raise cells.CellError(message % {"value": cells.text(value)})
        return lookup[key]

    def describe_key(self, key: Hashable) -> str:
        return str(key)

    def find_existing(self, ctx: OfficerContext, actor: User, keys: list[Hashable]) -> dict[Hashable, Existing]:
        # unscoped on purpose: an account outside the actor's areas is refused, not created twice
        users = list(User.objects.annotate(key=Lower("username")).filter(key__in=keys)
                     .values("pk", "key", *USER_FIELDS))
        officers = {o["user_id"]: o for o in ServiceOfficer.objects.filter(user_id__in=[u["pk"] for u in users])
                    .values("pk", "user_id", *OFFICER_FIELDS)}
        with_role = set(Role.objects.filter(user_id__in=[u["pk"] for u in users], kind=RoleKind.OFFICER)
                        .values_list("user_id", flat=True))
        managed = planning_area_ids(actor)
        found: dict[Hashable, Existing] = {}
        for user in users:
            officer = officers.get(user["pk"], {})
            area_id = officer.get("area_id")
            visible = not officer or managed is None or (area_id is not None and area_id in managed)
            found[user["key"]] = Existing(pk=user["pk"], visible=visible, values={
                **{name: user[name] for name in USER_FIELDS},
                **{name: officer.get(name) for name in OFFICER_FIELDS},
                "officer_pk": officer.get("pk"), "officer_role": user["pk"] in with_role})
        return found

    def changes(self, existing: Existing, data: dict[str, Any]) -> dict[str, Any]:
        if not existing.values["officer_role"]:
            raise cells.CellError(_("This account exists and has no service-officer role."),
                                  column=OFF["username"])
        data = resolve_masked_phone({k: v for k, v in data.items() if k != "username"}, "phone",
                                    existing.values.get("phone") or "", OFF["phone"])
        if existing.values["officer_pk"] is None:  # an officer account without its record yet
            return {**NEW_OFFICER, **data, "new_record": True}
        return super().changes(existing, data)

    def prepare_new(self, data: dict[str, Any]) -> dict[str, Any]:
        return resolve_masked_phone(data, "phone", None, OFF["phone"])

    def create(self, ctx: OfficerContext, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        unusable = make_password(None)  # no one signs in until an administrator sets a password
        users = User.objects.bulk_create(
            [User(username=r["username"], password=unusable, **{f: r.get(f, "") for f in USER_FIELDS})
             for r in rows], batch_size=1000)
        Role.objects.bulk_create([Role(user=u, kind=RoleKind.OFFICER) for u in users], batch_size=1000)
        ServiceOfficer.objects.bulk_create(
            [ServiceOfficer(user=u, **{**NEW_OFFICER, **{f: r[f] for f in OFFICER_FIELDS if f in r}})
             for u, r in zip(users, rows, strict=True)], batch_size=1000)
        _bump_version()  # capacities and areas changed: earlier plans are out of date

    def update(self, ctx: OfficerContext, rows: list[tuple[Existing, dict[str, Any]]]) -> None:
        for existing, changes in rows:
            user_changes = {f: changes[f] for f in USER_FIELDS if f in changes}
            officer_changes = {f: changes[f] for f in OFFICER_FIELDS if f in changes}
            if user_changes:
                User.objects.filter(pk=existing.pk).update(**user_changes)
                forget_actors([existing.pk])   # update() sends no signal: the cached name goes
            if changes.get("new_record"):
                ServiceOfficer.objects.create(user_id=existing.pk, **officer_changes)
            elif officer_changes:
                ServiceOfficer.objects.filter(pk=existing.values["officer_pk"]).update(
                    **officer_changes, updated_at=timezone.now())
        _bump_version()

    def export_rows(self, actor: User, params):
        """The officers the actor sees, in the import's columns; phones masked unless the role needs them."""
        show_phone = actor.sees_personal_data
        qs = (visible_to(actor, ServiceOfficer.objects.all(), OFFICER_SCOPE)
              .select_related("user", "area", "department").order_by("user__username"))
        for o in qs.iterator(chunk_size=2000):
            yield (o.user.username, o.user.full_name, o.user.phone if show_phone else mask_phone(o.user.phone),
                   o.area.code if o.area_id else "", o.department.code if o.department_id else "",
                   o.capacity, o.industries, o.latitude, o.longitude, _("yes") if o.active else _("no"))


# ---- assignments -------------------------------------------------------------------------------

A = {
    "credit_code": Column("credit_code", gettext_lazy("unified social credit code"), required=True,
                          aliases=("统一社会信用代码", "信用代码"), example="91500102MA5U8ABC1X"),
    "organization": Column("organization", gettext_lazy("organization name"), aliases=("单位名称", "企业名称"),
                           note=gettext_lazy("For the reader only: the credit code decides.")),
    "officer": Column("officer", gettext_lazy("service officer account"), required=True,
                      aliases=("助企服务员账号", "服务员账号", "助企服务员"), example="zhangwei"),
    "reason": Column("reason", gettext_lazy("reason"), aliases=("原因", "备注")),
}


@dataclass
class OfficerInfo:
    pk: int
    area_id: int | None
    active: bool
    capacity: int
    industries: str
    latitude: float | None
    longitude: float | None


@dataclass
class AssignmentContext:
    actor: User
    officers: dict[str, OfficerInfo]            # account name → officer
    usernames: dict[int, str]                   # officer pk → account name
    loads: Counter = field(default_factory=Counter)  # officer pk → enterprises served, as the file goes


class AssignmentSpec(ExportMixin, ImportSpec):
    name = "assignments"
    label = gettext_lazy("Service officer assignments")
    description = gettext_lazy("Which service officer serves each enterprise, by credit code and the officer's "
                               "account. A new officer replaces the current one; history is kept.")
    model = Assignment
    columns = tuple(A.values())
    order = 50

    def permitted(self, actor: User) -> bool:
        return can_plan(actor)

    def context(self, actor: User) -> AssignmentContext:
        officers: dict[str, OfficerInfo] = {}
        usernames: dict[int, str] = {}
        for o in ServiceOfficer.objects.select_related("user"):
            officers[o.user.username.lower()] = OfficerInfo(o.pk, o.area_id, o.active, o.capacity,
                                                            o.industries.upper(), o.latitude, o.longitude)
            usernames[o.pk] = o.user.username
        loads = Counter(dict(Assignment.objects.filter(ended_at__isnull=True).order_by()
                             .values_list("officer_id").annotate(n=Count("id"))))
        return AssignmentContext(actor=actor, officers=officers, usernames=usernames, loads=loads)

    def parse(self, ctx: AssignmentContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        try:
            code = _credit_code(raw.get("credit_code"))
            if code is None:
                raise cells.CellError(_("This column is required."))
            row.key = code
        except cells.CellError as exc:
            row.add(A["credit_code"], raw.get("credit_code"), str(exc))
        name = cells.text(raw.get("officer")).lower()
        officer = ctx.officers.get(name)
        if not name:
            row.add(A["officer"], "", _("This column is required."))
        elif officer is None:
            row.add(A["officer"], raw.get("officer"), _("No service officer has the account “%(value)s”.")
                    % {"value": cells.text(raw.get("officer"))})
        elif not officer.active:
            row.add(A["officer"], raw.get("officer"), _("This officer is not active."))
        else:
            row.data["officer_id"] = officer.pk
        reason = cells.text(raw.get("reason"))
        if len(reason) > 200:
            row.add(A["reason"], reason, _("At most %(n)d characters.") % {"n": 200})
        row.data["reason"] = reason

    def must_exist(self, key: Hashable) -> bool:
        return True  # the organization must be registered: import it first

    def find_existing(self, ctx: AssignmentContext, actor: User,
                      keys: list[Hashable]) -> dict[Hashable, Existing]:
        # unscoped on purpose: an organization outside the actor's areas is refused, not unknown
        orgs = list(Organization.objects.filter(credit_code__in=keys)
                    .values("pk", "credit_code", "area_id", "industry", "latitude", "longitude"))
        managed = planning_area_ids(actor)
        visible = set(organizations_visible_to(actor).filter(pk__in=[o["pk"] for o in orgs])
                      .values_list("pk", flat=True))
        current = dict(Assignment.objects.filter(organization_id__in=[o["pk"] for o in orgs], ended_at__isnull=True)
                       .values_list("organization_id", "officer_id"))
        return {o["credit_code"]: Existing(
            pk=o["pk"], visible=o["pk"] in visible and (managed is None or o["area_id"] in managed),
            # the run's context rides along: `changes` has no argument for it
            values={**o, "officer_id": current.get(o["pk"]), "context": ctx}) for o in orgs}

    def changes(self, existing: Existing, data: dict[str, Any]) -> dict[str, Any]:
        officer_pk, ctx = data["officer_id"], existing.values["context"]
        current = existing.values["officer_id"]
        if current == officer_pk:
            return {}
        officer = _officer(ctx, officer_pk)
        if officer.area_id is not None and officer.area_id != existing.values["area_id"]:
            raise cells.CellError(_("This officer belongs to another area: choose an officer of the "
                                    "organization's area or a district-level officer."), column=A["officer"])
        if ctx.loads[officer_pk] >= officer.capacity:
            raise cells.CellError(_("This officer already serves %(load)d enterprises, the capacity.")
                                  % {"load": ctx.loads[officer_pk]}, column=A["officer"])
        ctx.loads[officer_pk] += 1
        if current is not None:
            ctx.loads[current] -= 1
        return {"officer_id": officer_pk, "reason": data.get("reason", "")}

    def create(self, ctx: AssignmentContext, rows: list[dict[str, Any]]) -> None:
        assert not rows, "assignments are only changed on registered organizations"

    def update(self, ctx: AssignmentContext, rows: list[tuple[Existing, dict[str, Any]]]) -> None:
        if not rows:
            return
        now = timezone.now()
        Assignment.objects.filter(organization_id__in=[e.pk for e, _c in rows],
                                  ended_at__isnull=True).update(ended_at=now)
        made = Assignment.objects.bulk_create(
            [Assignment(organization_id=e.pk, officer_id=c["officer_id"], reason=c["reason"][:200])
             for e, c in rows], batch_size=1000)
        details = []
        for assignment, (existing, _changes) in zip(made, rows, strict=True):
            officer, org = _officer(ctx, assignment.officer_id), existing.values
            details.append(AssignmentDetail(
                assignment=assignment, source=AssignmentSource.IMPORT, changed_by=ctx.actor,
                distance_m=optimizer.distance_m(org["latitude"], org["longitude"], officer.latitude,
                                                officer.longitude),
                industry_match=org["industry"] in officer.industries, same_area=officer.area_id == org["area_id"]))
        AssignmentDetail.objects.bulk_create(details, batch_size=1000)
        _bump_version()  # plans computed before the import are out of date

    def export_rows(self, actor: User, params):
        """The current assignments of the organizations the actor sees, in the import's columns."""
        qs = (Assignment.objects.filter(ended_at__isnull=True,
                                        organization__in=organizations_visible_to(actor))
              .select_related("organization", "officer__user").order_by("organization_id"))
        for a in qs.iterator(chunk_size=2000):
            yield (a.organization.credit_code or "", a.organization.name, a.officer.user.username, a.reason)


def _officer(ctx: AssignmentContext, pk: int) -> OfficerInfo:
    return ctx.officers[ctx.usernames[pk].lower()]


IMPORT_SPECS = [OfficerSpec(), AssignmentSpec()]
