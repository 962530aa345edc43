import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from sanxin.core.forms import GuardedModelForm, style
from sanxin.core.validators import (
    normalize_code,
    normalize_text,
    validate_id_number,
    validate_phone,
)
from sanxin.registry.models import Area, Organization

from . import rules
from .identity import id_digest
from .models import Instructor, Member, MemberStatus, PartyOrganization, PartyOrgKind


class OrganizationListField(forms.CharField):
    """Organizations by unified social credit code or internal id, separated by commas, spaces or
    lines; each must exist in `queryset` (the actor's scope)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, queryset: QuerySet | None = None, **kwargs):
        self.queryset = queryset
        super().__init__(*args, **kwargs)

    def clean(self, value) -> list[Organization]:
        text = super().clean(value)
        tokens = [normalize_code(t) for t in re.split(r"[\s,，;；、]+", text or "") if t.strip()]
        found: list[Organization] = []
        for token in dict.fromkeys(tokens):
            lookup = {"pk": int(token)} if token.isdigit() and len(token) < 18 else {"credit_code": token}
            org = self.queryset.filter(**lookup).first() if self.queryset is not None else None
            if org is None:
                raise ValidationError(
                    _("Unknown organization %(token)s: give a credit code or ID of an organization "
                      "you may see."), code="unknown_unit", params={"token": token})
            found.append(org)
        return found


class PartyOrganizationForm(GuardedModelForm):
    area = forms.ModelChoiceField(queryset=Area.objects.all(), label=_("area"), to_field_name="code",
                                  error_messages={"invalid_choice": _("Unknown area code.")})

    class Meta:
        model = PartyOrganization
        fields = ["name", "kind", "parent", "area", "village_or_community", "secretary",
                  "committee_size", "founded", "term_start", "term_end"]
        widgets = {name: forms.DateInput(attrs={"type": "date"})
                   for name in ("founded", "term_start", "term_end")}

    def __init__(self, *args, allowed_areas=None, visible_orgs=None, visible_party_orgs=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["area"].queryset = allowed_areas
        self.fields["parent"].queryset = (visible_party_orgs if visible_party_orgs is not None
                                          else PartyOrganization.objects.all())
        if self.instance.pk:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
        self.fields["secretary"].queryset = (Member.objects.filter(party_organization=self.instance)
                                             if self.instance.pk else Member.objects.none())
        self.fields["units"] = OrganizationListField(
            label=_("covered organizations"), required=False, queryset=visible_orgs,
            help_text=_("Credit codes or IDs, one per line: one = 单建, several = 联建."),
            initial="\n".join(o.credit_code or str(o.pk) for o in self.instance.units.all())
            if self.instance.pk else "")
        style(self)

    def clean_name(self) -> str:
        return normalize_text(self.cleaned_data["name"])

    def clean(self):
        data = super().clean()
        units = data.get("units") or []
        if data.get("kind") in rules.BRANCH_KINDS and rules.joint_branch_too_large(len(units)):
            self.add_error("units", _("A joint branch covers at most %(max)d organizations; "
                                      "%(n)d were given.") % {"max": rules.JOINT_BRANCH_MAX_UNITS,
                                                               "n": len(units)})
        if not rules.committee_size_allowed(data.get("committee_size")):
            self.add_error("committee_size", _("A committee has %(min)d to %(max)d members "
                                               "(0 if there is none).")
                           % {"min": rules.COMMITTEE_MIN_SIZE, "max": rules.COMMITTEE_MAX_SIZE})
        self._clean_term(data)
        if data.get("kind") == PartyOrgKind.JOINT_BRANCH and len(units) == 1:
            self.add_error("units", _("A joint branch covers at least two organizations."))
        return data


    def _clean_term(self, data: dict) -> None:
        """支部工作条例 第十九条: the term ends after it starts, at most 3 years later (村/社区: 5);
        a start without an end gets the full term."""
        start, end = data.get("term_start"), data.get("term_end")
        village = bool(data.get("village_or_community"))
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        elif start and end and end > rules.term_end_for(start, village_or_community=village):
            self.add_error("term_end", _("A term lasts at most %(years)d years: it ends on "
                                         "%(day)s at the latest.")
                           % {"years": rules.term_years(village_or_community=village),
                              "day": rules.term_end_for(start, village_or_community=village)})
        if start and not end:
            data["term_end"] = rules.term_end_for(start, village_or_community=village)


class MemberForm(GuardedModelForm):
    class Meta:
        model = Member
        fields = ["name", "gender", "birth_date", "id_number", "phone", "status", "joined_on",
                  "full_on", "party_organization", "is_flowing", "role"]
        widgets = {name: forms.DateInput(attrs={"type": "date"})
                   for name in ("birth_date", "joined_on", "full_on")}

    def __init__(self, *args, visible_party_orgs=None, visible_orgs=None, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A role that does not see personal data edits a member with the ID number and phone
        # masked; sending the masked value back keeps the stored one (as the import does).
        self.shown = shown
        if shown is not None and not shown.unmasked and self.instance.pk:
            self.initial.update(id_number=shown.id_number, phone=shown.phone)
            for name in ("id_number", "phone"):  # validated in clean_<name> unless unchanged
                self.fields[name].validators = []
        if visible_party_orgs is not None:
            self.fields["party_organization"].queryset = visible_party_orgs
        self.fields["employer_ref"] = forms.CharField(
            label=_("employer"), required=False,
            help_text=_("Credit code or ID of the organization the member works for."),
            initial=(self.instance.employer.credit_code or str(self.instance.employer_id))
            if self.instance.pk and self.instance.employer_id else "")
        self.visible_orgs = visible_orgs
        style(self)

    def clean_name(self) -> str:
        return normalize_text(self.cleaned_data["name"])

    def _unchanged_masked(self, name: str) -> bool:
        value = self.cleaned_data.get(name) or ""
        return bool(self.shown and not self.shown.unmasked and self.instance.pk and "*" in value
                    and value == getattr(self.shown, name))

    def clean_phone(self) -> str:
        if self._unchanged_masked("phone"):
            return self.instance.phone
        phone = self.cleaned_data.get("phone") or ""
        if phone:
            validate_phone(phone)
        return phone

    def clean_id_number(self) -> str:
        if self._unchanged_masked("id_number"):
            return self.instance.id_number
        number = normalize_code(self.cleaned_data.get("id_number"))
        if not number:
            return ""
        try:
            validate_id_number(number)
        except KeyError as exc:  # python-stdnum fails this way on some retired area codes
            raise ValidationError(_("This is not a valid resident ID number (format, area or birth "
                                    "date)."), code="id_number_format") from exc
        digest = id_digest(number)
        clash = Member.objects.filter(id_digest=digest).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(
                _("This ID number already belongs to a member of %(org)s: a member cannot be in "
                  "two party organizations at once."),
                code="member_twice", params={"org": clash.party_organization.name})
        return number

    def clean_employer_ref(self) -> Organization | None:
        token = normalize_code(self.cleaned_data.get("employer_ref"))
        if not token:
            return None
        field = OrganizationListField(queryset=self.visible_orgs)
        try:
            return field.clean(token)[0]
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="unknown_employer") from exc

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number:
            birth = ric.get_birth_date(number)
            data["birth_date"] = data.get("birth_date") or birth
            if data["birth_date"] != birth:
                self.add_error("birth_date", _("The birth date does not match the ID number."))
            gender = "M" if int(number[16]) % 2 else "F"
            data["gender"] = data.get("gender") or gender
            if data["gender"] != gender:
                self.add_error("gender", _("The gender does not match the ID number."))
        joined, full = data.get("joined_on"), data.get("full_on")
        if joined and full and full < joined:
            self.add_error("full_on", _("A member becomes full only after being admitted."))
        if data.get("status") == MemberStatus.PROBATIONARY and full:
            self.add_error("full_on", _("A probationary member has no date of becoming full."))
        return data

    def save(self, commit: bool = True) -> Member:
        member = super().save(commit=False)
        member.employer = self.cleaned_data.get("employer_ref")
        if commit:
            member.save()
        return member


class InstructorForm(GuardedModelForm):
    area = forms.ModelChoiceField(queryset=Area.objects.all(), label=_("area"), to_field_name="code",
                                  error_messages={"invalid_choice": _("Unknown area code.")})

    class Meta:
        model = Instructor
        fields = ["name", "kind", "phone", "area", "employer", "active"]

    def __init__(self, *args, allowed_areas=None, visible_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_areas is not None:
            self.fields["area"].queryset = allowed_areas
        self.fields["organizations"] = OrganizationListField(
            label=_("organizations"), required=False, queryset=visible_orgs,
            help_text=_("Credit codes or IDs of the organizations this instructor works with."),
            initial="\n".join(o.credit_code or str(o.pk) for o in self.instance.organizations.filter(
                instructor_assignments__ended_on__isnull=True)) if self.instance.pk else "")
        style(self)

    def clean_name(self) -> str:
        return normalize_text(self.cleaned_data["name"])
