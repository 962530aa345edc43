"""Forms parse input; the rules live in services.py (shared with the API)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from sanxin.cases.models import CaseKind, Category, CollectorLevel, Urgency
from sanxin.core.forms import GuardedModelForm, style
from sanxin.pairings.forms import IdChoiceField
from sanxin.party.models import PartyOrganization
from sanxin.registry.models import Organization

from .models import Chain, ChainLink, ChainMember, ChainProblem, Post
from .services import CONVERTIBLE_KINDS


class LinkForm(GuardedModelForm):
    position = forms.IntegerField(label=_("position"), required=False, min_value=1,
                                  help_text=_("Empty: after the last step."))

    class Meta:
        model = ChainLink
        fields = ["stage", "name", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def _post_clean(self):  # the service checks uniqueness inside the chain
        pass


class MemberForm(forms.Form):
    link = forms.ModelChoiceField(ChainLink.objects.none(), label=_("chain link"))
    organization = IdChoiceField(Organization.objects.all(), label=_("enterprise (ID)"))
    branch = IdChoiceField(PartyOrganization.objects.all(), required=False,
                           label=_("party branch (ID)"))

    def __init__(self, *args, chain=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chain is not None:
            self.fields["link"].queryset = chain.links.all()
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        style(self)


class PostForm(forms.ModelForm):
    member = forms.ModelChoiceField(ChainMember.objects.none(), label=_("enterprise at step"))

    class Meta:
        model = Post
        fields = ["member", "kind", "offer", "category", "quantity", "unit", "starts_on",
                  "ends_on", "description"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, memberships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if memberships is not None:
            self.fields["member"].queryset = memberships
        self.fields["member"].label_from_instance = lambda m: f"{m.organization.name} · {m.link.name}"
        style(self)

    def _post_clean(self):  # the service checks quantity and period with named messages
        pass


class DealForm(forms.Form):
    counterpart = forms.ModelChoiceField(Post.objects.none(), label=_("counterpart post"))
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=2)
    agreed_on = forms.DateField(label=_("agreed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, counterparts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counterparts is not None:
            self.fields["counterpart"].queryset = counterparts
        style(self)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = ChainProblem
        fields = ["title", "description", "raised_on"]
        widgets = {"raised_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ProblemCaseForm(forms.Form):
    """Turn a chain problem into a case: what the cases app needs beyond the problem's text."""

    kind = forms.ChoiceField(label=_("kind"))
    organization = forms.ModelChoiceField(Organization.objects.none(), label=_("enterprise"),
                                          required=False,
                                          help_text=_("Empty: the enterprise that raised the "
                                                      "problem."))
    category = forms.ModelChoiceField(Category.objects.none(), to_field_name="code",
                                      label=_("category"))
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices,
                                initial=Urgency.NORMAL)
    collector_level = forms.ChoiceField(
        label=_("collected from"), required=False,
        choices=[("", "—"), *CollectorLevel.choices],
        help_text=_("Needed for a problem (问题): who raised it."))

    def __init__(self, *args, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in CaseKind.choices
                                       if k in CONVERTIBLE_KINDS]
        self.fields["category"].queryset = Category.objects.filter(active=True)
        if chain is not None:
            self.fields["organization"].queryset = Organization.objects.filter(
                chain_memberships__chain=chain).distinct().order_by("name")
        style(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = data["category"].code
        return data


# edit forms (see pairings/forms.py): initial values from the row, the service checks and saves

class ChainForm(GuardedModelForm):
    committee = IdChoiceField(PartyOrganization.objects.filter(kind="functional_committee"),
                              required=False, label=_("joint party committee (ID)"))

    class Meta:
        model = Chain
        fields = ["name", "description", "committee"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].error_messages["invalid_choice"] = _(
            "No functional committee (功能型党委) with this ID.")
        style(self)

    def _post_clean(self):
        pass


class LinkEditForm(LinkForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = True
        self.fields["position"].help_text = ""


class MemberEditForm(GuardedModelForm):
    branch = IdChoiceField(PartyOrganization.objects.all(), required=False,
                           label=_("party branch (ID)"))

    class Meta:
        model = ChainMember
        fields = ["link", "branch"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = ChainLink.objects.filter(chain_id=self.instance.chain_id)
        style(self)

    def _post_clean(self):
        pass
