"""API of machine clients: who am I (any caller), and for district people the same management
as the page (list, create with a first token, revoke). A machine token never manages tokens."""
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from sanxin.accounts.models import RoleKind
from sanxin.core.apitools import ApiError, InputSchema
from sanxin.registry.models import Area, Department, Organization

from .forms import MAX_TOKEN_DAYS
from .models import ApiClient, ApiToken
from .selectors import clients_visible_to, get_token
from .services import api_client_create, api_token_revoke, can_manage_clients

router = Router(tags=["api clients"])


class RoleOut(Schema):
    kind: str
    area_code: str | None = None
    department_code: str | None = None
    organization_id: int | None = None
    sees_personal_data: bool

    @staticmethod
    def resolve_area_code(role) -> str | None:
        return role.area.code if role.area_id else None

    @staticmethod
    def resolve_department_code(role) -> str | None:
        return role.department.code if role.department_id else None


class MeOut(Schema):
    username: str
    client: str | None = Field(None, description="the machine client's name; null for a person")
    token_prefix: str | None = None
    token_expires_at: datetime | None = None
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    prefix: str
    state: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_state(token: ApiToken) -> str:
        return token.state()


class ClientOut(Schema):
    id: int
    name: str
    description: str
    rate_limit_per_minute: int
    roles: list[RoleOut]
    tokens: list[TokenOut]

    @staticmethod
    def resolve_roles(client: ApiClient) -> list:
        return list(client.user.roles.select_related("area", "department"))

    @staticmethod
    def resolve_tokens(client: ApiClient) -> list:
        return list(client.tokens.all())


class ClientIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=300)
    role_kind: RoleKind = Field(..., description="district, area, department or organization")
    area_code: str | None = Field(None, description="for role_kind=area")
    department_code: str | None = Field(None, description="for role_kind=department")
    organization_credit_code: str | None = Field(None, description="for role_kind=organization")
    sees_personal_data: bool = False
    rate_limit_per_minute: int = Field(120, ge=1, le=100_000)
    expires_in_days: int = Field(365, ge=1, le=MAX_TOKEN_DAYS)


class ClientCreatedOut(Schema):
    client: ClientOut
    token: str = Field(..., description="shown this once; only its hash is stored")


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_clients(request.auth):
        raise PermissionDenied


@router.get("/me", response=MeOut, summary="The caller: its client, token and scope")
def me(request: HttpRequest):
    token = getattr(request, "api_token", None)
    return {"username": request.auth.username, "client": token.client.name if token else None,
            "token_prefix": token.prefix if token else None,
            "token_expires_at": token.expires_at if token else None,
            "roles": request.auth.scope_roles}


@router.get("/clients", response=list[ClientOut],
            summary="Machine clients (district people only)")
def list_clients(request: HttpRequest):
    _require_manager(request)
    return clients_visible_to(request.auth).prefetch_related("tokens")


def _target(payload: ClientIn) -> dict:
    """The role's target from codes; a missing or unknown one names its field."""
    lookups = {RoleKind.AREA: ("area", "area_code", Area.objects.exclude(kind="district"), "code"),
               RoleKind.DEPARTMENT: ("department", "department_code", Department.objects, "code"),
               RoleKind.ORGANIZATION: ("organization", "organization_credit_code",
                                       Organization.objects, "credit_code")}
    if payload.role_kind == RoleKind.OFFICER:
        raise ApiError(422, "invalid_choice", _("A machine client cannot act as a service officer."),
                       field="role_kind")
    if payload.role_kind not in lookups:
        return {}
    target, field, queryset, key = lookups[payload.role_kind]
    value = (getattr(payload, field) or "").strip().upper() if key == "credit_code" else (
        getattr(payload, field) or "").strip()
    if not value:
        raise ApiError(422, "required", field=field)
    row = queryset.filter(**{key: value}).first()
    if row is None:
        raise ApiError(422, "invalid", _("Nothing has this code."), field=field)
    return {target: row}


@router.post("/clients", response={201: ClientCreatedOut},
             summary="Create a machine client and its first token (district people only)")
def create_client(request: HttpRequest, payload: ClientIn):
    _require_manager(request)
    name = " ".join(payload.name.split())
    if not name:
        raise ApiError(422, "required", field="name")
    if ApiClient.objects.filter(name=name).exists():
        raise ApiError(409, "conflict", _("A client with this name already exists."), field="name")
    client, token = api_client_create(
        actor=request.auth, name=name, description=payload.description,
        role_kind=payload.role_kind, sees_personal_data=payload.sees_personal_data,
        rate_limit_per_minute=payload.rate_limit_per_minute,
        expires_in_days=payload.expires_in_days, **_target(payload))
    return Status(201, {"client": client, "token": token})


@router.post("/tokens/{token_id}/revoke", response=TokenOut,
             summary="Revoke a token at once (district people only)")
def revoke_token(request: HttpRequest, token_id: int):
    _require_manager(request)
    return api_token_revoke(actor=request.auth, token=get_token(request.auth, token_id))
