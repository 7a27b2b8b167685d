import datetime

import pytest

from goals.models import Event

from ..factories import GoalFactory, StrategyFactory
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_qisg_member_adds_an_event_inline_and_the_calendar_shows_it(open_page, make_user):
    make_user("qisg")
    strategy = StrategyFactory(start_date=datetime.date(2022, 11, 1))
    for number in (4, 6):
        GoalFactory(strategy=strategy, number=number)
    page = open_page()
    log_in(page, "qisg")
    page.goto("/programme/events/?year=1")
    page.evaluate("window.pageWasNotReloaded = true")
    page.click("text=Record an event")
    page.wait_for_selector("#event-form form")
    page.select_option("#id_kind", "open_day")
    page.fill("#id_title", "Improvement open day")
    page.fill("#id_date", "15/03/2023")
    page.select_option("#id_goal", label="Goal 6: Goal title 6")
    page.fill("#id_attendance", "120")
    page.fill("#id_organisations_attending", "Leeds Community Healthcare\nHarrogate and District")
    page.check("#id_on_timeline")  # off the evidence timeline unless chosen
    assert axe_violations(page) == []
    page.click("text=Save event")
    page.wait_for_selector("text=Recorded 1 event")
    page.wait_for_selector("#calendar >> text=Improvement open day")  # the calendar reloaded itself
    assert page.locator("#calendar tbody tr").count() == 1
    assert "Leeds Community Healthcare, Harrogate and District" in page.locator("#calendar").inner_text()
    assert page.evaluate("window.pageWasNotReloaded") is True
    event = Event.objects.get()
    assert (event.kind, event.attendance, event.goal.number, event.evidence.goal.number) == ("open_day", 120, 6, 6)
    screenshot(page, "events-after-inline-add")
    assert page.errors == []
