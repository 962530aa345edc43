from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanxin.registry.selectors import organizations_visible_to

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


logout_view = auth_views.LogoutView.as_view()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    orgs = organizations_visible_to(request.user)
    by_domain = dict(orgs.values_list("domain").annotate(n=Count("id")).order_by())
    return render(request, "home.html", {
        "total": sum(by_domain.values()),
        "by_domain": by_domain,
        "sanyou": orgs.filter(is_sanyou=True).count(),
    })
