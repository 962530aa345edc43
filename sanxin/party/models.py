from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxin.core.crypto import EncryptedTextField
from sanxin.core.models import TimeStampedModel
from sanxin.core.validators import validate_id_number, validate_phone

from .identity import id_digest, normalize_id_number


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
    # Kept equal to units.count() by a signal (see signals.py): one unit = 单建, several = 联建.
    unit_count = models.PositiveIntegerField(_("number of covered organizations"), default=0,
                                             editable=False)
    secretary = models.ForeignKey("Member", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("secretary"))
    committee_size = models.PositiveSmallIntegerField(
        _("committee members"), default=0,
        help_text=_("Members of the elected committee (支委会); 0 if there is none."))
    founded = models.DateField(_("founded"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    village_or_community = models.BooleanField(
        _("village or community organization (村/社区)"), default=False, db_default=False,
        help_text=_("Its committee serves 5 years instead of 3."))

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [models.Index(fields=["area", "id"], name="partyorg_area_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__isnull=True) | Q(term_end__isnull=True)
                | Q(term_end__gt=F("term_start")),
                name="partyorg_term_end_after_start",
                violation_error_message=_("The term must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_term_end(self):
        """The recorded term end, else the rule's end from the term start (3 or 5 years)."""
        from .rules import term_end_for

        if self.term_end or not self.term_start:
            return self.term_end
        return term_end_for(self.term_start, village_or_community=self.village_or_community)


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member (预备党员)")
    FULL = "full", _("Full member (正式党员)")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (书记)")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary (副书记)")
    COMMITTEE = "committee", _("Committee member (支委委员)")
    MEMBER = "member", _("Member (党员)")


class Member(TimeStampedModel):
    """A party member. The ID number is shown masked unless the actor's role needs it; every
    unmasked read is recorded (accounts.PersonalDataRead). Lookups by ID number go through `id_digest`."""

    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(_("status"), max_length=14, choices=MemberStatus.choices,
                              default=MemberStatus.FULL)
    party_organization = models.ForeignKey(PartyOrganization, on_delete=models.PROTECT,
                                           related_name="members",
                                           verbose_name=_("party organization"))
    employer = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="party_members",
                                 verbose_name=_("employer"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Encrypted at rest (sanxin/core/crypto.py); looked up through `id_digest`.
    id_number = EncryptedTextField(_("resident ID number"), plain_max_length=18, blank=True,
                                   default="", validators=[validate_id_number])
    id_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    joined_on = models.DateField(_("admitted as probationary member"), null=True, blank=True)
    full_on = models.DateField(_("became full member"), null=True, blank=True)
    is_flowing = models.BooleanField(_("flowing member (流动党员)"), default=False)
    role = models.CharField(_("role in the organization"), max_length=20,
                            choices=MemberRole.choices, default=MemberRole.MEMBER)
    # Set when the member's personal data was erased on request (sanxin/party/privacy.py).
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True,
                                     editable=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [models.Index(fields=["employer", "status"], name="member_employer_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(full_on__isnull=True)
                | Q(full_on__gte=F("joined_on")),
                name="member_full_after_joined",
                violation_error_message=_("A member becomes full only after being admitted."),
            ),
            # One member record per person: a member cannot be in two branches at once.
            models.UniqueConstraint(fields=["id_digest"], condition=Q(id_digest__isnull=False),
                                    name="member_one_record_per_person"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_id_digest()
        super().save(*args, **kwargs)

    def refresh_id_digest(self) -> None:
        self.id_number = normalize_id_number(self.id_number)
        self.id_digest = id_digest(self.id_number)


class InstructorKind(models.TextChoices):
    INSTRUCTOR = "instructor", _("Party-building instructor (党建指导员)")
    LIAISON = "liaison", _("Party-building liaison (党建工作联络员)")


class Instructor(TimeStampedModel):
    """Sent to organizations without a party organization of their own: 工作覆盖."""

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=InstructorKind.choices,
                            default=InstructorKind.INSTRUCTOR)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    area = models.ForeignKey("registry.Area", on_delete=models.PROTECT,
                             related_name="instructors", verbose_name=_("area"))
    employer = models.CharField(_("works at"), max_length=80, blank=True,
                                help_text=_("e.g. 区委组织部, 敦仁街道党工委"))
    active = models.BooleanField(_("active"), default=True)
    organizations = models.ManyToManyField(
        "registry.Organization", through="InstructorAssignment", related_name="instructors",
        verbose_name=_("organizations"))

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        indexes = [models.Index(fields=["area", "id"], name="instructor_area_id")]

    def __str__(self) -> str:
        return self.name


class InstructorAssignment(models.Model):
    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE,
                                   related_name="assignments", verbose_name=_("instructor"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.CASCADE,
                                     related_name="instructor_assignments",
                                     verbose_name=_("organization"))
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        constraints = [
            models.UniqueConstraint(fields=["instructor", "organization"],
                                    condition=Q(ended_on__isnull=True),
                                    name="one_current_assignment_per_pair"),
        ]
        indexes = [models.Index(fields=["organization", "ended_on"], name="instr_assign_org")]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.organization}"
