"""What the stored case pages follow (core/pagecache.py): the writes that change them.

A case's page is stored under its version and `updated_at`. A transition moves both; every other
write the page shows (an attachment, a reminder, a merged duplicate, rectification progress)
writes a timeline event, and an event moves `updated_at`. The case list is stored under the
"cases" generation, replaced by any write to a case, its events or its co-handlers. Names the
pages show, and the officers' scope, follow the names generation.
"""
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from sanxin.core import pagecache


def _event_written(sender, instance, created: bool, **kwargs) -> None:
    from .models import Case

    if created:
        Case.objects.filter(pk=instance.case_id).update(updated_at=timezone.now())
    pagecache.bump("cases")


def _cases_changed(*_args, **_kwargs) -> None:
    pagecache.bump("cases")


def connect_signals() -> None:
    from sanxin.accounts.models import User
    from sanxin.core.models import CalendarYear, Holiday
    from sanxin.registry.models import Area, Department, Organization
    from sanxin.service.models import Assignment, ServiceOfficer

    from .models import Case, CaseEvent, CaseHandler, Category

    post_save.connect(_event_written, sender=CaseEvent, dispatch_uid="pagecache-case-event")
    for model in (Case, CaseHandler):
        post_save.connect(_cases_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-save")
        post_delete.connect(_cases_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-del")
    pagecache.connect_name_sources((Area, Department, Organization, Category, User, Holiday,
                                    CalendarYear, Assignment, ServiceOfficer))
