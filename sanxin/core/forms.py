"""Form helpers every app shares: Bootstrap classes on widgets, and a service's
ValidationError put onto the form's fields."""
from django import forms
from django.core.exceptions import ValidationError


def style(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class unless the form set one itself."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
