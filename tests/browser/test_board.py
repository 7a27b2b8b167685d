
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
    assert page.locator("[data-figure]").count() == 12  # a chart for each of the demo's 12 headline figures
    assert page.locator(".app-report__goal").count() == 7
    assert any(url.endswith("/static/vendor/plotly/plotly.min.js") for url in requests)
    assert axe_violations(page) == []
    screenshot(page, "report-year-1")
    page.emulate_media(media="print")
    assert page.locator(".nhsuk-header").is_hidden()  # the print stylesheet drops the navigation
    assert page.errors == []


def test_the_board_finds_its_way_around_by_the_header(open_page, demo):
    page = open_page()
    log_in(page, "board", password="improve-demo")
    page.goto("/goals/3/")
    page.click(".nhsuk-header__navigation-link:text-is('Board papers')")
    page.wait_for_url("**/report/")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 5  # every strategy year so far
    assert "Presented" in rows.nth(0).inner_text() and "Not shared yet" in rows.last.inner_text()  # the draft is QiSG's
    assert axe_violations(page) == []
    page.click(".nhsuk-header__navigation-link:text-is('Evidence')")
    page.wait_for_url("**/evidence/")
    page.click(".nhsuk-header__navigation-link:text-is('Dashboard')")
    page.wait_for_url("**/dashboard/")
    assert page.locator(".app-stale").count() == 7  # the year in progress has no judgement yet: said so for each goal
    assert page.errors == []


def test_qisg_starts_shares_and_presents_a_paper_by_keyboard_and_axe_passes_each_step(open_page, demo):
    from improvement.board.models import BoardReport

    year = BoardReport.objects.get(state="draft").year  # the year in progress
    BoardReport.objects.filter(year=year).delete()
    page = open_page()
    log_in(page, "qisg", password="improve-demo")
    page.goto(f"/report/{year}/")
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Start the paper for year {year}").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=is started as a draft")
    page.wait_for_function("() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Share with the board").click()
    page.wait_for_selector("text=board members can read it now")
    page.click("text=Mark it presented (freezes it)")
    assert axe_violations(page) == []
    page.click("button:text('Mark presented and freeze')")  # presented today (the default: not after today)
    page.wait_for_selector("text=presented and frozen")
    assert page.locator(".app-hash").inner_text().strip() == BoardReport.objects.get(year=year).frozen.pdf_sha256
    page.click("text=Add an amendment")
    page.fill("#id_reason", "A typing error")
    page.fill("#id_correction", "The summary's date is 1 December.")
    assert axe_violations(page) == []
    page.click("button:text('Add the amendment')")
    page.wait_for_selector("text=Amendments since it was presented")
    assert axe_violations(page) == []
    assert page.errors == []


@pytest.mark.parametrize("path", ["/dashboard/?year=1", "/report/1/", "/report/"])
def test_board_pages_fit_a_phone_without_sideways_scrolling(open_page, demo, path):
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "board", password="improve-demo")
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "phone-" + path.strip("/").replace("/", "-").replace("?", "-").replace("=", ""))
