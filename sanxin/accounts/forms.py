from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("user"), required=False)
    model = forms.ChoiceField(label=_("kind of record"), required=False)
    object_id = forms.CharField(label=_("record"), required=False)
    since = forms.DateField(label=_("from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("to"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from auditlog.registry import auditlog

        choices = sorted((f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name))
                         for m in auditlog.get_models())
        self.fields["model"].choices = [("", _("any"))] + choices
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(
                field.widget, forms.Select) else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data
