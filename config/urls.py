from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sanxin.accounts import views as account_views

from .api import api


def _app_urls() -> list:
    patterns = []
    for app in settings.SANXIN_APPS:
        try:
            import_module(f"{app}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.urls":
                raise
            continue
        patterns.append(path("", include(f"{app}.urls")))
    return patterns


urlpatterns = [
    path("", account_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *_app_urls(),
]
