"""Writes of party life: `<noun>_<verb>(*, actor, ...)`, one transaction each. Every check runs
before anything is written; a ValidationError names the field and nothing is saved."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanxin.accounts.models import User
from sanxin.accounts.scoping import area_ids_under
from sanxin.party.models import Member, PartyOrganization
from sanxin.registry.models import Area, Organization

from . import rules
from .models import (
    Achievement,
    Attendance,
    AttendanceStatus,
    Candidate,
    DevelopmentStage,
    IntakePlan,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlaceKind,
    StudyMode,
    StudyPlace,
    StudyRecord,
    VanguardKind,
    VanguardUnit,
    VolunteerActivity,
    VolunteerKind,
    VolunteerParticipation,
)
from .selectors import (
    candidates_visible_to,
    meetings_visible_to,
    members_visible_to,
    party_org_tree_ids,
    party_orgs_visible_to,
    study_places_visible_to,
    today,
    vanguard_units_visible_to,
)


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def can_record(actor: User) -> bool:
    """District, area and organization roles record party life of what they see."""
    return actor.has_role("district", "area", "organization")


def _party_org(actor: User, pk) -> PartyOrganization:
    if not can_record(actor):
        raise PermissionDenied
    org = party_orgs_visible_to(actor).filter(pk=pk).first() if pk else None
    if org is None:
        raise invalid("party_organization", _("Choose a party organization within your scope."))
    return org


def _choice(field: str, value: str, choices) -> str:
    if value not in choices.values:
        raise invalid(field, _("Unknown value “%(value)s”.") % {"value": value})
    return value


def _not_future(field: str, day: date | None, label: str) -> date:
    if day is None:
        raise invalid(field, _("Enter the date."))
    if day > today():
        raise invalid(field, _("%(what)s cannot be in the future.") % {"what": label})
    return day


def _hours(field: str, value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise invalid(field, _("Hours must be a number.")) from None
    problem = rules.hours_problem(hours)
    if problem == "not_positive":
        raise invalid(field, _("Hours must be more than 0 (negative hours are not possible)."))
    if problem == "over_a_day":
        raise invalid(field, _("Hours cannot exceed 24 in one day."))
    return hours


def _text(field: str, value: str | None, label: str, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise invalid(field, _("%(what)s is required.") % {"what": label})
    return text


# ---- meetings ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceInput:
    member_id: int
    status: str = AttendanceStatus.PRESENT
    reason: str = ""


def _members_in_tree(org: PartyOrganization) -> dict[int, Member]:
    return {m.pk: m for m in Member.objects.filter(party_organization_id__in=party_org_tree_ids(
        org.pk))}


def _check_attendance(org: PartyOrganization, rows: list[AttendanceInput],
                      members: dict[int, Member]) -> None:
    seen: set[int] = set()
    for row in rows:
        if row.member_id not in members:
            name = Member.objects.filter(pk=row.member_id).values_list("name", flat=True).first()
            raise invalid("attendance", _("%(member)s is not a member of %(org)s.") % {
                "member": name or f"#{row.member_id}", "org": org.name})
        if row.member_id in seen:
            raise invalid("attendance", _("%(member)s is listed twice.") % {
                "member": members[row.member_id].name})
        seen.add(row.member_id)
        _choice("attendance", row.status, AttendanceStatus)
    if len(rows) > len(members):  # unreachable with distinct members; kept as the stated rule
        raise invalid("attendance", _(
            "Attendance (%(n)d) is above the membership of %(org)s (%(m)d).")
            % {"n": len(rows), "org": org.name, "m": len(members)})


def _check_counts(org: PartyOrganization, expected: int, present: int, membership: int) -> None:
    if expected < 0 or present < 0:
        raise invalid("present_count", _("Counts cannot be negative."))
    if expected > membership:
        raise invalid("expected_count", _(
            "Attendance (%(n)d) is above the membership of %(org)s (%(m)d).")
            % {"n": expected, "org": org.name, "m": membership})
    if present > expected:
        raise invalid("present_count", _("Present (%(p)d) cannot exceed expected (%(e)d).")
                      % {"p": present, "e": expected})


def meeting_record(*, actor: User, party_organization_id: int, kind: str, held_on: date,
                   topic: str, status: str = MeetingStatus.HELD, counts_for: date | None = None,
                   online: bool = False, place_id: int | None = None, location: str = "",
                   materials: str = "", minutes: str = "",
                   attendance: list[AttendanceInput] | None = None,
                   expected_count: int | None = None,
                   present_count: int | None = None) -> Meeting:
    """Record a meeting. Attendance is per member (`attendance`); when it is omitted every member
    of the organization is expected and present, unless only head counts are given (for members
    not yet registered one by one)."""
    org = _party_org(actor, party_organization_id)
    _choice("kind", kind, MeetingKind)
    _choice("status", status, MeetingStatus)
    topic = _text("topic", topic, _("Topic"))
    if held_on is None:
        raise invalid("held_on", _("Enter the date."))
    if status == MeetingStatus.HELD and held_on > today():
        raise invalid("held_on", _(
            "A meeting dated in the future cannot be recorded as held; record it as planned."))
    if counts_for is not None and (status != MeetingStatus.HELD or counts_for >= held_on):
        raise invalid("counts_for", _(
            "A make-up meeting counts for an earlier period than its own date."))
    place = None
    if place_id:
        place = study_places_visible_to(actor).filter(pk=place_id).first()
        if place is None:
            raise invalid("place", _("Choose a registered place within your scope."))
    members = _members_in_tree(org)
    if status == MeetingStatus.PLANNED:
        rows: list[AttendanceInput] = []
    elif attendance is None and expected_count is not None:
        rows = []
        _check_counts(org, expected_count, present_count if present_count is not None
                      else expected_count, len(members))
    else:
        rows = attendance if attendance is not None else [
            AttendanceInput(member_id=pk) for pk in members]
        _check_attendance(org, rows, members)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            party_organization=org, kind=kind, status=status, held_on=held_on,
            counts_for=counts_for, online=online, place=place,
            location=_text("location", location, "", required=False), topic=topic,
            materials=materials or "", minutes=minutes or "", recorded_by=actor)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, member_id=row.member_id, status=row.status,
                       reason=_text("reason", row.reason, "", required=False)[:200])
            for row in rows)
        if rows:
            _refresh_counts(meeting)
        elif expected_count is not None and status == MeetingStatus.HELD:
            present = present_count if present_count is not None else expected_count
            meeting.expected_count, meeting.present_count = expected_count, present
            meeting.absent_count = expected_count - present
            meeting.save(update_fields=["expected_count", "present_count", "absent_count"])
    return meeting


def _refresh_counts(meeting: Meeting) -> None:
    rows = list(meeting.attendance.values_list("status", "made_up_on"))
    meeting.expected_count = len(rows)
    meeting.present_count = sum(1 for s, _m in rows if s == AttendanceStatus.PRESENT)
    meeting.leave_count = sum(1 for s, _m in rows if s == AttendanceStatus.LEAVE)
    meeting.absent_count = sum(1 for s, _m in rows if s == AttendanceStatus.ABSENT)
    meeting.made_up_count = sum(1 for s, m in rows if s != AttendanceStatus.PRESENT and m)
    meeting.save(update_fields=["expected_count", "present_count", "leave_count",
                                "absent_count", "made_up_count"])


def attendance_make_up(*, actor: User, meeting_id: int, member_id: int, made_up_on: date,
                       note: str = "") -> Attendance:
    """A member who missed the meeting (shift work) studies its content later (补学)."""
    if not can_record(actor):
        raise PermissionDenied
    meeting = meetings_visible_to(actor).filter(pk=meeting_id).first()
    if meeting is None:
        raise invalid("meeting", _("Choose a meeting within your scope."))
    _not_future("made_up_on", made_up_on, _("The make-up date"))
    if made_up_on < meeting.held_on:
        raise invalid("made_up_on", _("A make-up cannot be before the meeting."))
    with transaction.atomic():
        row = (Attendance.objects.select_for_update()
               .filter(meeting=meeting, member_id=member_id).first())
        if row is None:
            raise invalid("member", _("This member was not expected at the meeting."))
        if row.status == AttendanceStatus.PRESENT:
            raise invalid("member", _("This member was present: nothing to make up."))
        row.made_up_on, row.made_up_note = made_up_on, _text("note", note, "", required=False)
        row.save(update_fields=["made_up_on", "made_up_note"])
        _refresh_counts(meeting)
    return row


# ---- study -------------------------------------------------------------------------------------

def study_place_create(*, actor: User, name: str, kind: str, area_id: int,
                       address: str = "") -> StudyPlace:
    if not actor.has_role("district", "area"):
        raise PermissionDenied
    _choice("kind", kind, PlaceKind)
    allowed = Area.objects.filter(pk=area_id)
    if not actor.is_district:
        ids = [i for r in actor.scope_roles if r.kind == "area" for i in area_ids_under(r.area_id)]
        allowed = allowed.filter(pk__in=ids)
    area = allowed.first()
    if area is None:
        raise invalid("area", _("Choose an area within your scope."))
    with transaction.atomic():
        return StudyPlace.objects.create(name=_text("name", name, pgettext("place", "Name")), kind=kind,
                                         area=area, address=address or "")


def study_record_create(*, actor: User, member_id: int, studied_on: date, mode: str, topic: str,
                        hours, place_id: int | None = None) -> StudyRecord:
    if not can_record(actor):
        raise PermissionDenied
    member = members_visible_to(actor).filter(pk=member_id).first()
    if member is None:
        raise invalid("member", _("Choose a member within your scope."))
    _not_future("studied_on", studied_on, _("The study date"))
    _choice("mode", mode, StudyMode)
    topic = _text("topic", topic, _("What was studied"))
    amount = _hours("hours", hours)
    place = None
    if place_id:
        place = study_places_visible_to(actor).filter(pk=place_id).first()
        if place is None:
            raise invalid("place", _("Choose a registered place within your scope."))
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()  # serialize per member
        already = (StudyRecord.objects.filter(member=member, studied_on=studied_on)
                   .aggregate(s=Sum("hours"))["s"] or Decimal(0))
        if already + amount > rules.MAX_HOURS_PER_DAY:
            raise invalid("hours", _(
                "%(member)s already has %(h)s hours of study on %(day)s; a day has 24.")
                % {"member": member.name, "h": already, "day": studied_on})
        return StudyRecord.objects.create(
            member=member, party_organization_id=member.party_organization_id,
            studied_on=studied_on, mode=mode, topic=topic, hours=amount, place=place)


# ---- vanguard units ----------------------------------------------------------------------------

def _members_of(org: PartyOrganization, member_ids: list[int], field: str) -> list[Member]:
    members = _members_in_tree(org)
    for pk in member_ids:
        if pk not in members:
            name = Member.objects.filter(pk=pk).values_list("name", flat=True).first()
            raise invalid(field, _("%(member)s is not a member of %(org)s.") % {
                "member": name or f"#{pk}", "org": org.name})
    return [members[pk] for pk in dict.fromkeys(member_ids)]


def vanguard_unit_create(*, actor: User, kind: str, name: str, party_organization_id: int,
                         organization_id: int | None = None, goals: str = "",
                         established_on: date | None = None,
                         member_ids: list[int] | None = None) -> VanguardUnit:
    org = _party_org(actor, party_organization_id)
    _choice("kind", kind, VanguardKind)
    name = _text("name", name, pgettext("place", "Name"))
    unit_org = None
    if organization_id:
        unit_org = Organization.objects.filter(pk=organization_id,
                                               party_organizations=org).first()
        if unit_org is None:
            raise invalid("organization", _("The unit must be one the party organization covers."))
    if established_on:
        _not_future("established_on", established_on, _("The establishment date"))
    members = _members_of(org, member_ids or [], "members")
    with transaction.atomic():
        unit = VanguardUnit.objects.create(kind=kind, name=name, party_organization=org,
                                           organization=unit_org, goals=goals or "",
                                           established_on=established_on)
        unit.members.set(members)
    return unit


def vanguard_unit_set_members(*, actor: User, unit_id: int, member_ids: list[int]) -> VanguardUnit:
    if not can_record(actor):
        raise PermissionDenied
    unit = vanguard_units_visible_to(actor).filter(pk=unit_id).first()
    if unit is None:
        raise invalid("unit", _("Choose a vanguard unit within your scope."))
    members = _members_of(unit.party_organization, member_ids, "members")
    with transaction.atomic():
        unit.members.set(members)
    return unit


def achievement_add(*, actor: User, unit_id: int, achieved_on: date, title: str,
                    description: str = "") -> Achievement:
    if not can_record(actor):
        raise PermissionDenied
    unit = vanguard_units_visible_to(actor).filter(pk=unit_id).first()
    if unit is None:
        raise invalid("unit", _("Choose a vanguard unit within your scope."))
    _not_future("achieved_on", achieved_on, _("The achievement date"))
    with transaction.atomic():
        return Achievement.objects.create(unit=unit, achieved_on=achieved_on,
                                          title=_text("title", title, _("Achievement")),
                                          description=description or "")


# ---- volunteering ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParticipantInput:
    member_id: int
    hours: object


def volunteer_activity_record(*, actor: User, party_organization_id: int, held_on: date,
                              place: str, kind: str, title: str, beneficiaries: int = 0,
                              team_id: int | None = None,
                              participants: list[ParticipantInput] | None = None,
                              ) -> VolunteerActivity:
    org = _party_org(actor, party_organization_id)
    _not_future("held_on", held_on, _("The activity date"))
    _choice("kind", kind, VolunteerKind)
    title = _text("title", title, _("Activity"))
    place = _text("place", place, _("Place"))
    if beneficiaries is None or beneficiaries < 0:
        raise invalid("beneficiaries", _("Beneficiaries cannot be negative."))
    team = None
    if team_id:
        team = vanguard_units_visible_to(actor).filter(
            pk=team_id, kind=VanguardKind.VOLUNTEER_TEAM,
            party_organization_id__in=party_org_tree_ids(org.pk)).first()
        if team is None:
            raise invalid("team", _("Choose a volunteer team of this party organization."))
    participants = participants or []
    hours = [_hours("participants", p.hours) for p in participants]
    members = _members_of(org, [p.member_id for p in participants], "participants")
    if len(members) != len(participants):
        raise invalid("participants", _("A member is listed twice."))
    with transaction.atomic():
        activity = VolunteerActivity.objects.create(
            party_organization=org, team=team, held_on=held_on, place=place, kind=kind,
            title=title, beneficiaries=beneficiaries, participant_count=len(members),
            total_hours=sum(hours, Decimal(0)))
        VolunteerParticipation.objects.bulk_create(
            VolunteerParticipation(activity=activity, member=m, hours=h)
            for m, h in zip(members, hours, strict=True))
    return activity


# ---- member development ------------------------------------------------------------------------

def candidate_create(*, actor: User, name: str, party_organization_id: int, applied_on: date,
                     birth_date: date | None = None,
                     employer_id: int | None = None) -> Candidate:
    org = _party_org(actor, party_organization_id)
    name = _text("name", name, pgettext("place", "Name"))
    _not_future("applied_on", applied_on, _("The application date"))
    if not rules.old_enough_to_apply(birth_date, applied_on):
        raise invalid("birth_date", _("An applicant must be at least %(age)d years old.")
                      % {"age": rules.MIN_APPLICANT_AGE})
    employer = None
    if employer_id:
        employer = Organization.objects.filter(pk=employer_id, party_organizations=org).first()
        if employer is None:
            raise invalid("employer", _("The employer must be a unit the party organization covers."))
    with transaction.atomic():
        return Candidate.objects.create(name=name, party_organization=org, applied_on=applied_on,
                                        birth_date=birth_date, employer=employer)


def _locked_candidate(actor: User, candidate_id: int) -> Candidate:
    if not can_record(actor):
        raise PermissionDenied
    candidate = candidates_visible_to(actor).select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise invalid("candidate", _("Choose a candidate within your scope."))
    return candidate


def candidate_record_talk(*, actor: User, candidate_id: int, talked_on: date) -> Candidate:
    with transaction.atomic():
        candidate = _locked_candidate(actor, candidate_id)
        _not_future("talked_on", talked_on, _("The talk date"))
        if talked_on < candidate.applied_on:
            raise invalid("talked_on", _("The talk cannot be before the application."))
        candidate.talked_on = talked_on
        candidate.save(update_fields=["talked_on", "updated_at"])
    return candidate


def candidate_advance(*, actor: User, candidate_id: int, on: date,
                      contact_ids: list[int] | None = None,
                      introducer_ids: list[int] | None = None) -> Candidate:
    """Move a candidate one stage on, if the time rules allow it on `on`."""
    from .development import next_step

    with transaction.atomic():
        candidate = _locked_candidate(actor, candidate_id)
        _not_future("on", on, _("The date"))
        step = next_step(candidate)
        if step.stage is None:
            raise invalid("stage", _("%(step)s first.") % {"step": step.label})
        if step.earliest and on < step.earliest:
            raise invalid("on", _("%(step)s is possible from %(day)s at the earliest.")
                          % {"step": step.label, "day": step.earliest})
        org = candidate.party_organization
        if step.stage == DevelopmentStage.ACTIVIST:
            contacts = _members_of(org, contact_ids or [], "contacts")
            if not contacts:
                raise invalid("contacts", _("Name one or two contact members (培养联系人)."))
            candidate.contacts.set(contacts[:2])
            candidate.activist_on = on
        elif step.stage == DevelopmentStage.CANDIDATE:
            candidate.candidate_on = on
        elif step.stage == DevelopmentStage.PROBATIONARY:
            introducers = _members_of(org, introducer_ids or [], "introducers")
            if len(introducers) != 2:
                raise invalid("introducers", _("Two full members introduce a candidate."))
            candidate.introducers.set(introducers)
            candidate.admitted_on = on
            candidate.member = Member.objects.create(
                name=candidate.name, status="probationary", party_organization=org,
                employer=candidate.employer)
        elif step.stage == DevelopmentStage.FULL:
            candidate.full_on = on
            Member.objects.filter(pk=candidate.member_id).update(status="full")
        candidate.stage = step.stage
        candidate.save()
    return candidate


def candidate_extend_probation(*, actor: User, candidate_id: int, months: int) -> Candidate:
    with transaction.atomic():
        candidate = _locked_candidate(actor, candidate_id)
        if candidate.stage != DevelopmentStage.PROBATIONARY:
            raise invalid("months", _("Only a probationary member's probation can be extended."))
        if not rules.probation_valid_extension(months) or months == 0:
            raise invalid("months", _("Probation is extended by 6 to 12 months."))
        candidate.probation_extension_months = months
        candidate.save(update_fields=["probation_extension_months", "updated_at"])
    return candidate


def intake_plan_save(*, actor: User, area_id: int, year: int, planned: int,
                     note: str = "") -> IntakePlan:
    if not actor.has_role("district", "area"):
        raise PermissionDenied
    allowed = Area.objects.filter(pk=area_id)
    if not actor.is_district:
        ids = [i for r in actor.scope_roles if r.kind == "area" for i in area_ids_under(r.area_id)]
        allowed = allowed.filter(pk__in=ids)
    area = allowed.first()
    if area is None:
        raise invalid("area", _("Choose an area within your scope."))
    if not 2000 <= year <= 2100:
        raise invalid("year", _("Enter a year between 2000 and 2100."))
    if planned is None or planned < 0:
        raise invalid("planned", _("Planned admissions cannot be negative."))
    with transaction.atomic():
        plan, _created = IntakePlan.objects.update_or_create(
            area=area, year=year, defaults={"planned": planned, "note": note or ""})
    return plan
