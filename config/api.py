"""The one NinjaAPI: every app's `api.router` is mounted under its app label."""
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import SessionAuth


class ActorSessionAuth(SessionAuth):
    """Session auth for the web UI; `request.auth` is the acting user."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


api = NinjaAPI(
    title="Sanxin API",
    version="1",
    description="Party building in the three new domains and door-to-door enterprise service.",
    auth=[ActorSessionAuth()],
    urls_namespace="api",
)


def _mount_routers() -> None:
    for app in settings.SANXIN_APPS:
        try:
            module = import_module(f"{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.api":
                raise
            continue
        api.add_router(f"/{app.rsplit('.', 1)[-1]}/", module.router)


_mount_routers()
