from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.core.forms import style
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area

from .models import CampaignTarget


class CampaignTargetForm(forms.ModelForm):
    area = forms.ModelChoiceField(queryset=Area.objects.all(), label=_("area"), to_field_name="code",
                                  error_messages={"invalid_choice": _("Unknown area code.")})

    class Meta:
        model = CampaignTarget
        fields = ["title", "area", "metric", "target_percent", "period_start", "period_end"]
        widgets = {"period_start": forms.DateInput(attrs={"type": "date"}),
                   "period_end": forms.DateInput(attrs={"type": "date"})}
        error_messages = {"target_percent": {
            "min_value": _("A target is between 0 and 100 percent."),
            "max_value": _("A target is between 0 and 100 percent."),
            "max_digits": _("A target is between 0 and 100 percent.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data
