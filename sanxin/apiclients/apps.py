from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiClientsConfig(AppConfig):
    name = "sanxin.apiclients"
    label = "apiclients"
    verbose_name = _("API clients")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the audit log's stamp of the API client)
