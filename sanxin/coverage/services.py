"""Writes of the coverage app: snapshots, campaign targets, accepting a joint-branch suggestion."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.party.models import Member, PartyOrganization, PartyOrgKind
from sanxin.party.services import can_edit_party
from sanxin.registry.models import Organization

from . import engine
from .forms import CampaignTargetForm
from .models import CampaignTarget, CoverageSnapshot, Population
from .suggestions import Suggestion, candidates_for, obeys_rules


def month_start(day: date) -> date:
    return day.replace(day=1)


def unscoped_take_snapshot(*, month: date | None = None) -> int:
    """System job: store this month's counts per area and domain, for 三有 and for all.
    Idempotent: taking it again in the same month replaces that month's rows."""
    month = month_start(month or timezone.localdate())
    rows: list[CoverageSnapshot] = []
    for population in Population.values:
        orgs = engine.population(Organization.objects.all(), include_all=population == Population.ALL)
        grouped = orgs.order_by().values("area_id", "domain").annotate(**engine.count_aggregates())
        rows.extend(CoverageSnapshot(month=month, area_id=r["area_id"], domain=r["domain"],
                                     population=population, total=r["total"], single=r["single"],
                                     joint=r["joint"], work=r["work"]) for r in grouped)
    with transaction.atomic():
        CoverageSnapshot.objects.filter(month=month).delete()
        CoverageSnapshot.objects.bulk_create(rows)
    return len(rows)


def can_set_targets(actor: User) -> bool:
    """The district sets 集中攻坚 targets."""
    return actor.is_district


def target_save(*, actor: User, form: CampaignTargetForm) -> CampaignTarget:
    if not can_set_targets(actor):
        raise PermissionDenied
    with transaction.atomic():
        return form.save()


def joint_branch_accept(*, actor: User, unit_ids: list[int], name: str = "") -> PartyOrganization:
    """Create the 联合党支部 of one suggestion. The grouping is checked again against the rules and
    the actor's scope at this moment; the members working at the units move into the new branch."""
    if not can_edit_party(actor):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the units so two people accepting overlapping suggestions cannot both succeed.
        locked = list(Organization.objects.select_for_update().filter(pk__in=unit_ids))
        candidates = {c.id: c for c in candidates_for(actor) if c.id in set(unit_ids)}
        missing = [pk for pk in unit_ids if pk not in candidates]
        if missing or len(locked) != len(set(unit_ids)):
            raise ValidationError(
                _("Organization %(ids)s can no longer join a joint branch (covered meanwhile, out "
                  "of scope or not eligible).") % {"ids": ", ".join(map(str, missing))},
                code="not_eligible")
        suggestion = Suggestion(units=[candidates[pk] for pk in unit_ids])
        if not obeys_rules(suggestion):
            raise ValidationError(_("This grouping breaks the rules: at most 5 units of one area with "
                                    "at least 3 full members together."), code="breaks_rules")
        branch = PartyOrganization.objects.create(
            name=(name or suggestion.proposed_name)[:120], kind=PartyOrgKind.JOINT_BRANCH,
            area_id=suggestion.area_id, founded=timezone.localdate())
        branch.units.set(unit_ids)
        Member.objects.filter(Q(employer_id__in=unit_ids)).update(party_organization=branch)
        return branch
