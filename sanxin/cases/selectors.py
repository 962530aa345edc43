"""Reads of cases, each through the actor's scope (`CASE_SCOPE`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.accounts.scoping import get_visible_or_404, visible_row, visible_to
from sanxin.core.prepared import PreparedQuery
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Department, DepartmentKind

from .models import OPEN_STATES, UNANSWERED_STATES, Case, CaseEvent, Notification, RectificationTask
from .scoping import CASE_SCOPE, CASE_SCOPE_ONE


def overdue_expression(now: datetime | None = None) -> Conditional:
    """Overdue is computed from the deadline each time, never stored."""
    now = now or timezone.now()
    return Conditional(When(Q(state__in=OPEN_STATES, deadline__lt=now), then=Value(True)),
                 default=Value(False), output_field=BooleanField())


def is_overdue(state: str, deadline: datetime | None, now: datetime) -> bool:
    """`overdue_expression` for a row already read: the CASE in SQL cost a single-case page
    a third of its query's time (Django builds and compiles it anew each time)."""
    return state in OPEN_STATES and deadline is not None and deadline < now


def cases_visible_to(actor: User) -> QuerySet[Case]:
    return visible_to(actor, Case.objects.all(), CASE_SCOPE)


# merged_into is read lazily: only a merged case shows its main case.
CASE_RELATED = ("organization", "organization__area", "category", "lead_department")


def get_case(actor: User, pk) -> Case:
    return _marked_overdue(get_visible_or_404(visible_to(actor, Case.objects.all(), CASE_SCOPE_ONE)
                                              .select_related(*CASE_RELATED), pk))


def _marked_overdue(case: Case) -> Case:
    case.is_overdue = is_overdue(case.state, case.deadline, timezone.now())
    return case


STAMP_FIELDS = ("pk", "version", "updated_at", "deadline", "response_due", "merged_into_id")


@dataclass(frozen=True)
class CaseStamp:
    """What tells whether a stored copy of a case's page is still the case's (core/pagecache)."""

    pk: int
    version: int
    updated_at: datetime
    deadline: datetime | None
    response_due: datetime | None
    merged_into_id: int | None

    @property
    def key(self) -> tuple:
        return ("case", self.pk, self.version, self.updated_at.isoformat())


def case_stamp(actor: User, pk) -> CaseStamp:
    """The case's version columns through the actor's scope: 404 outside it, as `get_case`."""
    return CaseStamp(*visible_row(actor, Case, CASE_SCOPE_ONE, pk, STAMP_FIELDS))


# A case page runs these two for every case it renders: compiled once (core/prepared.py).
_CASE_BY_ID = PreparedQuery(lambda pk: Case.objects.select_related(*CASE_RELATED).filter(pk=pk))
_TIMELINE = PreparedQuery(lambda case_id: CaseEvent.objects.filter(case_id=case_id)
                          .select_related("actor").order_by("at", "id"))


def case_of_stamp(stamp: CaseStamp) -> Case:
    """The case whose stamp the actor's scope just gave (`case_stamp`), read by its id: the
    scope's clauses cost more to build than the row does to read."""
    found = _CASE_BY_ID.rows(stamp.pk)
    if not found:   # deleted between the stamp and this read
        raise Case.DoesNotExist
    return _marked_overdue(found[0])


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    """The events of a case already fetched through `get_case` (so in scope)."""
    return case.events.select_related("actor").order_by("at", "id")


def case_timeline_rows(case: Case) -> list[CaseEvent]:
    """`case_timeline`, read by the compiled query, each event knowing its case."""
    events = _TIMELINE.rows(case.pk)
    for event in events:
        CaseEvent.case.field.set_cached_value(event, case)
    return events


@dataclass(frozen=True)
class CasePage:
    """What the case page shows beside the case itself."""

    timeline: list[CaseEvent]
    attachments: list
    extensions: list
    co_handlers: list
    duplicates: list
    rectifications: list


def case_page(case: Case) -> CasePage:
    """The timeline, then only the related rows it says exist: every attachment, extension
    request, co-handler list and merged duplicate writes its event in the same transaction
    (services.py), so a plain dispatched case costs one query here instead of six."""
    from django.db.models import prefetch_related_objects

    from .services import needs_rectification

    timeline = case_timeline_rows(case)
    actions = {e.action for e in timeline}
    last_dispatch = next((e for e in reversed(timeline) if e.action == "dispatch"), None)
    if "request_extension" in actions:
        # Prefetched: the extension guards of the allowed actions read the same rows.
        prefetch_related_objects([case], "extensions")
    return CasePage(
        timeline=timeline,
        attachments=list(case.attachments.all()) if "attach" in actions else [],
        extensions=list(case.extensions.all()) if "request_extension" in actions else [],
        co_handlers=list(case.co_handlers.all())
        if case.lead_department_id and last_dispatch and last_dispatch.data.get("co_handlers") else [],
        duplicates=list(case.duplicates.select_related("organization"))
        if "merged_duplicate" in actions else [],
        rectifications=list(case.rectifications.all()) if needs_rectification(case) else [],
    )


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    kind: str = ""
    state: str = ""
    category: str = ""
    overdue: str = ""        # "1": only cases past their deadline without an answer
    organization: str = ""   # organization id

    @classmethod
    def from_params(cls, params) -> CaseFilter:
        return cls(**{name: normalize_text(params.get(name, "")) for name in
                      ("q", "kind", "state", "category", "overdue", "organization")})


def search_cases(actor: User, flt: CaseFilter) -> QuerySet[Case]:
    return (_matching(actor, flt).select_related("organization", "category", "lead_department")
            .annotate(is_overdue=overdue_expression()).order_by("-id"))


def _matching(actor: User, flt: CaseFilter) -> QuerySet[Case]:
    qs = cases_visible_to(actor)
    if flt.q:
        qs = qs.filter(Q(title__icontains=flt.q) | Q(hotline_ticket=flt.q)
                       | Q(organization__name__icontains=flt.q))
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.state:
        qs = qs.filter(state=flt.state)
    if flt.category:
        qs = qs.filter(category__code=flt.category)
    if flt.organization.isdigit():
        qs = qs.filter(organization_id=int(flt.organization))
    if flt.overdue == "1":
        qs = overdue_cases(qs)
    return qs


# The columns the list page shows, as plain dicts: building 50 cases and their organizations,
# categories and departments as model instances took a third of the rows' time. Overdue is
# `is_overdue(state, deadline, now)` per row.
LIST_COLUMNS = ("id", "title", "kind", "state", "is_good_suggestion", "deadline", "organization__name",
                "category__name", "lead_department_id", "lead_department__name")


class CaseRows:
    """`search_cases` as the list page's rows, for a Paginator: the rows are sliced from the
    joined query, the count comes from the cases alone (counting through the joins made
    PostgreSQL join every case of the scope to its organization and category)."""

    ordered = True

    def __init__(self, matching: QuerySet[Case]):
        self._matching = matching

    def count(self) -> int:
        return self._matching.count()

    def __getitem__(self, index):
        return self._matching.order_by("-id").values(*LIST_COLUMNS)[index]


def case_list_rows(actor: User, flt: CaseFilter) -> CaseRows:
    return CaseRows(_matching(actor, flt))


def overdue_cases(qs: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    """Past the deadline (or the signing limit) without an answer."""
    now = now or timezone.now()
    return qs.filter(state__in=UNANSWERED_STATES).filter(
        Q(deadline__lt=now) | Q(deadline__isnull=True, response_due__lt=now))


def overdue_visible_to(actor: User) -> QuerySet[Case]:
    return (overdue_cases(cases_visible_to(actor))
            .select_related("organization", "lead_department", "category").order_by("deadline", "id"))


def handling_departments() -> QuerySet[Department]:
    """The departments a case can be dispatched to: 职能部门 only (services check it too)."""
    return Department.objects.filter(kind=DepartmentKind.FUNCTIONAL).order_by("code")


def notifications_for(actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=actor).select_related("case")


def rectifications_of(case: Case) -> QuerySet[RectificationTask]:
    return case.rectifications.all()


def find_by_hotline_ticket(actor: User, ticket: str) -> Case:
    from django.http import Http404

    case = cases_visible_to(actor).filter(hotline_ticket=ticket).first()
    if case is None:
        raise Http404
    return case
