"""Data entry a QiSG member can trust, as seen in Chromium: planned events, the goal page after an inline save,
scrollable tables by keyboard, the locked-out page and logging out. Each page checked by axe, on a desktop and at
390 px, and photographed (tests/browser/artifacts)."""

import datetime

import pytest

from goals.models import Collaborative, Event

from ..factories import GoalFactory, ProgressUpdateFactory, StrategyFactory
from ..training.factories import CompletionFactory, LearnerFactory, UnitFactory, course
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
PHONE = {"width": 390, "height": 844}


def at_both_widths(page, name):
    """axe on the desktop and at 390 px (no sideways scrolling of the page), with a screenshot of each."""
    for label, size in [("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)]:
        page.set_viewport_size(size)
        assert axe_violations(page) == [], label
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"{name} scrolls sideways at {label}"
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def strategy(db):
    strategy = StrategyFactory(name="Browser strategy", start_date=TODAY - datetime.timedelta(days=150))
    for number in range(1, 8):
        GoalFactory(strategy=strategy, number=number)
    return strategy


def test_a_fortnightly_series_plans_its_future_surgeries(open_page, make_user, strategy):
    make_user("qisg")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/programme/events/?year=1")
    page.click("text=Record an event")
    page.wait_for_selector("#event-form form")
    assert not page.is_checked("#id_on_timeline")  # off the timeline unless chosen
    page.select_option("#id_kind", "coaching_surgery")
    page.select_option("#id_goal", str(strategy.goals.get(number=4).pk))  # the first event: no goal to follow yet
    page.fill("#id_title", "Coaching surgery")
    page.fill("#id_date", (TODAY - datetime.timedelta(days=14)).strftime("%d/%m/%Y"))
    page.fill("#id_attendance", "8")
    page.fill("#id_repeat_until", (TODAY + datetime.timedelta(days=42)).strftime("%d/%m/%Y"))
    page.click("text=Save event")
    page.wait_for_selector("text=Recorded 5 events, 3 of them planned")
    page.wait_for_selector("#calendar >> text=And 3 planned events")
    calendar = page.locator("#calendar").inner_text()
    assert "2 events" in calendar and "2 coaching surgeries" in calendar and "8 attendances" in calendar
    assert page.locator("#calendar strong.nhsuk-tag", has_text="Planned").count() == 3
    assert [e.attendance for e in Event.objects.order_by("date")] == [8, None, None, None, None]
    at_both_widths(page, "events-planned")
    assert page.errors == []


def test_the_goal_status_at_the_top_follows_an_inline_update(open_page, make_user, strategy):
    qisg = make_user("qisg")
    ProgressUpdateFactory(goal=strategy.goals.get(number=3), author=qisg, status="on_track")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/goals/3/")
    page.evaluate("window.pageWasNotReloaded = true")
    summary = page.locator("#goal-summary")
    assert "On track" in summary.inner_text() and "1 progress update" in summary.inner_text()
    page.click("text=Add a progress update")
    page.wait_for_selector("#new-update form")
    assert page.locator("#new-update input[name=status]").count() == 5  # no blank "---------" radio
    page.check("#new-update input[value=at_risk]")
    page.fill("#id_period_start", "01/11/2022")
    page.fill("#id_period_end", "31/10/2023")
    page.fill("#id_narrative", "Facilitator coverage is behind plan.")
    page.fill("#id_published_on", TODAY.strftime("%d/%m/%Y"))
    page.click("text=Save update")
    page.wait_for_selector("#goal-summary >> text=At risk")
    assert "2 progress updates" in summary.inner_text() and "Facilitator coverage is behind plan." in summary.inner_text()
    assert page.evaluate("window.pageWasNotReloaded") is True
    at_both_widths(page, "goal-after-inline-update")
    assert page.errors == []


def test_the_training_units_table_scrolls_by_keyboard(open_page, make_user, strategy):
    make_user("qisg")
    foundation = course("LIM Foundation")
    for n in range(30):
        CompletionFactory(learner=LearnerFactory(unit=UnitFactory(name=f"Clinical service unit {n:02}")), course=foundation,
                          completed_on=TODAY - datetime.timedelta(days=30))
    page = open_page()
    log_in(page, "qisg")
    page.goto("/training/")
    region = page.get_by_role("region", name="People trained per clinical service unit (scrollable)")
    assert region.evaluate("el => el.scrollHeight > el.clientHeight")  # it does scroll
    region.focus()
    page.keyboard.press("End")
    page.wait_for_function("() => document.activeElement.scrollTop > 0")
    # Reached with Tab alone, like any control.
    page.goto("/training/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role') === 'region'"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "People trained per clinical service unit (scrollable)"
    at_both_widths(page, "training-units-table")
    assert page.errors == []


def test_the_locked_out_page_leads_back_to_the_login_page(open_page, make_user):
    make_user("board")
    page = open_page()
    for _ in range(5):
        page.goto("/login/")
        page.fill("#id_username", "board")
        page.fill("#id_password", "wrong")
        page.click("button[type=submit]")
    page.wait_for_selector("text=Too many failed log in attempts")
    assert "You can try again after" in page.locator("main").inner_text()
    at_both_widths(page, "locked-out")
    page.get_by_role("link", name="Go to the log in page").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/")
    assert [e for e in page.errors if "status of 429" not in e] == []  # the locked-out page itself is a 429


def test_logging_out_says_so(open_page, make_user, strategy):
    make_user("board")
    page = open_page()
    log_in(page, "board")
    page.click("text=Log out")
    page.wait_for_url("**/login/")
    assert "You have logged out." in page.locator(".nhsuk-notification-banner").inner_text()
    at_both_widths(page, "logged-out")
    assert page.errors == []


def test_evidence_linked_to_a_collaborative_shows_on_its_page(open_page, make_user, strategy):
    make_user("qisg")
    goal1 = strategy.goals.get(number=1)
    discharge = Collaborative.objects.create(name="Discharge", goal=goal1, aim="Home sooner", prompted_by="harm_data",
                                             started_on=TODAY - datetime.timedelta(days=400))
    falls = Collaborative.objects.create(name="Falls", goal=goal1, aim="Fewer falls", prompted_by="harm_data",
                                         started_on=TODAY - datetime.timedelta(days=800),
                                         stepped_down_on=TODAY - datetime.timedelta(days=100), step_down_reason="Improvements sustained")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/goals/1/")
    page.click("text=Add evidence")
    page.wait_for_selector("#new-evidence form")
    options = page.locator("#id_collaborative option").all_inner_texts()
    assert options[:2] == ["None", "Discharge"] and options[2].startswith("Falls (stepped down")
    page.select_option("#id_kind", "data")
    page.fill("#id_date", TODAY.strftime("%d/%m/%Y"))
    page.fill("#id_title", "Discharges before noon up 12%")
    page.fill("#id_summary", "Run chart attached.")
    page.select_option("#id_collaborative", label="Discharge")
    at_both_widths(page, "evidence-form-with-collaborative")
    page.click("text=Save evidence")
    page.wait_for_selector("#goal-summary >> text=1 evidence item")
    page.click("text=Discharge collaborative")
    page.wait_for_url(f"**/programme/collaboratives/{discharge.pk}/")
    assert "Discharges before noon up 12%" in page.locator("main").inner_text()
    at_both_widths(page, "collaborative-with-evidence")
    page.goto(f"/programme/collaboratives/{falls.pk}/")
    assert page.locator("input[name='member-name']").count() == 0
    assert "members can be added only to an active collaborative" in page.locator("#members").inner_text()
    at_both_widths(page, "collaborative-stepped-down")
    assert page.errors == []
