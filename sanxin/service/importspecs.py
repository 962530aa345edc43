"""Import of assignments (who serves which enterprise) from a spreadsheet: one row per
organization, by credit code, naming its service officer by account name. A different officer
ends the current assignment and starts a new one (history kept, source "import"); the same
officer is unchanged. The rules of a manual override hold for every row: the actor plans the
organization's area, the officer is active, of that area or district-level, within capacity."""
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxin.accounts.models import User
from sanxin.imports import cells
from sanxin.imports.specs.base import Column, Existing, ExportMixin, ImportSpec, ParsedRow
from sanxin.imports.specs.organizations import _credit_code
from sanxin.registry.models import Organization
from sanxin.registry.selectors import organizations_visible_to

from . import optimizer
from .models import Assignment, AssignmentDetail, AssignmentSource, ServiceOfficer
from .selectors import planning_area_ids
from .services import _bump_version, can_plan

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


IMPORT_SPECS = [AssignmentSpec()]
