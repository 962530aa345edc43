"""The district's form for a new machine client: a name, a scope like a person's, an expiry."""
from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.accounts.models import RoleKind
from sanxin.core.validators import normalize_code, normalize_text
from sanxin.registry.models import Area, Department, Organization

from .models import ApiClient

# A service officer's scope is the officer's own assignments: a person, not a machine.
CLIENT_ROLE_KINDS = [(kind.value, kind.label) for kind in RoleKind if kind != RoleKind.OFFICER]
MAX_TOKEN_DAYS = 730


class TokenLifetimeForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("token valid for (days)"), min_value=1, max_value=MAX_TOKEN_DAYS, initial=365)


class ApiClientForm(TokenLifetimeForm):
    name = forms.CharField(label=_("client name"), max_length=100,
                           help_text=_("e.g. 12345 热线, 区企业服务平台, 区统计局"))
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    role_kind = forms.ChoiceField(label=_("scope"), choices=CLIENT_ROLE_KINDS)
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.exclude(kind="district"),
                                  required=False)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.all(),
                                        required=False)
    organization_code = forms.CharField(label=_("organization credit code"), max_length=18,
                                        required=False)
    sees_personal_data = forms.BooleanField(
        label=_("sees personal data unmasked"), required=False,
        help_text=_("Only for clients whose work needs full ID numbers and phones."))
    rate_limit_per_minute = forms.IntegerField(label=_("requests per minute"), min_value=1,
                                               max_value=100_000, initial=120)

    field_order = ["name", "description", "role_kind", "area", "department", "organization_code",
                   "sees_personal_data", "rate_limit_per_minute", "expires_in_days"]

    def clean_name(self) -> str:
        name = normalize_text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("This field is required."))
        if ApiClient.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A client with this name already exists."))
        return name

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("role_kind")
        needed = {RoleKind.AREA: "area", RoleKind.DEPARTMENT: "department",
                  RoleKind.ORGANIZATION: "organization_code"}.get(kind)
        for field in ("area", "department", "organization_code"):
            if field != needed:
                data[field] = None
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, _("This scope needs a target."))
        data["organization"] = None
        if needed == "organization_code" and data.get("organization_code"):
            code = normalize_code(data["organization_code"])
            data["organization"] = Organization.objects.filter(credit_code=code).first()
            if data["organization"] is None:
                self.add_error("organization_code", _("No organization has this credit code."))
        return data
