
import pytest

from .conftest import axe_violations, log_in, screenshot
from ..helpers import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(make_user):
    seed_demo()


def test_the_demo_dashboard_renders_accessibly_without_console_errors(open_page, demo):
    page = open_page()
    log_in(page, "board", password="improve-demo")
    assert page.url.endswith("/dashboard/")  # the board's landing page
    page.goto("/dashboard/?year=1")
    assert page.locator("#goal-3-heading").is_visible()
    assert page.locator("text=1,715").first.is_visible()
    assert page.locator("svg.app-sparkline").count() >= 7
    assert axe_violations(page) == []
    screenshot(page, "dashboard-year-1")
    assert page.errors == []


def test_the_demo_report_draws_every_chart_from_static_plotly(open_page, demo):
    page = open_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, "board", password="improve-demo")
    page.goto("/report/1/")
    page.wait_for_function("() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))")
    assert page.locator("[data-figure]").count() == 12  # an SPC chart for each of the demo's 12 headline figures
    assert page.locator(".app-report__goal").count() == 7
    assert any(url.endswith("/static/vendor/plotly/plotly.min.js") for url in requests)
    assert axe_violations(page) == []
    screenshot(page, "report-year-1")
    page.emulate_media(media="print")
    assert page.locator(".nhsuk-header").is_hidden()  # the print stylesheet drops the navigation
    assert page.errors == []
