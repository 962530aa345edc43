from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "sanxin.coverage"
    label = "coverage"
    verbose_name = _("Coverage")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the coverage summary current)
