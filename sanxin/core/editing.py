"""The edit page every app's row editing shares: the form, the service that saves, the way back."""
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import apply_errors

T = TypeVar("T")


def edit_page(request: HttpRequest, *, form: forms.BaseForm, save: Callable[..., object],
              done: str, heading: str) -> HttpResponse:
    """The edit form of one row: the row's values on GET; on POST the service checks and saves,
    or the form shows the service's messages on their fields (400, nothing saved)."""
    if request.method == "POST":
        try:
            with transaction.atomic():  # the row stays locked from the version check to the save
                if form.is_valid():
                    save(**form.cleaned_data)
                    return redirect(done)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "edit.html", {"form": form, "heading": heading, "back": done},
                  status=400 if form.errors else 200)


def save_if_valid(request: HttpRequest, form: forms.BaseForm, save: Callable[[], T]) -> T | None:
    """On POST, validate and save in one transaction (so a `GuardedModelForm`'s version check
    holds the row until the save commits); the saved result, or None when there is nothing to
    save or the form has errors."""
    if request.method != "POST":
        return None
    with transaction.atomic():
        return save() if form.is_valid() else None
