"""Pages for a member's data rights: the export for the member and erasure on request."""
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import privacy
from .selectors import get_member


class ErasureForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason (the member's request and its reference)"),
                             max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}))
    confirm = forms.BooleanField(label=gettext_lazy("I understand that erasure cannot be undone"),
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


@login_required
def member_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(request.user, pk)
    data = privacy.member_data(actor=request.user, member=member, request=request)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="member-{member.pk}.json"'
    return response


@login_required
def member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(request.user, pk)
    privacy.require_district(request.user)
    form = ErasureForm(request.POST or None)
    refusal = privacy.erasure_refusal(member)
    if request.method == "POST" and form.is_valid() and not refusal:
        try:
            privacy.member_erase(actor=request.user, member=member,
                                 reason=form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The member's personal data was erased."))
            return redirect("party:member_detail", pk=member.pk)
    return render(request, "party/member_erase.html", {"m": member, "form": form,
                                                        "refusal": refusal})
