"""Machine clients of the API: a named client, its tokens and the log of its requests.

A client is backed by a service account (a User without a usable password) whose Roles are the
client's scope, exactly as for people; so `request.auth` stays a User and every selector's
`visible_to` applies unchanged. A token is shown once and stored as the sha256 of a
high-entropy secret (a slow password hash is pointless for 256 random bits).
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="api_client", verbose_name=_("service account"))
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=120,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TokenState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("token", "Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens",
                               verbose_name=_("client"))
    prefix = models.CharField(_("prefix"), max_length=16,
                              help_text=_("The token's first characters, to tell tokens apart."))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("revoked by"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client} · {self.prefix}…"

    def state(self, now=None) -> str:
        if self.revoked_at:
            return TokenState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return TokenState(self.state()).label


class ApiRequestLog(models.Model):
    """One row per API request made with a token (also refused ones: revoked, expired, 429)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="requests",
                               verbose_name=_("client"))
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="requests",
                              verbose_name=_("token"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "at"], name="apiclients_log_client_at"),
                   models.Index(fields=["at"], name="apiclients_log_at")]  # the pruning

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status_code}"
