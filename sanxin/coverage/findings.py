"""Findings: where the rules are not met. Each kind is one named function over the actor's scope.

The rules never crash on missing data: an organization without employees or a branch without a
secretary or term is simply reported (or not) by the rule that concerns it.
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxin.accounts.models import User
from sanxin.accounts.scoping import area_ids_under, visible_to
from sanxin.party import rules
from sanxin.party.models import Member, MemberStatus, PartyOrganization
from sanxin.party.scoping import PARTY_ORG_SCOPE
from sanxin.registry.models import Area, Organization
from sanxin.registry.selectors import organizations_visible_to

from .engine import single_org_ids


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str          # "organization" or "party_organization"
    subject_id: int
    name: str
    area: str
    area_code: str
    detail: str

    @property
    def label(self) -> str:
        return str(FINDING_KINDS[self.kind].label)


@dataclass(frozen=True)
class FindingKind:
    code: str
    label: str
    subject: str
    find: Callable[[QuerySet, date], Iterator[Finding]]


def full_member_counts() -> QuerySet:
    """employer id → number of 正式党员 employed there."""
    return (Member.objects.filter(status=MemberStatus.FULL, employer__isnull=False)
            .order_by().values("employer_id").annotate(n=Count("id")))


def _org_finding(kind: str, org: Organization, detail: str = "") -> Finding:
    return Finding(kind, "organization", org.pk, org.name, org.area.name, org.area.code, detail)


def _party_finding(kind: str, po: PartyOrganization, detail: str = "") -> Finding:
    return Finding(kind, "party_organization", po.pk, po.name, po.area.name, po.area.code, detail)


def find_missing_branch(orgs: QuerySet, today: date) -> Iterator[Finding]:
    """应建未建: 3+ 正式党员 employed there, and no party organization of its own."""
    counts = full_member_counts().filter(n__gte=rules.OWN_BRANCH_MIN_FULL_MEMBERS)
    by_org = dict(counts.values_list("employer_id", "n"))
    qs = (orgs.filter(pk__in=counts.values("employer_id")).exclude(pk__in=single_org_ids())
          .select_related("area"))
    for org in qs.order_by("area__code", "id"):
        yield _org_finding("missing_branch", org, str(_("%(n)d full members")
                                                      % {"n": by_org.get(org.pk, 0)}))


def find_no_authority(orgs: QuerySet, today: date) -> Iterator[Finding]:
    """Responsibility gap: no 行业主管单位."""
    for org in orgs.filter(authority__isnull=True).select_related("area").order_by("area__code", "id"):
        yield _org_finding("no_authority", org)


def find_no_area(orgs: QuerySet, today: date) -> Iterator[Finding]:
    """Responsibility gap: registered to the district itself, no 街道/镇/乡/园区 responsible."""
    for org in orgs.filter(area__parent__isnull=True).select_related("area").order_by("id"):
        yield _org_finding("no_area", org)


def find_joint_too_large(party_orgs: QuerySet, today: date) -> Iterator[Finding]:
    """联合党支部 over 5 units."""
    qs = party_orgs.filter(kind__in=rules.BRANCH_KINDS,
                           unit_count__gt=rules.JOINT_BRANCH_MAX_UNITS)
    for po in qs.select_related("area").order_by("area__code", "id"):
        yield _party_finding("joint_too_large", po, str(_("%(n)d units") % {"n": po.unit_count}))


def find_branch_too_large(party_orgs: QuerySet, today: date) -> Iterator[Finding]:
    """党支部 over 50 members."""
    qs = (party_orgs.filter(kind__in=rules.BRANCH_KINDS).annotate(n=Count("members"))
          .filter(n__gt=rules.BRANCH_MAX_MEMBERS))
    for po in qs.select_related("area").order_by("area__code", "id"):
        yield _party_finding("branch_too_large", po, str(_("%(n)d members") % {"n": po.n}))


def find_no_committee(party_orgs: QuerySet, today: date) -> Iterator[Finding]:
    """7+ 正式党员 and no 支委会."""
    qs = (party_orgs.filter(kind__in=rules.BRANCH_KINDS, committee_size=0)
          .annotate(n=Count("members", filter=Q(members__status=MemberStatus.FULL)))
          .filter(n__gte=rules.COMMITTEE_MIN_FULL_MEMBERS))
    for po in qs.select_related("area").order_by("area__code", "id"):
        yield _party_finding("no_committee", po, str(_("%(n)d full members") % {"n": po.n}))


def find_term_expired(party_orgs: QuerySet, today: date) -> Iterator[Finding]:
    """Term ended: from the day after its end the election is overdue. Without a recorded end,
    the term ends 3 years after its start (村/社区: 5)."""
    qs = party_orgs.filter(Q(term_end__lt=today) | Q(term_end__isnull=True, term_start__lt=today))
    for po in sorted(qs.select_related("area"), key=lambda p: (p.effective_term_end, p.pk)):
        end = po.effective_term_end
        if rules.term_expired(end, today):
            yield _party_finding("term_expired", po, str(_("ended %(day)s") % {"day": end}))


def find_no_secretary(party_orgs: QuerySet, today: date) -> Iterator[Finding]:
    for po in party_orgs.filter(secretary__isnull=True).select_related("area").order_by("area__code", "id"):
        yield _party_finding("no_secretary", po)


FINDING_KINDS: dict[str, FindingKind] = {k.code: k for k in [
    FindingKind("missing_branch", _("Should have its own branch (应建未建)"), "organization",
                find_missing_branch),
    FindingKind("joint_too_large", _("Joint branch over 5 units"), "party_organization",
                find_joint_too_large),
    FindingKind("branch_too_large", _("Branch over 50 members"), "party_organization",
                find_branch_too_large),
    FindingKind("no_committee", _("7+ full members without a committee"), "party_organization",
                find_no_committee),
    FindingKind("term_expired", _("Term expired"), "party_organization", find_term_expired),
    FindingKind("no_secretary", _("No secretary"), "party_organization", find_no_secretary),
    FindingKind("no_authority", _("No industry authority"), "organization", find_no_authority),
    FindingKind("no_area", _("No area responsible"), "organization", find_no_area),
]}


def findings_for(actor: User, *, kind: str = "", area_code: str = "",
                 today: date | None = None) -> list[Finding]:
    """Every finding in the actor's scope, optionally of one kind and under one area."""
    today = today or timezone.localdate()
    orgs = organizations_visible_to(actor)
    party_orgs = visible_to(actor, PartyOrganization.objects.all(), PARTY_ORG_SCOPE)
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        ids = area_ids_under(area.id) if area else []
        orgs, party_orgs = orgs.filter(area_id__in=ids), party_orgs.filter(area_id__in=ids)
    result: list[Finding] = []
    for code, finding_kind in FINDING_KINDS.items():
        if kind and kind != code:
            continue
        source = orgs if finding_kind.subject == "organization" else party_orgs
        result.extend(finding_kind.find(source, today))
    return result


def finding_counts(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(FINDING_KINDS, 0)
    for finding in findings:
        counts[finding.kind] += 1
    return counts
