"""Filters for case lists: labels and links computed once per language, not once per row.

`case.get_state_display` rebuilds the choices dict on every call and translates each choice to
hash it; `{% url %}` resolves the pattern on every row. On a page of 50 cases both showed high in
the profile, so each is computed once and looked up per row.
"""
from functools import lru_cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Case
from ..selectors import is_overdue

register = template.Library()
PK_PLACEHOLDER = 987654321


@lru_cache(maxsize=64)
def _labels(field: str, language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in Case._meta.get_field(field).flatchoices}


@register.filter
def display(case: Case, field: str) -> str:
    """`{{ case|display:"state" }}` = `{{ case.get_state_display }}`, from a cached dict."""
    value = getattr(case, field)
    return _labels(field, get_language()).get(value, value)


@lru_cache(maxsize=8)
def _detail_pattern(script_prefix: str) -> str:
    return reverse("cases:detail", args=[PK_PLACEHOLDER]).replace(str(PK_PLACEHOLDER), "{}")


@register.filter
def case_url(pk: int) -> str:
    """`{{ case.pk|case_url }}` = `{% url 'cases:detail' case.pk %}`."""
    return _detail_pattern(get_script_prefix()).format(int(pk))


@register.simple_tag
def case_rows(cases) -> str:
    """The rows of the case list (dicts of `selectors.LIST_COLUMNS`), built in Python: the same
    markup from a template loop cost about a third of the list page (some 15 variable lookups
    per row, 50 rows), and `format_html` per row still half of what is left; `html.escape` is
    what Django's `escape` calls."""
    kinds, states = _labels("kind", get_language()), _labels("state", get_language())
    good = format_html(' <span class="badge text-bg-success">{}</span>', _("good suggestion"))
    late = format_html(' <span class="badge text-bg-danger">{}</span>', _("overdue"))
    url, now = _detail_pattern(get_script_prefix()), timezone.now()
    rows = []
    for case in cases:
        deadline = (timezone.localtime(case["deadline"]).strftime("%Y-%m-%d %H:%M")
                    if case["deadline"] else "—")
        title, kind = escape(case["title"]), escape(kinds.get(case["kind"], case["kind"]))
        organization, category = escape(case["organization__name"]), escape(case["category__name"])
        state = escape(states.get(case["state"], case["state"]))
        lead = escape(case["lead_department__name"]) if case["lead_department_id"] else "—"
        rows.append(
            f'<tr><td>{case["id"]}</td><td><a href="{url.format(int(case["id"]))}">{title}</a>'
            f'{good if case["is_good_suggestion"] else ""}</td><td>{kind}</td><td>{organization}</td>'
            f'<td>{category}</td><td>{state}</td><td>{lead}</td>'
            f'<td>{deadline}{late if is_overdue(case["state"], case["deadline"], now) else ""}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every text went through html.escape
