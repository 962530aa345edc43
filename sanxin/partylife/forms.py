"""Forms parse and type the input; the services do every domain check (one place for form and
API alike) and `apply_service` puts their messages on the named field."""
from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxin.core.forms import apply_errors, style

from .models import MeetingKind, PlaceKind, StudyMode, VanguardKind, VolunteerKind


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def apply_service(form: forms.Form, service: Callable, **kwargs):
    """Call a service; on a ValidationError put each message on its field (or the form)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO: what <input type=date> needs


def choices_with_blank(queryset, label) -> list[tuple]:
    return [("", label), *((obj.pk, str(obj)) for obj in queryset)]


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices,
                             initial=MeetingKind.THEME_DAY)
    held_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    topic = forms.CharField(label=_("topic"), max_length=200)
    online = forms.BooleanField(label=_("online"), required=False)
    place = forms.TypedChoiceField(label=_("registered place"), required=False, coerce=int,
                                   empty_value=None)
    location = forms.CharField(label=_("other location"), max_length=120, required=False)
    planned = forms.BooleanField(label=_("planned, not yet held"), required=False)
    counts_for = forms.DateField(label=_("make-up for the period of"), required=False,
                                 widget=DATE)
    materials = forms.CharField(label=_("materials"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = choices_with_blank(places, _("—"))


class MakeUpForm(StyledForm):
    member = forms.IntegerField(widget=forms.HiddenInput)
    made_up_on = forms.DateField(label=_("made up on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("how it was made up"), max_length=200, required=False)


class StudyForm(StyledForm):
    member = forms.TypedChoiceField(label=_("member"), coerce=int)
    studied_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("mode"), choices=StudyMode.choices,
                             initial=StudyMode.ONLINE)
    topic = forms.CharField(label=_("what was studied"), max_length=200)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1,
                               initial=Decimal("1.0"))
    place = forms.TypedChoiceField(label=_("registered place"), required=False, coerce=int,
                                   empty_value=None)

    def __init__(self, *args, members=(), places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.name} · {m.party_organization.name}")
                                         for m in members]
        self.fields["place"].choices = choices_with_blank(places, _("—"))


class StudyPlaceForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=PlaceKind.choices)
    area = forms.TypedChoiceField(label=_("area"), coerce=int)
    address = forms.CharField(label=_("address"), max_length=200, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]


class VanguardForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=VanguardKind.choices)
    name = forms.CharField(label=_("name"), max_length=120)
    party_organization = forms.TypedChoiceField(label=_("party organization"), coerce=int)
    goals = forms.CharField(label=_("goals"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    established_on = forms.DateField(label=_("established"), required=False, widget=DATE)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].choices = [(o.pk, o.name) for o in orgs]


class VanguardMembersForm(StyledForm):
    members = forms.TypedMultipleChoiceField(label=_("members"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(m.pk, m.name) for m in candidates]
        self.fields["members"].widget.attrs["class"] = "list-unstyled"


class AchievementForm(StyledForm):
    achieved_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    title = forms.CharField(label=_("achievement"), max_length=200)
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class VolunteerForm(StyledForm):
    held_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    title = forms.CharField(label=_("activity"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=VolunteerKind.choices)
    place = forms.CharField(label=_("place"), max_length=120)
    beneficiaries = forms.IntegerField(label=_("beneficiaries"), initial=0)
    team = forms.TypedChoiceField(label=_("volunteer team"), required=False, coerce=int,
                                  empty_value=None)
    hours = forms.DecimalField(label=_("hours per participant"), max_digits=5, decimal_places=1,
                               initial=Decimal("2.0"))

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = choices_with_blank(teams, _("—"))


class CandidateForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=50)
    party_organization = forms.TypedChoiceField(label=_("party organization"), coerce=int)
    applied_on = forms.DateField(label=_("applied on"), widget=DATE, initial=timezone.localdate)
    birth_date = forms.DateField(label=_("birth date"), required=False, widget=DATE)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].choices = [(o.pk, o.name) for o in orgs]


class CandidateStepForm(StyledForm):
    action = forms.ChoiceField(choices=[("talk", "talk"), ("advance", "advance"),
                                        ("extend", "extend")], widget=forms.HiddenInput)
    on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate, required=False)
    people = forms.TypedMultipleChoiceField(label=_("contact members or introducers"),
                                            coerce=int, required=False)
    months = forms.IntegerField(label=_("months"), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(m.pk, m.name) for m in members]


class IntakePlanForm(StyledForm):
    area = forms.TypedChoiceField(label=_("area"), coerce=int)
    year = forms.IntegerField(label=_("year"))
    planned = forms.IntegerField(label=_("planned admissions"))
    note = forms.CharField(label=_("focus"), max_length=200, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]
