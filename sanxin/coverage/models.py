from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel


class Population(models.TextChoices):
    SANYOU = "sanyou", _("三有 organizations")
    ALL = "all", _("Every organization (not only 三有)")


class CoverageSnapshot(models.Model):
    """The coverage counts of one area and domain at one month (taken by `coverage_snapshot`)."""

    month = models.DateField(_("month"), help_text=_("First day of the month"))
    area = models.ForeignKey("registry.Area", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("area"))
    domain = models.CharField(_("domain"), max_length=16)
    population = models.CharField(_("population"), max_length=8, choices=Population.choices)
    total = models.PositiveIntegerField(_("organizations"))
    single = models.PositiveIntegerField(_("own organization (单建)"))
    joint = models.PositiveIntegerField(_("joint organization (联建)"))
    work = models.PositiveIntegerField(_("work coverage (工作覆盖)"))
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        constraints = [
            models.UniqueConstraint(fields=["month", "area", "domain", "population"],
                                    name="one_snapshot_per_month_area_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_id} {self.domain} {self.population}"


class Metric(models.TextChoices):
    ORG_RATE = "org_rate", _("Organizational coverage (组织覆盖率)")
    SINGLE_RATE = "single_rate", _("Own-branch rate (单独组建率)")
    WORK_RATE = "work_rate", _("Work coverage (工作覆盖率)")
    BOTH_RATE = "both_rate", _("Two coverages (两个覆盖率)")


class CampaignTarget(TimeStampedModel):
    """集中攻坚: a coverage target for one area (or the whole district) over a period."""

    title = models.CharField(_("title"), max_length=80)
    area = models.ForeignKey("registry.Area", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("area"))
    metric = models.CharField(_("rate"), max_length=12, choices=Metric.choices)
    target_percent = models.DecimalField(
        _("target (%)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["period_end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")),
                                   name="target_period_end_after_start",
                                   violation_error_message=_("The period must end after it starts.")),
            models.CheckConstraint(condition=Q(target_percent__gte=0, target_percent__lte=100),
                                   name="target_percent_range"),
        ]

    def __str__(self) -> str:
        return self.title


class OrganizationCoverage(models.Model):
    """The summary's view of one organization: its status and the fields it is counted under, as
    of the last refresh (summary.py). The organization id is not a foreign key: the row must
    outlive a deleted organization until the summary has subtracted it from its cell."""

    organization_id = models.BigIntegerField(primary_key=True)
    area_id = models.BigIntegerField()
    domain = models.CharField(max_length=16)
    industry = models.CharField(max_length=1)
    authority_id = models.BigIntegerField(default=0)  # 0 = none (a key column: NULLs never match)
    is_sanyou = models.BooleanField()
    status = models.CharField(max_length=8)
    # The dashboard's "operating enterprises served" reads these two from the cells.
    operating = models.BooleanField(default=True)  # operating status (not suspended or closed)
    served = models.BooleanField(default=False)    # has a current service officer

    class Meta:
        verbose_name = _("coverage summary of an organization")
        verbose_name_plural = _("coverage summaries of organizations")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.status}"


class CoverageCell(models.Model):
    """Summary: the number of organizations per area, domain, industry section, industry authority,
    三有 flag, status, operating or not, and whether a service officer currently serves them. The
    coverage page and the dashboard sum these instead of reading every organization."""

    area_id = models.BigIntegerField()
    domain = models.CharField(max_length=16)
    industry = models.CharField(max_length=1)
    authority_id = models.BigIntegerField(default=0)  # 0 = none
    is_sanyou = models.BooleanField()
    status = models.CharField(max_length=8)
    operating = models.BooleanField(default=True)
    served = models.BooleanField(default=False)  # has a current service officer
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("coverage summary cell")
        verbose_name_plural = _("coverage summary cells")
        constraints = [
            models.UniqueConstraint(
                fields=["area_id", "domain", "industry", "authority_id", "is_sanyou", "status",
                        "operating", "served"],
                name="one_coverage_cell_per_key_served"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.domain} {self.industry} {self.status}: {self.n}"
