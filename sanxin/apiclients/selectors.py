"""Reads of API clients: only the district sees them (no scope path reaches a client)."""
from django.db.models import Count, Max, QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import ScopePaths, get_visible_or_404, visible_to

from .models import ApiClient, ApiRequestLog, ApiToken

# No role but the district reaches a machine client: its scope is a district decision.
CLIENT_SCOPE = ScopePaths()
TOKEN_SCOPE = ScopePaths()


def clients_visible_to(actor: User) -> QuerySet[ApiClient]:
    return visible_to(actor, ApiClient.objects.all(), CLIENT_SCOPE).select_related("user").annotate(
        request_count=Count("requests", distinct=True), last_request_at=Max("requests__at"))


def get_client(actor: User, pk) -> ApiClient:
    return get_visible_or_404(
        visible_to(actor, ApiClient.objects.select_related("user"), CLIENT_SCOPE), pk)


def get_token(actor: User, pk) -> ApiToken:
    return get_visible_or_404(
        visible_to(actor, ApiToken.objects.select_related("client"), TOKEN_SCOPE), pk)


def recent_requests(client: ApiClient, limit: int = 100) -> QuerySet[ApiRequestLog]:
    """The client has already been fetched through the actor's scope."""
    return client.requests.select_related("token").order_by("-at", "-id")[:limit]
