from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxin.accounts.models import User
from sanxin.core.forms import GuardedModelForm, style
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area, Department

from .models import PlanMode, ServiceOfficer


class OfficerForm(GuardedModelForm):
    user = forms.ModelChoiceField(queryset=User.objects.all(), label=_("user"),
                                  to_field_name="username",
                                  error_messages={"invalid_choice": _("Unknown user name.")})
    area = forms.ModelChoiceField(
        queryset=Area.objects.exclude(kind="district"), label=_("home area"), required=False,
        to_field_name="code", empty_label=_("District level (serves any area)"),
        error_messages={"invalid_choice": _("Unknown area code: choose a township or park.")})
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False,
                                        label=_("home department"), to_field_name="code")
    capacity = forms.IntegerField(
        label=_("capacity"), error_messages={"required": _("Give the capacity.")},
        help_text=_("The most enterprises this officer serves."))

    class Meta:
        model = ServiceOfficer
        fields = ["user", "area", "department", "capacity", "industries", "latitude", "longitude",
                  "active"]

    def __init__(self, *args, allowed_areas=None, district_level_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["area"].queryset = allowed_areas.exclude(kind="district")
        self.district_level_allowed = district_level_allowed
        style(self)

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.roles.filter(kind="officer").exists():
            raise forms.ValidationError(_("This user has no service-officer role."))
        return user

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity is None or capacity < 1:
            raise forms.ValidationError(_("The capacity must be at least 1 enterprise."))
        return capacity

    def clean_industries(self) -> str:
        letters = normalize_text(self.cleaned_data.get("industries", "")).upper().replace(" ", "")
        bad = sorted({c for c in letters if not "A" <= c <= "T"})
        if bad:
            raise forms.ValidationError(
                _("Industries are GB/T 4754 section letters A to T; not: %(bad)s"),
                params={"bad": ", ".join(bad)})
        return "".join(sorted(set(letters)))

    def clean_area(self):
        area = self.cleaned_data.get("area")
        if area is None and not self.district_level_allowed:
            raise forms.ValidationError(_("Choose the area of the officer."))
        return area

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("A latitude lies between -90 and 90."))
        if lng is not None and not -180 <= lng <= 180:
            self.add_error("longitude", _("A longitude lies between -180 and 180."))
        return data


class OverrideForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=ServiceOfficer.objects.none(), label=_("officer"),
                                     error_messages={"invalid_choice": _("Unknown officer.")})
    reason = forms.CharField(label=_("reason"), max_length=200,
                             error_messages={"required": _("Say why the officer is changed.")})

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is not None:
            self.fields["officer"].queryset = officers
        style(self)


class PlanForm(forms.Form):
    mode = forms.ChoiceField(choices=PlanMode.choices, label=_("mode"),
                             error_messages={"invalid_choice": _("Unknown optimizer mode.")})
    area = forms.ModelChoiceField(queryset=Area.objects.exclude(kind="district"), required=False,
                                  to_field_name="code", label=_("area"),
                                  empty_label=_("All areas I manage"),
                                  error_messages={"invalid_choice": _("Unknown area code.")})

    def __init__(self, *args, allowed_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["area"].queryset = allowed_areas.exclude(kind="district")
        style(self)


class VisitForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("enterprise"), coerce=int, choices=(),
                                          error_messages={"invalid_choice": _(
                                              "You can log visits only to enterprises you serve.")})
    visited_on = forms.DateField(label=_("visit date"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": _("Enter a date such as 2026-03-31.")})
    met_person = forms.CharField(label=_("who was met"), max_length=100)
    discussed = forms.CharField(label=_("what was discussed"), widget=forms.Textarea(attrs={"rows": 3}))
    demands = forms.CharField(label=_("demands raised"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One demand per line."))

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, o.name) for o in enterprises]
        self.fields["visited_on"].initial = timezone.localdate()
        style(self)

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return day


class MilestoneReachForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    actual_on = forms.DateField(label=_("actual date"), widget=forms.DateInput(attrs={"type": "date"}))


class ProblemForm(forms.Form):
    text = forms.CharField(label=_("problem"), widget=forms.Textarea(attrs={"rows": 2}))


