import pytest

from goals.models import MeasurePoint

from ..factories import GoalFactory, MeasureFactory
from .conftest import axe_violations, log_in, screenshot

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
    assert page.locator("#measure-analysis tbody tr").count() == 20
    assert axe_violations(page) == []
    screenshot(page, "measure-chart")

    page.evaluate("window.pageWasNotReloaded = true")
    page.fill("#id_point-date", "15/09/2023")
    page.fill("#id_point-value", "5.0")
    page.click("text=Add point")
    page.wait_for_selector("text=Added 5 for 15/09/2023.")
    page.wait_for_selector("#measure-analysis .main-svg")
    assert page.locator("#measure-analysis tbody tr").count() == 21
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert MeasurePoint.objects.filter(measure=measure).count() == 21
    assert page.errors == []
