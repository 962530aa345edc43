from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths


def _served_by_officer(role: Role, actor: User) -> Q:
    from sanxin.service.models import Assignment

    return Q(pk__in=Assignment.objects.filter(officer__user=actor, ended_at__isnull=True)
             .values("organization_id"))


ORGANIZATION_SCOPE = ScopePaths(
    area="area_id",
    department="authority_id",
    organization="pk",
    officer=_served_by_officer,
)


def organization_paths(prefix: str) -> ScopePaths:
    """Scope paths for a model that points at an organization through `prefix`."""

    def served(role: Role, actor: User) -> Q:
        from sanxin.service.models import Assignment

        return Q(**{f"{prefix}_id__in": Assignment.objects.filter(
            officer__user=actor, ended_at__isnull=True).values("organization_id")})

    return ScopePaths(
        area=f"{prefix}__area_id",
        department=f"{prefix}__authority_id",
        organization=f"{prefix}_id",
        officer=served,
    )
