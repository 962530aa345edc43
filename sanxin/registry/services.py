"""Writes to the registry: one transaction each, audited by django-auditlog."""
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanxin.accounts.models import User

from .forms import OrganizationForm
from .models import Organization
from .selectors import areas_visible_to


def can_edit_organizations(actor: User) -> bool:
    return actor.has_role("district", "area")


def organization_save(*, actor: User, form: OrganizationForm) -> Organization:
    """Create or update from a validated form; the area must be one the actor may manage."""
    if not can_edit_organizations(actor):
        raise PermissionDenied
    if not areas_visible_to(actor).filter(pk=form.cleaned_data["area"].pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        return form.save()
