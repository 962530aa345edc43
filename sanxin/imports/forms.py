from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           error_messages={"required": _("Choose a file to upload."),
                                           "empty": _("The file is empty.")})

    def __init__(self, *args, specs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(spec.name, spec.label) for spec in specs]
        self.fields["target"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.csv,.txt"})
