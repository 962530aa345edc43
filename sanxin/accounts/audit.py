"""Audit: field changes through django-auditlog; unmasked personal-data reads through
`record_personal_data_read`, written in the caller's transaction."""
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .models import PersonalDataRead, User

# Audit entries younger than this are never deleted (the retention promise of docs/operations.md).
AUDIT_MIN_RETENTION_DAYS = 183


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def record_personal_data_read(*, actor: User, model: type[models.Model], fields: Iterable[str],
                              channel: str, object_id: object = "", rows: int = 1,
                              request: HttpRequest | None = None) -> PersonalDataRead:
    return PersonalDataRead.objects.create(
        actor=actor, content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id or ""), fields=",".join(fields), rows=rows, channel=channel,
        remote_addr=client_address(request),
    )
