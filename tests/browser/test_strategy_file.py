import pytest
from django.conf import settings

from goals.models import Goal

from .conftest import axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = settings.BASE_DIR / "static" / "board" / "strategy-example.yaml"


def test_a_site_admin_loads_the_trusts_strategy_from_the_first_page_on_a_phone(open_page, make_user, tmp_path):
    make_user("admin")
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "admin")
    page.click("text=Load the strategy file")
    page.wait_for_url("**/strategy/file/")
    assert axe_violations(page) == []

    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("number: 2\n", "number: two\n"))
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    page.wait_for_selector("text=bad.yaml was not loaded")
    assert "Line 26: number: must be a whole number, not 'two'." in page.inner_text(".nhsuk-error-summary")
    assert axe_violations(page) == []

    page.set_input_files("#id_file", str(EXAMPLE))
    page.click("text=Check the file")
    page.wait_for_selector("text=Check what strategy-example.yaml will do")
    assert Goal.objects.count() == 0  # the preview writes nothing
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "strategy-file-preview")
    page.click("text=Confirm and load")
    page.wait_for_selector("text=Our 5 goals and ambitions")
    assert page.errors == []
