"""Keep PartyOrganization.unit_count equal to the number of covered organizations.

Whoever changes `units` through the ORM (`add`, `remove`, `set`, `clear`, from either side) keeps
the count right; bulk inserts into the through table must call `refresh_unit_counts()`.
"""
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver

from .models import PartyOrganization

Through = PartyOrganization.units.through


def refresh_unit_counts(party_org_ids: Iterable[int] | None = None) -> None:
    counts = (Through.objects.filter(partyorganization_id=OuterRef("pk"))
              .values("partyorganization_id").annotate(n=Count("id")).values("n"))
    qs = PartyOrganization.objects.all()
    if party_org_ids is not None:
        qs = qs.filter(pk__in=list(party_org_ids))
    qs.update(unit_count=Coalesce(Subquery(counts), 0))


@receiver(m2m_changed, sender=Through)
def _units_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action == "pre_clear":
            return
        refresh_unit_counts([instance.pk])
        instance.unit_count = PartyOrganization.objects.values_list(
            "unit_count", flat=True).get(pk=instance.pk)
        return
    # Reverse side: organization.party_organizations.add/remove/clear.
    if action == "pre_clear":
        instance._sanxin_cleared_party_orgs = list(
            Through.objects.filter(organization_id=instance.pk)
            .values_list("partyorganization_id", flat=True))
        return
    ids = pk_set if action != "post_clear" else getattr(instance, "_sanxin_cleared_party_orgs", [])
    refresh_unit_counts(ids or [])


@receiver(pre_delete, sender="registry.Organization", dispatch_uid="party_unit_deleting")
def _unit_deleting(sender, instance, **kwargs) -> None:
    """Deleting an organization drops its through rows in bulk, without m2m_changed."""
    instance._sanxin_party_orgs = list(Through.objects.filter(organization_id=instance.pk)
                                       .values_list("partyorganization_id", flat=True))


@receiver(post_delete, sender="registry.Organization", dispatch_uid="party_unit_deleted")
def _unit_deleted(sender, instance, **kwargs) -> None:
    if getattr(instance, "_sanxin_party_orgs", None):
        refresh_unit_counts(instance._sanxin_party_orgs)
