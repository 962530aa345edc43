from functools import cached_property

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    """A person who signs in. What they may see comes from their roles, never from the user row."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def scope_roles(self) -> list["Role"]:
        """Loaded once per request; every scope check reads it."""
        return list(self.roles.select_related("area", "department", "organization"))

    def get_session_auth_hash(self) -> str:
        # A user from the actor cache (actors.py) carries this hash instead of the password hash
        # it is computed from; once a password is set or loaded, it is computed again.
        cached = self.__dict__.get("cached_session_hash")
        if cached and "password" not in self.__dict__:
            return cached
        return super().get_session_auth_hash()

    def has_role(self, *kinds: str) -> bool:
        return any(role.kind in kinds for role in self.scope_roles)

    @property
    def is_district(self) -> bool:
        return self.has_role(RoleKind.DISTRICT)

    @property
    def sees_personal_data(self) -> bool:
        return any(role.sees_personal_data for role in self.scope_roles)


class RoleKind(models.TextChoices):
    DISTRICT = "district", _("District")
    AREA = "area", _("Township or park")
    DEPARTMENT = "department", _("Department")
    ORGANIZATION = "organization", _("Organization contact")
    OFFICER = "officer", _("Service officer")


class Role(models.Model):
    """One role of a user, with the scope it acts in (DESIGN.md, Scoping)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles",
                             verbose_name=_("user"))
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=50, blank=True,
                             help_text=_("e.g. 党组织书记, 企业联络员, 组织委员"))
    area = models.ForeignKey("registry.Area", on_delete=models.CASCADE, null=True, blank=True,
                             verbose_name=_("area"))
    department = models.ForeignKey("registry.Department", on_delete=models.CASCADE, null=True,
                                   blank=True, verbose_name=_("department"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.CASCADE, null=True,
                                     blank=True, verbose_name=_("organization"))
    sees_personal_data = models.BooleanField(
        _("sees personal data unmasked"), default=False,
        help_text=_("Only for roles whose work needs full ID numbers and phones; reads are logged."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="role_scope_target_matches_kind",
                condition=(
                    Q(kind="district", area__isnull=True, department__isnull=True,
                      organization__isnull=True)
                    | Q(kind="area", area__isnull=False, department__isnull=True,
                        organization__isnull=True)
                    | Q(kind="department", area__isnull=True, department__isnull=False,
                        organization__isnull=True)
                    | Q(kind="organization", area__isnull=True, department__isnull=True,
                        organization__isnull=False)
                    | Q(kind="officer", area__isnull=True, department__isnull=True,
                        organization__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.area or self.department or self.organization
        label = self.get_kind_display()
        return f"{label} · {target}" if target else str(label)


class PersonalDataRead(models.Model):
    """Every read of personal data shown unmasked (a detail page, an export, an API response)."""

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="personal_data_reads",
                              verbose_name=_("user"))
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT,
                                     verbose_name=_("kind of record"))
    object_id = models.CharField(_("record"), max_length=40, blank=True,
                                 help_text=_("Empty for an export of many records"))
    fields = models.CharField(_("fields"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    channel = models.CharField(_("channel"), max_length=10,
                               choices=[("page", _("page")), ("export", _("export")),
                                        ("api", _("API"))])
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.actor} {self.fields} {self.at:%Y-%m-%d %H:%M}"


auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(Role)
