"""The audit log (django-auditlog) names the machine client behind an API change.

auditlog's middleware takes the actor from `request.user` before the view runs, which for a
token request is still anonymous (the token is checked inside the API). So the token auth binds
the token here for the length of the request, and every audit entry written meanwhile gets the
client's service account as actor and `additional_data["api_client"]` = {id, name, token}
(the remote address is auditlog's own, from its middleware)."""
from contextvars import ContextVar

from auditlog.models import LogEntry
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import ApiToken

_current_token: ContextVar[ApiToken | None] = ContextVar("sanxin_api_token", default=None)


def bind_token(token: ApiToken | None) -> None:
    """Called by the token auth once the token is accepted, and with None when the request
    ends (sanxin.apiclients.requestlog.logged)."""
    _current_token.set(token)


@receiver(pre_save, sender=LogEntry, dispatch_uid="sanxin.apiclients.audit")
def stamp_api_client(sender, instance: LogEntry, **kwargs) -> None:
    token = _current_token.get()
    if token is None or instance.pk is not None:
        return
    account = token.client.user
    if instance.actor_id is None:
        instance.actor = account
        instance.actor_email = getattr(account, "email", None) or None
    data = dict(instance.additional_data or {})
    data["api_client"] = {"id": token.client_id, "name": token.client.name, "token": token.prefix}
    instance.additional_data = data
