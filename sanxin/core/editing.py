"""The edit page every app's row editing shares: the form, the service that saves, the way back."""
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import apply_errors


def edit_page(request: HttpRequest, *, form: forms.BaseForm, save: Callable[..., object],
              done: str, heading: str) -> HttpResponse:
    """The edit form of one row: the row's values on GET; on POST the service checks and saves,
    or the form shows the service's messages on their fields (400, nothing saved)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(done)
    return render(request, "edit.html", {"form": form, "heading": heading, "back": done},
                  status=400 if form.errors else 200)
