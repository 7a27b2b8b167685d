"""The QiSG's quarter in a real browser: the meetings, the agenda pack and the reminder preferences, with axe, at
phone width and by keyboard."""

import datetime

import pytest

from improvement.board.models import Meeting, ReminderPreference

from .conftest import axe_violations, log_in, screenshot
from ..helpers import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(make_user):
    seed_demo()


def test_the_agenda_pack_of_the_next_qisg_is_accessible_and_fits_a_phone(open_page, demo):
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "qisg", password="improve-demo")
    meeting = Meeting.objects.qisg().upcoming(datetime.date.today()).first()  # the next QiSG
    page.goto(f"/meetings/?year={meeting.year}")
    assert axe_violations(page) == []
    page.click(f"a[href='/meetings/{meeting.pk}/pack/']")
    page.wait_for_url(f"**/meetings/{meeting.pk}/pack/")
    assert page.locator("h1").inner_text().startswith("Agenda pack: Quality Improvement Steering Group (QiSG)")
    for heading in ["1. The goals", "2. What changed since the previous meeting", "3. Measures whose SPC signal changed",
                    "4. What has gone stale"]:
        assert page.locator(f"h2:text-is('{heading}')").is_visible()
    assert page.locator("#pack-stale ~ ul li a").count() >= 1  # the demo has something stale, each a link
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "agenda-pack-phone")
    assert page.errors == []


def test_a_user_chooses_their_reminders_by_keyboard(open_page, demo):
    page = open_page()
    log_in(page, "qisg", password="improve-demo")
    page.goto("/")
    page.click("a.nhsuk-header__account-link:text-is('Reminders')")
    page.wait_for_url("**/reminders/")
    assert "qisg@example.nhs.uk" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.focus("#id_weekly_stale")
    page.keyboard.press("Space")  # untick the weekly digest
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the save button
    page.wait_for_selector("text=Your reminder choices are saved.")
    preference = ReminderPreference.objects.get(user__username="qisg")
    assert (preference.before_qisg, preference.weekly_stale) == (True, False)
    assert not page.locator("#id_weekly_stale").is_checked()
    assert axe_violations(page) == []
    screenshot(page, "reminder-preferences")
    assert page.errors == []
