"""Industry chains (产业链), their links and member enterprises, the chain's joint party committee
(产业链联合党委, a 功能型党委) and matchmaking between members: supply and need posts, deals."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanxin.core.models import TimeStampedModel


class Chain(TimeStampedModel):
    name = models.CharField(_("chain name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    committee = models.OneToOneField(
        "party.PartyOrganization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="chain", verbose_name=_("joint party committee"),
        limit_choices_to={"kind": "functional_committee"})

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ChainLink(models.Model):
    """A named step of a chain; `position` orders the steps from raw material to market."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="links",
                              verbose_name=_("industry chain"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    name = models.CharField(_("step"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chainlink_unique_name",
                                    violation_error_message=_("This chain already has a step of "
                                                              "this name.")),
            models.UniqueConstraint(fields=["chain", "position"], name="chainlink_unique_position",
                                    violation_error_message=_("This chain already has a step at "
                                                              "this position.")),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"


class ChainMember(TimeStampedModel):
    """An enterprise at one link of a chain, with its party branch (a member of the committee)."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="members",
                              verbose_name=_("industry chain"))
    link = models.ForeignKey(ChainLink, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("chain link"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="chain_memberships",
                                     verbose_name=_("enterprise"))
    branch = models.ForeignKey("party.PartyOrganization", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="chain_memberships",
                               verbose_name=_("party branch"))

    class Meta:
        verbose_name = _("chain member")
        verbose_name_plural = _("chain members")
        ordering = ["link__position", "id"]
        constraints = [models.UniqueConstraint(
            fields=["link", "organization"], name="chainmember_once_per_link",
            violation_error_message=_("This enterprise is already a member at this link."))]
        indexes = [models.Index(fields=["organization", "chain"], name="chainmember_org_chain")]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.link}"


class PostKind(models.TextChoices):
    SUPPLY = "supply", _("Supply")
    NEED = "need", _("Need")


class OfferKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")


class PostStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Post(TimeStampedModel):
    """What a member supplies or needs, posted at one of its links."""

    member = models.ForeignKey(ChainMember, on_delete=models.PROTECT, related_name="posts",
                               verbose_name=pgettext_lazy("chain", "member"))
    # denormalized from the member so that scope and matching filter without joins
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="posts",
                              verbose_name=_("industry chain"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT,
                                     related_name="chain_posts", verbose_name=_("enterprise"))
    kind = models.CharField(_("supply or need"), max_length=6, choices=PostKind.choices)
    offer = models.CharField(_("product or service"), max_length=8, choices=OfferKind.choices,
                             default=OfferKind.PRODUCT)
    category = models.CharField(_("category"), max_length=60,
                                help_text=_("e.g. 己二酸, 锦纶切片, 物流运输, 检测服务"))
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit of measure"), max_length=12, blank=True)
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=8, choices=PostStatus.choices,
                              default=PostStatus.OPEN)

    class Meta:
        verbose_name = _("supply or need post")
        verbose_name_plural = _("supply and need posts")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["chain", "category", "kind", "status"],
                                name="post_match_lookup")]
        constraints = [
            models.CheckConstraint(name="post_quantity_not_negative", condition=Q(quantity__gte=0),
                                   violation_error_message=_("The quantity cannot be negative.")),
            models.CheckConstraint(name="post_period_in_order",
                                   condition=Q(ends_on__gte=models.F("starts_on")),
                                   violation_error_message=_("The period cannot end before it "
                                                             "starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.category} · {self.organization}"


class Deal(TimeStampedModel):
    """A deal made between a supply post and a need post of the same chain."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="deals",
                              verbose_name=_("industry chain"))
    supply = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="deals_as_supply",
                               verbose_name=_("supply"))
    need = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="deals_as_need",
                             verbose_name=_("need"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    agreed_on = models.DateField(_("agreed on"))
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-agreed_on", "id"]
        constraints = [
            models.CheckConstraint(name="deal_quantity_positive", condition=Q(quantity__gt=0),
                                   violation_error_message=_("The quantity must be above zero.")),
            models.UniqueConstraint(fields=["supply", "need"], name="deal_once_per_pair",
                                    violation_error_message=_("A deal between these two posts is "
                                                              "already recorded.")),
        ]

    def __str__(self) -> str:
        return f"{self.supply.organization} → {self.need.organization}: {self.supply.category}"


class ChainProblem(TimeStampedModel):
    """A problem raised by the chain (e.g. at a committee meeting). The chain committee or the
    district turns it into a case of the cases app (`services.chain_problem_to_case`); `case`
    links the two, one case per problem at most, and the problem page shows the case's
    progress."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="problems",
                              verbose_name=_("industry chain"))
    raised_by = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="chain_problems",
                                  verbose_name=_("raised by"))
    title = models.CharField(_("problem"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    raised_on = models.DateField(_("raised on"))
    case = models.OneToOneField("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="chain_problem", verbose_name=_("case"))

    class Meta:
        verbose_name = _("chain problem")
        verbose_name_plural = _("chain problems")
        ordering = ["-raised_on", "id"]

    def __str__(self) -> str:
        return self.title

