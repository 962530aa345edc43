"""Party-life API (mounted at /api/partylife/): every read through the caller's scope, every
write through a service; bad input answers 422 with the field named, out of scope answers 404."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxin.core.apitools import (
    WRITE_ERRORS,
    IdParam,
    InputSchema,
    Page,
    PageParams,
    forbidden,
    ordering_field,
    paginate,
    validation_error,
)

from . import selectors, services
from .development import next_step, rule_warnings

router = Router(tags=["partylife"])


def _error(exc: ValidationError) -> Status:
    return validation_error(exc)


def _forbidden() -> Status:
    return forbidden(_("Your role may not record party life."))


WRITE_RESPONSES = WRITE_ERRORS


# ---- meetings ----------------------------------------------------------------------------------

class AttendanceIn(InputSchema):
    member_id: int
    status: str = "present"
    reason: str = ""


class MeetingIn(InputSchema):
    party_organization_id: int
    kind: str
    held_on: date
    topic: str
    status: str = "held"
    counts_for: date | None = None
    online: bool = False
    place_id: int | None = None
    location: str = ""
    materials: str = ""
    minutes: str = ""
    attendance: list[AttendanceIn] | None = Field(
        None, description="Per-member attendance; omitted = every member expected and present")
    expected_count: int | None = Field(None, description="Head count only, when members are not "
                                                         "registered one by one")
    present_count: int | None = None


class MeetingOut(Schema):
    id: int
    party_organization_id: int
    party_organization: str
    kind: str
    status: str
    held_on: date
    counts_for: date | None
    online: bool
    place_id: int | None
    location: str
    topic: str
    expected_count: int
    present_count: int
    leave_count: int
    absent_count: int
    made_up_count: int

    @staticmethod
    def resolve_party_organization(obj) -> str:
        return obj.party_organization.name


class AttendanceOut(Schema):
    member_id: int
    member: str
    status: str
    reason: str
    made_up_on: date | None

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name


class MeetingDetailOut(MeetingOut):
    materials: str
    minutes: str
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj) -> list:
        return list(obj.attendance.select_related("member").order_by("member_id"))


class MeetingQuery(Schema):
    party_organization_id: IdParam | None = None
    kind: str = ""
    # bounded: a year past 9999 cannot be a date (held_on__year=99999 was a 500)
    year: int | None = Field(None, ge=1921, le=2100)


class MakeUpIn(InputSchema):
    member_id: int
    made_up_on: date
    note: str = ""


MEETING_ORDERING = {"id": "id", "held_on": "held_on", "kind": "kind", "status": "status",
                    "topic": "topic", "party_organization": "party_organization_id"}
PLACE_ORDERING = {"id": "id", "name": "name", "kind": "kind"}
STUDY_ORDERING = {"id": "id", "studied_on": "studied_on", "hours": "hours", "mode": "mode",
                  "member": "member_id"}
VANGUARD_ORDERING = {"id": "id", "kind": "kind", "name": "name",
                     "established_on": "established_on"}
VOLUNTEER_ORDERING = {"id": "id", "held_on": "held_on", "kind": "kind", "title": "title",
                      "beneficiaries": "beneficiaries"}
CANDIDATE_ORDERING = {"id": "id", "name": "name", "stage": "stage", "applied_on": "applied_on",
                      "admitted_on": "admitted_on"}


class MeetingListParams(PageParams):
    ordering: str = ordering_field(MEETING_ORDERING, "`-held_on,-id`")


class PlaceListParams(PageParams):
    ordering: str = ordering_field(PLACE_ORDERING, "`id`")


class StudyListParams(PageParams):
    ordering: str = ordering_field(STUDY_ORDERING, "`-studied_on,-id`")


class VanguardListParams(PageParams):
    ordering: str = ordering_field(VANGUARD_ORDERING, "`kind,id`")


class VolunteerListParams(PageParams):
    ordering: str = ordering_field(VOLUNTEER_ORDERING, "`-held_on,-id`")


class CandidateListParams(PageParams):
    ordering: str = ordering_field(CANDIDATE_ORDERING, "`-applied_on,-id`")


@router.get("/meetings", response=Page[MeetingOut], summary="Meetings in the caller's scope")
def list_meetings(request: HttpRequest, filters: Query[MeetingQuery],
                  paging: Query[MeetingListParams]):
    qs = selectors.meetings_visible_to(request.auth).select_related("party_organization")
    if filters.party_organization_id:
        qs = qs.filter(party_organization_id=filters.party_organization_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    return paginate(qs.order_by("-held_on", "-id"), paging, MEETING_ORDERING)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut,
            summary="One meeting with its attendance (404 outside the caller's scope)")
def get_meeting(request: HttpRequest, meeting_id: int):
    return selectors.get_meeting(request.auth, meeting_id)


@router.post("/meetings", response={201: MeetingOut, **WRITE_RESPONSES},
             summary="Record a meeting and its attendance")
def create_meeting(request: HttpRequest, payload: MeetingIn):
    data = payload.dict()
    rows = data.pop("attendance")
    try:
        meeting = services.meeting_record(
            actor=request.auth, **data,
            attendance=None if rows is None else [services.AttendanceInput(**r) for r in rows])
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()
    return Status(201, meeting)


@router.post("/meetings/{meeting_id}/make-up", response={200: AttendanceOut, **WRITE_RESPONSES},
             summary="Record a make-up (补学) for a member who missed the meeting")
def make_up(request: HttpRequest, meeting_id: int, payload: MakeUpIn):
    selectors.get_meeting(request.auth, meeting_id)  # 404 outside the scope
    try:
        return Status(200, services.attendance_make_up(actor=request.auth, meeting_id=meeting_id,
                                                       **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


# ---- compliance --------------------------------------------------------------------------------

class PeriodOut(Schema):
    period: str
    status: str


class RuleOut(Schema):
    rule: str
    meeting_kind: str
    periods: list[PeriodOut]


class BranchComplianceOut(Schema):
    party_organization_id: int
    party_organization: str
    area_code: str
    domain: str | None
    on_time: int
    late: int
    missing: int
    rate: float | None
    rules: list[RuleOut]


class ComplianceRateOut(Schema):
    key: str
    label: str
    branches: int
    compliant_branches: int
    on_time: int
    late: int
    missing: int
    rate: float | None


class ComplianceOut(Schema):
    year: int
    branches: list[BranchComplianceOut]
    by_area: list[ComplianceRateOut]
    by_domain: list[ComplianceRateOut]


class AlertOut(Schema):
    party_organization_id: int
    party_organization: str
    area_code: str
    rule: str
    meeting_kind: str
    period: str
    status: str


class YearQuery(Schema):
    year: int = Field(default_factory=lambda: selectors.today().year, ge=2000, le=2100)
    area: str = ""


def _branch_out(row: selectors.BranchCompliance) -> dict:
    return {"party_organization_id": row.org.pk, "party_organization": row.org.name,
            "area_code": row.org.area.code, "domain": row.domain, "on_time": row.on_time,
            "late": row.late, "missing": row.missing, "rate": row.rate,
            "rules": [{"rule": r.rule.code, "meeting_kind": r.rule.meeting_kind,
                       "periods": [{"period": p, "status": s} for p, s in r.periods]}
                      for r in row.results]}


def _rate_out(row: selectors.RateRow) -> dict:
    return {"key": row.key, "label": row.label, "branches": row.branches,
            "compliant_branches": row.compliant_branches, "on_time": row.on_time,
            "late": row.late, "missing": row.missing, "rate": row.rate}


@router.get("/compliance", response=ComplianceOut,
            summary="Meeting compliance per branch, area and domain for a year")
def compliance(request: HttpRequest, query: Query[YearQuery]):
    rows = selectors.branch_compliance(request.auth, query.year, area_code=query.area)
    return {"year": query.year, "branches": [_branch_out(r) for r in rows],
            "by_area": [_rate_out(r) for r in selectors.rates_by_area(rows)],
            "by_domain": [_rate_out(r) for r in selectors.rates_by_domain(rows)]}


@router.get("/alerts", response=list[AlertOut],
            summary="Missing and late required meetings in the caller's scope")
def alerts(request: HttpRequest, query: Query[YearQuery]):
    rows = selectors.branch_compliance(request.auth, query.year, area_code=query.area)
    return [{"party_organization_id": a.org.pk, "party_organization": a.org.name,
             "area_code": a.org.area.code, "rule": a.rule.code,
             "meeting_kind": a.rule.meeting_kind, "period": a.period, "status": a.status}
            for a in selectors.alerts_from(rows)]


class AbsenceOut(Schema):
    member_id: int
    member: str
    party_organization: str
    absences: int


@router.get("/absences", response=list[AbsenceOut],
            summary="Members with repeated absences in the last six months")
def absences(request: HttpRequest):
    return [{"member_id": m.pk, "member": m.name, "party_organization": m.party_organization.name,
             "absences": m.absences} for m in selectors.repeated_absences(request.auth)[:500]]


# ---- study -------------------------------------------------------------------------------------

class StudyPlaceIn(InputSchema):
    name: str
    kind: str
    area_id: int
    address: str = ""


class StudyPlaceOut(Schema):
    id: int
    name: str
    kind: str
    area_id: int
    address: str


class StudyIn(InputSchema):
    member_id: int
    studied_on: date
    mode: str
    topic: str
    hours: Decimal
    place_id: int | None = None


class StudyOut(Schema):
    id: int
    member_id: int
    party_organization_id: int
    studied_on: date
    mode: str
    topic: str
    hours: Decimal
    place_id: int | None


class StudyTotalOut(Schema):
    id: int
    name: str
    hours: Decimal
    records: int
    online: int
    studied: int
    members: int
    participation: float | None


class StudyTotalsQuery(Schema):
    year: int = Field(default_factory=lambda: selectors.today().year, ge=2000, le=2100)
    by: str = Field("branch", pattern="^(branch|area)$")


@router.get("/places", response=Page[StudyPlaceOut], summary="Registered study places")
def list_places(request: HttpRequest, paging: Query[PlaceListParams]):
    return paginate(selectors.study_places_visible_to(request.auth).order_by("id"), paging,
                    PLACE_ORDERING)


@router.post("/places", response={201: StudyPlaceOut, **WRITE_RESPONSES},
             summary="Register a study place")
def create_place(request: HttpRequest, payload: StudyPlaceIn):
    try:
        return Status(201, services.study_place_create(actor=request.auth, **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


@router.get("/study", response=Page[StudyOut], summary="Study records in the caller's scope")
def list_study(request: HttpRequest, paging: Query[StudyListParams],
               member_id: IdParam | None = None):
    qs = selectors.study_records_visible_to(request.auth)
    if member_id:
        qs = qs.filter(member_id=member_id)
    return paginate(qs.order_by("-studied_on", "-id"), paging, STUDY_ORDERING)


@router.post("/study", response={201: StudyOut, **WRITE_RESPONSES},
             summary="Record a member's study")
def create_study(request: HttpRequest, payload: StudyIn):
    try:
        return Status(201, services.study_record_create(actor=request.auth, **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


@router.get("/study/totals", response=list[StudyTotalOut],
            summary="Study hours and participation per branch or area")
def study_totals(request: HttpRequest, query: Query[StudyTotalsQuery]):
    return selectors.study_totals(request.auth, query.year, by=query.by)


# ---- vanguard units ----------------------------------------------------------------------------

class VanguardIn(InputSchema):
    kind: str
    name: str
    party_organization_id: int
    organization_id: int | None = None
    goals: str = ""
    established_on: date | None = None
    member_ids: list[int] = []


class AchievementIn(InputSchema):
    achieved_on: date
    title: str
    description: str = ""


class AchievementOut(Schema):
    id: int
    achieved_on: date
    title: str
    description: str


class VanguardOut(Schema):
    id: int
    kind: str
    name: str
    party_organization_id: int
    organization_id: int | None
    goals: str
    established_on: date | None


class VanguardDetailOut(VanguardOut):
    member_ids: list[int]
    achievements: list[AchievementOut]

    @staticmethod
    def resolve_member_ids(obj) -> list[int]:
        return sorted(obj.members.values_list("id", flat=True))

    @staticmethod
    def resolve_achievements(obj) -> list:
        return list(obj.achievements.all())


class CountOut(Schema):
    by_kind: dict[str, int]
    by_area: list[dict]
    total: int


@router.get("/vanguard", response=Page[VanguardOut], summary="Vanguard units")
def list_vanguard(request: HttpRequest, paging: Query[VanguardListParams], kind: str = ""):
    qs = selectors.vanguard_units_visible_to(request.auth)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs.order_by("kind", "id"), paging, VANGUARD_ORDERING)


@router.get("/vanguard/counts", response=CountOut, summary="Vanguard units by kind and area")
def vanguard_counts(request: HttpRequest):
    return selectors.vanguard_counts(request.auth)


@router.get("/vanguard/{unit_id}", response=VanguardDetailOut, summary="One vanguard unit")
def get_vanguard(request: HttpRequest, unit_id: int):
    return selectors.get_vanguard_unit(request.auth, unit_id)


@router.post("/vanguard", response={201: VanguardOut, **WRITE_RESPONSES},
             summary="Create a vanguard unit")
def create_vanguard(request: HttpRequest, payload: VanguardIn):
    try:
        return Status(201, services.vanguard_unit_create(actor=request.auth, **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


@router.post("/vanguard/{unit_id}/achievements", response={201: AchievementOut, **WRITE_RESPONSES},
             summary="Add an achievement to a vanguard unit")
def add_achievement(request: HttpRequest, unit_id: int, payload: AchievementIn):
    selectors.get_vanguard_unit(request.auth, unit_id)
    try:
        return Status(201, services.achievement_add(actor=request.auth, unit_id=unit_id,
                                                    **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


# ---- volunteering ------------------------------------------------------------------------------

class ParticipantIn(InputSchema):
    member_id: int
    hours: Decimal


class VolunteerIn(InputSchema):
    party_organization_id: int
    held_on: date
    place: str
    kind: str
    title: str
    beneficiaries: int = 0
    team_id: int | None = None
    participants: list[ParticipantIn] = []


class VolunteerOut(Schema):
    id: int
    party_organization_id: int
    team_id: int | None
    held_on: date
    place: str
    kind: str
    title: str
    beneficiaries: int
    participant_count: int
    total_hours: Decimal


class VolunteerTotalsQuery(Schema):
    by: str = Field("organization", pattern="^(member|team|organization)$")


@router.get("/volunteering", response=Page[VolunteerOut], summary="Volunteer activities")
def list_volunteering(request: HttpRequest, paging: Query[VolunteerListParams]):
    return paginate(selectors.volunteer_activities_visible_to(request.auth)
                    .order_by("-held_on", "-id"), paging, VOLUNTEER_ORDERING)


@router.get("/volunteering/totals", response=list[dict],
            summary="Activities, participants and hours per member, team or party organization")
def volunteering_totals(request: HttpRequest, query: Query[VolunteerTotalsQuery]):
    rows = selectors.volunteer_totals(request.auth, query.by)
    return [{**row, "hours": float(row["hours"] or 0)} for row in rows]


@router.get("/volunteering/{activity_id}", response=VolunteerOut, summary="One volunteer activity")
def get_volunteering(request: HttpRequest, activity_id: int):
    return selectors.get_volunteer_activity(request.auth, activity_id)


@router.post("/volunteering", response={201: VolunteerOut, **WRITE_RESPONSES},
             summary="Record a volunteer activity with its participants and hours")
def create_volunteering(request: HttpRequest, payload: VolunteerIn):
    data = payload.dict()
    parts = [services.ParticipantInput(**p) for p in data.pop("participants")]
    try:
        return Status(201, services.volunteer_activity_record(
            actor=request.auth, participants=parts, **data))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


# ---- member development ------------------------------------------------------------------------

class CandidateIn(InputSchema):
    name: str
    party_organization_id: int
    applied_on: date
    birth_date: date | None = None
    employer_id: int | None = None


class CandidateOut(Schema):
    id: int
    name: str
    party_organization_id: int
    stage: str
    applied_on: date
    talked_on: date | None
    activist_on: date | None
    candidate_on: date | None
    admitted_on: date | None
    probation_extension_months: int
    full_on: date | None
    next_step: str
    next_stage: str | None
    earliest: date | None
    warnings: list[str]

    @staticmethod
    def resolve_next_step(obj) -> str:
        return next_step(obj).label

    @staticmethod
    def resolve_next_stage(obj) -> str | None:
        return next_step(obj).stage

    @staticmethod
    def resolve_earliest(obj) -> date | None:
        return next_step(obj).earliest

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return rule_warnings(obj, selectors.today())


class TalkIn(InputSchema):
    talked_on: date


class AdvanceIn(InputSchema):
    on: date
    contact_ids: list[int] = []
    introducer_ids: list[int] = []


class ExtendIn(InputSchema):
    months: int


class IntakePlanIn(InputSchema):
    area_id: int
    year: int
    planned: int
    note: str = ""


class IntakePlanOut(Schema):
    area_id: int
    area: str
    year: int
    planned: int
    admitted: int
    note: str


@router.get("/candidates", response=Page[CandidateOut], summary="Development candidates")
def list_candidates(request: HttpRequest, paging: Query[CandidateListParams], stage: str = ""):
    qs = selectors.candidates_visible_to(request.auth)
    if stage:
        qs = qs.filter(stage=stage)
    return paginate(qs.order_by("-applied_on", "-id"), paging, CANDIDATE_ORDERING)


@router.get("/candidates/{candidate_id}", response=CandidateOut, summary="One candidate")
def get_candidate(request: HttpRequest, candidate_id: int):
    return selectors.get_candidate(request.auth, candidate_id)


@router.post("/candidates", response={201: CandidateOut, **WRITE_RESPONSES},
             summary="Register an application to join the party")
def create_candidate(request: HttpRequest, payload: CandidateIn):
    try:
        return Status(201, services.candidate_create(actor=request.auth, **payload.dict()))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


def _candidate_write(request, candidate_id, service, **kwargs):
    selectors.get_candidate(request.auth, candidate_id)
    try:
        return Status(200, service(actor=request.auth, candidate_id=candidate_id, **kwargs))
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()


@router.post("/candidates/{candidate_id}/talk", response={200: CandidateOut, **WRITE_RESPONSES},
             summary="Record the talk with an applicant")
def candidate_talk(request: HttpRequest, candidate_id: int, payload: TalkIn):
    return _candidate_write(request, candidate_id, services.candidate_record_talk,
                            **payload.dict())


@router.post("/candidates/{candidate_id}/advance",
             response={200: CandidateOut, **WRITE_RESPONSES},
             summary="Move a candidate to the next stage when the time rules allow")
def candidate_advance(request: HttpRequest, candidate_id: int, payload: AdvanceIn):
    return _candidate_write(request, candidate_id, services.candidate_advance, **payload.dict())


@router.post("/candidates/{candidate_id}/extend",
             response={200: CandidateOut, **WRITE_RESPONSES},
             summary="Extend a probationary member's probation by 6 to 12 months")
def candidate_extend(request: HttpRequest, candidate_id: int, payload: ExtendIn):
    return _candidate_write(request, candidate_id, services.candidate_extend_probation,
                            **payload.dict())


@router.get("/plans", response=list[IntakePlanOut], summary="Yearly intake plans per area")
def list_plans(request: HttpRequest, query: Query[YearQuery]):
    return [{"area_id": r["plan"].area_id, "area": r["plan"].area.name, "year": r["plan"].year,
             "planned": r["plan"].planned, "admitted": r["admitted"], "note": r["plan"].note}
            for r in selectors.intake_progress(request.auth, query.year)]


@router.post("/plans", response={200: IntakePlanOut, **WRITE_RESPONSES},
             summary="Set the intake plan of an area for a year")
def save_plan(request: HttpRequest, payload: IntakePlanIn):
    try:
        plan = services.intake_plan_save(actor=request.auth, **payload.dict())
    except ValidationError as exc:
        return _error(exc)
    except PermissionDenied:
        return _forbidden()
    admitted = selectors.candidates_visible_to(request.auth).filter(
        admitted_on__year=plan.year, party_organization__area_id=plan.area_id).count()
    return Status(200, {"area_id": plan.area_id, "area": plan.area.name, "year": plan.year,
                        "planned": plan.planned, "admitted": admitted, "note": plan.note})
