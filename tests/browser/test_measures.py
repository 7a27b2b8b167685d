import pytest

from goals.models import MeasurePoint

from ..factories import GoalFactory, MeasureFactory
from ..helpers import seed_demo
from .conftest import ARTIFACTS, axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALUES = [6.5, 6.8, 6.4, 6.9, 6.6, 6.3, 6.7, 6.5, 6.8, 6.6, 6.4, 6.7, 5.4, 5.3, 5.5, 5.2, 5.4, 5.3, 5.1, 5.2]


def test_the_spc_chart_draws_from_static_plotly_and_updates_when_a_point_is_added(open_page, make_user):
    make_user("qisg")
    measure = MeasureFactory(goal=GoalFactory(number=5), name="Falls per 1000 bed days", values=VALUES, target=5.5)
    page = open_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, "qisg")
    page.goto(f"/measures/{measure.pk}/")
    page.wait_for_selector("#measure-analysis .main-svg")
    assert any(url.endswith("/static/vendor/plotly/plotly.min.js") for url in requests)
    assert all(url.startswith(page.url.split("/measures")[0]) for url in requests)  # nothing from a CDN
    assert page.locator("text=Special cause variation: improvement (lower values)").is_visible()
    assert page.locator("#measure-data tbody tr").count() == 20
    assert axe_violations(page) == []
    screenshot(page, "measure-chart")

    page.evaluate("window.pageWasNotReloaded = true")
    page.fill("#id_point-date", "15/09/2023")
    page.fill("#id_point-value", "5.0")
    page.click("text=Add point")
    page.wait_for_selector("text=Added 5 for 15/09/2023.")
    page.wait_for_selector("#measure-analysis .main-svg")
    assert page.locator("#measure-data tbody tr").count() == 21
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert MeasurePoint.objects.filter(measure=measure).count() == 21
    assert page.errors == []


EXCEL_ROWS = "Month\tFalls\n31/01/2023\t1,234\n28/02/2023\t12%\n31/03/2023\t£1,100\n"  # as Excel puts two columns on the clipboard


def test_rows_copied_from_excel_paste_into_the_import_form(open_page, make_user):
    make_user("qisg")
    measure = MeasureFactory(goal=GoalFactory(number=5), name="Falls per 1000 bed days")
    page = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "qisg")
    page.goto(f"/measures/{measure.pk}/")
    page.click("text=Import data from Excel or CSV")
    page.evaluate("(text) => navigator.clipboard.writeText(text)", EXCEL_ROWS)
    page.focus("#id_pasted")
    page.keyboard.press("Control+V")
    assert page.input_value("#id_pasted").replace("\r\n", "\n") == EXCEL_ROWS
    assert axe_violations(page) == []
    screenshot(page, "measure-import-pasted")
    page.click("button:text('Import')")
    page.wait_for_selector("text=Imported: 3 points added.")
    assert list(measure.points.order_by("date").values_list("value", flat=True)) == [1234, 12, 1100]
    assert page.errors == []


def test_a_second_value_for_a_month_asks_inline_then_a_correction_redraws_the_chart(open_page, make_user):
    make_user("qisg")
    measure = MeasureFactory(goal=GoalFactory(number=5), name="Falls per 1000 bed days", values=VALUES)
    page = open_page()
    log_in(page, "qisg")
    page.goto(f"/measures/{measure.pk}/")
    page.evaluate("window.pageWasNotReloaded = true")
    page.fill("#id_point-date", "20/08/2023")  # August 2023 has 5.2 (on 1 August)
    page.fill("#id_point-value", "4.9")
    page.click("text=Add point")
    page.wait_for_selector("text=replace 5.2 with 4.9?")
    assert axe_violations(page) == []
    screenshot(page, "measure-replace-asked")
    page.click("button:has-text('Replace 5.2 with 4.9')")
    page.wait_for_selector("text=Replaced 5.2 with 4.9 for August 2023.")
    assert MeasurePoint.objects.get(measure=measure, date__month=8, date__year=2023).value == 4.9

    page.click("#measure-data tbody tr:first-child >> text=Delete")
    page.wait_for_selector("#data-change form")
    page.fill("#id_delete-why", "Counted twice")
    page.click("button:has-text('Delete the point')")
    page.wait_for_selector("text=It is kept in the history of the data.")
    page.wait_for_selector("#measure-analysis .main-svg")
    assert page.locator("#measure-data tbody tr").first.inner_text().startswith("1 Feb 2022")
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert MeasurePoint.objects.filter(measure=measure).count() == 19
    page.click("text=History of the data")
    assert page.locator("text=Counted twice").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "measure-data-history")
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_shows_nhs_england_s_icons_large_enough_with_their_words(open_page, make_user, width):
    seed_demo()
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "board", password="improve-demo")
    page.goto("/dashboard/?year=1")
    icons = page.locator(".app-mdc-icon img")
    assert icons.count() >= 7
    for i in range(icons.count()):
        icon = icons.nth(i)
        icon.scroll_into_view_if_needed()
        assert icon.evaluate("img => img.complete && img.naturalWidth > 0"), icon.get_attribute("src")  # the SVG loaded
        box = icon.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        words = icon.locator("xpath=following-sibling::span").inner_text()
        assert words.startswith(("Common cause", "Special cause", "Assurance"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(page, f"dashboard-icons-{width}")
    row = page.locator(".app-mdc-icons img").first.locator("xpath=ancestor::tr")
    row.scroll_into_view_if_needed()
    row.screenshot(path=ARTIFACTS / f"dashboard-icons-{width}-row.png")
    assert page.errors == []
