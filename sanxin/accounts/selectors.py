"""Reads of the trust data (audit trail, personal-data reads, lock-outs): district only."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from .models import PersonalDataRead, User


def require_district(actor: User) -> None:
    if not actor.is_district:
        raise PermissionDenied


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""
    model: str = ""        # "app_label.model"
    object_id: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(actor: User, flt: AuditFilter) -> QuerySet[LogEntry]:
    require_district(actor)
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if flt.user:
        qs = qs.filter(actor__username=flt.user)
    if flt.model and "." in flt.model:
        app_label, model = flt.model.split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if flt.object_id:
        qs = qs.filter(object_pk=flt.object_id)
    if flt.since:
        qs = qs.filter(timestamp__gte=_day_start(flt.since))
    if flt.until:
        qs = qs.filter(timestamp__lt=_day_start(flt.until + timedelta(days=1)))
    return qs


def personal_data_reads(actor: User, flt: AuditFilter) -> QuerySet[PersonalDataRead]:
    require_district(actor)
    qs = PersonalDataRead.objects.select_related("actor", "content_type")
    if flt.user:
        qs = qs.filter(actor__username=flt.user)
    if flt.since:
        qs = qs.filter(at__gte=_day_start(flt.since))
    if flt.until:
        qs = qs.filter(at__lt=_day_start(flt.until + timedelta(days=1)))
    return qs


def locked_accounts(actor: User) -> QuerySet[AccessAttempt]:
    require_district(actor)
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")
