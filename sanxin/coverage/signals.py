"""Keep the coverage summary current on every ORM write that changes an input of the status or a
field the summary counts under: organizations, party organizations and their covered units,
instructors and their assignments, departments, service officers' assignments (`served`). Bulk
writes that send no signal call `summary.refresh_organizations`, `summary.refresh_registry_changes`
or `summary.after_bulk_write` themselves.

Connected after sanxin.party's receivers (INSTALLED_APPS order), so `unit_count` is already right
when a change of covered units is refreshed here.
"""
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from sanxin.party.models import Instructor, InstructorAssignment, PartyOrganization
from sanxin.registry.models import Department, Organization
from sanxin.service.models import Assignment

from .models import OrganizationCoverage
from .summary import refresh_organizations

Through = PartyOrganization.units.through


def _units_of(party_org_ids) -> list[int]:
    return list(Through.objects.filter(partyorganization_id__in=list(party_org_ids))
                .values_list("organization_id", flat=True))


def _party_orgs_of(org_ids) -> list[int]:
    return list(Through.objects.filter(organization_id__in=list(org_ids))
                .values_list("partyorganization_id", flat=True))


@receiver(post_save, sender=Organization, dispatch_uid="coverage_org_saved")
def _organization_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh_organizations([instance.pk])


@receiver(pre_delete, sender=Organization, dispatch_uid="coverage_org_deleting")
def _organization_deleting(sender, instance, **kwargs) -> None:
    # Its party organizations lose a unit: the other units may turn from 联建 to 单建.
    instance._coverage_neighbours = _units_of(_party_orgs_of([instance.pk]))


@receiver(post_delete, sender=Organization, dispatch_uid="coverage_org_deleted")
def _organization_deleted(sender, instance, **kwargs) -> None:
    refresh_organizations([instance.pk, *getattr(instance, "_coverage_neighbours", [])])


@receiver(post_save, sender=PartyOrganization, dispatch_uid="coverage_party_org_saved")
def _party_org_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.pk:  # its kind decides whether it covers
        refresh_organizations(_units_of([instance.pk]))


@receiver(pre_delete, sender=PartyOrganization, dispatch_uid="coverage_party_org_deleting")
def _party_org_deleting(sender, instance, **kwargs) -> None:
    instance._coverage_units = _units_of([instance.pk])


@receiver(post_delete, sender=PartyOrganization, dispatch_uid="coverage_party_org_deleted")
def _party_org_deleted(sender, instance, **kwargs) -> None:
    refresh_organizations(getattr(instance, "_coverage_units", []))


@receiver(m2m_changed, sender=Through, dispatch_uid="coverage_units_changed")
def _units_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A unit added or removed changes that unit and, through unit_count, every other unit of the
    same party organization (单建 ↔ 联建)."""
    if action == "pre_clear":
        instance._coverage_before_clear = (
            _party_orgs_of([instance.pk]) if reverse else _units_of([instance.pk]))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # instance is an organization, pk_set party organizations
        party_orgs = set(pk_set or ()) | set(getattr(instance, "_coverage_before_clear", []))
        refresh_organizations([instance.pk, *_units_of(party_orgs)])
    else:  # instance is a party organization, pk_set organizations
        before = getattr(instance, "_coverage_before_clear", [])
        refresh_organizations([*(pk_set or ()), *before, *_units_of([instance.pk])])


@receiver(pre_save, sender=InstructorAssignment, dispatch_uid="coverage_assignment_saving")
def _assignment_saving(sender, instance, raw=False, **kwargs) -> None:
    instance._coverage_was = (InstructorAssignment.objects.filter(pk=instance.pk)
                              .values_list("organization_id", flat=True).first()
                              if instance.pk and not raw else None)


@receiver(post_save, sender=InstructorAssignment, dispatch_uid="coverage_assignment_saved")
def _assignment_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh_organizations([instance.organization_id, getattr(instance, "_coverage_was", None)])


@receiver(post_delete, sender=InstructorAssignment, dispatch_uid="coverage_assignment_deleted")
def _assignment_deleted(sender, instance, **kwargs) -> None:
    refresh_organizations([instance.organization_id])


@receiver(post_save, sender=Instructor, dispatch_uid="coverage_instructor_saved")
def _instructor_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # active or not decides whether its assignments cover
        refresh_organizations(InstructorAssignment.objects.filter(instructor_id=instance.pk)
                              .values_list("organization_id", flat=True))


@receiver(post_delete, sender=Department, dispatch_uid="coverage_department_deleted")
def _department_deleted(sender, instance, **kwargs) -> None:
    # Its organizations' authority was set to NULL in bulk, without a signal of their own.
    refresh_organizations(OrganizationCoverage.objects.filter(authority_id=instance.pk)
                          .values_list("pk", flat=True))


@receiver(post_save, sender=Assignment, dispatch_uid="coverage_service_assignment_saved")
def _service_assignment_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # a new current pair, or one ended: the organization's `served` may change
        refresh_organizations([instance.organization_id])


@receiver(post_delete, sender=Assignment, dispatch_uid="coverage_service_assignment_deleted")
def _service_assignment_deleted(sender, instance, **kwargs) -> None:
    refresh_organizations([instance.organization_id])
