from auditlog.registry import auditlog
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar package")
    MANUAL = "manual", _("Entered by the district")


class CalendarYear(models.Model):
    """A year whose official holiday arrangement is in the table; other years fall back to Mon–Fri."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=CalendarSource.choices,
                              default=CalendarSource.MANUAL)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """One day that differs from Monday–Friday: a holiday off, or a weekend 调休 working day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), default=False,
        help_text=_("Ticked for a weekend day worked in lieu (调休); unticked for a day off."))
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


auditlog.register(CalendarYear)
auditlog.register(Holiday)
