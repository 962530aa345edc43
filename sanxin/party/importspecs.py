"""Import of party-building instructors and liaisons (党建指导员 / 联络员) and the organizations each
works with (工作覆盖), collected by the imports app like every `importspecs.py`.

Matched by our ID, else by name within the area (like party organizations; two instructors of one
name in an area must be named by ID). The organizations column lists credit codes (or our IDs) of
organizations in the actor's scope and becomes the instructor's current assignments, as in the
instructor form: ones not listed end today, new ones start today, history is kept. Rows are
written through the ORM, one instructor at a time (a district has a few hundred), so that the
coverage summary follows every assignment through its signals."""
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxin.accounts.models import User
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
from sanxin.imports.specs.organizations import OrganizationSpec, _choice_lookup, _limited
from sanxin.imports.specs.party import UNKNOWN_AREA, _areas, _pick, _split
from sanxin.registry.selectors import organizations_visible_to

from .models import Instructor, InstructorAssignment, InstructorKind
from .selectors import instructors_visible_to
from .services import can_edit_party, set_current_organizations

I = {  # noqa: E741 (the spec's columns, as P and M in sanxin/imports/specs/party.py)
    "id": Column("id", "ID"),
    "name": Column("name", gettext_lazy("name"), required=True, aliases=("姓名",), example="李敏"),
    "kind": Column("kind", gettext_lazy("kind"), aliases=("类别", "类型"), example="党建指导员",
                   note=gettext_lazy("党建指导员 or 联络员 (instructor when blank)")),
    "phone": Column("phone", gettext_lazy("phone"), aliases=("联系电话", "手机号"), personal="phone"),
    "area": Column("area", gettext_lazy("area"), required=True, aliases=("属地",), example="500102006"),
    "employer": Column("employer", gettext_lazy("works at"), aliases=("工作单位", "派出单位"),
                       example="敦仁街道党工委"),
    "active": Column("active", gettext_lazy("active"), aliases=("在岗",), example="是"),
    "organizations": Column("organizations", gettext_lazy("organizations"), aliases=("指导单位", "联系单位"),
                            note=gettext_lazy("Credit codes (or IDs) of the organizations, separated by ;")),
}
FIELDS = ["name", "kind", "phone", "area_id", "employer", "active"]


@dataclass
class InstructorContext:
    actor: User
    areas: dict[str, int]
    kinds: dict[str, str]
    parsers: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def _tokens(value: Any) -> list[str]:
    """Credit codes (18 characters, normalized) or IDs, as the list cell gives them."""
    return _split(cells.text(value),
                  lambda part: cells.code(part) if len(part.strip()) == 18 else part.strip())


class InstructorSpec(ExportMixin, ImportSpec):
    name = "instructors"
    label = gettext_lazy("Party-building instructors")
    description = gettext_lazy("Party-building instructors and liaisons with the organizations they work with. "
                               "Matched by ID, else by name within the area.")
    model = Instructor
    columns = tuple(I.values())
    order = 35
    summary_hook = False  # written through the ORM: the coverage summary follows by signals

    def permitted(self, actor: User) -> bool:
        return can_edit_party(actor)

    def context(self, actor: User) -> InstructorContext:
        ctx = InstructorContext(actor=actor, areas=_areas(actor), kinds=_choice_lookup(
            InstructorKind.choices, ("党建指导员", "instructor"), ("指导员", "instructor"),
            ("党建工作联络员", "liaison"), ("联络员", "liaison")))
        ctx.parsers = {
            "id": lambda v: cells.integer(v, minimum=1),
            "name": lambda v: self._required(_limited(v, 50)),
            "kind": lambda v: InstructorKind.INSTRUCTOR if cells.is_blank(v) else _pick(
                ctx.kinds, v, gettext_lazy("Unknown value “%(value)s”.")),
            "phone": lambda v: "" if cells.is_blank(v) else OrganizationSpec._phone(v),
            "area": lambda v: _pick(ctx.areas, v, UNKNOWN_AREA),
            "employer": lambda v: _limited(v, 80),
            "active": lambda v: cells.boolean(v) is not False,
            "organizations": lambda v: [] if cells.is_blank(v) else _tokens(v),
        }
        return ctx

    @staticmethod
    def _required(value: str) -> str:
        if not value:
            raise cells.CellError(_("The name is required."))
        return value

    def parse(self, ctx: InstructorContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        row.parse_cells(raw, ctx.parsers, I, {"area": "area_id"})
        if "organizations" in row.data and not row.problems:
            self._check_organizations(ctx, row, raw)
        if row.problems:
            return
        if not cells.is_blank(raw.get("id")):
            row.key = ("id", cells.integer(raw["id"]))
        elif row.data.get("area_id") and row.data.get("name"):
            row.key = ("name", row.data["area_id"], header_key(row.data["name"]))

    def _check_organizations(self, ctx: InstructorContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        tokens = row.data["organizations"]
        ids = [int(t) for t in tokens if t.isdigit() and len(t) < 18]
        codes = [t for t in tokens if not (t.isdigit() and len(t) < 18)]
        visible = organizations_visible_to(ctx.actor)
        by_code = dict(visible.filter(credit_code__in=codes).values_list("credit_code", "pk"))
        by_id = set(visible.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [c for c in codes if c not in by_code] + [str(i) for i in ids if i not in by_id]
        if missing:
            row.add(I["organizations"], raw.get("organizations"), _(
                "No organization in your scope with the credit code(s) or ID(s) %(codes)s.")
                % {"codes": ", ".join(missing)})
        row.data["organizations"] = sorted({*by_code.values(), *by_id})

    def must_exist(self, key: Hashable) -> bool:
        return key[0] == "id"

    def describe_key(self, key: Hashable) -> str:
        return f"ID {key[1]}" if key[0] == "id" else _("“%(name)s” in its area") % {"name": key[2]}

    def find_existing(self, ctx: InstructorContext, actor: User, keys: list[Hashable]) -> dict[Hashable, Existing]:
        ids = [k[1] for k in keys if k[0] == "id"]
        names = {k[2] for k in keys if k[0] == "name"}
        areas = {k[1] for k in keys if k[0] == "name"}
        # unscoped on purpose: an instructor outside the scope is refused, not created twice
        rows = list((Instructor.objects.filter(pk__in=ids) | Instructor.objects.filter(area_id__in=areas))
                    .values("pk", *FIELDS))
        rows = [r for r in rows if r["pk"] in ids or header_key(r["name"]) in names]
        visible = set(instructors_visible_to(actor).filter(pk__in=[r["pk"] for r in rows])
                      .values_list("pk", flat=True))
        current: dict[int, list[int]] = {}
        for pk, org in InstructorAssignment.objects.filter(
                instructor_id__in=[r["pk"] for r in rows], ended_on__isnull=True).values_list(
                "instructor_id", "organization_id"):
            current.setdefault(pk, []).append(org)
        same_name = {(a, n) for a, n, count in Instructor.objects.filter(area_id__in=areas).values_list(
            "area_id", "name").annotate(n=Count("id")).values_list("area_id", "name", "n") if count > 1}
        found: dict[Hashable, Existing] = {}
        for values in rows:
            pk = values.pop("pk")
            values["organizations"] = sorted(current.get(pk, []))
            existing = Existing(pk=pk, visible=pk in visible, values=values)
            if pk in ids:
                found[("id", pk)] = existing
            name_key = ("name", values["area_id"], header_key(values["name"]))
            if name_key in keys and name_key not in found:
                ambiguous = (values["area_id"], values["name"]) in same_name
                found[name_key] = Existing(pk=pk, visible=pk in visible,
                                           values={**values, "ambiguous": ambiguous})
        return found

    def changes(self, existing: Existing, data: dict[str, Any]) -> dict[str, Any]:
        if existing.values.get("ambiguous"):
            raise cells.CellError(_("“%(value)s” is ambiguous: use the ID.") % {"value": data.get("name")},
                                  column=I["name"])
        data = resolve_masked_phone(data, "phone", existing.values.get("phone") or "", I["phone"])
        return super().changes(existing, data)

    def prepare_new(self, data: dict[str, Any]) -> dict[str, Any]:
        return resolve_masked_phone(data, "phone", None, I["phone"])

    def create(self, ctx: InstructorContext, rows: list[dict[str, Any]]) -> None:
        for data in rows:
            organizations = data.pop("organizations", [])
            set_current_organizations(Instructor.objects.create(**data), set(organizations))

    def update(self, ctx: InstructorContext, rows: list[tuple[Existing, dict[str, Any]]]) -> None:
        for existing, changes in rows:
            organizations = changes.pop("organizations", None)
            instructor = Instructor.objects.get(pk=existing.pk)
            if changes:
                for name, value in changes.items():
                    setattr(instructor, name, value)
                instructor.save()
            if organizations is not None:
                set_current_organizations(instructor, set(organizations))

    def export_rows(self, actor: User, params):
        """The instructors the actor sees, in the import's columns; phones masked unless the role
        needs them; organizations by credit code, else by ID."""
        show_phone = actor.sees_personal_data
        qs = instructors_visible_to(actor).select_related("area").order_by("area__code", "id")
        for instructor in qs.iterator(chunk_size=500):
            orgs = (InstructorAssignment.objects.filter(instructor=instructor, ended_on__isnull=True)
                    .order_by("organization_id").values_list("organization__credit_code", "organization_id"))
            yield (instructor.pk, instructor.name, instructor.kind,
                   instructor.phone if show_phone else mask_phone(instructor.phone), instructor.area.code,
                   instructor.employer, _("yes") if instructor.active else _("no"),
                   "；".join(code or str(pk) for code, pk in orgs))


IMPORT_SPECS = [InstructorSpec()]
