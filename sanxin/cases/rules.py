"""The regulation as data: the workflow's one transition table, deadline defaults and limits.

Every transition names the states it leaves, the state it reaches (None: it stays), who may do it
(a set of scopes, each tied to one role), the fields it requires, the event it writes and an
optional guard (one named function returning the reason it is refused, or None).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sanxin.core import calendar

from .models import Case, CaseState, DeadlineRule, ExtensionState, Rating, Urgency

S = CaseState

# Who may act, each a role and the scope it must have over the case.
DISTRICT = "district"          # a district role (sees everything)
AREA = "area"                  # an area role over the organization's area
LEAD = "lead"                  # a department role of the lead department
CONTACT = "contact"            # the organization's own contact
OFFICER = "officer"            # the officer serving the organization or who raised the case

SCOPE_LABELS: dict[str, Promise] = {
    DISTRICT: _("district"), AREA: _("township or park of the organization"),
    LEAD: _("lead department"), CONTACT: _("the enterprise's contact"),
    OFFICER: _("the enterprise's service officer"),
}

# Defaults from the domain page (Beijing's draft standard); the DeadlineRule table overrides them.
DEFAULT_WORKING_DAYS = {Urgency.NORMAL: 7, Urgency.COMPLEX: 15}
DEFAULT_HOURS = {Urgency.URGENT: 2}
# 签收 is due within one working day of dispatch (one hour for emergencies): the 响应率 limit.
RESPONSE_WORKING_DAYS = 1
RESPONSE_HOURS_URGENT = 1
# The automatic 催办 fires when this share of the time is left (at most one working day).
REMIND_WHEN_LEFT = timedelta(days=1)
MAX_EXTENSION_DAYS = 30
MIN_ANSWER_LENGTH = 10


Guard = Callable[[Case, datetime], "str | Promise | None"]


def _pending_extension(case: Case) -> bool:
    # .all(), not .filter(): the case page has prefetched them (a case has a few at most).
    return any(x.state == ExtensionState.PENDING for x in case.extensions.all())


def before_deadline(case: Case, now: datetime):
    if case.deadline is None or now >= case.deadline:
        return _("An extension must be asked before the deadline.")
    if _pending_extension(case):
        return _("An extension request is already awaiting approval.")
    return None


def has_pending_extension(case: Case, now: datetime):
    if not _pending_extension(case):
        return _("There is no extension request awaiting approval.")
    return None


def not_yet_overdue(case: Case, now: datetime):
    if case.deadline is not None and now >= case.deadline:
        return _("The deadline has passed: supervise (督办) instead of reminding.")
    return None


def overdue(case: Case, now: datetime):
    due = case.deadline or case.response_due
    if due is None or now < due:
        return _("Supervision (督办) is for cases past their deadline.")
    return None


def rated_unsatisfied(case: Case, now: datetime):
    if case.rating != Rating.UNSATISFIED:
        return _("Only an answer rated unsatisfied is handled again.")
    return None


def rated_acceptably(case: Case, now: datetime):
    if case.rating == Rating.UNSATISFIED:
        return _("An answer rated unsatisfied must be handled again, not closed.")
    return _has_answer(case)


def _has_answer(case: Case):
    if not case.answer.strip():
        return _("A case cannot be closed without an answer the enterprise can read.")
    return None


def has_answer(case: Case, now: datetime):
    return _has_answer(case)


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: tuple[str, ...]
    target: str | None
    allowed: frozenset[str]
    required: tuple[str, ...] = ()
    event: str = ""
    guard: Guard | None = None
    optional: tuple[str, ...] = field(default=())

    @property
    def event_name(self) -> str:
        return self.event or self.action


TRANSITIONS: tuple[Transition, ...] = (
    Transition("dispatch", _("Dispatch (派单)"), (S.PENDING,), S.DISPATCHED,
               frozenset({DISTRICT}), ("lead_department",), optional=("co_handlers", "note")),
    Transition("sign", _("Sign (签收)"), (S.DISPATCHED,), S.SIGNED, frozenset({LEAD}), ("note",)),
    Transition("return", _("Return (退单)"), (S.DISPATCHED, S.SIGNED), S.PENDING,
               frozenset({LEAD}), ("reason",)),
    Transition("start", _("Start handling (办理)"), (S.SIGNED,), S.HANDLING, frozenset({LEAD}),
               optional=("note",)),
    Transition("answer", _("Answer (答复)"), (S.SIGNED, S.HANDLING), S.ANSWERED, frozenset({LEAD}),
               ("answer",)),
    Transition("request_extension", _("Ask for more time (延期)"), (S.SIGNED, S.HANDLING), None,
               frozenset({LEAD}), ("reason", "working_days"), guard=before_deadline),
    Transition("approve_extension", _("Approve the extension"), (S.SIGNED, S.HANDLING), None,
               frozenset({DISTRICT}), guard=has_pending_extension, optional=("note",)),
    Transition("refuse_extension", _("Refuse the extension"), (S.SIGNED, S.HANDLING), None,
               frozenset({DISTRICT}), ("reason",), guard=has_pending_extension),
    Transition("remind", _("Remind (催办)"), (S.DISPATCHED, S.SIGNED, S.HANDLING), None,
               frozenset({DISTRICT, AREA}), ("note",), guard=not_yet_overdue),
    Transition("supervise", _("Supervise (督办)"), (S.DISPATCHED, S.SIGNED, S.HANDLING), None,
               frozenset({DISTRICT}), ("note",), guard=overdue),
    Transition("rate", _("Rate the answer (评价)"), (S.ANSWERED,), S.RATED,
               frozenset({CONTACT, OFFICER}), ("rating", "resolved"), optional=("note",)),
    Transition("reopen", _("Handle again (重办)"), (S.RATED,), S.HANDLING,
               frozenset({DISTRICT, CONTACT, OFFICER}), ("reason",), guard=rated_unsatisfied),
    Transition("close", _("Close (办结)"), (S.RATED,), S.CLOSED, frozenset({DISTRICT}),
               guard=rated_acceptably, optional=("note",)),
    Transition("close_unrated", _("Close without a rating"), (S.ANSWERED,), S.CLOSED,
               frozenset({DISTRICT}), ("reason",), guard=has_answer),
    Transition("merge", _("Merge into another case (合并)"), (S.PENDING,), S.MERGED,
               frozenset({DISTRICT}), ("target",), optional=("note",)),
)
TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def deadline_rule(case: Case) -> tuple[int | None, int | None]:
    """(working days, hours) for the case: its category's rule, else the urgency's, else defaults."""
    rules = {r.category_id: r for r in DeadlineRule.objects.filter(urgency=case.urgency)}
    rule = rules.get(case.category_id) or rules.get(None)
    if rule is not None:
        return rule.working_days, rule.hours
    if case.urgency in DEFAULT_HOURS:
        return None, DEFAULT_HOURS[case.urgency]
    return DEFAULT_WORKING_DAYS.get(case.urgency, 7), None


def deadline_from(case: Case, start: datetime) -> datetime:
    """The answer deadline counted from 签收 (or from 重办) on the official calendar."""
    working_days, hours = deadline_rule(case)
    if hours:
        return start + timedelta(hours=hours)
    return calendar.working_days_deadline(start, working_days or 7)


def response_due_from(case: Case, dispatched: datetime) -> datetime:
    if case.urgency == Urgency.URGENT:
        return dispatched + timedelta(hours=RESPONSE_HOURS_URGENT)
    return calendar.working_days_deadline(dispatched, RESPONSE_WORKING_DAYS)


def extended_deadline(deadline: datetime, working_days: int) -> datetime:
    """An approved extension moves the deadline by working days past its current day."""
    from django.utils import timezone

    last_day = timezone.localtime(deadline - timedelta(microseconds=1))
    return calendar.working_days_deadline(last_day, working_days)


def remind_at(case: Case) -> datetime | None:
    """When the automatic 催办 is due: a day before the deadline, or halfway for short ones."""
    if case.deadline is None:
        return None
    start = case.signed_at or case.deadline
    return case.deadline - min(REMIND_WHEN_LEFT, (case.deadline - start) / 2)


# Timeline labels of the events that are not transitions of the table.
OTHER_EVENT_LABELS: dict[str, Promise] = {
    "raise": _("Raised (受理)"), "attach": _("Attachment added"),
    "auto_remind": _("Automatic reminder (催办)"), "auto_supervise": _("Automatic supervision (督办)"),
    "auto_remind_sign": _("Automatic reminder to sign"),
    "merged_duplicate": _("A duplicate was merged into this case"),
    "rectification_added": _("Rectification task added"),
    "rectification_progress": _("Rectification progress"),
}


def event_label(action: str) -> str:
    transition = TRANSITIONS_BY_ACTION.get(action)
    return str(transition.label if transition else OTHER_EVENT_LABELS.get(action, action))
