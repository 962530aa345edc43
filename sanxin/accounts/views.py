from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext as _

from .forms import AuditFilterForm, LoginForm
from .selectors import (
    AuditFilter,
    audit_entries,
    locked_accounts,
    personal_data_reads,
    require_district,
)
from .services import account_unlock


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


logout_view = auth_views.LogoutView.as_view()


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


# The start page of each role: the first of these that the project routes.
HOME_BY_ROLE = {"officer": ["service:home", "dashboard:dashboard"]}
DEFAULT_HOME = ["dashboard:dashboard", "registry:organization_list"]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    kinds = [role.kind for role in request.user.scope_roles]
    candidates = [name for kind in kinds for name in HOME_BY_ROLE.get(kind, [])] + DEFAULT_HOME
    for name in candidates:
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return redirect("registry:organization_list")


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    require_district(request.user)
    form = AuditFilterForm(request.GET or None)
    flt = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v}) if form.is_valid() \
        else AuditFilter()
    tab = "reads" if request.GET.get("tab") == "reads" else "changes"
    source = personal_data_reads if tab == "reads" else audit_entries
    page = Paginator(source(request.user, flt), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit.html", {"form": form, "page": page, "tab": tab,
                                                   "query": query.urlencode()})


@login_required
def locked_accounts_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        username = request.POST.get("username", "")
        account_unlock(actor=request.user, username=username)
        messages.success(request, _("%(user)s is unlocked.") % {"user": username})
        return redirect("accounts:locked")
    return render(request, "accounts/locked.html",
                  {"attempts": locked_accounts(request.user)})
