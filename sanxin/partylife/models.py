"""Party life: meetings and attendance, study, vanguard units, volunteering, member development.

Every row hangs off a party organization (sanxin.party) except study places and intake plans,
which belong to an area. Counts that the compliance and participation pages aggregate are kept on
the meeting itself (expected/present/leave/absent), written by the services in one transaction
with the per-member attendance rows.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxin.core.models import TimeStampedModel


class MeetingKind(models.TextChoices):
    BRANCH_GENERAL = "branch_general", _("Branch general meeting (支部党员大会)")
    BRANCH_COMMITTEE = "branch_committee", _("Branch committee meeting (支委会)")
    GROUP = "group", _("Party group meeting (党小组会)")
    LECTURE = "lecture", _("Party lecture (党课)")
    THEME_DAY = "theme_day", _("Theme party day (主题党日)")
    LIFE_MEETING = "life_meeting", _("Organizational life meeting (组织生活会)")
    APPRAISAL = "appraisal", _("Democratic appraisal of members (民主评议党员)")
    ONSITE = "onsite", _("On-site teaching (现场教学)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class PlaceKind(models.TextChoices):
    CORNER = "corner", _("Study corner (学习角)")
    LIBRARY = "library", _("Library (图书馆/书屋)")
    UNION_HOME = "union_home", _("Trade-union home (工会之家)")
    EDUCATION_BASE = "education_base", _("Education base (教育基地)")
    ACTIVITY_ROOM = "activity_room", _("Party activity room (党员活动室)")
    OTHER = "other", _("Other")


class StudyPlace(TimeStampedModel):
    """A registered place for study and meetings (学习角, 书屋, 工会之家, red-education base)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    area = models.ForeignKey("registry.Area", on_delete=models.PROTECT,
                             related_name="study_places", verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("study place")
        verbose_name_plural = _("study places")
        ordering = ["area_id", "name"]
        indexes = [models.Index(fields=["area", "id"], name="studyplace_area_id")]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStampedModel):
    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="meetings",
                                           verbose_name=_("party organization"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=MeetingStatus.choices,
                              default=MeetingStatus.HELD)
    held_on = models.DateField(_("date"))
    counts_for = models.DateField(
        _("counts for the period of"), null=True, blank=True,
        help_text=_("Only for a make-up meeting (补开): a date inside the missed period."))
    online = models.BooleanField(_("online"), default=False)
    place = models.ForeignKey(StudyPlace, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="meetings", verbose_name=_("registered place"))
    location = models.CharField(_("other location"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    materials = models.TextField(_("materials"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    expected_count = models.PositiveIntegerField(_("expected"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    leave_count = models.PositiveIntegerField(_("on leave"), default=0)
    absent_count = models.PositiveIntegerField(_("absent"), default=0)
    made_up_count = models.PositiveIntegerField(_("made up"), default=0)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="meeting_counts_add_up",
                condition=Q(present_count__lte=models.F("expected_count")),
                violation_error_message=_("Present cannot exceed expected."),
            ),
        ]
        indexes = [models.Index(fields=["party_organization", "kind", "held_on"],
                                name="meeting_org_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.topic}"

    @property
    def period_date(self):
        """The date whose period this meeting satisfies (its own date unless made up)."""
        return self.counts_for or self.held_on

    @property
    def attendance_rate(self) -> float | None:
        if not self.expected_count:
            return None
        return (self.present_count + self.made_up_count) / self.expected_count


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("meeting"))
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT,
                               related_name="attendance", verbose_name=_("member"))
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    made_up_on = models.DateField(
        _("made up on"), null=True, blank=True,
        help_text=_("Shift workers who missed the meeting study its content later (补学)."))
    made_up_note = models.CharField(_("how it was made up"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="attendance_once_per_member")]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class StudyMode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")


class StudyRecord(TimeStampedModel):
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT,
                               related_name="study_records", verbose_name=_("member"))
    party_organization = models.ForeignKey(
        "party.PartyOrganization", on_delete=models.PROTECT, related_name="study_records",
        verbose_name=_("party organization"),
        help_text=_("The member's organization when the study took place."))
    studied_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=8, choices=StudyMode.choices)
    topic = models.CharField(_("what was studied"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(24)])
    place = models.ForeignKey(StudyPlace, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="study_records", verbose_name=_("registered place"))

    class Meta:
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        ordering = ["-studied_on", "-id"]
        constraints = [models.CheckConstraint(
            name="study_hours_within_a_day",
            condition=Q(hours__gt=0, hours__lte=24),
            violation_error_message=_("Hours must be more than 0 and at most 24."))]
        indexes = [models.Index(fields=["party_organization", "studied_on"],
                                name="study_org_date"),
                   models.Index(fields=["member", "studied_on"], name="study_member_date")]

    def __str__(self) -> str:
        return f"{self.member} {self.studied_on} {self.topic}"


class VanguardKind(models.TextChoices):
    PIONEER_POST = "pioneer_post", _("Pioneer post (党员先锋岗)")
    RESPONSIBILITY_ZONE = "responsibility_zone", _("Responsibility zone (党员责任区)")
    COMMANDO = "commando", _("Commando team (党员突击队)")
    PRODUCTION_LINE = "production_line", _("Production line (党员生产线)")
    RESEARCH_TEAM = "research_team", _("Research team (党员科研攻坚队)")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team (党员志愿队)")


class VanguardUnit(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=VanguardKind.choices)
    name = models.CharField(_("name"), max_length=120)
    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="vanguard_units",
                                           verbose_name=_("party organization"))
    organization = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="vanguard_units",
                                     verbose_name=_("unit"))
    members = models.ManyToManyField("party.Member", blank=True, related_name="vanguard_units",
                                     verbose_name=_("members"))
    goals = models.TextField(_("goals"), blank=True)
    established_on = models.DateField(_("established"), null=True, blank=True)

    class Meta:
        verbose_name = _("vanguard unit")
        verbose_name_plural = _("vanguard units")
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["party_organization", "kind"], name="vanguard_org_kind")]

    def __str__(self) -> str:
        return self.name


class Achievement(models.Model):
    unit = models.ForeignKey(VanguardUnit, on_delete=models.CASCADE, related_name="achievements",
                             verbose_name=_("vanguard unit"))
    achieved_on = models.DateField(_("date"))
    title = models.CharField(_("achievement"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-achieved_on", "-id"]

    def __str__(self) -> str:
        return self.title


class VolunteerKind(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment cleaning")
    CARING = "caring", _("Caring for the elderly and children")
    COMMUNITY = "community", _("Community service")
    CIVILIZATION = "civilization", _("Civilized city and traffic")
    EMERGENCY = "emergency", _("Emergency and epidemic support")
    OTHER = "other", _("Other")


class VolunteerActivity(TimeStampedModel):
    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="volunteer_activities",
                                           verbose_name=_("party organization"))
    team = models.ForeignKey(VanguardUnit, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="activities", verbose_name=_("volunteer team"),
                             limit_choices_to={"kind": VanguardKind.VOLUNTEER_TEAM})
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=VolunteerKind.choices)
    title = models.CharField(_("activity"), max_length=200)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    total_hours = models.DecimalField(_("total hours"), max_digits=8, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["party_organization", "held_on"],
                                name="volunteer_org_date")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class VolunteerParticipation(models.Model):
    activity = models.ForeignKey(VolunteerActivity, on_delete=models.CASCADE,
                                 related_name="participations", verbose_name=_("activity"))
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT,
                               related_name="volunteer_participations", verbose_name=_("member"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("volunteer participation")
        verbose_name_plural = _("volunteer participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="volunteer_once_per_member"),
            models.CheckConstraint(name="volunteer_hours_within_a_day",
                                   condition=Q(hours__gt=0, hours__lte=24)),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.hours}"


class DevelopmentStage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (入党申请人)")
    ACTIVIST = "activist", _("Activist (入党积极分子)")
    CANDIDATE = "candidate", _("Development candidate (发展对象)")
    PROBATIONARY = "probationary", _("Probationary member (预备党员)")
    FULL = "full", _("Full member (正式党员)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


STAGE_ORDER = [DevelopmentStage.APPLICANT, DevelopmentStage.ACTIVIST, DevelopmentStage.CANDIDATE,
               DevelopmentStage.PROBATIONARY, DevelopmentStage.FULL]


class Candidate(TimeStampedModel):
    """A person on the way into the party (发展党员), from the application to full membership."""

    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    party_organization = models.ForeignKey("party.PartyOrganization", on_delete=models.PROTECT,
                                           related_name="candidates",
                                           verbose_name=_("party organization"))
    employer = models.ForeignKey("registry.Organization", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="party_candidates",
                                 verbose_name=_("employer"))
    stage = models.CharField(_("stage"), max_length=14, choices=DevelopmentStage.choices,
                             default=DevelopmentStage.APPLICANT)
    applied_on = models.DateField(_("applied on"))
    talked_on = models.DateField(_("talk held on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    candidate_on = models.DateField(_("development candidate since"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted (branch vote) on"), null=True, blank=True)
    probation_extension_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), default=0)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    contacts = models.ManyToManyField("party.Member", blank=True, related_name="+",
                                      verbose_name=_("contact members (培养联系人)"))
    introducers = models.ManyToManyField("party.Member", blank=True, related_name="+",
                                         verbose_name=_("introducers (入党介绍人)"))
    member = models.ForeignKey("party.Member", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("member record"))

    class Meta:
        verbose_name = _("development candidate")
        verbose_name_plural = _("development candidates")
        ordering = ["-applied_on", "-id"]
        constraints = [models.CheckConstraint(
            name="candidate_extension_0_or_6_to_12",
            condition=Q(probation_extension_months=0)
            | Q(probation_extension_months__gte=6, probation_extension_months__lte=12))]

    def __str__(self) -> str:
        return self.name


class IntakePlan(models.Model):
    """A yearly plan for admitting new members (发展党员计划) in one area."""

    area = models.ForeignKey("registry.Area", on_delete=models.PROTECT,
                             related_name="intake_plans", verbose_name=_("area"))
    year = models.PositiveSmallIntegerField(_("year"),
                                            validators=[MinValueValidator(2000),
                                                        MaxValueValidator(2100)])
    planned = models.PositiveIntegerField(_("planned admissions"))
    note = models.CharField(_("focus"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("intake plan")
        verbose_name_plural = _("intake plans")
        ordering = ["-year", "area_id"]
        constraints = [models.UniqueConstraint(fields=["area", "year"],
                                               name="intake_plan_once_per_area_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"
