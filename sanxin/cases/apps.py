from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sanxin.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from .pagecache import connect_signals

        connect_signals()
