from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel


class ServiceOfficer(TimeStampedModel):
    """助企服务员: a cadre who serves enterprises door to door."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="officer", verbose_name=_("user"))
    area = models.ForeignKey(
        "registry.Area", on_delete=models.PROTECT, null=True, blank=True,
        related_name="officers", verbose_name=_("home area"),
        help_text=_("Empty for a district-level officer, who may serve anywhere."),
    )
    department = models.ForeignKey("registry.Department", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="officers",
                                   verbose_name=_("home department"))
    capacity = models.PositiveIntegerField(_("capacity"), default=15,
                                           validators=[MinValueValidator(1)])
    industries = models.CharField(_("industries known"), max_length=20, blank=True,
                                  help_text=_("GB/T 4754 section letters, e.g. CI"))
    latitude = models.FloatField(_("office latitude"), null=True, blank=True)
    longitude = models.FloatField(_("office longitude"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service officer")
        verbose_name_plural = _("service officers")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="officer_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Assignment(models.Model):
    """Who serves whom, with history: the current pair has no end."""

    organization = models.ForeignKey("registry.Organization", on_delete=models.CASCADE,
                                     related_name="assignments", verbose_name=_("organization"))
    officer = models.ForeignKey(ServiceOfficer, on_delete=models.PROTECT,
                                related_name="assignments", verbose_name=_("officer"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=Q(ended_at__isnull=True),
                                    name="one_current_officer_per_organization"),
        ]
        indexes = [models.Index(fields=["officer", "ended_at"], name="assign_officer_current")]

    def __str__(self) -> str:
        return f"{self.officer} → {self.organization}"


class AssignmentSource(models.TextChoices):
    OPTIMIZER = "optimizer", _("Optimizer")
    MANUAL = "manual", _("Manual override")
    IMPORT = "import", _("Import")


class AssignmentDetail(models.Model):
    """Why the current pair exists: filled by the optimizer or by a manual override.

    Kept in its own table (one row per Assignment) so the foundation's Assignment table and the
    registry's scope contract stay untouched."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, primary_key=True,
                                      related_name="detail", verbose_name=_("assignment"))
    source = models.CharField(_("source"), max_length=10, choices=AssignmentSource.choices,
                              default=AssignmentSource.OPTIMIZER)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    industry_match = models.BooleanField(_("officer knows the industry"), null=True)
    same_area = models.BooleanField(_("officer of the same area"), null=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("changed by"))
    plan = models.ForeignKey("AssignmentPlan", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("plan"))

    class Meta:
        verbose_name = _("assignment detail")
        verbose_name_plural = _("assignment details")

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.assignment_id}"

    @property
    def is_manual(self) -> bool:
        return self.source == AssignmentSource.MANUAL


class AssignmentState(models.Model):
    """A single row whose version moves with every change of assignments: a plan computed on an
    older version is stale and is refused (two users applying at once: one wins)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("assignment state")

    def __str__(self) -> str:
        return f"v{self.version}"


class PlanMode(models.TextChoices):
    ASSIGN = "assign", _("Assign the unassigned")
    REBALANCE = "rebalance", _("Rebalance everything")


class PlanStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    INFEASIBLE = "infeasible", _("Infeasible")
    APPLIED = "applied", _("Applied")
    STALE = "stale", _("Stale")


class AssignmentPlan(models.Model):
    """An optimizer result shown before it is applied."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    mode = models.CharField(_("mode"), max_length=10, choices=PlanMode.choices)
    area_ids = models.JSONField(_("areas"), default=list)
    base_version = models.PositiveBigIntegerField(_("based on version"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.PREVIEW)
    summary = models.JSONField(_("summary"), default=dict)
    # [organization_id, officer_id, distance_m, industry_match, same_area] for every change
    moves = models.JSONField(_("changes"), default=list)
    shortages = models.JSONField(_("capacity shortages"), default=list)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    solve_seconds = models.FloatField(_("solve time (s)"), default=0)

    class Meta:
        verbose_name = _("assignment plan")
        verbose_name_plural = _("assignment plans")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.mode} {self.status}"


class Visit(TimeStampedModel):
    """走访: an officer's visit to an enterprise it serves."""

    officer = models.ForeignKey(ServiceOfficer, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("officer"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.CASCADE,
                                     related_name="visits", verbose_name=_("enterprise"))
    visited_on = models.DateField(_("visit date"))
    met_person = models.CharField(_("who was met"), max_length=100)
    discussed = models.TextField(_("what was discussed"))
    # Demands raised, one per line; the cases app may turn them into cases later.
    demands = models.TextField(_("demands raised"), blank=True,
                               help_text=_("One demand per line."))
    demands_resolved = models.BooleanField(_("demands settled"), default=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "visited_on"], name="visit_org_date"),
            models.Index(fields=["officer", "visited_on"], name="visit_officer_date"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.organization}"

    @property
    def demand_list(self) -> list[str]:
        return [line.strip() for line in self.demands.splitlines() if line.strip()]


class MajorProject(TimeStampedModel):
    """重大项目 escorted by a service officer."""

    name = models.CharField(_("project"), max_length=120)
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="major_projects", verbose_name=_("enterprise"))
    officer = models.ForeignKey(ServiceOfficer, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="projects", verbose_name=_("escorting officer"))
    department = models.ForeignKey("registry.Department", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="major_projects",
                                   verbose_name=_("escorting department"))
    investment = models.DecimalField(_("investment (100 million yuan)"), max_digits=10,
                                     decimal_places=2, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("major project")
        verbose_name_plural = _("major projects")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class MilestoneKind(models.TextChoices):
    SIGNED = "signed", _("Signed (签约)")
    LANDED = "landed", _("Landed (落地)")
    STARTED = "started", _("Construction started (开工)")
    PRODUCING = "producing", _("In production (投产)")
    CUSTOM = "custom", _("Custom")


class Milestone(models.Model):
    project = models.ForeignKey(MajorProject, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    kind = models.CharField(_("milestone"), max_length=10, choices=MilestoneKind.choices)
    label = models.CharField(_("name"), max_length=60, blank=True,
                             help_text=_("Required for a custom milestone."))
    planned_on = models.DateField(_("planned date"))
    actual_on = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="custom") | ~Q(label=""),
                                   name="custom_milestone_has_label"),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def title(self) -> str:
        return self.label if self.kind == MilestoneKind.CUSTOM else str(self.get_kind_display())


class ProjectProblem(models.Model):
    """A problem raised while escorting a project (a case once the cases app exists)."""

    project = models.ForeignKey(MajorProject, on_delete=models.CASCADE, related_name="problems",
                                verbose_name=_("project"))
    raised_on = models.DateField(_("raised on"))
    text = models.TextField(_("problem"))
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("project problem")
        verbose_name_plural = _("project problems")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.text[:40]
