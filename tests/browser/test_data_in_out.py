import datetime

import pytest

from ..factories import EvidenceFactory, GoalFactory
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_header_search_finds_evidence_by_keyboard_on_a_phone(open_page, make_user):
    make_user("board")
    goal = GoalFactory(number=5, title="Safer care")
    EvidenceFactory(goal=goal, title="Ward 7 award", summary="The ward cut inpatient falls with hourly rounding.", date=datetime.date(2023, 5, 1))
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "board")
    page.focus("#search-field")
    page.keyboard.type("rounding")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=rounding")
    assert page.locator("text=1 result for “rounding”").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "search-phone")
    page.locator(".app-search-hit a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/goals/5/**")
    assert page.errors == []


def test_the_api_page_reads_well_on_a_phone_and_passes_axe(open_page, db):
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/api/v1/")
    assert page.locator("h1").inner_text().startswith("Improvement Tracker API")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "api-docs-phone")
