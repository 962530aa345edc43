"""Forms parse input; the rules live in services.py so that forms and the API share them."""
from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.core.forms import GuardedModelForm, style
from sanxin.party.models import PartyOrganization
from sanxin.registry.models import Area, Organization

from .models import Brand, CaseStudy, Honour, Pairing, PairingActivity, PairingProblem


class IdChoiceField(forms.ModelChoiceField):
    """A choice among many rows (thousands of organizations): typed as an ID, not a drop-down."""

    widget = forms.NumberInput

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("error_messages", {
            "invalid_choice": _("No such row in your scope: check the ID.")})
        super().__init__(queryset, **kwargs)


class PairingForm(GuardedModelForm):
    organization = IdChoiceField(Organization.objects.all(), label=_("paired organization (ID)"))
    leader_party_org = IdChoiceField(PartyOrganization.objects.all(), required=False,
                                     label=_("leading party organization in the system (ID)"))
    partner_party_org = IdChoiceField(PartyOrganization.objects.all(), required=False,
                                      label=_("paired branch (ID)"))

    class Meta:
        model = Pairing
        fields = ["leader_kind", "leader_name", "leader_party_org", "leader_area", "organization",
                  "partner_party_org", "started_on", "goals"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}),
                   "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organizations=None, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        self.fields["leader_area"].queryset = areas if areas is not None else Area.objects.all()
        style(self)

    def validate_unique(self):  # the service checks duplicates with the proper message
        pass

    def _post_clean(self):  # the service enforces the rules; no model validation twice
        pass


class EndPairingForm(forms.Form):
    ended_on = forms.DateField(label=_("end date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = PairingActivity
        fields = ["held_on", "title", "description", "participants"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"participants": {
            "min_value": _("The number of participants cannot be negative.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = PairingProblem
        fields = ["title", "solution", "solved_on"]
        widgets = {"solved_on": forms.DateInput(attrs={"type": "date"}),
                   "solution": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class BrandForm(forms.ModelForm):
    party_organization = IdChoiceField(PartyOrganization.objects.all(),
                                       label=_("party organization (ID)"))

    class Meta:
        model = Brand
        fields = ["party_organization", "name", "slogan", "story", "domain"]
        widgets = {"story": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, party_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if party_orgs is not None:
            self.fields["party_organization"].queryset = party_orgs
        style(self)

    def validate_unique(self):
        pass


class PhotoForm(forms.Form):
    # a plain FileField: the service decodes the file with Pillow for the form and the API alike
    image = forms.FileField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class CaseForm(forms.ModelForm):
    party_organization = IdChoiceField(PartyOrganization.objects.all(),
                                       label=_("party organization (ID)"))

    class Meta:
        model = CaseStudy
        fields = ["party_organization", "brand", "title", "summary", "domain", "year"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, party_orgs=None, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        if party_orgs is not None:
            self.fields["party_organization"].queryset = party_orgs
        if brands is not None:
            self.fields["brand"].queryset = brands
        style(self)


class HonourForm(GuardedModelForm):
    class Meta:
        model = Honour
        fields = ["title", "level", "year", "awarding_body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)



# edit forms: the creation forms without the fields that identify the row; `_post_clean` is off so
# that the instance only gives the initial values and the service checks and saves

class PairingEditForm(PairingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organization"]   # another organization is another pairing


class BrandEditForm(GuardedModelForm):
    class Meta:
        model = Brand
        fields = ["name", "slogan", "story", "domain"]
        widgets = {"story": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def _post_clean(self):
        pass


class CaseEditForm(GuardedModelForm):
    class Meta:
        model = CaseStudy
        fields = ["brand", "title", "summary", "domain", "year"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # only the brands of the case's own party organization
        self.fields["brand"].queryset = Brand.objects.filter(
            party_organization_id=self.instance.party_organization_id)
        style(self)

    def _post_clean(self):
        pass


class HonourEditForm(HonourForm):
    def _post_clean(self):
        pass
