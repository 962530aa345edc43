from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "sanxin.partylife"
    label = "partylife"
    verbose_name = _("Party life")
