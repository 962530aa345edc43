"""A member's rights over their personal data: everything held about them, exported for them, and
erasure on request where the rules allow (rules.ERASURE_REFUSED_ROLES).

Both are for the district only (区委两新工委, the controller of the data) and both are audited:
the export as an unmasked personal-data read, the erasure as an audit entry that names who, when,
why, and which fields were erased, never their old values. Erasure pseudonymises the member's row
and the development record that led to it and keeps every row that counts (attendance, study,
volunteering, membership), so counts and rates are unchanged.
"""
from __future__ import annotations

import datetime
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.accounts.audit import record_personal_data_read
from sanxin.accounts.models import User

from . import rules
from .models import Member

ERASED_FIELDS = ("name", "id_number", "id_digest", "phone", "birth_date")


def require_district(actor: User) -> None:
    if not actor.is_district:
        raise PermissionDenied


def _rows(queryset, *fields: str) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in queryset.values(*fields)]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, int | bool | str) else value


def member_data(*, actor: User, member: Member, request=None) -> dict[str, Any]:
    """Every row about the member, unmasked (for the member: 个人信息保护法 第四十五条)."""
    require_district(actor)
    from sanxin.partylife.models import Attendance, Candidate, StudyRecord, VolunteerParticipation

    record_personal_data_read(actor=actor, model=Member, fields=("id_number", "phone"),
                              channel="export", object_id=member.pk, request=request)
    return {
        "exported_at": timezone.now().isoformat(),
        "member": {
            "id": member.pk, "name": member.name, "gender": member.gender,
            "birth_date": _plain(member.birth_date), "id_number": member.id_number,
            "phone": member.phone, "status": member.status, "joined_on": _plain(member.joined_on),
            "full_on": _plain(member.full_on), "is_flowing": member.is_flowing,
            "role": member.role, "party_organization": member.party_organization.name,
            "employer": member.employer.name if member.employer else None,
            "erased_at": _plain(member.erased_at),
        },
        "attendance": _rows(Attendance.objects.filter(member=member).order_by("meeting__held_on"),
                            "meeting__held_on", "meeting__kind", "status", "reason", "made_up_on"),
        "study": _rows(StudyRecord.objects.filter(member=member).order_by("studied_on"),
                       "studied_on", "mode", "topic", "hours"),
        "volunteering": _rows(
            VolunteerParticipation.objects.filter(member=member).order_by("activity__held_on"),
            "activity__held_on", "activity__title", "hours"),
        "vanguard_units": _rows(member.vanguard_units.order_by("id"), "name"),
        "development": _rows(Candidate.objects.filter(member=member).order_by("applied_on"),
                             "stage", "applied_on", "activist_on", "candidate_on", "admitted_on",
                             "full_on"),
    }


def erasure_refusal(member: Member) -> str | None:
    """Why the rules keep this member's personal data, or None when it may be erased."""
    if member.erased_at:
        return _("This member's personal data was already erased.")
    if member.role in rules.ERASURE_REFUSED_ROLES or \
            member.party_organization.secretary_id == member.pk:
        return _("%(name)s holds an office in %(org)s: the party's records must name office "
                 "holders. Hand the office to someone else first.") % {
            "name": member.name, "org": member.party_organization.name}
    return None


def pseudonym(member: Member) -> str:
    return _("Erased member %(id)s") % {"id": member.pk}


@transaction.atomic
def member_erase(*, actor: User, member: Member, reason: str, request=None) -> Member:
    """Pseudonymise the member's personal fields; keep the rows that counts and rates use."""
    require_district(actor)
    from sanxin.partylife.models import Candidate

    member = Member.objects.select_for_update().get(pk=member.pk)
    refusal = erasure_refusal(member)
    if refusal:
        raise ValidationError(refusal, code="erasure_refused")
    if not reason.strip():
        raise ValidationError(_("Give the reason (the member's request and its reference)."),
                              code="reason_required")
    name = pseudonym(member)
    candidates = [str(pk) for pk in Candidate.objects.filter(member=member).values_list("pk", flat=True)]
    with disable_auditlog():  # the field-change log would keep the old values
        Member.objects.filter(pk=member.pk).update(
            name=name, id_number="", id_digest=None, phone="", birth_date=None,
            erased_at=timezone.now(), updated_at=timezone.now())
        Candidate.objects.filter(member=member).update(name=name, birth_date=None)
    member_type = ContentType.objects.get_for_model(Member)
    # Earlier audit entries of this person hold the old values: keep that they happened, not what.
    for model, pks in ((Member, [str(member.pk)]), (Candidate, candidates)):
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                object_pk__in=pks).update(
            object_repr=name, changes={}, changes_text="", serialized_data=None)
    LogEntry.objects.create(
        content_type=member_type, object_pk=str(member.pk), object_id=member.pk,
        object_repr=name, action=LogEntry.Action.UPDATE, actor=actor,
        remote_addr=request.META.get("REMOTE_ADDR") if request else None,
        changes={field: ["[erased]", "[erased]"] for field in ERASED_FIELDS},
        additional_data={"erasure": True, "reason": reason.strip()})
    member.refresh_from_db()
    return member
