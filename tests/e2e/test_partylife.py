"""A party secretary records a meeting on a phone-sized page: defaults, untick, reason, save."""
import time

import pytest
from playwright.sync_api import expect

from sanxin.partylife.models import Meeting
from tests.partylife.conftest import make_branch

pytestmark = pytest.mark.e2e


def test_secretary_records_a_meeting_on_a_phone(page, login, district):
    branch, members = make_branch("甲一化工党支部", "branch", district.area_a, [district.a1], 6)
    make_branch("乙一机械党支部", "branch", district.area_b, [district.b1], 4)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, district.contact_a1)
    started = time.monotonic()
    page.goto("/partylife/meetings/new/")
    expect(page.locator("#org-pick")).to_have_value(str(branch.pk))  # the only one: preselected
    boxes = page.locator("#attendance-list input[type=checkbox]")
    expect(boxes).to_have_count(6)
    page.fill("#id_topic", "学习贯彻全会精神")
    page.uncheck(f"#present-{members[0].pk}")
    page.uncheck(f"#present-{members[1].pk}")
    page.fill(f"input[name=reason_{members[1].pk}]", "夜班")
    page.click("#save-meeting")
    expect(page.locator("#meeting-counts")).to_contain_text("应到6，实到4，请假1，缺席1")
    assert time.monotonic() - started < 60  # "under a minute", with a machine doing the typing
    meeting = Meeting.objects.get()
    assert (meeting.party_organization, meeting.kind) == (branch, "theme_day")
    # the page fits the phone: no horizontal scrolling
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


def test_district_picks_a_branch_and_sees_an_error_for_a_future_held_meeting(page, login,
                                                                           district):
    branch, _members = make_branch("甲一化工党支部", "branch", district.area_a, [district.a1], 3)
    make_branch("乙一机械党支部", "branch", district.area_b, [district.b1], 4)
    login(page, district.district)
    page.goto("/partylife/meetings/new/")
    page.select_option("#org-pick", str(branch.pk))  # submits itself (data-autosubmit)
    expect(page.locator("#attendance-list input[type=checkbox]")).to_have_count(3)
    page.fill("#id_topic", "x")
    page.fill("#id_held_on", "2099-01-01")
    page.click("#save-meeting")
    expect(page.locator("[data-field=held_on]")).to_contain_text("不能记为已召开")
    assert not Meeting.objects.exists()
