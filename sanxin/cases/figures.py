"""Cases figures for the dashboard, the `figures` command and the statistical report
(sanxin.dashboard.providers): demands received, answered and rated, problems and good
suggestions collected, and their rectification.

The rates are the measures of `measures.py` (one definition: 满意率 counts the first rating, an
unsatisfied one reopens the case; 整改率 needs every rectification task complete). Merged
duplicates are not counted. Written by the dashboard's engineer on the extension point; its
labels live in sanxin/dashboard/labels.py, so that this app's catalog stays its owner's."""
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Chart, Figure, FigureScope, Period, Series, rate
from sanxin.registry.models import Department

from .measures import measure_definitions
from .models import Case, CaseKind, CaseState
from .scoping import CASE_SCOPE

MONTHS_SHOWN = 12


def _counts(now: datetime) -> dict[str, Count]:
    """Conditional counts shared by the figures and the report columns: one pass over the cases."""
    measures = {m.code: m for m in measure_definitions(now)}
    satisfied, rectified = measures["satisfied"], measures["rectified"]
    collected = Q(kind__in=[CaseKind.PROBLEM, CaseKind.SUGGESTION])
    return {
        "received": Count("id"),
        "demands": Count("id", filter=Q(kind=CaseKind.DEMAND)),
        "answered": Count("id", filter=Q(answered_at__isnull=False)),
        "satisfied": Count("id", filter=satisfied.numerator),
        "rated": Count("id", filter=satisfied.denominator),
        "tailored": Count("id", filter=Q(tailored_solution=True)),
        "problems": Count("id", filter=Q(kind=CaseKind.PROBLEM)),
        "suggestions": Count("id", filter=Q(kind=CaseKind.SUGGESTION)),
        "good_suggestions": Count("id", filter=Q(kind=CaseKind.SUGGESTION, is_good_suggestion=True)),
        "rectified": Count("id", filter=collected & rectified.numerator),
        "with_tasks": Count("id", filter=collected & rectified.denominator),
    }


def _cases(scope: FigureScope):
    return scope.scoped(Case.objects.exclude(state=CaseState.MERGED), CASE_SCOPE).order_by()


def _totals(scope: FigureScope) -> dict[str, int]:
    return scope.memo("cases.totals", lambda: _cases(scope).aggregate(**_counts(timezone.now())))


def case_figures(scope: FigureScope) -> list[Figure]:
    t = _totals(scope)
    section = label("Demands, problems and suggestions")

    def figure(key: str, text: str, value, order: int, unit: str = "") -> Figure:
        return Figure(f"cases.{key}", label(text), value, unit=unit, group=section, order=order)

    return [
        figure("received", "Cases received", t["received"], 600),
        figure("demands", "Enterprise demands", t["demands"], 601),
        figure("answered", "Cases answered", t["answered"], 602),
        figure("answer_rate", "Share answered", rate(t["answered"], t["received"]), 603, "%"),
        figure("satisfaction_rate", "Satisfaction rate (满意率)", rate(t["satisfied"], t["rated"]), 604, "%"),
        figure("tailored", "Solved one enterprise, one policy (一企一策)", t["tailored"], 605),
        figure("problems", "Problems collected", t["problems"], 606),
        figure("good_suggestions", "Good suggestions (好建议)", t["good_suggestions"], 607),
        figure("rectified", "Problems and suggestions rectified", t["rectified"], 608),
        figure("rectification_rate", "Rectification rate (整改率)", rate(t["rectified"], t["with_tasks"]),
               609, "%"),
    ]


def _month_start(day: date, back: int) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def case_charts(scope: FigureScope) -> list[Chart]:
    today = timezone.localdate()
    months = [_month_start(today, back) for back in range(MONTHS_SHOWN - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    cases = _cases(scope)

    def monthly(field: str) -> list[int]:
        rows = (cases.filter(**{f"{field}__gte": since})
                .annotate(month=TruncMonth(field, output_field=DateField())).values("month").annotate(n=Count("id")))
        found = {r["month"]: r["n"] for r in rows}
        return [found.get(m, 0) for m in months]

    by_department = list(cases.filter(lead_department__isnull=False).values("lead_department_id")
                         .annotate(n=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
                         .order_by("-n")[:15])
    names = dict(Department.objects.filter(id__in=[r["lead_department_id"] for r in by_department])
                 .values_list("id", "name"))
    return [
        Chart(key="cases.by_month", title=label("Cases by month"), kind="line",
              categories=[m.strftime("%Y-%m") for m in months],
              series=[Series(label("Cases received"), monthly("created_at")),
                      Series(label("Cases answered"), monthly("answered_at"))], order=60),
        Chart(key="cases.by_department", title=label("Cases by lead department"), kind="bar",
              categories=[names.get(r["lead_department_id"], "") for r in by_department],
              series=[Series(label("Cases received"), [r["n"] for r in by_department]),
                      Series(label("Cases answered"), [r["answered"] for r in by_department])], order=61),
    ]


def case_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tz)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tz)
    rows = (_cases(scope).filter(created_at__gte=start, created_at__lt=end)
            .values("organization__area_id").annotate(**_counts(timezone.now())))
    section = label("Demands, problems and suggestions")

    def column(key: str, text: str, order: int) -> AreaColumn:
        return AreaColumn(f"cases.{key}", label(text), section,
                          {r["organization__area_id"]: r[key] for r in rows}, order=order)

    return [
        column("received", "Cases received", 600),
        column("answered", "Cases answered", 601),
        column("rated", "Cases rated", 602),
        column("satisfied", "Rated satisfied", 603),
        AreaColumn("cases.satisfaction_rate", label("Satisfaction rate (满意率)"), section, {}, total="ratio",
                   ratio_of=("cases.satisfied", "cases.rated"), unit="%", order=604),
        column("problems", "Problems collected", 605),
        column("good_suggestions", "Good suggestions (好建议)", 606),
        column("rectified", "Problems and suggestions rectified", 607),
    ]


FIGURE_PROVIDERS = [case_figures]
CHART_PROVIDERS = [case_charts]
AREA_COLUMNS = [case_area_columns]
