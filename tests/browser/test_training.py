import pytest
from django.contrib.staticfiles import finders

from improvement.demo.training import seed_courses
from training.models import Completion, Learner

from ..factories import StrategyFactory
from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def courses(db):
    seed_courses()  # the demo's courses, which the sample files name
    StrategyFactory()


def test_a_qisg_member_uploads_the_sample_checks_it_confirms_and_sees_the_figures(open_page, make_user, courses):
    make_user("qisg")
    page = open_page()
    log_in(page, "qisg")
    page.click("nav >> text=Training")
    page.wait_for_url("**/training/")
    page.click("text=Import training records")
    page.wait_for_url("**/training/import/")
    assert axe_violations(page) == []
    page.evaluate("window.pageWasNotReloaded = true")

    page.set_input_files("#id_file", finders.find("training/training_records_sample.csv"))
    page.click("text=Check the file")
    page.wait_for_selector("text=Check what training_records_sample.csv will do")
    assert Learner.objects.count() == 0  # the check writes nothing
    assert page.locator(".app-import-counts div:has(dt:text-is('New learners')) dd").inner_text() == "10"
    assert page.locator(".app-import-counts div:has(dt:text-is('New completions')) dd").inner_text() == "13"
    assert axe_violations(page) == []
    screenshot(page, "training-import-preview")

    # Each new unit is named and asked about, no answer preset; the two corporate departments are not CSUs.
    corporate = {"Corporate Services", "Estates and Facilities"}
    units = ["Abdominal Medicine and Surgery", "Cardio-Respiratory", "Corporate Services", "Emergency Medicine",
             "Estates and Facilities", "Therapies", "Women's Services"]
    for unit in units:
        group = page.get_by_role("group", name=f"Is \u201c{unit}\u201d a clinical service unit?")
        group.get_by_label("No, a corporate department or other" if unit in corporate else "Yes, a clinical service unit").check()
    page.click("text=Confirm and import")
    page.wait_for_selector("text=Imported training_records_sample.csv")
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert Completion.objects.count() == 13
    page.click("text=See the training figures")
    page.wait_for_url("**/training/")
    page.wait_for_selector("#courses-figure .main-svg")
    figures = page.locator("#training-figures").inner_text()
    assert "Current staff and partners trained in QI (leavers excluded)" in figures
    assert "Clinical service units with a current trained improvement facilitator" in figures
    assert page.locator("figure:has(#courses-figure) + table").count() == 1  # the chart's table right after it
    assert axe_violations(page) == []
    screenshot(page, "training-figures")

    page.select_option("#year", "1")
    page.click("text=Show")
    page.locator("#training-figures h2", has_text="Year 1").wait_for()  # htmx swapped the figures in
    page.wait_for_selector("#courses-figure .main-svg")
    assert "Year 1 (Nov 2022 to Oct 2023)" in page.locator("#training-figures h2").inner_text()
    assert page.errors == []


def test_a_bad_file_is_listed_row_by_row_and_nothing_is_imported(open_page, make_user, courses, tmp_path):
    make_user("qisg")
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_number,name,staff_group,unit,course,completed_on,left_on\n"
                   "1,=HYPERLINK(\"x\"),Nursing,,LIM Foundation,31/02/2023,\n", encoding="utf-8")
    page = open_page()
    log_in(page, "qisg")
    page.goto("/training/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    page.wait_for_selector("text=bad.csv was not imported")
    rows = page.locator(".app-import-errors tbody tr")
    assert rows.count() == 2
    assert "a spreadsheet could run it as a formula" in rows.nth(0).inner_text()
    assert Learner.objects.count() == 0
    assert axe_violations(page) == []
    screenshot(page, "training-import-errors")
    assert page.errors == []
