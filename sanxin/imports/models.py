from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: ready to import")
    REJECTED = "rejected", _("Problems found")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed: nothing was changed")


FINISHED_CHECK = (JobStatus.CHECKED, JobStatus.REJECTED, JobStatus.FAILED)
RUNNING = (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.APPLYING)


class ImportJob(models.Model):
    """One uploaded file on its way through dry run → confirmation → all-or-nothing import."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="import_jobs", verbose_name=_("user"))
    target = models.CharField(_("what is imported"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, default="zh-hans",
                                help_text=_("Problems are written in the uploader's language."))
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("data rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    to_create = models.PositiveIntegerField(_("new rows"), default=0)
    to_update = models.PositiveIntegerField(_("updated rows"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    issue_count = models.PositiveIntegerField(_("problems"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "id"], name="importjob_user_id")]

    def __str__(self) -> str:
        return f"{self.target} · {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status not in RUNNING else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING


class ImportIssue(models.Model):
    """A problem found by the dry run, by row and column, in the uploader's language."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues",
                            verbose_name=_("import job"))
    row = models.PositiveIntegerField(_("row"), null=True, blank=True,
                                      help_text=_("Row number as the spreadsheet shows it; empty for the whole file."))
    column = models.CharField(_("column"), max_length=60, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    message = models.CharField(_("problem"), max_length=300)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.row}:{self.column} {self.message}"
