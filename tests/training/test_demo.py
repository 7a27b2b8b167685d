import pytest
from django.db.models import F

from improvement.demo import training as demo
from improvement.core.periods import Period
from training import rollup
from training.models import Completion, FeedbackResponse, Learner, Unit

pytestmark = pytest.mark.django_db

START, END = demo.YEAR_ONE


@pytest.fixture
def seeded():
    demo.seed()


def test_the_demo_reproduces_the_year_one_figures_of_the_strategy_exactly(seeded):
    figures = rollup.figures(START, END, END, [Period(1, START, END)])
    h = figures.headline
    assert h.foundation_completions_in_year == h.foundation_completions_to_date == 620  # including partners
    assert h.excellence_in_people_in_year == 1214  # Nursing and Administration
    assert h.qi_teaching_people_in_year == 300  # "about 300 a year"
    assert h.current_trained_in_qi == 1715  # current staff and partners, leavers excluded
    assert h.trained_in_improvement_principles == 3514  # "over 3500"
    assert figures.recommend.percent == 97.6 > 97  # "over 97%"
    assert (figures.coverage.covered, figures.coverage.units) == (11, 20)  # "more than 50%"
    assert figures.coverage.percent > 50
    partners = [row for row in figures.staff_groups if row.label == "Quality partner"]
    assert partners[0].in_year == 25


def test_the_years_before_the_strategy_had_about_300_people_in_qi_teaching(seeded):
    years = [Period(None, first, last) for first, last, _ in demo.PRE_STRATEGY_YEARS]
    assert [row.people for row in rollup.qi_teaching_per_year(years)] == [280, 290, 310]


def test_every_leaver_left_by_the_end_of_year_one_after_their_last_course(seeded):
    assert Learner.objects.filter(left_on__gt=END).count() == 0
    assert not Completion.objects.filter(learner__left_on__lt=F("completed_on")).exists()


def test_seeding_twice_adds_nothing(seeded):
    counts = (Learner.objects.count(), Completion.objects.count(), FeedbackResponse.objects.count(), Unit.objects.count())
    training, feedback = demo.seed()
    assert training.counts["New completions"] == 0 and feedback.counts["New responses"] == 0
    assert (Learner.objects.count(), Completion.objects.count(), FeedbackResponse.objects.count(), Unit.objects.count()) == counts
