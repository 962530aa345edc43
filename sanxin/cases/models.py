"""Cases: enterprise demands (诉求), problems (问题) and suggestions (建议), with their timeline."""
from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel


class CaseKind(models.TextChoices):
    DEMAND = "demand", _("Demand (诉求)")
    PROBLEM = "problem", _("Problem (问题)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")


class CaseSource(models.TextChoices):
    VISIT = "visit", _("Raised on a visit")
    CONTACT = "contact", _("Submitted by the enterprise")
    HOTLINE = "hotline", _("Transferred from the hotline")
    COLLECTED = "collected", _("Collected from staff")


class CollectorLevel(models.TextChoices):
    FRONT_LINE = "front_line", _("Front-line staff")
    MIDDLE = "middle", _("Middle manager")
    LEADER = "leader", _("Leader")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (紧急)")
    NORMAL = "normal", _("General (一般)")
    COMPLEX = "complex", _("Complex (复杂)")


class CaseState(models.TextChoices):
    PENDING = "pending", _("Awaiting dispatch (待受理)")
    DISPATCHED = "dispatched", _("Dispatched (已派单)")
    SIGNED = "signed", _("Signed (已签收)")
    HANDLING = "handling", _("Being handled (办理中)")
    ANSWERED = "answered", _("Answered (已答复)")
    RATED = "rated", _("Rated (已评价)")
    CLOSED = "closed", _("Closed (已办结)")
    MERGED = "merged", _("Merged into another case (已合并)")


# States in which the handling department owes an answer: the deadline runs.
OPEN_STATES = (CaseState.DISPATCHED, CaseState.SIGNED, CaseState.HANDLING)
# States before an answer exists (used by the overdue list).
UNANSWERED_STATES = (CaseState.PENDING, *OPEN_STATES)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASIC = "basic", _("Basically satisfied (基本满意)")
    UNSATISFIED = "unsatisfied", _("Unsatisfied (不满意)")


class Category(models.Model):
    """Editable list (融资, 用工, 用地规划 …); `code` is stable for the API and the rules."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DeadlineRule(models.Model):
    """How long the handler has from signing: working days, or clock hours for emergencies.
    A rule for (urgency, category) beats the rule for (urgency, any category)."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True,
                                 verbose_name=_("category"),
                                 help_text=_("Empty: every category without its own rule."))
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.CheckConstraint(
                name="deadline_rule_days_xor_hours",
                condition=(Q(working_days__isnull=False, hours__isnull=True, working_days__gt=0)
                           | Q(working_days__isnull=True, hours__isnull=False, hours__gt=0)),
                violation_error_message=_("Give either working days or hours (more than zero)."),
            ),
            models.UniqueConstraint(fields=["urgency", "category"], name="deadline_rule_unique",
                                    condition=Q(category__isnull=False)),
            models.UniqueConstraint(fields=["urgency"], name="deadline_rule_urgency_default_unique",
                                    condition=Q(category__isnull=True)),
        ]

    def __str__(self) -> str:
        span = f"{self.working_days} d" if self.working_days else f"{self.hours} h"
        return f"{self.get_urgency_display()} · {self.category or '*'}: {span}"


class Case(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    # FK columns led by a composite index in Meta.indexes get no index of their own (db_index=False):
    # the composite serves the same lookups, and one index less is cheaper to write.
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="cases", verbose_name=_("organization"),
                                     db_index=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices)
    hotline_ticket = models.CharField(_("hotline ticket number"), max_length=40, null=True,
                                      blank=True)
    collector_level = models.CharField(_("collected from"), max_length=12, blank=True,
                                       choices=CollectorLevel.choices)
    is_good_suggestion = models.BooleanField(_("good suggestion (好建议)"), default=False)
    tailored_solution = models.BooleanField(_("solved one enterprise, one policy (一企一策)"),
                                            default=False)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="raised_cases", verbose_name=_("raised by"),
                                  db_index=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="served_cases", verbose_name=_("service officer"), db_index=False,
        help_text=_("The officer serving the enterprise when the case was raised."))
    visit = models.ForeignKey("service.Visit", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="cases", verbose_name=_("raised on the visit"))

    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices,
                             default=CaseState.PENDING)
    version = models.PositiveIntegerField(_("version"), default=1,
                                          help_text=_("Raised by every transition; a stale "
                                                      "version means someone changed it meanwhile."))
    lead_department = models.ForeignKey(
        "registry.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="lead_cases", verbose_name=_("lead department"), db_index=False)
    co_handlers = models.ManyToManyField("registry.Department", through="CaseHandler",
                                         related_name="co_handled_cases", blank=True,
                                         verbose_name=_("co-handling departments"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="duplicates", verbose_name=_("merged into"))

    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    first_dispatched_at = models.DateTimeField(_("first dispatched"), null=True, blank=True)
    response_due = models.DateTimeField(_("sign before"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer to the enterprise"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions approved"), default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hotline_ticket"], condition=Q(hotline_ticket__isnull=False),
                name="case_hotline_ticket_unique",
                violation_error_message=_("A case with this hotline ticket number already exists.")),
            models.CheckConstraint(
                name="case_closed_has_answer",
                condition=~Q(state="closed") | ~Q(answer=""),
                violation_error_message=_("A case cannot be closed without an answer.")),
            models.CheckConstraint(
                name="case_merged_has_target",
                condition=~Q(state="merged") | Q(merged_into__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["organization", "id"], name="case_org_id"),
            models.Index(fields=["lead_department", "id"], name="case_lead_id"),
            models.Index(fields=["officer", "id"], name="case_officer_id"),
            models.Index(fields=["raised_by", "id"], name="case_raiser_id"),
            models.Index(fields=["state", "deadline"], name="case_state_deadline"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"{self.created_at:%Y}-{self.pk:06d}" if self.pk and self.created_at else ""


class CaseHandler(models.Model):
    """A co-handling department (the lead is `Case.lead_department`)."""

    # Indexed by the unique (case, department) and by (department, case).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handler_rows",
                             db_index=False)
    department = models.ForeignKey("registry.Department", on_delete=models.PROTECT,
                                   related_name="case_handler_rows", db_index=False)

    class Meta:
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        constraints = [models.UniqueConstraint(fields=["case", "department"],
                                               name="case_handler_unique")]
        indexes = [models.Index(fields=["department", "case"], name="case_handler_dept")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.department_id}"


class CaseEvent(models.Model):
    """The timeline: every transition and reminder, who, when and why; written with the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events",
                             verbose_name=_("case"), db_index=False)   # (case, at) indexes it
    action = models.CharField(_("action"), max_length=24)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("by"),
                              help_text=_("Empty for the system (automatic reminders)."))
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("why / note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    auto_key = models.CharField(max_length=80, null=True, blank=True,
                                help_text="Makes automatic reminders idempotent.")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["auto_key"],
                                               condition=Q(auto_key__isnull=False),
                                               name="case_event_auto_key_unique")]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        from .rules import event_label

        return event_label(self.action)


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(state="pending"),
                                               name="one_pending_extension_per_case")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.working_days} ({self.state})"


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """In-app notice that something needs the user's action (also e-mailed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="case_notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="case_notice_user_unread")]

    def __str__(self) -> str:
        return self.message


class RectificationTask(models.Model):
    """整改 for a problem or good suggestion: owner, deadline, progress, evidence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rectifications",
                             verbose_name=_("case"))
    title = models.CharField(_("task"), max_length=120)
    owner = models.CharField(_("owner"), max_length=60)
    deadline = models.DateField(_("deadline"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    evidence = models.TextField(_("evidence"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="rectification_progress_max"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | (Q(progress=100) & ~Q(evidence="")),
                name="rectification_done_has_evidence"),
        ]

    def __str__(self) -> str:
        return self.title


# Editable settings and rectification are audited field by field; the workflow itself is
# recorded in CaseEvent (written in the same transaction as each transition).
auditlog.register(Category)
auditlog.register(DeadlineRule)
auditlog.register(RectificationTask)
