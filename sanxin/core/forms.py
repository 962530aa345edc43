"""Form helpers every app shares: Bootstrap classes on widgets, a service's ValidationError put
onto the form's fields, and the guard against lost updates on edit forms."""
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


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


# --- lost-update guard ---------------------------------------------------------------------

ROW_VERSION = "row_version"
CHANGED_MEANWHILE = _("Someone else changed this record after you opened it: your changes were "
                      "not saved. Reload the page to see the current values, then edit again.")


def row_version(instance: models.Model, names: Iterable[str]) -> str:
    """A keyed digest of the row's values for the named fields. Keyed (HMAC with SECRET_KEY) so
    that the hidden field reveals nothing of values the user may see only masked."""
    values = []
    for name in sorted(names):
        field = instance._meta.get_field(name)
        value = field.value_from_object(instance)
        if field.many_to_many:
            value = sorted(obj.pk for obj in value)
        values.append(f"{name}={value!r}")
    return salted_hmac("sanxin.core.forms.row_version", "\x1f".join(values)).hexdigest()


class GuardedModelForm(forms.ModelForm):
    """An edit form that refuses to overwrite a row someone changed after this form was shown.

    It also shows a foreign key chosen by another field than its pk (an area by its code)
    as selected. The page carries a version of the row's edited fields; on save, the row is read again (and
    locked when the view validates inside a transaction, as `edit_page` does) and a different
    version is a form error, so no one's change is silently lost. A POST without the version (a
    script, an old tab from before this guard) is not checked."""

    def __init__(self, *args, **kwargs):
        self._explicit_initial = set(kwargs.get("initial") or ())
        super().__init__(*args, **kwargs)
        self.fields[ROW_VERSION] = forms.CharField(widget=forms.HiddenInput, required=False)

    def get_initial_for_field(self, field: forms.Field, field_name: str):
        # Computed when the page renders, after subclasses have added or removed their fields.
        if field_name == ROW_VERSION and self.instance.pk is not None:
            return row_version(self.instance, self._guarded_names())
        value = super().get_initial_for_field(field, field_name)
        if (isinstance(field, forms.ModelChoiceField) and field.to_field_name
                and self.instance.pk is not None and field_name not in self._explicit_initial
                and value is not None):
            # The instance gives a foreign key's pk; a choice keyed by another field (an area's
            # code, a user's name) needs the related row, or the page shows nothing selected.
            return getattr(self.instance, field_name, value)
        return value

    def _guarded_names(self) -> list[str]:
        model_fields = {f.name for f in self.instance._meta.get_fields()
                        if f.concrete or f.many_to_many}
        return [name for name in self.fields if name in model_fields]

    def clean(self):
        data = super().clean()
        data.pop(ROW_VERSION, None)  # not a value to save: services take cleaned_data as is
        sent = self.data.get(self.add_prefix(ROW_VERSION))
        if self.instance.pk is None or not sent:
            return data
        rows = type(self.instance)._default_manager
        if connection.in_atomic_block:  # hold the row until the caller's save commits
            rows = rows.select_for_update()
        current = rows.filter(pk=self.instance.pk).first()
        if current is None or row_version(current, self._guarded_names()) != sent:
            raise ValidationError(CHANGED_MEANWHILE, code="changed_meanwhile")
        return data
