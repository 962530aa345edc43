"""The reminder and supervision sweep (催办 before, 督办 after a deadline), run by Celery or by
`manage.py case_sweep`. A system job: it reads unscoped. Idempotent: each automatic event has an
`auto_key` naming the case, the kind and the deadline it is about, unique in the database, so a
second run (or two at once) writes nothing new until a deadline changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, rules
from .models import OPEN_STATES, Case, CaseEvent, CaseState


@dataclass
class SweepResult:
    reminded: list[int] = field(default_factory=list)
    supervised: list[int] = field(default_factory=list)
    sign_reminded: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"reminded": len(self.reminded), "supervised": len(self.supervised),
                "sign_reminded": len(self.sign_reminded)}


def unscoped_sweep_candidates(now: datetime) -> QuerySet[Case]:
    soon = now + rules.REMIND_WHEN_LEFT
    return (Case.objects.filter(state__in=OPEN_STATES)
            .filter(Q(deadline__lte=soon) | Q(state=CaseState.DISPATCHED, response_due__lte=now))
            .select_related("lead_department").order_by("id"))


def run_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    for case in unscoped_sweep_candidates(now).iterator(chunk_size=500):
        if case.deadline is not None and now >= case.deadline:
            if _write(case, "auto_supervise", case.deadline, now,
                      _("Automatic supervision (督办): the deadline has passed without an answer.")):
                result.supervised.append(case.pk)
        elif case.deadline is not None and now >= rules.remind_at(case):
            if _write(case, "auto_remind", case.deadline, now,
                      _("Automatic reminder (催办): the deadline is near.")):
                result.reminded.append(case.pk)
        elif (case.state == CaseState.DISPATCHED and case.response_due and now >= case.response_due
              and _write(case, "auto_remind_sign", case.response_due, now,
                         _("Automatic reminder (催办): the case was not signed in time."))):
            result.sign_reminded.append(case.pk)
    return result


def _write(case: Case, action: str, about: datetime, now: datetime, note: str) -> bool:
    """Write the event once per (case, action, deadline); False if an earlier run wrote it."""
    key = f"{action}:{case.pk}:{int(about.timestamp())}"
    try:
        with transaction.atomic():
            CaseEvent.objects.create(case=case, action=action, actor=None, at=now, note=note,
                                     from_state=case.state, to_state=case.state, auto_key=key)
            notifications.notify(notifications.department_users([case.lead_department_id]),
                                 case, f"{note} {case.title}")
    except IntegrityError:
        return False
    return True
