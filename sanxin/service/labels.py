"""Human words for the optimizer's reasons and a plan's rows (translated at display time)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxin.registry.models import Organization

from .models import Assignment, AssignmentPlan, AssignmentSource, ServiceOfficer

REASONS = {
    "kept": gettext_lazy("kept the current officer"),
    "manual": gettext_lazy("manual override kept"),
    "unassigned": gettext_lazy("had no officer"),
    "officer_left": gettext_lazy("the officer left or is inactive"),
    "area_rule": gettext_lazy("the officer may not serve this area"),
    "capacity": gettext_lazy("the officer was over capacity"),
    "optimized": gettext_lazy("a better overall plan"),
    "greedy": gettext_lazy("nearest officer with room"),
}


def reason_code_label(code: str) -> str:
    return str(REASONS.get(code, code))


def reason_label(assignment: Assignment) -> str:
    """Why this pair exists: who or what made it, and the distance, area and industry facts."""
    reason = assignment.reason or ""
    detail = getattr(assignment, "detail", None) if _has_detail(assignment) else None
    if reason.startswith("optimizer:"):
        text = _("Optimizer: %(why)s") % {"why": reason_code_label(reason.split(":", 1)[1])}
    elif detail is not None and detail.source == AssignmentSource.MANUAL:
        text = _("Manual override: %(why)s") % {"why": reason}
    else:
        text = reason
    facts = []
    if detail is not None:
        if detail.distance_m is not None:
            facts.append(_("%(km).1f km away") % {"km": detail.distance_m / 1000})
        if detail.same_area is not None:
            facts.append(_("same area") if detail.same_area else _("district-level officer"))
        if detail.industry_match is not None:
            facts.append(_("knows the industry") if detail.industry_match
                         else _("does not know the industry"))
    return f"{text} ({', '.join(facts)})" if facts else text


def _has_detail(assignment: Assignment) -> bool:
    try:
        return assignment.detail is not None
    except Assignment.detail.RelatedObjectDoesNotExist:
        return False


def plan_rows(plan: AssignmentPlan, limit: int = 300) -> list[dict]:
    """The first `limit` changes of a plan, with names."""
    moves = plan.moves[:limit]
    orgs = Organization.objects.in_bulk([m[0] for m in moves])
    officer_ids = {m[1] for m in moves} | {m[5] for m in moves if m[5]}
    officers = ServiceOfficer.objects.select_related("user").in_bulk(list(officer_ids))
    rows = []
    for org_id, officer_id, distance, match, same_area, previous, reason in moves:
        rows.append({
            "organization": orgs.get(org_id), "officer": officers.get(officer_id),
            "previous": officers.get(previous) if previous else None,
            "distance_km": None if distance is None else distance / 1000,
            "industry_match": match, "same_area": same_area, "why": reason_code_label(reason),
        })
    return rows
