"""Writes to cases: one transaction each, the timeline event written in the same transaction.

`case_transition` is the only way a case changes state: it checks the transition table
(rules.TRANSITIONS), the actor's scope, the required fields and the guard, then updates the row
only if its version is still the one that was read (optimistic concurrency): of two simultaneous
transitions exactly one wins, the other gets ChangedMeanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.registry.models import Department, DepartmentKind, Organization

from . import notifications, rules
from .attachments import check_upload
from .errors import CaseError, ChangedMeanwhile, Forbidden, InvalidState
from .models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseHandler,
    CaseKind,
    CaseSource,
    CaseState,
    ExtensionRequest,
    ExtensionState,
    Rating,
    RectificationTask,
)
from .permissions import actor_scopes, may_raise_for
from .selectors import cases_visible_to, get_case

MAX_TEXT = 4000


# ---------------------------------------------------------------- raising


def case_raise(*, actor: User, data: dict[str, Any]) -> Case:
    """Create a case from a validated CaseForm's cleaned_data (the form checks every field)."""
    organization: Organization = data["organization"]
    if not may_raise_for(actor, organization):
        raise CaseError(_("You may not raise a case for this organization."), "organization")
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            kind=data["kind"], title=data["title"], description=data["description"],
            organization=organization, category=data["category"],
            urgency=data.get("urgency") or "normal", source=data["source"],
            hotline_ticket=data.get("hotline_ticket") or None,
            collector_level=data.get("collector_level") or "",
            is_good_suggestion=bool(data.get("is_good_suggestion")), visit=data.get("visit"),
            raised_by=actor, officer=_serving_officer(organization))
        _event(case, "raise", actor, now, "", CaseState.PENDING,
               note=data.get("note", ""), data={"source": case.source})
        notifications.notify(notifications.district_users(), case,
                             _("New case awaiting dispatch: %(title)s") % {"title": case.title})
    return case


def _serving_officer(organization: Organization) -> User | None:
    from sanxin.service.models import Assignment

    assignment = (Assignment.objects.filter(organization=organization, ended_at__isnull=True)
                  .select_related("officer").first())
    return assignment.officer.user if assignment else None


@dataclass(frozen=True)
class HotlineResult:
    case: Case
    created: bool


def hotline_intake(*, actor: User, data: dict[str, Any]) -> HotlineResult:
    """Transfer from the 12345 hotline, idempotent on the ticket number."""
    if not actor.is_district:
        raise Forbidden(_("Only the district's hotline account may transfer hotline tickets."))
    ticket = data["hotline_ticket"]
    existing = Case.objects.filter(hotline_ticket=ticket).first()
    if existing is not None:
        return HotlineResult(existing, False)
    try:
        case = case_raise(actor=actor, data={**data, "source": CaseSource.HOTLINE,
                                             "kind": CaseKind.DEMAND})
    except IntegrityError:
        # The same ticket arrived twice at once: the other request created it.
        return HotlineResult(Case.objects.get(hotline_ticket=ticket), False)
    return HotlineResult(case, True)


# ---------------------------------------------------------------- transitions


def case_transition(*, actor: User, case_id: int, action: str, fields: dict[str, Any] | None = None,
                    version: int | None = None, now: datetime | None = None) -> Case:
    """Perform one transition of the table; see the module docstring."""
    transition = rules.TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise CaseError(_("Unknown action “%(action)s”.") % {"action": action}, "action")
    now = now or timezone.now()
    with transaction.atomic():
        case = get_case(actor, case_id)
        if version is not None and int(version) != case.version:
            raise ChangedMeanwhile(_("This case was changed meanwhile: reload it and try again."))
        _perform(actor, case, transition, fields or {}, now)
    # Re-read without the scope: a 退单 takes the case out of the department's scope, yet the
    # department must still see the result of its own write.
    return Case.objects.select_related("organization", "category", "lead_department").get(pk=case_id)


def allowed_transitions(actor: User, case: Case, now: datetime | None = None) -> list[rules.Transition]:
    """The transitions this actor may do now (for the buttons on the page and the API)."""
    now = now or timezone.now()
    scopes = actor_scopes(actor, case)
    return [t for t in rules.TRANSITIONS
            if case.state in t.sources and scopes & t.allowed
            and (t.guard is None or t.guard(case, now) is None)]


def _perform(actor: User, case: Case, transition: rules.Transition, fields: dict[str, Any],
             now: datetime) -> None:
    if not actor_scopes(actor, case) & transition.allowed:
        who = ", ".join(str(rules.SCOPE_LABELS[s]) for s in sorted(transition.allowed))
        raise Forbidden(_("You may not “%(action)s” this case: only %(who)s may.")
                        % {"action": transition.label, "who": who})
    if case.state not in transition.sources:
        raise InvalidState(_("This case is “%(state)s”: “%(action)s” is not possible now.")
                           % {"state": case.get_state_display(), "action": transition.label})
    cleaned = _clean_fields(actor, case, transition, fields)
    if transition.guard is not None:
        refusal = transition.guard(case, now)
        if refusal:
            field = "reason" if transition.action == "request_extension" else None
            raise InvalidState(refusal, field)
    changes = APPLY[transition.action](case, cleaned, now)
    target = transition.target or case.state
    updated = Case.objects.filter(pk=case.pk, version=case.version, state=case.state).update(
        state=target, version=F("version") + 1, updated_at=now, **changes)
    if updated != 1:
        raise ChangedMeanwhile(_("This case was changed meanwhile: reload it and try again."))
    from_state = case.state
    for name, value in changes.items():
        if not hasattr(value, "resolve_expression"):
            setattr(case, name, value)
    case.state, case.version = target, case.version + 1
    note = cleaned.get("reason") or cleaned.get("note") or cleaned.get("answer") or ""
    _event(case, transition.event_name, actor, now, from_state, target, note=note,
           data=_event_data(cleaned))
    AFTER.get(transition.action, _nothing)(actor, case, cleaned, now)
    _notify_after(transition.action, case, cleaned)


def _event(case: Case, action: str, actor: User | None, now: datetime, from_state: str,
           to_state: str, note: str = "", data: dict | None = None,
           auto_key: str | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, action=action, actor=actor, at=now,
                                    from_state=from_state, to_state=to_state, note=note[:MAX_TEXT],
                                    data=data or {}, auto_key=auto_key)


def _event_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in cleaned.items():
        if key in ("reason", "note", "answer"):
            continue
        if isinstance(value, Department | Case):
            data[key] = value.pk
        elif isinstance(value, list):
            data[key] = [v.pk for v in value]
        else:
            data[key] = value
    return data


# ---------------------------------------------------------------- fields


def _clean_fields(actor: User, case: Case, transition: rules.Transition,
                  fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name in (*transition.required, *transition.optional):
        value = fields.get(name)
        required = name in transition.required
        if value in (None, "", []):
            if required:
                raise CaseError(_("“%(field)s” is required for “%(action)s”.")
                                % {"field": FIELD_LABELS.get(name, name), "action": transition.label},
                                name)
            continue
        cleaned[name] = CLEANERS.get(name, _clean_text)(actor, case, value, name)
    if "co_handlers" in cleaned and "lead_department" in cleaned:
        cleaned["co_handlers"] = [d for d in cleaned["co_handlers"]
                                  if d.pk != cleaned["lead_department"].pk]
    return cleaned


def _clean_text(actor, case, value, name) -> str:
    text = str(value).strip()
    if not text:
        raise CaseError(_("“%(field)s” is required.") % {"field": FIELD_LABELS.get(name, name)}, name)
    if len(text) > MAX_TEXT:
        raise CaseError(_("“%(field)s” is longer than %(max)d characters.")
                        % {"field": FIELD_LABELS.get(name, name), "max": MAX_TEXT}, name)
    return text


def _clean_answer(actor, case, value, name) -> str:
    text = _clean_text(actor, case, value, name)
    if len(text) < rules.MIN_ANSWER_LENGTH:
        raise CaseError(_("The answer must tell the enterprise what was done, in at least "
                          "%(min)d characters.") % {"min": rules.MIN_ANSWER_LENGTH}, name)
    return text


def _department(value, name) -> Department:
    """A 职能部门: only functional departments handle cases (an industry authority does not)."""
    try:
        pk = value.pk if isinstance(value, Department) else int(value)
        department = Department.objects.get(pk=pk)
    except (Department.DoesNotExist, TypeError, ValueError):
        raise CaseError(_("Unknown department: %(value)s.") % {"value": value}, name) from None
    if department.kind != DepartmentKind.FUNCTIONAL:
        raise CaseError(_("%(department)s is not a functional department (职能部门): dispatch "
                          "to a department that handles enterprise demands.")
                        % {"department": department.name}, name)
    return department


def _clean_lead(actor, case, value, name) -> Department:
    return _department(value, name)


def _clean_co_handlers(actor, case, value, name) -> list[Department]:
    values = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
    return list({d.pk: d for d in (_department(v, name) for v in values)}.values())


def _clean_working_days(actor, case, value, name) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= rules.MAX_EXTENSION_DAYS:
        raise CaseError(_("Extra working days must be a whole number from 1 to %(max)d.")
                        % {"max": rules.MAX_EXTENSION_DAYS}, name)
    return days


def _clean_rating(actor, case, value, name) -> str:
    if value not in Rating.values:
        raise CaseError(_("Choose a rating: satisfied, basically satisfied or unsatisfied."), name)
    return value


def _clean_resolved(actor, case, value, name) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise CaseError(_("Say whether the problem was resolved (yes or no)."), name)


def _clean_target(actor, case, value, name) -> Case:
    try:
        target = cases_visible_to(actor).get(pk=int(value.pk if isinstance(value, Case) else value))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise CaseError(_("Unknown case to merge into: %(value)s.") % {"value": value}, name) from None
    if target.pk == case.pk:
        raise CaseError(_("A case cannot be merged into itself."), name)
    if target.state in (CaseState.MERGED, CaseState.CLOSED):
        raise CaseError(_("Merge into a case that is still open."), name)
    return target


CLEANERS = {
    "answer": _clean_answer, "lead_department": _clean_lead, "co_handlers": _clean_co_handlers,
    "working_days": _clean_working_days, "rating": _clean_rating, "resolved": _clean_resolved,
    "target": _clean_target,
}
FIELD_LABELS = {
    "lead_department": _("lead department"), "co_handlers": _("co-handling departments"),
    "note": _("note"), "reason": _("reason"), "answer": _("answer"),
    "working_days": _("extra working days"), "rating": _("rating"), "resolved": _("resolved"),
    "target": _("case to merge into"),
}


# ---------------------------------------------------------------- effects per action


def _apply_dispatch(case: Case, c: dict, now: datetime) -> dict:
    return {"lead_department": c["lead_department"], "dispatched_at": now,
            "first_dispatched_at": case.first_dispatched_at or now,
            "response_due": rules.response_due_from(case, now)}


def _apply_sign(case: Case, c: dict, now: datetime) -> dict:
    return {"signed_at": now, "deadline": rules.deadline_from(case, now)}


def _apply_return(case: Case, c: dict, now: datetime) -> dict:
    return {"lead_department": None, "dispatched_at": None, "response_due": None,
            "signed_at": None, "deadline": None, "return_count": F("return_count") + 1}


def _apply_answer(case: Case, c: dict, now: datetime) -> dict:
    return {"answer": c["answer"], "answered_at": now}


def _apply_approve_extension(case: Case, c: dict, now: datetime) -> dict:
    request = case.extensions.get(state=ExtensionState.PENDING)
    return {"deadline": rules.extended_deadline(case.deadline, request.working_days),
            "extension_count": F("extension_count") + 1}


def _apply_rate(case: Case, c: dict, now: datetime) -> dict:
    return {"rating": c["rating"], "resolved": c["resolved"], "rated_at": now}


def _apply_reopen(case: Case, c: dict, now: datetime) -> dict:
    return {"rating": "", "resolved": None, "rated_at": None, "answered_at": None,
            "deadline": rules.deadline_from(case, now), "reopen_count": F("reopen_count") + 1}


def _apply_close(case: Case, c: dict, now: datetime) -> dict:
    return {"closed_at": now}


def _apply_merge(case: Case, c: dict, now: datetime) -> dict:
    return {"merged_into": c["target"]}


def _no_change(case: Case, c: dict, now: datetime) -> dict:
    return {}


APPLY = {
    "dispatch": _apply_dispatch, "sign": _apply_sign, "return": _apply_return, "start": _no_change,
    "answer": _apply_answer, "request_extension": _no_change,
    "approve_extension": _apply_approve_extension, "refuse_extension": _no_change,
    "remind": _no_change, "supervise": _no_change, "rate": _apply_rate, "reopen": _apply_reopen,
    "close": _apply_close, "close_unrated": _apply_close, "merge": _apply_merge,
}


def _nothing(actor, case, cleaned, now) -> None:
    return None


def _after_dispatch(actor: User, case: Case, c: dict, now: datetime) -> None:
    CaseHandler.objects.filter(case=case).delete()
    CaseHandler.objects.bulk_create(CaseHandler(case=case, department=d)
                                    for d in c.get("co_handlers", []))


def _after_return(actor: User, case: Case, c: dict, now: datetime) -> None:
    CaseHandler.objects.filter(case=case).delete()


def _after_request_extension(actor: User, case: Case, c: dict, now: datetime) -> None:
    ExtensionRequest.objects.create(case=case, requested_by=actor, requested_at=now,
                                    working_days=c["working_days"], reason=c["reason"])


def _decide_extension(state: str):
    def decide(actor: User, case: Case, c: dict, now: datetime) -> None:
        ExtensionRequest.objects.filter(case=case, state=ExtensionState.PENDING).update(
            state=state, decided_by=actor, decided_at=now,
            decision_note=c.get("reason") or c.get("note") or "")
    return decide


def _after_rate(actor: User, case: Case, c: dict, now: datetime) -> None:
    """不满意 → 重办 at once, in the same transaction, by the one who rated."""
    if c["rating"] == Rating.UNSATISFIED:
        reason = c.get("note") or _("Rated unsatisfied")
        _perform(actor, case, rules.TRANSITIONS_BY_ACTION["reopen"], {"reason": reason}, now)


def _after_merge(actor: User, case: Case, c: dict, now: datetime) -> None:
    target: Case = c["target"]
    _event(target, "merged_duplicate", actor, now, target.state, target.state,
           note=c.get("note", ""), data={"duplicate": case.pk, "organization": case.organization_id})


AFTER = {
    "dispatch": _after_dispatch, "return": _after_return,
    "request_extension": _after_request_extension,
    "approve_extension": _decide_extension(ExtensionState.APPROVED),
    "refuse_extension": _decide_extension(ExtensionState.REFUSED),
    "rate": _after_rate, "merge": _after_merge,
}


def _notify_after(action: str, case: Case, c: dict) -> None:
    title = {"title": case.title}
    handlers = [case.lead_department_id, *[d.pk for d in c.get("co_handlers", [])]]
    if action == "dispatch":
        notifications.notify(notifications.department_users(handlers), case,
                             _("Case dispatched to you, please sign: %(title)s") % title)
    elif action in ("return", "request_extension"):
        message = (_("Case returned, dispatch it again: %(title)s") if action == "return"
                   else _("Extension asked, please decide: %(title)s"))
        notifications.notify(notifications.district_users(), case, message % title)
    elif action in ("remind", "supervise", "reopen", "approve_extension", "refuse_extension"):
        message = {"remind": _("Reminder (催办): %(title)s"), "supervise": _("Supervision (督办): %(title)s"),
                   "reopen": _("Rated unsatisfied, handle again: %(title)s"),
                   "approve_extension": _("Extension approved: %(title)s"),
                   "refuse_extension": _("Extension refused: %(title)s")}[action]
        notifications.notify(notifications.department_users([case.lead_department_id]), case,
                             message % title)
    elif action == "answer":
        notifications.notify(notifications.organization_users(case), case,
                             _("Your case was answered, please rate it: %(title)s") % title)
    elif action == "merge":
        notifications.notify(notifications.organization_users(case), case,
                             _("Your case was merged with the same demand: %(title)s") % title)


# ---------------------------------------------------------------- attachments, rectification


def attachment_add(*, actor: User, case_id: int, upload) -> CaseAttachment:
    """Attach a file (size and type checked) to a case the actor can see and that is not closed."""
    with transaction.atomic():
        case = get_case(actor, case_id)
        if case.state in (CaseState.CLOSED, CaseState.MERGED):
            raise InvalidState(_("A closed case takes no more attachments."), "file")
        content_type = check_upload(upload)
        attachment = CaseAttachment(case=case, name=upload.name[:200], size=upload.size,
                                    content_type=content_type, uploaded_by=actor)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        _event(case, "attach", actor, timezone.now(), case.state, case.state,
               note=attachment.name, data={"attachment": attachment.pk})
    return attachment


def needs_rectification(case: Case) -> bool:
    return case.kind == CaseKind.PROBLEM or (case.kind == CaseKind.SUGGESTION and case.is_good_suggestion)


def can_manage_rectification(actor: User, case: Case) -> bool:
    """The district, the organization's area and the lead department set and follow 整改."""
    return needs_rectification(case) and bool(
        actor_scopes(actor, case) & {rules.DISTRICT, rules.AREA, rules.LEAD})


def rectification_add(*, actor: User, case_id: int, title: str, owner: str, deadline) -> RectificationTask:
    with transaction.atomic():
        case = get_case(actor, case_id)
        if not needs_rectification(case):
            raise CaseError(_("Rectification is for problems and good suggestions."), "case")
        if not can_manage_rectification(actor, case):
            raise Forbidden(_("Only the district, the area or the lead department set rectification tasks."))
        task = RectificationTask.objects.create(case=case, title=title, owner=owner,
                                                deadline=deadline, created_by=actor)
        _event(case, "rectification_added", actor, timezone.now(), case.state, case.state,
               note=title, data={"task": task.pk, "owner": owner, "deadline": deadline.isoformat()})
    return task


def rectification_update(*, actor: User, task_id: int, progress: int, evidence: str) -> RectificationTask:
    with transaction.atomic():
        try:
            task = RectificationTask.objects.select_for_update().get(pk=task_id)
        except RectificationTask.DoesNotExist:
            raise Http404 from None
        case = get_case(actor, task.case_id)
        if not can_manage_rectification(actor, case):
            raise Forbidden(_("Only the district, the area or the lead department update rectification."))
        if not 0 <= progress <= 100:
            raise CaseError(_("Progress must be between 0 and 100."), "progress")
        if progress == 100 and not evidence.strip():
            raise CaseError(_("Completed rectification needs evidence."), "evidence")
        now = timezone.now()
        task.progress, task.evidence = progress, evidence.strip()
        task.completed_at = (task.completed_at or now) if progress == 100 else None
        task.save()
        _event(case, "rectification_progress", actor, now, case.state, case.state,
               note=task.evidence, data={"task": task.pk, "progress": progress})
    return task


def notification_mark_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    from .models import Notification

    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


# ---------------------------------------------------------------- the working-day calendar


def _require_district(actor: User) -> None:
    if not actor.is_district:
        raise Forbidden(_("Only the district edits the official calendar."))


def calendar_year_add(*, actor: User, year: int) -> None:
    """Declare that a year's arrangement is (being) entered: its warning disappears."""
    from sanxin.core.models import CalendarSource, CalendarYear

    _require_district(actor)
    if not 2000 <= year <= 2100:
        raise CaseError(_("Give a year between 2000 and 2100."), "year")
    with transaction.atomic():
        CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarSource.MANUAL})


def holiday_set(*, actor: User, day, is_workday: bool, name: str) -> None:
    """Enter one day that differs from Monday–Friday (a weekday off or a weekend worked)."""
    from sanxin.core.models import Holiday

    _require_district(actor)
    if is_workday and day.weekday() < 5:
        raise CaseError(_("A weekday is a working day already: tick “working day” only for a "
                          "weekend day worked in lieu."), "is_workday")
    if not is_workday and day.weekday() >= 5 and not name:
        raise CaseError(_("A weekend day is off already: name the holiday or leave it out."), "name")
    with transaction.atomic():
        Holiday.objects.update_or_create(date=day, defaults={"is_workday": is_workday,
                                                             "name": name[:40]})


def holiday_delete(*, actor: User, day) -> None:
    from sanxin.core.models import Holiday

    _require_district(actor)
    with transaction.atomic():
        Holiday.objects.filter(date=day).delete()
