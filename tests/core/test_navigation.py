"""The navigation menu is built once per role kinds, highlighted item and language
(sanxin/core/context_processors.py); each page must still show the menu of its viewer."""
import re

import pytest
from django.conf import settings
from django.urls import reverse

from sanxin.accounts.models import Role

pytestmark = pytest.mark.django_db


def menu(response) -> list[tuple[str, str, bool]]:
    """(label, url, highlighted) for each item of the menu."""
    html = response.content.decode()
    menu_html = html[html.index('<ul class="navbar-nav me-auto">'):html.index("</ul>")]
    return [(label, url, " active" in cls) for cls, url, label in
            re.findall(r'<a class="nav-link([^"]*)" href="([^"]*)">([^<]*)</a>', menu_html)]


def labels(response) -> list[str]:
    return [label for label, _, _ in menu(response)]


def urls(response) -> set[str]:
    return {url for _, url, _ in menu(response)}


def test_each_role_sees_its_own_items(district, client_for):
    audit, my_service = reverse("accounts:audit"), reverse("service:home")
    district_menu = urls(client_for(district.district).get("/cases/"))
    contact_menu = urls(client_for(district.contact_a1).get("/cases/"))
    officer_menu = urls(client_for(district.officer_user).get("/cases/"))
    assert audit in district_menu and my_service not in district_menu
    assert contact_menu < district_menu and audit not in contact_menu
    assert my_service in officer_menu and audit not in officer_menu


def test_a_role_given_changes_the_menu_on_the_next_page(district, client_for):
    client = client_for(district.contact_a1)
    before = labels(client.get("/cases/"))
    Role.objects.create(user=district.contact_a1, kind="district")
    after = labels(client.get("/cases/"))
    assert set(before) < set(after)


def test_the_current_section_is_highlighted(district, client_for):
    client = client_for(district.district)
    on_cases = {url for _, url, active in menu(client.get("/cases/")) if active}
    on_organizations = {url for _, url, active in menu(client.get("/organizations/")) if active}
    assert on_cases == {"/cases/"}
    assert on_organizations == {"/organizations/"}


def test_the_menu_follows_the_language(district, client_for):
    client = client_for(district.district)
    chinese = labels(client.get("/cases/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = labels(client.get("/cases/"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "Cases" in english and "Organizations" in english
    assert "Cases" not in chinese and len(chinese) == len(english)
    assert labels(client.get("/cases/")) == chinese


def test_signed_out_pages_have_no_menu(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'class="nav-link' not in response.content.decode()
