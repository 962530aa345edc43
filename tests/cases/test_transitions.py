"""Every transition of the table, tried by every role: allowed ones change the case and write
one event; forbidden ones raise (403 or 404) and change nothing."""
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from sanxin.cases import rules, services
from sanxin.cases.errors import CaseError, Forbidden, InvalidState
from sanxin.cases.models import Case, CaseEvent, ExtensionRequest, Rating

from .conftest import ANSWER, co_department, drive, raise_case

FIELDS = {
    "dispatch": lambda d, other: {"lead_department": d.dept_f.pk, "co_handlers": [co_department().pk]},
    "sign": lambda d, other: {"note": "已电话联系企业负责人"},
    "return": lambda d, other: {"reason": "不属于本部门职责"},
    "start": lambda d, other: {},
    "answer": lambda d, other: {"answer": ANSWER},
    "request_extension": lambda d, other: {"reason": "需现场踏勘", "working_days": 3},
    "approve_extension": lambda d, other: {},
    "refuse_extension": lambda d, other: {"reason": "期限足够"},
    "remind": lambda d, other: {"note": "请加快办理"},
    "supervise": lambda d, other: {"note": "已超期，请说明原因"},
    "rate": lambda d, other: {"rating": Rating.BASIC, "resolved": True},
    "reopen": lambda d, other: {"reason": "问题未解决"},
    "close": lambda d, other: {},
    "close_unrated": lambda d, other: {"reason": "企业七日内未评价"},
    "merge": lambda d, other: {"target": other.pk},
}

SETUP_STATE = {
    "dispatch": "pending", "sign": "dispatched", "return": "dispatched", "start": "signed",
    "answer": "handling", "request_extension": "signed", "approve_extension": "signed",
    "refuse_extension": "signed", "remind": "signed", "supervise": "signed", "rate": "answered",
    "reopen": "answered", "close": "rated", "close_unrated": "answered", "merge": "pending",
}

ROLES = ["district", "area", "department", "functional", "organization", "officer"]


def prepare(district, action: str, org_name: str):
    org = getattr(district, org_name)
    raiser = district.officer_user if org_name == "b1" else district.contact_a1
    case = raise_case(district, organization=org, actor=raiser)
    other = raise_case(district, organization=org, actor=raiser, title="同一诉求")
    state = SETUP_STATE[action]
    if state != "pending":
        case = drive(district, case, state)
    if action in ("approve_extension", "refuse_extension"):
        case = services.case_transition(actor=district.functional_user, case_id=case.pk,
                                        action="request_extension",
                                        fields={"reason": "需要会商", "working_days": 2})
    if action == "reopen":
        # RATED + unsatisfied is entered and left in one transaction by `rate`; set it directly
        # to try the reopen row on its own.
        Case.objects.filter(pk=case.pk).update(state="rated", rating=Rating.UNSATISFIED,
                                               rated_at=timezone.now())
    case = Case.objects.get(pk=case.pk)
    now = case.deadline + timedelta(hours=1) if action == "supervise" else timezone.now()
    return case, other, now


def expected_scopes(district, role: str, case: Case, org_name: str) -> set[str] | None:
    """The spec: which scope each fixture user holds over the case; None = cannot see it."""
    lead = case.lead_department_id == district.dept_f.pk
    table = {
        "district": {rules.DISTRICT},
        "area": {rules.AREA} if org_name == "a1" else None,
        "department": None,                                   # dept_x is never dispatched to
        "functional": {rules.LEAD} if lead else None,
        "organization": {rules.CONTACT} if org_name == "a1" else None,
        "officer": {rules.OFFICER} if org_name == "b1" else None,
    }
    return table[role]


@pytest.mark.parametrize("org_name", ["a1", "b1"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [t.action for t in rules.TRANSITIONS])
def test_transition_by_role(district, action, role, org_name):
    case, other, now = prepare(district, action, org_name)
    actor = district.users()[role]
    transition = rules.TRANSITIONS_BY_ACTION[action]
    scopes = expected_scopes(district, role, case, org_name)
    events_before = CaseEvent.objects.filter(case=case).count()
    call = lambda: services.case_transition(  # noqa: E731
        actor=actor, case_id=case.pk, action=action, fields=FIELDS[action](district, other), now=now)
    if scopes is None:
        with pytest.raises(Http404):
            call()
    elif not scopes & transition.allowed:
        with pytest.raises(Forbidden):
            call()
    else:
        updated = call()
        assert updated.version > case.version
        expected_state = transition.target or case.state
        if action == "rate":
            assert updated.rating == Rating.BASIC
        assert updated.state == expected_state
        event = CaseEvent.objects.filter(case=case).order_by("-id").first()
        assert event.action == transition.event_name and event.actor == actor
        return
    unchanged = Case.objects.get(pk=case.pk)
    assert (unchanged.state, unchanged.version) == (case.state, case.version)
    assert CaseEvent.objects.filter(case=case).count() == events_before


@pytest.mark.parametrize("action", [t.action for t in rules.TRANSITIONS])
def test_transition_refused_from_every_other_state(district, action):
    """The district (who sees everything) still cannot act from a state the table does not list."""
    transition = rules.TRANSITIONS_BY_ACTION[action]
    for state in ("pending", "dispatched", "signed", "handling", "answered", "rated", "closed"):
        if state in transition.sources:
            continue
        case = raise_case(district)
        if state != "pending":
            case = drive(district, case, state)
        lead = {"functional": district.functional_user}
        for actor in (district.district, lead["functional"] if case.lead_department_id else district.district):
            with pytest.raises((InvalidState, Forbidden)):
                services.case_transition(actor=actor, case_id=case.pk, action=action,
                                         fields=FIELDS[action](district, raise_case(district)))
        assert Case.objects.get(pk=case.pk).state == state


@pytest.mark.parametrize("action", [t.action for t in rules.TRANSITIONS if t.required])
def test_missing_required_field_changes_nothing(district, action):
    case, other, now = prepare(district, action, "a1")
    transition = rules.TRANSITIONS_BY_ACTION[action]
    actor = {rules.DISTRICT: district.district, rules.LEAD: district.functional_user,
             rules.CONTACT: district.contact_a1}[sorted(transition.allowed & {
                 rules.DISTRICT, rules.LEAD, rules.CONTACT})[0]]
    fields = FIELDS[action](district, other)
    missing = transition.required[0]
    fields[missing] = "  " if missing in ("note", "reason", "answer") else None
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=actor, case_id=case.pk, action=action, fields=fields, now=now)
    assert caught.value.field == missing
    assert Case.objects.get(pk=case.pk).version == case.version


def test_unknown_action_is_refused(district):
    case = raise_case(district)
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=district.district, case_id=case.pk, action="teleport")
    assert caught.value.field == "action"


def test_no_close_without_an_answer(district):
    """Neither the workflow nor a direct write can close a case that has no answer."""
    from django.db import IntegrityError, transaction

    case = drive(district, raise_case(district), "answered")
    Case.objects.filter(pk=case.pk).update(answer="")
    with pytest.raises(InvalidState, match="without an answer"):
        services.case_transition(actor=district.district, case_id=case.pk, action="close_unrated",
                                 fields={"reason": "未评价"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state="closed")
    assert Case.objects.get(pk=case.pk).state == "answered"


def test_short_answer_is_refused(district):
    case = drive(district, raise_case(district), "handling")
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=district.functional_user, case_id=case.pk, action="answer",
                                 fields={"answer": "已办"})
    assert caught.value.field == "answer"


def test_unsatisfied_rating_reopens_with_new_deadline(district):
    case = drive(district, raise_case(district), "answered")
    case = services.case_transition(actor=district.contact_a1, case_id=case.pk, action="rate",
                                    fields={"rating": Rating.UNSATISFIED, "resolved": False,
                                            "note": "贴息仍未到账"})
    assert case.state == "handling" and case.reopen_count == 1 and case.rating == ""
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-2:] == ["rate", "reopen"]
    assert case.events.get(action="rate").data["rating"] == "unsatisfied"
    assert case.deadline > timezone.now()
    with pytest.raises(InvalidState):
        services.case_transition(actor=district.district, case_id=case.pk, action="close")


def test_extension_must_be_asked_before_deadline(district):
    case = drive(district, raise_case(district), "signed")
    with pytest.raises(InvalidState) as caught:
        services.case_transition(actor=district.functional_user, case_id=case.pk,
                                 action="request_extension", now=case.deadline + timedelta(minutes=1),
                                 fields={"reason": "需要会商", "working_days": 2})
    assert "before the deadline" in caught.value.message
    assert not ExtensionRequest.objects.filter(case=case).exists()


@pytest.mark.parametrize("days", ["0", "31", "abc", "-2"])
def test_extension_days_out_of_range(district, days):
    case = drive(district, raise_case(district), "signed")
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=district.functional_user, case_id=case.pk,
                                 action="request_extension", fields={"reason": "会商", "working_days": days})
    assert caught.value.field == "working_days"


def test_second_pending_extension_is_refused(district):
    case = drive(district, raise_case(district), "signed")
    fields = {"reason": "需要会商", "working_days": 2}
    services.case_transition(actor=district.functional_user, case_id=case.pk,
                             action="request_extension", fields=fields)
    with pytest.raises(InvalidState):
        services.case_transition(actor=district.functional_user, case_id=case.pk,
                                 action="request_extension", fields=fields)
    assert ExtensionRequest.objects.filter(case=case).count() == 1


def test_return_clears_handlers_and_counts(district):
    case = raise_case(district)
    case = services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                                    fields={"lead_department": district.dept_f.pk,
                                            "co_handlers": [co_department().pk]})
    assert list(case.co_handlers.all()) == [co_department()]
    case = services.case_transition(actor=district.functional_user, case_id=case.pk,
                                    action="return", fields={"reason": "属于市场监管局职责"})
    assert case.state == "pending" and case.lead_department is None and case.return_count == 1
    assert not case.co_handlers.exists()
    assert case.events.last().note == "属于市场监管局职责"


def test_merge_lets_the_duplicate_enterprise_follow_the_answer(district):
    primary = raise_case(district, organization=district.b1, actor=district.officer_user)
    duplicate = raise_case(district, organization=district.a1, actor=district.contact_a1)
    from sanxin.cases.selectors import cases_visible_to

    assert not cases_visible_to(district.contact_a1).filter(pk=primary.pk).exists()
    services.case_transition(actor=district.district, case_id=duplicate.pk, action="merge",
                             fields={"target": primary.pk})
    assert cases_visible_to(district.contact_a1).filter(pk=primary.pk).exists()
    assert primary.events.filter(action="merged_duplicate").exists()
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=district.district, case_id=primary.pk, action="merge",
                                 fields={"target": primary.pk})
    assert caught.value.field == "target"


def test_stale_version_is_changed_meanwhile(district):
    from sanxin.cases.errors import ChangedMeanwhile

    case = drive(district, raise_case(district), "dispatched")
    services.case_transition(actor=district.functional_user, case_id=case.pk, action="sign",
                             fields={"note": "已联系"}, version=case.version)
    with pytest.raises(ChangedMeanwhile):
        services.case_transition(actor=district.functional_user, case_id=case.pk, action="return",
                                 fields={"reason": "重复"}, version=case.version)
    assert Case.objects.get(pk=case.pk).state == "signed"


@pytest.mark.parametrize("field", ["lead_department", "co_handlers"])
def test_only_a_functional_department_handles_a_case(district, field):
    """An industry authority (行业主管单位) is no 职能部门: neither lead nor co-handler."""
    case = raise_case(district)
    fields = {"lead_department": district.dept_f.pk, "co_handlers": [co_department().pk]}
    fields[field] = (district.dept_x.pk if field == "lead_department"
                     else [co_department().pk, district.dept_x.pk])
    with pytest.raises(CaseError) as caught:
        services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                                 fields=fields)
    assert caught.value.field == field
    assert caught.value.message.startswith("区经济信息委 is not a functional department")
    unchanged = Case.objects.get(pk=case.pk)
    assert (unchanged.state, unchanged.version, unchanged.lead_department_id) == ("pending", 1, None)
    assert not unchanged.co_handlers.exists()
    assert list(unchanged.events.values_list("action", flat=True)) == ["raise"]
