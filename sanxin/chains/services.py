"""Writes of chains and matchmaking: one transaction each; a rule broken raises ValidationError
naming the field, and nothing is saved."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanxin.accounts.models import RoleKind, User
from sanxin.accounts.scoping import area_ids_under
from sanxin.core.validators import normalize_text
from sanxin.pairings.services import apply_changes, merged_changes
from sanxin.party.models import PartyOrganization, PartyOrgKind
from sanxin.registry.models import Organization
from sanxin.registry.selectors import organizations_visible_to

from . import rules
from .models import (
    Chain,
    ChainLink,
    ChainMember,
    ChainProblem,
    Deal,
    OfferKind,
    Post,
    PostKind,
    PostStatus,
    Stage,
)
from .selectors import chains_visible_to, posts_visible_to

MAX_POSITION = 32767   # ChainLink.position is a small integer


def can_manage_chains(actor: User) -> bool:
    """Chains, links and the committee are set up by the district."""
    return actor.has_role("district")


def can_add_members(actor: User) -> bool:
    return actor.has_role("district", "area")


def _check_committee(committee: PartyOrganization | None) -> None:
    if committee is not None and committee.kind != PartyOrgKind.FUNCTIONAL_COMMITTEE:
        raise ValidationError({"committee": _("A chain's joint committee must be a functional "
                                              "committee (功能型党委).")})


def chain_create(*, actor: User, name: str, description: str = "",
                 committee: PartyOrganization | None = None) -> Chain:
    if not can_manage_chains(actor):
        raise PermissionDenied
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": _("Give the chain a name.")})
    if Chain.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A chain of this name already exists.")})
    _check_committee(committee)
    if committee is not None and Chain.objects.filter(committee=committee).exists():
        raise ValidationError({"committee": _("This committee already leads another chain.")})
    with transaction.atomic():
        return Chain.objects.create(name=name, description=description.strip(),
                                    committee=committee)


def chain_committee_set(*, actor: User, chain: Chain, committee: PartyOrganization) -> Chain:
    if not can_manage_chains(actor):
        raise PermissionDenied
    _check_committee(committee)
    if Chain.objects.filter(committee=committee).exclude(pk=chain.pk).exists():
        raise ValidationError({"committee": _("This committee already leads another chain.")})
    chain.committee = committee
    with transaction.atomic():
        chain.save(update_fields=["committee", "updated_at"])   # audited
    return chain


def chain_link_add(*, actor: User, chain: Chain, stage: str, name: str,
                   position: int | None = None) -> ChainLink:
    if not can_manage_chains(actor):
        raise PermissionDenied
    name = normalize_text(name)
    errors = {}
    if stage not in Stage.values:
        errors["stage"] = _("Choose upstream, midstream or downstream.")
    if not name:
        errors["name"] = _("Name the step.")
    elif chain.links.filter(name=name).exists():
        errors["name"] = _("This chain already has a step of this name.")
    if position is None:
        position = (chain.links.order_by("-position").values_list("position", flat=True)
                    .first() or 0) + 1
    elif position < 1:
        errors["position"] = _("The position starts at 1.")
    elif position > MAX_POSITION:
        errors["position"] = _("The position is at most %(max)d.") % {"max": MAX_POSITION}
    elif chain.links.filter(position=position).exists():
        errors["position"] = _("This chain already has a step at this position.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return ChainLink.objects.create(chain=chain, stage=stage, name=name, position=position)


def chain_member_add(*, actor: User, chain: Chain, link: ChainLink, organization: Organization,
                     branch: PartyOrganization | None = None) -> ChainMember:
    if not can_add_members(actor):
        raise PermissionDenied
    if link.chain_id != chain.pk:
        raise ValidationError({"link": _("This step belongs to another chain.")})
    if not organizations_visible_to(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This enterprise is outside your scope.")})
    if branch is not None and not branch.units.filter(pk=organization.pk).exists():
        raise ValidationError({"branch": _("This party organization does not cover the "
                                           "enterprise.")})
    duplicate = _("This enterprise is already a member at this link.")
    if ChainMember.objects.filter(link=link, organization=organization).exists():
        raise ValidationError({"organization": duplicate})
    try:
        with transaction.atomic():
            return ChainMember.objects.create(chain=chain, link=link, organization=organization,
                                              branch=branch)
    except IntegrityError as exc:  # a simultaneous request won the race
        raise ValidationError({"organization": duplicate}) from exc


def can_post_for(actor: User, member: ChainMember) -> bool:
    return organizations_visible_to(actor).filter(pk=member.organization_id).exists() and (
        actor.has_role("district", "area", "organization"))


def _check_post_fields(*, kind: str, offer: str, category: str, quantity: Decimal,
                       starts_on: date, ends_on: date) -> None:
    errors = {}
    if kind not in PostKind.values:
        errors["kind"] = _("Choose supply or need.")
    if offer not in OfferKind.values:
        errors["offer"] = _("Choose product or service.")
    if not category:
        errors["category"] = _("Name the product or service category.")
    if quantity is None:
        errors["quantity"] = _("Give a quantity.")
    elif quantity < 0:
        errors["quantity"] = _("The quantity cannot be negative.")
    elif quantity == 0:
        errors["quantity"] = _("The quantity must be above zero.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def post_create(*, actor: User, member: ChainMember, kind: str, category: str,
                quantity: Decimal, starts_on: date, ends_on: date,
                offer: str = OfferKind.PRODUCT, unit: str = "", description: str = "") -> Post:
    if not can_post_for(actor, member):
        raise PermissionDenied
    category = normalize_text(category)
    _check_post_fields(kind=kind, offer=offer, category=category, quantity=quantity,
                       starts_on=starts_on, ends_on=ends_on)
    with transaction.atomic():
        return Post.objects.create(member=member, chain_id=member.chain_id,
                                   organization_id=member.organization_id, kind=kind, offer=offer,
                                   category=category, quantity=quantity,
                                   unit=normalize_text(unit), starts_on=starts_on,
                                   ends_on=ends_on, description=description.strip())


def post_close(*, actor: User, post: Post) -> Post:
    if not can_post_for(actor, post.member):
        raise PermissionDenied
    post.status = PostStatus.CLOSED
    with transaction.atomic():
        post.save(update_fields=["status", "updated_at"])   # audited
    return post


def deal_record(*, actor: User, supply: Post, need: Post, quantity: Decimal, agreed_on: date,
                note: str = "") -> Deal:
    """Either side (or a manager who sees one of them) records the deal they made."""
    visible = posts_visible_to(actor).filter(pk__in=[supply.pk, need.pk])
    if not visible.exists() or not actor.has_role("district", "area", "organization"):
        raise PermissionDenied
    errors = {}
    if supply.kind != PostKind.SUPPLY:
        errors["supply"] = _("This post is not a supply.")
    if need.kind != PostKind.NEED:
        errors["need"] = _("This post is not a need.")
    if supply.chain_id != need.chain_id:
        errors["need"] = _("The two posts belong to different chains.")
    elif rules.normalize_category(supply.category) != rules.normalize_category(need.category):
        errors["need"] = _("The two posts are of different categories.")
    if supply.organization_id == need.organization_id:
        errors["need"] = _("An enterprise cannot make a deal with itself.")
    if quantity is None or quantity <= 0:
        errors["quantity"] = _("The quantity must be above zero.")
    elif quantity > supply.quantity or quantity > need.quantity:
        errors["quantity"] = _("The quantity is more than was offered or needed.")
    if errors:
        raise ValidationError(errors)
    if Deal.objects.filter(supply=supply, need=need).exists():
        raise ValidationError({"need": _("A deal between these two posts is already recorded.")})
    distance = rules.haversine_km(supply.organization.latitude, supply.organization.longitude,
                                  need.organization.latitude, need.organization.longitude)
    try:
        with transaction.atomic():
            return Deal.objects.create(
                chain_id=supply.chain_id, supply=supply, need=need, quantity=quantity,
                agreed_on=agreed_on, note=normalize_text(note), recorded_by=actor,
                distance_km=None if distance is None else round(distance, 2))
    except IntegrityError as exc:
        raise ValidationError({"need": _("A deal between these two posts is already "
                                         "recorded.")}) from exc


def chain_problem_raise(*, actor: User, chain: Chain, title: str, raised_on: date,
                        description: str = "", raised_by: Organization | None = None
                        ) -> ChainProblem:
    if not chains_visible_to(actor).filter(pk=chain.pk).exists():
        raise PermissionDenied
    if not actor.has_role("district", "area", "organization"):
        raise PermissionDenied
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": _("Describe the problem.")})
    if raised_by is not None and not chain.members.filter(organization=raised_by).exists():
        raise ValidationError({"raised_by": _("This enterprise is not a member of the chain.")})
    with transaction.atomic():
        return ChainProblem.objects.create(chain=chain, title=title, raised_on=raised_on,
                                           description=description.strip(), raised_by=raised_by)


# chain problems into cases --------------------------------------------------------------------

CONVERTIBLE_KINDS = ("demand", "problem")   # a chain problem becomes a 诉求 or a 问题
CASE_TITLE_MAX = 120                        # cases.Case.title


def can_convert_problem(actor: User, chain: Chain) -> bool:
    """The district and the chain's joint committee turn chain problems into cases. The
    committee acts through the township or park users of the area it sits in (as in the
    committee's view of the market, scoping.py)."""
    if actor.has_role("district"):
        return True
    if chain.committee_id is None:
        return False
    committee_area = PartyOrganization.objects.filter(pk=chain.committee_id).values_list(
        "area_id", flat=True).first()
    return any(role.kind == RoleKind.AREA and committee_area in area_ids_under(role.area_id)
               for role in actor.scope_roles)


@dataclass(frozen=True)
class ProblemCase:
    problem: ChainProblem
    created: bool      # False: the problem had been turned into this case before


class _AlreadyConverted(Exception):
    """Another request linked a case first: roll this one's case back."""


def _case_data(problem: ChainProblem, organization: Organization, kind: str, category: str,
               urgency: str, collector_level: str) -> dict:
    """The chain problem as the cases app's own form would receive it, so that its rules and
    messages apply unchanged."""
    from sanxin.cases.forms import CaseForm

    title = problem.title if len(problem.title) <= CASE_TITLE_MAX else (
        problem.title[:CASE_TITLE_MAX - 1] + "…")
    origin = _("Raised by the industry chain “%(chain)s” on %(date)s (chain problem %(id)s).") % {
        "chain": problem.chain.name, "date": problem.raised_on.isoformat(), "id": problem.pk}
    form = CaseForm(data={
        "kind": kind, "organization": organization.pk, "title": title,
        "description": "\n\n".join(filter(None, [problem.description or problem.title, origin])),
        "category": category, "urgency": urgency or "normal", "collector_level": collector_level,
    }, organizations=Organization.objects.filter(pk=organization.pk))
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.cleaned_data


def chain_problem_to_case(*, actor: User, problem: ChainProblem, kind: str, category: str,
                          organization: Organization | None = None, urgency: str = "normal",
                          collector_level: str = "") -> ProblemCase:
    """Raise a case (cases.services.case_raise) from a chain problem and link it back.

    Idempotent: a problem already linked to a case returns that case (created=False) and raises
    nothing new, also when two requests arrive at once (the link is set only where it is still
    empty; the loser's case is rolled back). The case is about `organization`, a member of the
    chain, by default the enterprise that raised the problem."""
    from sanxin.cases.errors import CaseError
    from sanxin.cases.services import case_raise

    chain = problem.chain
    if not can_convert_problem(actor, chain):
        raise PermissionDenied
    if problem.case_id is not None:
        return ProblemCase(problem, False)
    if kind not in CONVERTIBLE_KINDS:
        raise ValidationError({"kind": _("A chain problem becomes a demand or a problem.")})
    organization = organization or problem.raised_by
    if organization is None:
        raise ValidationError({"organization": _("Choose the member enterprise the case is "
                                                 "about.")})
    if not chain.members.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This enterprise is not a member of the "
                                                 "chain.")})
    data = _case_data(problem, organization, kind, category, urgency, collector_level)
    try:
        with transaction.atomic():
            try:
                case = case_raise(actor=actor, data=data)
            except CaseError as exc:
                raise ValidationError({exc.field or "organization": exc.message}) from exc
            if not ChainProblem.objects.filter(pk=problem.pk, case__isnull=True).update(
                    case=case):
                raise _AlreadyConverted
    except _AlreadyConverted:
        problem.refresh_from_db()
        return ProblemCase(problem, False)
    problem.case = case
    return ProblemCase(problem, True)


# edits ------------------------------------------------------------------------------------------
# As in pairings/services.py: the fields to change (all from a form, those sent from the API),
# the creation rules again, save() so that django-auditlog records the change.

CHAIN_EDITABLE = ("name", "description", "committee")
LINK_EDITABLE = ("stage", "name", "position")
MEMBER_EDITABLE = ("link", "branch")


def chain_update(*, actor: User, chain: Chain, **changes) -> Chain:
    if not can_manage_chains(actor):
        raise PermissionDenied
    new = merged_changes(chain, CHAIN_EDITABLE, changes)
    new["name"] = normalize_text(new["name"] or "")
    new["description"] = (new["description"] or "").strip()
    if not new["name"]:
        raise ValidationError({"name": _("Give the chain a name.")})
    if Chain.objects.filter(name=new["name"]).exclude(pk=chain.pk).exists():
        raise ValidationError({"name": _("A chain of this name already exists.")})
    _check_committee(new["committee"])
    if new["committee"] is not None and Chain.objects.filter(
            committee=new["committee"]).exclude(pk=chain.pk).exists():
        raise ValidationError({"committee": _("This committee already leads another chain.")})
    with transaction.atomic():
        apply_changes(chain, new)
        chain.save()
    return chain


def chain_link_update(*, actor: User, link: ChainLink, **changes) -> ChainLink:
    if not can_manage_chains(actor):
        raise PermissionDenied
    new = merged_changes(link, LINK_EDITABLE, changes)
    new["name"] = normalize_text(new["name"] or "")
    others = ChainLink.objects.filter(chain_id=link.chain_id).exclude(pk=link.pk)
    errors = {}
    if new["stage"] not in Stage.values:
        errors["stage"] = _("Choose upstream, midstream or downstream.")
    if not new["name"]:
        errors["name"] = _("Name the step.")
    elif others.filter(name=new["name"]).exists():
        errors["name"] = _("This chain already has a step of this name.")
    if new["position"] is None or new["position"] < 1:
        errors["position"] = _("The position starts at 1.")
    elif new["position"] > MAX_POSITION:
        errors["position"] = _("The position is at most %(max)d.") % {"max": MAX_POSITION}
    elif others.filter(position=new["position"]).exists():
        errors["position"] = _("This chain already has a step at this position.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            apply_changes(link, new)
            link.save()
    except IntegrityError as exc:   # a simultaneous edit took the name or the position
        raise ValidationError({"position": _("This chain already has a step at this "
                                             "position.")}) from exc
    return link


def can_edit_member(actor: User, member: ChainMember) -> bool:
    return can_add_members(actor) and organizations_visible_to(actor).filter(
        pk=member.organization_id).exists()


def chain_member_update(*, actor: User, member: ChainMember, **changes) -> ChainMember:
    """Move a member enterprise to another step of its chain or change its party branch."""
    if not can_edit_member(actor, member):
        raise PermissionDenied
    new = merged_changes(member, MEMBER_EDITABLE, changes)
    link, branch = new["link"], new["branch"]
    if link is None or link.chain_id != member.chain_id:
        raise ValidationError({"link": _("This step belongs to another chain.")})
    if branch is not None and not branch.units.filter(pk=member.organization_id).exists():
        raise ValidationError({"branch": _("This party organization does not cover the "
                                           "enterprise.")})
    duplicate = _("This enterprise is already a member at this link.")
    if ChainMember.objects.filter(link=link, organization_id=member.organization_id).exclude(
            pk=member.pk).exists():
        raise ValidationError({"link": duplicate})
    try:
        with transaction.atomic():
            member.link, member.branch = link, branch
            member.save()
    except IntegrityError as exc:
        raise ValidationError({"link": duplicate}) from exc
    return member
