"""Helpers for case tests: raise a case and drive it to any state through the real services."""
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sanxin.cases import services
from sanxin.cases.models import Case, Category, Rating
from sanxin.core import calendar
from sanxin.registry.models import Department


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in the English source; one test checks the zh-Hans catalog."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user, asking for English pages."""

    def login(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Rolled-back test transactions do not fire signals: start every test from the table."""
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def co_department() -> Department:
    """A second 职能部门 (the fixture district has one, 区税务局) to co-handle cases."""
    return Department.objects.get_or_create(
        code="renshe", defaults={"name": "区人力社保局", "kind": "functional"})[0]


@pytest.fixture
def co_handler_user(district):
    from tests.factories import user_with_role

    return user_with_role("dept_renshe", "department", department=co_department())


def raise_case(district, *, organization=None, actor=None, kind="demand", urgency="normal",
               category="financing", title="贷款贴息申请", **extra) -> Case:
    organization = organization or district.a1
    if not Category.objects.exists():
        # A transactional test starts from a flushed database: put the migration's defaults back.
        from sanxin.cases.defaults import seed_defaults
        from sanxin.cases.models import DeadlineRule

        seed_defaults(Category, DeadlineRule)
    data = {"kind": kind, "title": title, "description": "企业申请贷款贴息，材料已齐。",
            "organization": organization, "category": Category.objects.get(code=category),
            "urgency": urgency, "source": extra.pop("source", "contact" if kind == "demand" else "collected"),
            **extra}
    if kind == "problem":
        data.setdefault("collector_level", "front_line")
    return services.case_raise(actor=actor or district.district, data=data)


ANSWER = "已协调银行办理贴息，款项将于本月到账。"


def drive(district, case: Case, state: str, *, now: datetime | None = None,
          lead=None) -> Case:
    """Bring a pending case to `state` by the ordinary path (district dispatches to dept_f)."""
    lead = lead or district.dept_f
    lead_user = district.functional_user
    now = now or timezone.now() - timedelta(minutes=30)   # steps stay in the past
    steps = {
        "dispatched": [("dispatch", district.district, {"lead_department": lead.pk})],
        "signed": [("sign", lead_user, {"note": "已电话联系企业"})],
        "handling": [("start", lead_user, {})],
        "answered": [("answer", lead_user, {"answer": ANSWER})],
        "rated": [("rate", district.contact_a1 if case.organization_id == district.a1.pk
                   else district.officer_user, {"rating": Rating.SATISFIED, "resolved": True})],
        "closed": [("close", district.district, {})],
    }
    order = ["dispatched", "signed", "handling", "answered", "rated", "closed"]
    for name in order[: order.index(state) + 1]:
        for action, actor, fields in steps[name]:
            case = services.case_transition(actor=actor, case_id=case.pk, action=action,
                                            fields=fields, now=now)
            now += timedelta(minutes=1)
    return case
