"""Bearer-token authentication for machine clients (beside the session auth of the web UI).

No Authorization header → the next auth class (the session) is tried. A header with a token
that is unknown, revoked or expired is refused at once with 401 and its own code, so that a
client can tell "ask for a new token" from "fix your request".
"""
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from sanxin.accounts.models import User
from sanxin.core.apitools import ApiError

from .audit import bind_token
from .models import ApiToken
from .ratelimit import check_rate
from .tokens import hash_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = (ApiToken.objects.select_related("client__user")
                     .filter(token_hash=hash_token(token.strip())).first())
        if api_token is None:
            raise ApiError(401, "token_invalid", headers={"WWW-Authenticate": "Bearer"})
        request.api_token = api_token  # the request log names the client even when refused
        account = api_token.client.user
        if api_token.revoked_at is not None or not account.is_active:
            raise ApiError(401, "token_revoked", headers={"WWW-Authenticate": "Bearer"})
        if api_token.expires_at <= timezone.now():
            raise ApiError(401, "token_expired", headers={"WWW-Authenticate": "Bearer"})
        check_rate(api_token)
        request.user = account  # code that reads request.user sees the same actor
        bind_token(api_token)  # audit entries of this request name the client
        return account
