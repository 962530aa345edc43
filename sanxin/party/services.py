"""Writes of the party app: one transaction each, audited by django-auditlog."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User

from .forms import InstructorForm, MemberForm, PartyOrganizationForm
from .models import Instructor, InstructorAssignment, Member, PartyOrganization


def can_edit_party(actor: User) -> bool:
    """District and township party offices keep the party organization records."""
    return actor.has_role("district", "area")


def party_org_save(*, actor: User, form: PartyOrganizationForm) -> PartyOrganization:
    """Create or update a party organization and the organizations it covers."""
    if not can_edit_party(actor):
        raise PermissionDenied
    with transaction.atomic():
        party_org = form.save()
        party_org.units.set(form.cleaned_data.get("units") or [])
        return party_org


def member_save(*, actor: User, form: MemberForm) -> Member:
    if not can_edit_party(actor):
        raise PermissionDenied
    with transaction.atomic():
        return form.save()


def instructor_save(*, actor: User, form: InstructorForm) -> Instructor:
    """Create or update an instructor; the organizations listed become the current assignments."""
    if not can_edit_party(actor):
        raise PermissionDenied
    with transaction.atomic():
        instructor = form.save()
        set_current_organizations(instructor, {o.pk for o in form.cleaned_data.get("organizations") or []})
        return instructor


def set_current_organizations(instructor: Instructor, wanted: set[int]) -> None:
    """The organizations `wanted` become the instructor's current ones: the others end today, new
    ones start today, history is kept (the form and the import). Callers check the right to edit."""
    current = list(InstructorAssignment.objects.select_for_update().filter(
        instructor=instructor, ended_on__isnull=True))
    # One save each (a few per instructor): the coverage summary follows each through signals.
    for assignment in current:
        if assignment.organization_id not in wanted:
            assignment.ended_on = timezone.localdate()
            assignment.save(update_fields=["ended_on"])
    kept = {a.organization_id for a in current}
    for pk in sorted(wanted - kept):
        InstructorAssignment.objects.create(instructor=instructor, organization_id=pk)
