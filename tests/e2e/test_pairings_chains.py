"""A township user records a pairing and an activity; an enterprise contact posts a need on its
chain, sees the nearest supply proposed and records the deal; bad input shows its message."""
from datetime import date

import pytest
from playwright.sync_api import expect

from sanxin.chains.models import Deal
from sanxin.pairings.models import PairingActivity
from tests.chains.conftest import build_chains

pytestmark = pytest.mark.e2e


def test_township_user_creates_a_pairing_and_records_an_activity(page, login, district):
    login(page, district.area_user)
    page.goto("/pairings/new/")
    page.select_option("#id_leader_kind", "village")
    page.fill("#id_leader_name", "敦仁街道红光社区党支部")
    page.select_option("#id_leader_area", str(district.area_a.pk))
    page.fill("#id_organization", str(district.a1.pk))
    page.fill("#id_started_on", "2024-01-01")
    page.click("button[type=submit]")
    expect(page.locator("#pairing-title")).to_contain_text(district.a1.name)
    page.fill("#id_activity-held_on", "2023-12-01")  # before the start: refused
    page.fill("#id_activity-title", "联合主题党日")
    page.click("form[action$='/activities/'] button")
    expect(page.locator("[data-field=held_on]")).to_contain_text("活动日期不能早于结对开始日期")
    assert PairingActivity.objects.count() == 0
    page.fill("#id_activity-held_on", "2024-02-01")
    page.click("form[action$='/activities/'] button")
    expect(page.locator("#activities")).to_contain_text("联合主题党日")
    page.goto("/pairings/areas/")
    expect(page.locator("#pairing-area-table")).to_contain_text("敦仁街道")
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


def test_enterprise_contact_posts_a_need_and_records_the_proposed_deal(page, login, district):
    world = build_chains(district)
    login(page, district.contact_a1)
    page.goto(f"/chains/{world.chain1.pk}/")
    expect(page.locator("#chain-name")).to_have_text("化工新材料")
    expect(page.locator("#committee")).to_contain_text("链一联合党委")
    page.goto(f"/chains/{world.chain1.pk}/posts/new/")
    page.select_option("#id_member", str(world.s1.member_id))
    page.select_option("#id_kind", "supply")
    page.fill("#id_category", "己二酸")
    page.fill("#id_quantity", "-5")
    page.fill("#id_starts_on", "2024-01-01")
    page.fill("#id_ends_on", "2024-06-30")
    page.click("button[type=submit]")
    expect(page.locator("[data-field=quantity]")).to_contain_text("数量不能为负数")
    page.fill("#id_quantity", "30")
    page.click("button[type=submit]")
    expect(page.locator("#post-title")).to_contain_text("己二酸")
    expect(page.locator("#proposals tbody tr").first).to_contain_text(district.b1.name)
    page.select_option("#id_counterpart", str(world.n1.pk))
    page.fill("#id_quantity", "20")
    page.fill("#id_agreed_on", date(2024, 3, 1).isoformat())
    page.click("form[action$='/deals/'] button")
    expect(page.locator("#deals")).to_contain_text(district.b1.name)
    assert Deal.objects.filter(need=world.n1).count() == 1
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
