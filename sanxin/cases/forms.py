"""Input of a new case (page and API share the same form, so the same messages)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.core.forms import style
from sanxin.core.validators import normalize_code, normalize_text
from sanxin.registry.models import Organization

from .models import Case, CaseKind, CaseSource, Category, CollectorLevel


class CaseForm(forms.ModelForm):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), label=_("organization"),
        error_messages={"invalid_choice": _("Unknown organization: choose one you serve.")})
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(active=True), to_field_name="code", label=_("category"),
        error_messages={"invalid_choice": _("Unknown category.")})

    class Meta:
        model = Case
        fields = ["kind", "organization", "title", "description", "category", "urgency", "source",
                  "hotline_ticket", "collector_level", "is_good_suggestion", "visit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "visit": forms.HiddenInput}

    def __init__(self, *args, organizations=None, visits=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        # Only visits the actor may see can be linked (none through the API).
        self.fields["visit"].queryset = visits if visits is not None else self.fields["visit"].queryset.none()
        self.fields["visit"].error_messages["invalid_choice"] = _("Unknown visit.")
        self.fields["source"].required = False
        style(self)

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    def clean_hotline_ticket(self) -> str | None:
        return normalize_code(self.cleaned_data.get("hotline_ticket")) or None

    def clean(self):
        data = super().clean()
        kind, source = data.get("kind"), data.get("source")
        visit = data.get("visit")
        if visit is not None:
            if data.get("organization") and visit.organization_id != data["organization"].pk:
                self.add_error("visit", _("This visit was to another organization."))
            if kind == CaseKind.DEMAND and not source:
                data["source"] = source = CaseSource.VISIT
        if kind == CaseKind.DEMAND:
            if not source:
                data["source"] = CaseSource.CONTACT
            elif source == CaseSource.COLLECTED:
                self.add_error("source", _("A demand comes from a visit, the enterprise or the hotline."))
        elif kind in (CaseKind.PROBLEM, CaseKind.SUGGESTION):
            data["source"] = source or CaseSource.COLLECTED
        if kind == CaseKind.PROBLEM and not data.get("collector_level"):
            self.add_error("collector_level", _("Say who raised the problem: front-line staff, "
                                                "a middle manager or a leader."))
        if kind != CaseKind.PROBLEM and data.get("collector_level") and kind:
            data["collector_level"] = ""
        if kind != CaseKind.SUGGESTION:
            data["is_good_suggestion"] = False
        if data.get("source") == CaseSource.HOTLINE and not data.get("hotline_ticket"):
            self.add_error("hotline_ticket", _("A hotline transfer needs its ticket number."))
        if data.get("hotline_ticket") and data.get("source") != CaseSource.HOTLINE:
            self.add_error("hotline_ticket", _("Only a hotline transfer has a ticket number."))
        return data


def collector_choices():
    return CollectorLevel.choices
