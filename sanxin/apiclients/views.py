"""The district's page for machine clients: create, issue a token (shown once), revoke, and see
each client's recent requests."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiClientForm, TokenLifetimeForm
from .selectors import clients_visible_to, get_client, get_token, recent_requests
from .services import api_client_create, api_token_issue, api_token_revoke, can_manage_clients


def _district_only(request: HttpRequest) -> None:
    if not can_manage_clients(request.user):
        raise PermissionDenied


def _show_token_once(request: HttpRequest, client, plaintext: str) -> HttpResponse:
    # Rendered in the POST's answer and never stored in clear: reloading will not show it again.
    response = render(request, "apiclients/token_created.html", {"client": client, "token": plaintext})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    _district_only(request)
    return render(request, "apiclients/client_list.html",
                  {"clients": clients_visible_to(request.user)})


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    _district_only(request)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client, plaintext = api_client_create(
            actor=request.user, name=data["name"], description=data["description"],
            role_kind=data["role_kind"], area=data["area"], department=data["department"],
            organization=data["organization"], sees_personal_data=data["sees_personal_data"],
            rate_limit_per_minute=data["rate_limit_per_minute"],
            expires_in_days=data["expires_in_days"])
        return _show_token_once(request, client, plaintext)
    return render(request, "apiclients/client_form.html", {"form": form})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _district_only(request)
    client = get_client(request.user, pk)
    return render(request, "apiclients/client_detail.html", {
        "client": client, "roles": client.user.roles.select_related("area", "department",
                                                                      "organization"),
        "tokens": client.tokens.all(), "requests": recent_requests(client),
        "token_form": TokenLifetimeForm()})


@login_required
@require_POST
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _district_only(request)
    client = get_client(request.user, pk)
    form = TokenLifetimeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("expires_in_days", []):
            messages.error(request, _("Token valid for (days): %(error)s") % {"error": error})
        return redirect("apiclients:client_detail", pk=client.pk)
    _token, plaintext = api_token_issue(actor=request.user, client=client,
                                   expires_in_days=form.cleaned_data["expires_in_days"])
    return _show_token_once(request, client, plaintext)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _district_only(request)
    token = get_token(request.user, pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("apiclients:client_detail", pk=token.client_id)
