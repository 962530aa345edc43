from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.core.forms import GuardedModelForm, style
from sanxin.core.validators import normalize_code, normalize_text

from .models import KINDS_BY_DOMAIN, Area, Department, DepartmentKind, Organization


class OrganizationForm(GuardedModelForm):
    area = forms.ModelChoiceField(
        queryset=Area.objects.exclude(kind="district"), label=_("area"), to_field_name="code",
        error_messages={"invalid_choice": _("Unknown area code: choose a township or park.")},
    )

    class Meta:
        model = Organization
        fields = ["name", "credit_code", "domain", "kind", "area", "industry", "authority",
                  "employees", "workers", "status", "has_premises", "address", "latitude",
                  "longitude", "contact_name", "contact_phone", "established"]
        widgets = {"established": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "employees": {"min_value": _("The number of employees cannot be negative.")},
            "workers": {"min_value": _("The number of workers cannot be negative.")},
        }

    def __init__(self, *args, allowed_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["area"].queryset = allowed_areas.exclude(kind="district")
        self.fields["authority"].queryset = Department.objects.filter(kind=DepartmentKind.INDUSTRY)
        style(self)

    def clean_name(self) -> str:
        return normalize_text(self.cleaned_data["name"])

    def clean_credit_code(self) -> str | None:
        return normalize_code(self.cleaned_data.get("credit_code")) or None

    def clean(self):
        data = super().clean()
        domain, kind = data.get("domain"), data.get("kind")
        if domain and kind and kind not in KINDS_BY_DOMAIN[domain]:
            self.add_error("kind", _("This kind does not belong to the chosen domain."))
        return data
