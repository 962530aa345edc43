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
