"""结对共建 pairings, party-building brands and case studies with their honours.

The leading side of a pairing is a government, department or village party organization. Those
are not 三新 organizations, so they are usually not rows of `party.PartyOrganization` (which the
coverage figures count); a pairing names them (`leader_name`). When the leading side is a party
organization that *is* in the system, `leader_party_org` points at it instead.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel
from sanxin.registry.models import Domain

YEAR_VALIDATORS = [MinValueValidator(1921), MaxValueValidator(2100)]


class LeaderKind(models.TextChoices):
    ORGAN = "organ", _("Government organ (机关)")
    DEPARTMENT = "department", _("Department (部门)")
    VILLAGE = "village", _("Village or community (村社)")


class Pairing(TimeStampedModel):
    leader_kind = models.CharField(_("leading side kind"), max_length=12, choices=LeaderKind.choices)
    leader_name = models.CharField(_("leading party organization"), max_length=120, blank=True,
                                   help_text=_("e.g. 区经济信息委机关党支部, 李渡街道玉屏村党委"))
    leader_party_org = models.ForeignKey(
        "party.PartyOrganization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="pairings_led", verbose_name=_("leading party organization (in the system)"))
    leader_area = models.ForeignKey("registry.Area", on_delete=models.PROTECT,
                                    related_name="pairings_led", verbose_name=_("leading side area"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="pairings", verbose_name=_("paired organization"))
    partner_party_org = models.ForeignKey(
        "party.PartyOrganization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="pairings_joined", verbose_name=_("paired branch"))
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "id"]
        indexes = [models.Index(fields=["leader_area", "id"], name="pairing_leader_area_id")]
        constraints = [
            models.CheckConstraint(
                name="pairing_leader_named_or_linked",
                condition=(Q(leader_party_org__isnull=True) & ~Q(leader_name=""))
                | (Q(leader_party_org__isnull=False) & Q(leader_name="")),
                violation_error_message=_("Name the leading party organization or choose one, "
                                          "not both.")),
            models.CheckConstraint(
                name="pairing_not_with_itself",
                condition=Q(partner_party_org__isnull=True) | Q(leader_party_org__isnull=True)
                | ~Q(leader_party_org=models.F("partner_party_org")),
                violation_error_message=_("An organization cannot be paired with itself.")),
            models.CheckConstraint(
                name="pairing_end_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                violation_error_message=_("The end date cannot be before the start date.")),
            models.UniqueConstraint(
                fields=["leader_name", "organization"],
                condition=Q(ended_on__isnull=True, leader_party_org__isnull=True),
                name="pairing_one_active_per_named_leader",
                violation_error_message=_("These two are already paired (an active pairing "
                                          "exists).")),
            models.UniqueConstraint(
                fields=["leader_party_org", "organization"],
                condition=Q(ended_on__isnull=True, leader_party_org__isnull=False),
                name="pairing_one_active_per_linked_leader",
                violation_error_message=_("These two are already paired (an active pairing "
                                          "exists).")),
        ]

    def __str__(self) -> str:
        return f"{self.leader_display} ⇄ {self.organization}"

    @property
    def leader_display(self) -> str:
        return self.leader_party_org.name if self.leader_party_org_id else self.leader_name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class PairingActivity(TimeStampedModel):
    """A joint activity of the two sides (共建活动)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="activities",
                                verbose_name=_("pairing"))
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


class PairingProblem(TimeStampedModel):
    """A problem of the paired organization solved through the pairing."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="problems",
                                verbose_name=_("pairing"))
    title = models.CharField(_("problem"), max_length=160)
    solution = models.TextField(_("how it was solved"), blank=True)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem solved")
        verbose_name_plural = _("problems solved")
        ordering = ["-solved_on", "id"]

    def __str__(self) -> str:
        return self.title


class Brand(TimeStampedModel):
    """A party-building brand (党建品牌) of one party organization."""

    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="brands",
                                           verbose_name=_("party organization"))
    name = models.CharField(_("brand name"), max_length=60)
    slogan = models.CharField(_("slogan"), max_length=120, blank=True)
    story = models.TextField(_("story"), blank=True)
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices,
                              default=Domain.ENTERPRISE)

    class Meta:
        verbose_name = _("party-building brand")
        verbose_name_plural = _("party-building brands")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(
            fields=["party_organization", "name"], name="brand_unique_per_party_org",
            violation_error_message=_("This party organization already has a brand of this "
                                      "name."))]

    def __str__(self) -> str:
        return self.name


class BrandPhoto(TimeStampedModel):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("brand"))
    image = models.ImageField(_("photo"), upload_to="brands/%Y/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)

    class Meta:
        verbose_name = _("brand photo")
        verbose_name_plural = _("brand photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class CaseStudy(TimeStampedModel):
    """A party-building case (党建案例), usually of a brand, with the honours it received."""

    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="case_studies",
                                           verbose_name=_("party organization"))
    brand = models.ForeignKey(Brand, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="case_studies", verbose_name=_("brand"))
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices,
                              default=Domain.ENTERPRISE)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


HONOUR_RANK = {HonourLevel.NATIONAL: 3, HonourLevel.MUNICIPAL: 2, HonourLevel.DISTRICT: 1}


class Honour(TimeStampedModel):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="honours",
                                   verbose_name=_("case study"))
    title = models.CharField(_("honour"), max_length=160)
    level = models.CharField(_("level"), max_length=10, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    awarding_body = models.CharField(_("awarding body"), max_length=120)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

