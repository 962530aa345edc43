"""Writes for machine clients, each one transaction; only the district issues and revokes."""
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import Role, User

from .models import ApiClient, ApiRequestLog, ApiToken
from .tokens import hash_token, new_token


def is_service_account(user: User) -> bool:
    return ApiClient.objects.filter(user_id=user.pk).exists()


def can_manage_clients(actor: User) -> bool:
    """A district person; never a machine client, whatever its scope (no token mints tokens)."""
    return (actor.is_authenticated and actor.is_active and actor.is_district
            and not is_service_account(actor))


def _require_district(actor: User) -> None:
    if not can_manage_clients(actor):
        raise PermissionDenied


def _issue(*, actor: User, client: ApiClient, expires_in_days: int) -> tuple[ApiToken, str]:
    plaintext, prefix = new_token()
    token = ApiToken.objects.create(
        client=client, prefix=prefix, token_hash=hash_token(plaintext),
        expires_at=timezone.now() + timedelta(days=expires_in_days), created_by=actor)
    return token, plaintext


def api_client_create(*, actor: User, name: str, role_kind: str, expires_in_days: int,
                      description: str = "", area=None, department=None, organization=None,
                      sees_personal_data: bool = False,
                      rate_limit_per_minute: int = 120) -> tuple[ApiClient, str]:
    """A client, its service account with one role, and a first token (returned once)."""
    _require_district(actor)
    with transaction.atomic():
        account = User(username=f"api-{uuid.uuid4().hex[:16]}", full_name=name)
        account.set_unusable_password()
        account.save()
        Role.objects.create(user=account, kind=role_kind, area=area, department=department,
                            organization=organization, sees_personal_data=sees_personal_data,
                            title=name[:50])
        client = ApiClient.objects.create(
            name=name, description=description, user=account, created_by=actor,
            rate_limit_per_minute=rate_limit_per_minute)
        _, plaintext = _issue(actor=actor, client=client, expires_in_days=expires_in_days)
    return client, plaintext


def api_token_issue(*, actor: User, client: ApiClient, expires_in_days: int) -> tuple[ApiToken, str]:
    """Another token for a client (rotation): the old one keeps working until revoked."""
    _require_district(actor)
    with transaction.atomic():
        return _issue(actor=actor, client=client, expires_in_days=expires_in_days)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    _require_district(actor)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def api_request_record(*, token: ApiToken, method: str, path: str, status_code: int,
                       duration_ms: int) -> ApiRequestLog:
    """System write (the request itself is the actor): one log row per token request."""
    return ApiRequestLog.objects.create(
        client_id=token.client_id, token=token, method=method[:10], path=path[:300],
        status_code=status_code, duration_ms=max(0, duration_ms))


def api_request_log_prune(*, now=None) -> int:
    """System job (the daily audit cleanup): deletes request log rows older than
    `API_REQUEST_LOG_RETENTION_DAYS`; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.API_REQUEST_LOG_RETENTION_DAYS)
    deleted, _ = ApiRequestLog.objects.filter(at__lt=cutoff).delete()
    return deleted
