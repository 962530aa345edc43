from auditlog.registry import auditlog
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.codes import IndustrySection
from sanxin.core.models import TimeStampedModel
from sanxin.core.validators import validate_credit_code, validate_phone

from . import rules


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")
    PARK = "park", _("Park (园区)")


class Area(models.Model):
    """属地: the district and its township-level units and parks."""

    code = models.CharField(_("area code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=AreaKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent area"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry authority (行业主管单位)")
    FUNCTIONAL = "functional", _("Functional department (职能部门)")


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DepartmentKind.choices)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Domain(models.TextChoices):
    ENTERPRISE = "enterprise", _("Non-public enterprise")
    SOCIAL = "social", _("Social organization")
    NEW_EMPLOYMENT = "new_employment", _("New-employment group")


class OrgKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SOLE_PROPRIETOR = "sole_proprietor", _("Individual business")
    SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
    SOCIAL_SERVICE = "social_service", _("Social service agency (社会服务机构)")
    FOUNDATION = "foundation", _("Foundation (基金会)")
    ASSOCIATION = "association", _("Trade association or chamber (行业协会商会)")
    COURIER = "courier", _("Courier site")
    FOOD_DELIVERY = "food_delivery", _("Food-delivery station")
    RIDE_HAIL = "ride_hail", _("Ride-hailing fleet")
    FREIGHT = "freight", _("Freight drivers")
    LIVE_STREAMING = "live_streaming", _("Live-streaming base")


KINDS_BY_DOMAIN: dict[str, frozenset[str]] = {
    Domain.ENTERPRISE: frozenset({OrgKind.COMPANY, OrgKind.SOLE_PROPRIETOR}),
    Domain.SOCIAL: frozenset({OrgKind.SOCIAL_GROUP, OrgKind.SOCIAL_SERVICE, OrgKind.FOUNDATION,
                              OrgKind.ASSOCIATION}),
    Domain.NEW_EMPLOYMENT: frozenset({OrgKind.COURIER, OrgKind.FOOD_DELIVERY, OrgKind.RIDE_HAIL,
                                      OrgKind.FREIGHT, OrgKind.LIVE_STREAMING}),
}


class OrgStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Deregistered")


class Organization(TimeStampedModel):
    """An organization of the three new domains."""

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True,
        validators=[validate_credit_code],
    )
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    # No single-column indexes on area and authority: the (area, id) and (authority, id)
    # composites below serve both the filters and the scoped lists ordered by id.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organizations",
                             verbose_name=_("area"), db_index=False)
    industry = models.CharField(_("industry section"), max_length=1,
                                choices=IndustrySection.choices)
    authority = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="organizations", verbose_name=_("industry authority"),
        limit_choices_to={"kind": DepartmentKind.INDUSTRY}, db_index=False,
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    workers = models.PositiveIntegerField(
        _("new-employment workers"), null=True, blank=True,
        help_text=_("Couriers, riders or drivers working from this site"),
    )
    status = models.CharField(_("operating status"), max_length=10, choices=OrgStatus.choices,
                              default=OrgStatus.OPERATING)
    has_premises = models.BooleanField(_("fixed premises"), default=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True,
                                     validators=[validate_phone])
    established = models.DateField(_("established"), null=True, blank=True)
    is_sanyou = models.GeneratedField(
        expression=rules.sanyou_expression(), output_field=models.BooleanField(),
        db_persist=True, verbose_name=_("in scope (三有)"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=Q(credit_code__isnull=False),
                name="organization_credit_code_unique",
                violation_error_message=_(
                    "An organization with this unified social credit code already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["area", "id"], name="org_area_id"),
            models.Index(fields=["authority", "id"], name="org_authority_id"),
            # The dashboard's two reads that the coverage cells cannot answer: establishments of
            # the last months (a range of this index) and the new-employment workers (the few
            # rows that have any). `include` makes both index-only on PostgreSQL.
            models.Index(fields=["established"], include=["area", "authority"],
                         name="org_established"),
            models.Index(fields=["area"], include=["authority", "workers"],
                         condition=Q(workers__gt=0), name="org_with_workers"),
            # The drill-down's largest organizations of an area: the first rows of this index
            # instead of sorting the area's tens of thousands.
            models.Index(fields=["area", "-employees", "id"], condition=Q(employees__isnull=False),
                         name="org_area_largest"),
        ]

    def __str__(self) -> str:
        return self.name


auditlog.register(Area)
auditlog.register(Department)
auditlog.register(Organization, exclude_fields=["updated_at", "is_sanyou"])
