from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxin.core.editing import edit_page
from sanxin.core.forms import apply_errors
from sanxin.registry.selectors import organizations_visible_to

from . import selectors, services
from .forms import (
    ChainForm,
    DealForm,
    LinkEditForm,
    LinkForm,
    MemberEditForm,
    MemberForm,
    PostForm,
    ProblemCaseForm,
    ProblemForm,
)
from .models import Post, PostKind


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    return render(request, "chains/chain_list.html", {"chains": selectors.chain_list(request.user)})


@login_required
def chain_detail(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    actor = request.user
    return render(request, "chains/chain_detail.html", {
        "chain": chain,
        "branches": selectors.committee_branches(chain),
        "problems": selectors.problems_visible_to(actor).filter(chain=chain)
        .select_related("raised_by", "case"),
        "can_manage": services.can_manage_chains(actor),
        "can_add_members": services.can_add_members(actor),
        "editable_orgs": set(organizations_visible_to(actor).filter(
            chain_memberships__chain=chain).values_list("pk", flat=True))
        if services.can_add_members(actor) else set(),
        "link_form": forms.get("link_form") or LinkForm(prefix="link"),
        "member_form": forms.get("member_form") or MemberForm(prefix="member", chain=chain),
        "problem_form": forms.get("problem_form") or ProblemForm(prefix="problem"),
    }, status=400 if forms else 200)


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    form = LinkForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            services.chain_link_add(actor=request.user, chain=chain, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("chains:chain_detail", pk=pk)
    return chain_detail(request, pk, link_form=form)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    form = MemberForm(request.POST, prefix="member", chain=chain,
                      organizations=organizations_visible_to(request.user))
    if form.is_valid():
        try:
            services.chain_member_add(actor=request.user, chain=chain, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("chains:chain_detail", pk=pk)
    return chain_detail(request, pk, member_form=form)


@login_required
@require_POST
def problem_raise(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    form = ProblemForm(request.POST, prefix="problem")
    if form.is_valid():
        try:
            services.chain_problem_raise(actor=request.user, chain=chain, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("chains:chain_detail", pk=pk)
    return chain_detail(request, pk, problem_form=form)


@login_required
def market(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    return render(request, "chains/market.html", {
        "chain": chain, **selectors.chain_market(request.user, chain),
        "market_rows": selectors.MARKET_ROWS,
        "can_post": selectors.memberships_of(request.user, chain).exists()
        and request.user.has_role("district", "area", "organization"),
    })


@login_required
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    memberships = selectors.memberships_of(request.user, chain)
    if not memberships.exists() or not request.user.has_role("district", "area", "organization"):
        raise PermissionDenied
    form = PostForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("chains:post_detail", pk=post.pk)
    return render(request, "chains/post_form.html", {"form": form, "chain": chain},
                  status=400 if form.errors else 200)


@login_required
def post_detail(request: HttpRequest, pk: int, deal_form=None) -> HttpResponse:
    post = selectors.get_post(request.user, pk)
    proposals = selectors.propose_matches(post)
    counterparts = Post.objects.filter(pk__in=[p.post.pk for p in proposals])
    return render(request, "chains/post_detail.html", {
        "post": post, "proposals": proposals,
        "deals": selectors.deals_visible_to(request.user).filter(**{post.kind: post})
        .select_related("supply__organization", "need__organization"),
        "deal_form": deal_form or DealForm(counterparts=counterparts),
        "can_deal": services.can_post_for(request.user, post.member),
    }, status=400 if deal_form else 200)


@login_required
@require_POST
def deal_record(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_post(request.user, pk)
    counterparts = Post.objects.filter(chain=post.chain).exclude(kind=post.kind)
    form = DealForm(request.POST, counterparts=counterparts)
    if form.is_valid():
        data = dict(form.cleaned_data)
        other = data.pop("counterpart")
        supply, need = (post, other) if post.kind == PostKind.SUPPLY else (other, post)
        try:
            services.deal_record(actor=request.user, supply=supply, need=need, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({("counterpart" if k in ("supply", "need") else k): v
                                       for k, v in exc.error_dict.items()})
            apply_errors(form, exc)
        else:
            return redirect("chains:post_detail", pk=pk)
    return post_detail(request, pk, deal_form=form)


@login_required
def problem_detail(request: HttpRequest, pk: int, case_form=None) -> HttpResponse:
    problem = selectors.get_problem(request.user, pk)
    can_convert = services.can_convert_problem(request.user, problem.chain)
    return render(request, "chains/problem_detail.html", {
        "problem": problem, "chain": problem.chain,
        "progress": selectors.problem_case_progress(request.user, problem),
        "can_convert": can_convert and problem.case_id is None,
        "case_form": case_form or ProblemCaseForm(chain=problem.chain, initial={
            "organization": problem.raised_by_id, "kind": "problem"}),
    }, status=400 if case_form else 200)


@login_required
@require_POST
def problem_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.get_problem(request.user, pk)
    form = ProblemCaseForm(request.POST, chain=problem.chain)
    if form.is_valid():
        try:
            services.chain_problem_to_case(actor=request.user, problem=problem,
                                           **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("chains:problem_detail", pk=pk)
    return problem_detail(request, pk, case_form=form)


# edits (the shared edit page of pairings/views.py) ----------------------------------------------

@login_required
def chain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.get_chain(request.user, pk)
    if not services.can_manage_chains(request.user):
        raise PermissionDenied
    form = ChainForm(request.POST or None, instance=chain)
    return edit_page(request, form=form, heading=_("Edit chain"),
                     save=partial(services.chain_update, actor=request.user, chain=chain),
                     done=reverse("chains:chain_detail", args=[pk]))


@login_required
def link_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_link(request.user, pk)
    if not services.can_manage_chains(request.user):
        raise PermissionDenied
    form = LinkEditForm(request.POST or None, instance=link)
    return edit_page(request, form=form, heading=_("Edit step"),
                     save=partial(services.chain_link_update, actor=request.user, link=link),
                     done=reverse("chains:chain_detail", args=[link.chain_id]))


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member(request.user, pk)
    if not services.can_edit_member(request.user, member):
        raise PermissionDenied
    form = MemberEditForm(request.POST or None, instance=member)
    return edit_page(request, form=form,
                     heading=_("Edit member: %(name)s") % {"name": member.organization.name},
                     save=partial(services.chain_member_update, actor=request.user,
                                  member=member),
                     done=reverse("chains:chain_detail", args=[member.chain_id]))
