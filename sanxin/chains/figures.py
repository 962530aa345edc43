"""Headline figures for the dashboard (sanxin/dashboard/providers.py)."""
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from sanxin.dashboard.providers import Chart, Figure, FigureScope, Series

from .models import Chain, Deal, Post
from .scoping import CHAIN_SCOPE, DEAL_SCOPE, POST_SCOPE

GROUP = _("Industry chains")


def chain_figures(scope: FigureScope) -> list[Figure]:
    chains = scope.scoped(Chain.objects.all(), CHAIN_SCOPE)
    members = chains.aggregate(n=Count("members__organization", distinct=True))["n"]
    posts = scope.scoped(Post.objects.all(), POST_SCOPE).filter(status="open").count()
    deals = scope.scoped(Deal.objects.all(), DEAL_SCOPE).count()
    return [
        Figure("chains.total", _("Industry chains with a joint committee"),
               chains.filter(committee__isnull=False).count(), group=GROUP, order=75),
        Figure("chains.members", _("Enterprises in industry chains"), members, group=GROUP,
               order=76),
        Figure("chains.open_posts", _("Open supply and need posts"), posts, group=GROUP, order=77),
        Figure("chains.deals", _("Deals made through matchmaking"), deals, group=GROUP, order=78),
    ]


def chain_charts(scope: FigureScope) -> list[Chart]:
    deals = (scope.scoped(Deal.objects.all(), DEAL_SCOPE).order_by()
             .values_list("chain__name").annotate(n=Count("id"), quantity=Sum("quantity")))
    rows = sorted(deals, key=lambda row: -row[1])
    if not rows:
        return []
    return [Chart(key="chains.deals_by_chain", title=_("Deals by industry chain"), kind="bar",
                  categories=[name for name, _n, _q in rows],
                  series=[Series(_("Deals"), [n for _name, n, _q in rows])], order=75)]


FIGURE_PROVIDERS = [chain_figures]
CHART_PROVIDERS = [chain_charts]
