from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
    BRANCH = "branch", _("Branch (党支部)")
    JOINT_BRANCH = "joint_branch", _("Joint branch (联合党支部)")
    FUNCTIONAL_COMMITTEE = "functional_committee", _("Functional committee (功能型党委)")


class PartyOrganization(TimeStampedModel):
    """A party organization; the organizations it covers are its units (one = 单建, several = 联建)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=PartyOrgKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent organization"))
    area = models.ForeignKey("registry.Area", on_delete=models.PROTECT,
                             related_name="party_organizations", verbose_name=_("area"))
    units = models.ManyToManyField("registry.Organization", blank=True,
                                   related_name="party_organizations",
                                   verbose_name=_("covered organizations"))

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [models.Index(fields=["area", "id"], name="partyorg_area_id")]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member (预备党员)")
    FULL = "full", _("Full member (正式党员)")


class Member(TimeStampedModel):
    """A party member; personal data fields are added by the party app's own migrations."""

    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(_("status"), max_length=14, choices=MemberStatus.choices,
                              default=MemberStatus.FULL)
    party_organization = models.ForeignKey(PartyOrganization, on_delete=models.PROTECT,
                                           related_name="members",
                                           verbose_name=_("party organization"))
    employer = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="party_members",
                                 verbose_name=_("employer"))

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self) -> str:
        return self.name
