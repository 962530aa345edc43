from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sanxin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import calendar
        from .models import CalendarYear, Holiday

        def refresh(**_kwargs) -> None:
            calendar.invalidate_cache()

        for model in (Holiday, CalendarYear):
            post_save.connect(refresh, sender=model, dispatch_uid=f"calendar-{model.__name__}-save")
            post_delete.connect(refresh, sender=model, dispatch_uid=f"calendar-{model.__name__}-del")
