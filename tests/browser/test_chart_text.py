"""Stored text in a chart is drawn as typed, never as markup (issue 16, item 6): plotly reads <a href> in any text."""

import datetime

import pytest

from goals.models import Collaborative

from ..factories import GoalFactory, MeasureFactory
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = '<a href="https://evil.example/x">Click</a>'


def test_a_collaborative_named_as_a_link_is_drawn_as_text_in_its_measure_s_chart(open_page, make_user):
    make_user("board")
    goal = GoalFactory(number=1)
    collaborative = Collaborative.objects.create(name=LINK, goal=goal, aim="A", prompted_by="harm_data",
                                                 started_on=datetime.date(2023, 2, 1))
    measure = MeasureFactory(goal=goal, name="Falls", unit='<b style="font-size:40px">big</b>', values=[5, 6] * 12)
    measure.collaborative = collaborative
    measure.save()
    page = open_page()
    log_in(page, "board")
    page.goto(f"/measures/{measure.pk}/")
    page.wait_for_selector("#measure-analysis .main-svg")
    svg = page.locator("#measure-analysis .main-svg").first
    assert page.locator("#measure-analysis svg a").count() == 0  # no link drawn
    annotation = page.locator("#measure-analysis .annotation-text").first.text_content()
    assert annotation == f"{LINK} collaborative started"
    assert page.locator("#measure-analysis svg text", has_text='<b style="font-size:40px">big</b>').count() >= 1
    assert svg.is_visible() and page.errors == []
