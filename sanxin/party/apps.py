from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "sanxin.party"
    label = "party"
    verbose_name = _("Party organizations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps PartyOrganization.unit_count current)
