"""Demo step: six months of coverage snapshots for the trend, and three campaign targets."""
from datetime import date

from django.db.models import F
from django.utils import timezone

from sanxin.demo.steps import DemoContext, DemoStep

from . import summary
from .models import CampaignTarget, CoverageSnapshot, Metric
from .services import month_start, unscoped_take_snapshot

HISTORY_MONTHS = 6


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _district_level_association(ctx: DemoContext) -> None:
    """未落实属地: a district-level association registered with the civil affairs bureau that no
    township or park has taken responsibility for (a social organization, so no service officer
    is due). Saved through the ORM: the coverage summary follows."""
    from sanxin.registry.models import Department, Organization

    Organization.objects.create(
        name="涪陵区新业态从业者协会", credit_code=None, domain="social", kind="association",
        area=ctx.data["district"], industry="S",
        authority=Department.objects.filter(code="minzhengju").first(), employees=12,
        has_premises=True, address="重庆市涪陵区太极大道", latitude=29.7035, longitude=107.3895,
        contact_name="刘敏", contact_phone="13983300000")


def build(ctx: DemoContext) -> None:
    this_month = month_start(timezone.localdate())
    # The earlier steps wrote in bulk (no signals): summarize once, then signals keep it.
    summary.rebuild()
    _district_level_association(ctx)
    unscoped_take_snapshot(month=this_month)
    # Earlier months: the demo's history, built from this month with less coverage each month back
    # (demo data only; real history comes from the monthly job).
    current = list(CoverageSnapshot.objects.filter(month=this_month))
    history = []
    for back in range(1, HISTORY_MONTHS):
        keep = 1 - 0.05 * back
        for row in current:
            history.append(CoverageSnapshot(
                month=_months_back(this_month, back), area_id=row.area_id, domain=row.domain,
                population=row.population, total=row.total, single=int(row.single * keep),
                joint=int(row.joint * keep), work=int(row.work * (keep - 0.03 * back))))
    CoverageSnapshot.objects.bulk_create(history, batch_size=2000)
    CoverageSnapshot.objects.filter(work__lt=0).update(work=F("single") * 0)
    areas = ctx.data["areas"]
    year_end = date(this_month.year, 12, 31)
    year_start = date(this_month.year, 1, 1)
    CampaignTarget.objects.bulk_create([
        CampaignTarget(title="全区三新领域单独组建率年底攻坚", area=ctx.data["district"],
                       metric=Metric.SINGLE_RATE, target_percent=15, period_start=year_start,
                       period_end=year_end),
        CampaignTarget(title="敦仁街道两个覆盖率攻坚", area=areas["500102006"],
                       metric=Metric.BOTH_RATE, target_percent=95, period_start=year_start,
                       period_end=year_end),
        CampaignTarget(title="涪陵高新区组织覆盖率攻坚", area=areas["500102P01"],
                       metric=Metric.ORG_RATE, target_percent=40, period_start=year_start,
                       period_end=year_end),
    ])


STEP = DemoStep(order=25, name="coverage", build=build)
