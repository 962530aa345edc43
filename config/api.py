"""The one NinjaAPI: every app's `api.router` is mounted under its app label.

Conventions for every router (docs/api.md): token or session auth (`request.auth` is the acting
user), the error envelope of sanxin/apiclients/errors.py, datetimes in Asia/Shanghai, the docs
page served from our own static files (CSP script-src 'self'), every token request logged.
"""
import datetime
import json
from importlib import import_module

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import SessionAuth

from sanxin.apiclients.auth import ApiTokenAuth
from sanxin.apiclients.errors import install_error_handlers, refuse_nul_characters
from sanxin.apiclients.requestlog import logged
from sanxin.core.apitools import ErrorOut


class ActorSessionAuth(SessionAuth):
    """Session auth for the web UI; `request.auth` is the acting user."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


class LocalTimeJSONEncoder(NinjaJSONEncoder):
    """ISO 8601 in the district's time zone (Asia/Shanghai, +08:00) rather than UTC."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and timezone.is_aware(o):
            return DjangoJSONEncoder.default(self, timezone.localtime(o))
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(Swagger):
    """Swagger UI from static/vendor/swagger-ui (scripts/vendor_assets.sh), never a CDN."""

    template = "apiclients/api_docs.html"
    template_cdn = template

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {
            "swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": True})


ERROR_RESPONSES = {
    "401": "No token, or an invalid, expired or revoked one",
    "403": "Forbidden for this role",
    "404": "Not found, or outside the caller's scope",
    "422": "Invalid input: wrong type, unknown field, value out of range",
    "429": "Rate limit reached (see Retry-After)",
}
BODY_ERROR_RESPONSES = {"400": "Malformed JSON", "413": "Request body too large"}
WRITE_ERROR_RESPONSES = {
    "409": "Conflicts with the current state",
    "412": "If-Match is stale: the record changed since it was read",
    "428": "If-Match is required for this write",
}


class SanxinAPI(NinjaAPI):
    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if hasattr(pattern, "callback"):
                pattern.callback = logged(refuse_nul_characters(self, pattern.callback))
        return patterns

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Every operation documents the shared error responses, so that clients (and the
        contract tests) know them."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        reference = {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema.get("paths", {}).values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                extra = dict(ERROR_RESPONSES)
                if method != "get":
                    extra.update(BODY_ERROR_RESPONSES)
                    extra.update(WRITE_ERROR_RESPONSES)
                declared = {str(status) for status in responses}  # ninja's keys are ints
                for status, description in extra.items():
                    if status not in declared:
                        responses[status] = {"description": description, **reference}
        return schema


api = SanxinAPI(
    title="Sanxin API",
    version="1",
    description="Party building in the three new domains and door-to-door enterprise service. "
                "Authenticate with `Authorization: Bearer <token>` (docs/api.md).",
    # The token first: the session auth refuses a POST without a CSRF token before any other
    # auth class is tried, which would shut machine clients out of every write.
    auth=[ApiTokenAuth(), ActorSessionAuth()],
    renderer=LocalTimeRenderer(),
    docs=LocalSwagger(),
    urls_namespace="api",
)
install_error_handlers(api)


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
