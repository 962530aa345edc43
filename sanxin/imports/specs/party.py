"""Party organizations and party members (sanxin.party).

Party organizations: matched by our ID, else by name within the area; the organizations they
cover are listed by credit code. Members: matched by resident ID number (through the keyed digest
the party app uses for "one record per person"), else by our ID."""
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxin.accounts.models import User
from sanxin.core.masking import mask_id_number
from sanxin.core.validators import validate_id_number
from sanxin.party.identity import id_digest
from sanxin.party.models import (
    Gender,
    Member,
    MemberRole,
    MemberStatus,
    PartyOrganization,
    PartyOrgKind,
)
from sanxin.party.selectors import members_visible_to, party_orgs_visible_to
from sanxin.party.services import can_edit_party
from sanxin.registry.selectors import areas_visible_to, organizations_visible_to

from .. import cells
from .base import Column, Existing, ImportSpec, ParsedRow, header_key
from .organizations import _choice_lookup, _limited, _name

LIST_SEPARATORS = (";", "；", "、", ",", "，", "\n")


def _split(value: Any, normalize: Callable[[str], str] = cells.code) -> list[str]:
    text = cells.text(value) if not isinstance(value, str) else value
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, ";")
    return [normalize(part) for part in text.split(";") if part.strip()]


def _areas(actor: User) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for area in areas_visible_to(actor).exclude(kind="district"):
        lookup[header_key(area.code)] = area.id
        lookup.setdefault(header_key(area.name), area.id)
    return lookup


def _pick(lookup: dict[str, int], value: Any, message) -> int:
    key = header_key(cells.text(value))
    if key not in lookup:
        raise cells.CellError(str(message) % {"value": cells.text(value)})
    found = lookup[key]
    if found is None:
        raise cells.CellError(_("“%(value)s” is ambiguous: use the ID.") % {"value": cells.text(value)})
    return found


# ---- party organizations ---------------------------------------------------------------------

P = {
    "id": Column("id", "ID"),
    "name": Column("name", gettext_lazy("name"), required=True, aliases=("党组织名称",),
                   example="重庆示例化工有限公司党支部"),
    "kind": Column("kind", gettext_lazy("kind"), required=True, aliases=("党组织类型",), example="branch"),
    "area": Column("area", gettext_lazy("area"), required=True, aliases=("属地",), example="500102006"),
    "parent": Column("parent", gettext_lazy("parent organization"), aliases=("上级党组织",)),
    "units": Column("units", gettext_lazy("covered organizations"), aliases=("覆盖单位",),
                    note=gettext_lazy("Credit codes of the covered organizations, separated by ;")),
    "committee_size": Column("committee_size", gettext_lazy("committee members"), aliases=("支委会人数",)),
    "founded": Column("founded", gettext_lazy("founded"), aliases=("成立日期",)),
    "term_start": Column("term_start", gettext_lazy("term start"), aliases=("本届任期开始",)),
    "term_end": Column("term_end", gettext_lazy("term end"), aliases=("本届任期届满",)),
    "village_or_community": Column("village_or_community", gettext_lazy("village or community (村/社区)"),
                                   aliases=("村/社区", "是否村社区", "村社区"), example="否",
                                   note=gettext_lazy("是 for a 村/社区 organization: its committee serves 5 years")),
}
UNKNOWN_AREA = gettext_lazy("Unknown area “%(value)s”: use the code or name of a township or park in your scope.")
UNKNOWN_PARTY_ORG = gettext_lazy("Unknown party organization “%(value)s” in your scope.")


@dataclass
class PartyContext:
    actor: User
    areas: dict[str, int]
    party_orgs: dict[str, int | None]
    kinds: dict[str, str]
    parsers: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def _party_org_lookup(actor: User) -> dict[str, int | None]:
    lookup: dict[str, int | None] = {}
    for pk, name in party_orgs_visible_to(actor).values_list("pk", "name"):
        lookup[str(pk)] = pk
        key = header_key(name)
        lookup[key] = None if key in lookup and lookup[key] != pk else pk  # None: two share the name
    return lookup


class PartyOrganizationSpec(ImportSpec):
    name = "party_organizations"
    label = gettext_lazy("Party organizations")
    description = gettext_lazy("Party committees, branches and joint branches with the organizations "
                               "they cover. Matched by ID, else by name within the area.")
    model = PartyOrganization
    columns = tuple(P.values())
    order = 20

    def permitted(self, actor: User) -> bool:
        return can_edit_party(actor)

    def context(self, actor: User) -> PartyContext:
        ctx = PartyContext(actor=actor, areas=_areas(actor), party_orgs=_party_org_lookup(actor),
                           kinds=_choice_lookup(PartyOrgKind.choices, ("党委", "committee"),
                                                ("党总支", "general_branch"), ("党支部", "branch"),
                                                ("联合党支部", "joint_branch")))
        ctx.parsers = {
            "id": lambda v: cells.integer(v, minimum=1),
            "name": _name,
            "kind": lambda v: _pick(ctx.kinds, v, gettext_lazy("Unknown value “%(value)s”.")),
            "area": lambda v: _pick(ctx.areas, v, UNKNOWN_AREA),
            "parent": lambda v: None if cells.is_blank(v) else _pick(ctx.party_orgs, v, UNKNOWN_PARTY_ORG),
            "units": lambda v: [] if cells.is_blank(v) else _split(v),
            "committee_size": lambda v: cells.integer(v) or 0,
            "founded": cells.day, "term_start": cells.day, "term_end": cells.day,
            "village_or_community": lambda v: cells.boolean(v) is True,  # blank: no (the default)
        }
        return ctx

    def parse(self, ctx: PartyContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        row.parse_cells(raw, ctx.parsers, P, {"area": "area_id", "parent": "parent_id"})
        data = row.data
        if data.get("term_start") and data.get("term_end") and data["term_end"] <= data["term_start"]:
            row.add(P["term_end"], raw.get("term_end"), _("The term must end after it starts."))
        if "units" in data and not row.problems:
            self._check_units(ctx, row, raw)
        if row.problems:
            return
        if not cells.is_blank(raw.get("id")):
            row.key = ("id", cells.integer(raw["id"]))
        elif data.get("area_id") and data.get("name"):
            row.key = ("name", data["area_id"], header_key(data["name"]))

    def _check_units(self, ctx: PartyContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        codes = row.data["units"]
        found = dict(organizations_visible_to(ctx.actor).filter(credit_code__in=codes)
                     .values_list("credit_code", "pk"))
        missing = [c for c in codes if c not in found]
        if missing:
            row.add(P["units"], raw.get("units"), _("No organization in your scope with the credit code(s) "
                                                    "%(codes)s.") % {"codes": ", ".join(missing)})
        row.data["units"] = sorted(found[c] for c in codes if c in found)

    def must_exist(self, key: Hashable) -> bool:
        return key[0] == "id"

    def describe_key(self, key: Hashable) -> str:
        return f"ID {key[1]}" if key[0] == "id" else _("“%(name)s” in its area") % {"name": key[2]}

    def find_existing(self, ctx: PartyContext, actor: User, keys: list[Hashable]) -> dict[Hashable, Existing]:
        ids = [k[1] for k in keys if k[0] == "id"]
        pairs = {(k[1], k[2]) for k in keys if k[0] == "name"}
        fields = ["name", "kind", "area_id", "parent_id", "committee_size", "founded", "term_start", "term_end",
                  "village_or_community"]
        # unscoped on purpose: an existing party organization outside the scope is refused, not copied.
        unscoped = PartyOrganization.objects.filter(pk__in=ids) | PartyOrganization.objects.filter(
            area_id__in={a for a, _n in pairs}, name__in=[r for r in {k[2] for k in keys if k[0] == "name"}])
        rows = list(unscoped.values("pk", *fields))
        visible = set(party_orgs_visible_to(actor).filter(pk__in=[r["pk"] for r in rows])
                      .values_list("pk", flat=True))
        units: dict[int, list[int]] = {}
        for po_id, org_id in PartyOrganization.units.through.objects.filter(
                partyorganization_id__in=[r["pk"] for r in rows]).values_list("partyorganization_id",
                                                                               "organization_id"):
            units.setdefault(po_id, []).append(org_id)
        found: dict[Hashable, Existing] = {}
        for values in rows:
            pk = values.pop("pk")
            values["units"] = sorted(units.get(pk, []))
            existing = Existing(pk=pk, visible=pk in visible, values=values)
            if pk in ids:
                found[("id", pk)] = existing
            found.setdefault(("name", values["area_id"], header_key(values["name"])), existing)
        return found

    def create(self, ctx: PartyContext, rows: list[dict[str, Any]]) -> None:
        # A few hundred rows per district: save one by one so the unit-count signal stays right.
        with transaction.atomic():
            for data in rows:
                units = data.pop("units", None)
                party_org = PartyOrganization.objects.create(**data)
                if units:
                    party_org.units.set(units)

    def update(self, ctx: PartyContext, rows: list[tuple[Existing, dict[str, Any]]]) -> None:
        with transaction.atomic():
            for existing, changes in rows:
                units = changes.pop("units", None)
                if changes:
                    party_org = PartyOrganization.objects.get(pk=existing.pk)
                    for name, value in changes.items():
                        setattr(party_org, name, value)
                    party_org.save()
                if units is not None:
                    PartyOrganization.objects.get(pk=existing.pk).units.set(units)


# ---- members ---------------------------------------------------------------------------------

M = {
    "id": Column("id", "ID"),
    "name": Column("name", gettext_lazy("name"), required=True, aliases=("姓名",), example="张伟"),
    "gender": Column("gender", gettext_lazy("gender"), aliases=("性别",), example="男"),
    "birth_date": Column("birth_date", gettext_lazy("birth date"), aliases=("出生日期",)),
    "id_number": Column("id_number", gettext_lazy("resident ID number"), required=True,
                        aliases=("身份证号", "公民身份号码", "身份证号码"), personal="id_number",
                        note=gettext_lazy("Format the column as text so Excel keeps all 18 characters.")),
    "phone": Column("phone", gettext_lazy("phone"), aliases=("联系电话", "手机号"), personal="phone"),
    "status": Column("status", gettext_lazy("status"), aliases=("党员类别", "党籍状态"), example="正式党员"),
    "joined_on": Column("joined_on", gettext_lazy("admitted as probationary member"), aliases=("入党时间",)),
    "full_on": Column("full_on", gettext_lazy("became full member"), aliases=("转正时间",)),
    "party_organization": Column("party_organization", gettext_lazy("party organization"), required=True,
                                 aliases=("所在党组织", "所在支部")),
    "employer": Column("employer", gettext_lazy("employer"), aliases=("工作单位",),
                       note=gettext_lazy("Credit code or name of an organization in your scope")),
    "is_flowing": Column("is_flowing", gettext_lazy("flowing member (流动党员)"), aliases=("是否流动党员",)),
    "role": Column("role", gettext_lazy("role in the organization"), aliases=("党内职务",)),
}
MEMBER_FIELDS = ["name", "gender", "birth_date", "id_number", "id_digest", "phone", "status", "joined_on",
                 "full_on", "party_organization_id", "employer_id", "is_flowing", "role"]


@dataclass
class MemberContext:
    actor: User
    party_orgs: dict[str, int | None]
    employers: Callable[[Any], int | None]
    lookups: dict[str, dict[str, str]]
    parsers: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


class MemberSpec(ImportSpec):
    name = "members"
    label = gettext_lazy("Party members")
    description = gettext_lazy("Party members of the party organizations in your scope. Matched by resident "
                               "ID number (one record per person), else by ID.")
    model = Member
    columns = tuple(M.values())
    order = 30

    def permitted(self, actor: User) -> bool:
        return can_edit_party(actor)

    def context(self, actor: User) -> MemberContext:
        visible_orgs = organizations_visible_to(actor)

        def employer(value: Any) -> int | None:
            if cells.is_blank(value):
                return None
            text = cells.text(value)
            match = (visible_orgs.filter(credit_code=cells.code(value)).values_list("pk", flat=True)[:2]
                     or visible_orgs.filter(name=text).values_list("pk", flat=True)[:2])
            if len(match) != 1:
                raise cells.CellError(_("Unknown organization “%(value)s” in your scope.") % {"value": text}
                                      if not match else _("“%(value)s” is ambiguous: use the credit code.")
                                      % {"value": text})
            return match[0]

        lookups = {
            "gender": _choice_lookup(Gender.choices, ("男", "M"), ("女", "F")),
            "status": _choice_lookup(MemberStatus.choices, ("正式党员", "full"), ("预备党员", "probationary")),
            "role": _choice_lookup(MemberRole.choices, ("书记", "secretary"), ("副书记", "deputy_secretary"),
                                   ("支委委员", "committee"), ("党员", "member")),
        }
        ctx = MemberContext(actor=actor, party_orgs=_party_org_lookup(actor), employers=employer, lookups=lookups)
        unknown = gettext_lazy("Unknown value “%(value)s”.")
        ctx.parsers = {
            "id": lambda v: cells.integer(v, minimum=1),
            "name": lambda v: _limited(v, 50) or _name(v),
            "gender": lambda v: "" if cells.is_blank(v) else _pick(lookups["gender"], v, unknown),
            "birth_date": cells.day, "joined_on": cells.day, "full_on": cells.day,
            "id_number": self._id_number,
            "phone": lambda v: "" if cells.is_blank(v) else self._phone(v),
            "status": lambda v: "full" if cells.is_blank(v) else _pick(lookups["status"], v, unknown),
            "role": lambda v: "member" if cells.is_blank(v) else _pick(lookups["role"], v, unknown),
            "party_organization": lambda v: _pick(ctx.party_orgs, v, UNKNOWN_PARTY_ORG),
            "employer": employer,
            "is_flowing": lambda v: cells.boolean(v) is True,
        }
        return ctx

    @staticmethod
    def _id_number(value: Any) -> str:
        if cells.is_blank(value):
            return ""
        number = cells.code(value)
        if "*" in number:
            return number  # masked by an export: resolved against the stored number
        return cells.validated(validate_id_number, number)

    @staticmethod
    def _phone(value: Any) -> str:
        from .organizations import OrganizationSpec

        return OrganizationSpec._phone(value)

    def parse(self, ctx: MemberContext, row: ParsedRow, raw: dict[str, Any]) -> None:
        row.parse_cells(raw, ctx.parsers, M, {"party_organization": "party_organization_id",
                                              "employer": "employer_id"})
        data = row.data
        if data.get("joined_on") and data.get("full_on") and data["full_on"] < data["joined_on"]:
            row.add(M["full_on"], raw.get("full_on"), _("A member becomes full only after being admitted."))
        if row.problems:
            return
        number = data.get("id_number", "")
        if number and "*" not in number:
            data["id_digest"] = id_digest(number)
            row.key = ("digest", data["id_digest"])
        elif not cells.is_blank(raw.get("id")):
            row.key = ("id", cells.integer(raw["id"]))
        else:
            row.add(M["id_number"], raw.get("id_number"), _("The resident ID number is required to tell "
                                                            "members apart."))

    def must_exist(self, key: Hashable) -> bool:
        return key[0] == "id"

    def describe_key(self, key: Hashable) -> str:
        return f"ID {key[1]}" if key[0] == "id" else _("this ID number")

    def find_existing(self, ctx: MemberContext, actor: User, keys: list[Hashable]) -> dict[Hashable, Existing]:
        digests = [k[1] for k in keys if k[0] == "digest"]
        ids = [k[1] for k in keys if k[0] == "id"]
        # unscoped on purpose: the same person in another branch outside the scope is refused.
        rows = list((Member.objects.filter(id_digest__in=digests) | Member.objects.filter(pk__in=ids))
                    .values("pk", *MEMBER_FIELDS))
        visible = set(members_visible_to(actor).filter(pk__in=[r["pk"] for r in rows]).values_list("pk", flat=True))
        found: dict[Hashable, Existing] = {}
        for values in rows:
            pk = values.pop("pk")
            existing = Existing(pk=pk, visible=pk in visible, values=values)
            if values["id_digest"]:
                found[("digest", values["id_digest"])] = existing
            if pk in ids:
                found[("id", pk)] = existing
        return found

    def changes(self, existing: Existing, data: dict[str, Any]) -> dict[str, Any]:
        number = data.get("id_number", "")
        if "*" in number:
            if mask_id_number(existing.values.get("id_number")) != number:
                raise cells.CellError(_("A masked ID number cannot be imported: enter the full number."),
                                      column=M["id_number"])
            data = {k: v for k, v in data.items() if k not in ("id_number", "id_digest")}
        return super().changes(existing, data)

    def prepare_new(self, data: dict[str, Any]) -> dict[str, Any]:
        if "*" in data.get("id_number", ""):
            raise cells.CellError(_("A masked ID number cannot be imported: enter the full number."),
                                  column=M["id_number"])
        return data


SPECS = [PartyOrganizationSpec(), MemberSpec()]
