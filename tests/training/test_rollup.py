import datetime

import pytest

from improvement.core.periods import Period
from training import rollup
from training.models import Answer, StaffGroup

from .factories import CompletionFactory, FeedbackFactory, LearnerFactory, UnitFactory, course

pytestmark = pytest.mark.django_db

START, END = datetime.date(2022, 11, 1), datetime.date(2023, 10, 31)
BEFORE = datetime.date(2022, 6, 1)
IN_YEAR = datetime.date(2023, 3, 15)
AFTER = datetime.date(2023, 12, 1)


def test_current_staff_trained_in_qi_leaves_out_leavers_and_non_qi_courses():
    CompletionFactory(course=course("LIM Foundation"), completed_on=IN_YEAR)
    CompletionFactory(course=course("QI teaching"), completed_on=BEFORE, learner__staff_group=StaffGroup.MEDICAL)
    CompletionFactory(course=course("LIM Foundation"), completed_on=IN_YEAR, learner__staff_group=StaffGroup.QUALITY_PARTNER, learner__unit=None)
    CompletionFactory(course=course("LIM Foundation"), completed_on=IN_YEAR, learner__left_on=datetime.date(2023, 10, 31))  # left on the day
    CompletionFactory(course=course("LIM Foundation"), completed_on=IN_YEAR, learner__left_on=datetime.date(2023, 11, 30))  # left later
    CompletionFactory(course=course("Improvement principles e-learning"), completed_on=IN_YEAR)  # not QI training
    CompletionFactory(course=course("LIM Foundation"), completed_on=AFTER)  # after the date
    headline = rollup.headline(START, END, END)
    assert headline.current_trained_in_qi == 4
    assert headline.trained_in_improvement_principles == 6  # leavers included, e-learning included
    assert headline.people_trained_in_year == 5


def test_a_person_with_several_qi_courses_counts_once():
    learner = LearnerFactory()
    for name in ["LIM Foundation", "Excellence In Nursing", "LIM facilitator training"]:
        CompletionFactory(learner=learner, course=course(name), completed_on=IN_YEAR)
    headline = rollup.headline(START, END, END)
    assert headline.current_trained_in_qi == 1
    assert headline.foundation_completions_in_year == 1


def test_completions_count_records_in_the_year_and_to_date():
    learner = LearnerFactory()
    CompletionFactory(learner=learner, course=course("QI teaching"), completed_on=BEFORE)
    CompletionFactory(learner=learner, course=course("QI teaching"), completed_on=IN_YEAR)
    CompletionFactory(course=course("QI teaching"), completed_on=AFTER)
    rows = {row.label: (row.in_year, row.to_date) for row in rollup.completions_per_course(START, END, END)}
    assert rows["QI teaching"] == (1, 2)
    assert rows["LIM Foundation"] == (0, 0)  # every course is listed


def test_excellence_in_counts_nursing_and_administration_people_only():
    CompletionFactory(course=course("Excellence In Nursing"), completed_on=IN_YEAR, learner__staff_group=StaffGroup.NURSING)
    CompletionFactory(course=course("Excellence In Administration"), completed_on=IN_YEAR, learner__staff_group=StaffGroup.ADMINISTRATION)
    CompletionFactory(course=course("Excellence In Administration"), completed_on=BEFORE, learner__staff_group=StaffGroup.ADMINISTRATION)
    CompletionFactory(course=course("Excellence In Nursing"), completed_on=IN_YEAR, learner__staff_group=StaffGroup.MEDICAL)
    headline = rollup.headline(START, END, END)
    assert (headline.excellence_in_people_in_year, headline.excellence_in_people_to_date) == (2, 3)


def test_people_receiving_qi_teaching_per_year():
    learner = LearnerFactory()
    CompletionFactory(learner=learner, course=course("QI teaching"), completed_on=datetime.date(2023, 1, 5))
    CompletionFactory(learner=learner, course=course("QI teaching"), completed_on=datetime.date(2023, 6, 5))
    CompletionFactory(course=course("QI teaching"), completed_on=datetime.date(2023, 11, 5))
    CompletionFactory(course=course("LIM Foundation"), completed_on=datetime.date(2023, 11, 5))
    years = [Period(1, START, END), Period(2, datetime.date(2023, 11, 1), datetime.date(2024, 10, 31))]
    assert [(row.label, row.people) for row in rollup.qi_teaching_per_year(years)] == [("Year 1", 1), ("Year 2", 1)]


def test_people_per_staff_group_lists_every_group():
    CompletionFactory(completed_on=IN_YEAR, learner__staff_group=StaffGroup.MEDICAL)
    CompletionFactory(completed_on=BEFORE, learner__staff_group=StaffGroup.MEDICAL)
    rows = {row.label: (row.in_year, row.to_date) for row in rollup.people_per_staff_group(START, END, END)}
    assert rows["Medical"] == (1, 2)
    assert rows["Quality partner"] == (0, 0)
    assert len(rows) == 6


def test_facilitator_coverage_needs_a_current_trained_facilitator_in_the_unit():
    covered, left, untrained, later = (UnitFactory(name=n) for n in ["Covered", "Facilitator left", "Untrained", "Trained later"])
    CompletionFactory(course=course("LIM facilitator training"), completed_on=IN_YEAR, learner__unit=covered)
    CompletionFactory(course=course("LIM facilitator training"), completed_on=IN_YEAR, learner__unit=covered)
    CompletionFactory(course=course("LIM facilitator training"), completed_on=IN_YEAR, learner__unit=left, learner__left_on=datetime.date(2023, 9, 1))
    CompletionFactory(course=course("LIM Foundation"), completed_on=IN_YEAR, learner__unit=untrained)
    CompletionFactory(course=course("LIM facilitator training"), completed_on=AFTER, learner__unit=later)
    rows = rollup.units(START, END, END)
    assert {row.label: row.has_facilitator for row in rows} == {"Covered": True, "Facilitator left": False, "Untrained": False, "Trained later": False}
    coverage = rollup.facilitator_coverage(rows)
    assert (coverage.covered, coverage.units, coverage.percent) == (1, 4, 25.0)
    assert rollup.facilitator_coverage_on(END) == coverage
    assert rollup.facilitator_coverage_on(AFTER).covered == 2
    assert {row.label: row.to_date for row in rows}["Covered"] == 2


def test_no_units_means_no_share_rather_than_a_division_by_zero():
    coverage = rollup.facilitator_coverage(rollup.units(START, END, END))
    assert (coverage.units, coverage.percent) == (0, None)


def test_the_recommend_score_is_likely_or_very_likely_of_all_answers_for_lim_training():
    for answer, n in [(Answer.VERY_LIKELY, 6), (Answer.LIKELY, 2), (Answer.NEITHER, 1), (Answer.DONT_KNOW, 1)]:
        for _ in range(n):
            FeedbackFactory(answer=answer, course=course("LIM Foundation"))
    FeedbackFactory(answer=Answer.VERY_UNLIKELY, course=course("QI teaching"))  # not LIM training
    FeedbackFactory(answer=Answer.VERY_UNLIKELY, responded_on=BEFORE)  # another year
    score = rollup.recommend_score(START, END)
    assert (score.positive, score.responses, score.percent) == (8, 10, 80.0)
    per_course = dict(rollup.recommend_per_course([Period(1, START, END)]))
    assert [(r.positive, r.responses) for r in per_course["LIM Foundation"]] == [(8, 10)]
    assert [(r.positive, r.responses, r.percent) for r in per_course["QI teaching"]] == [(0, 1, 0.0)]
    assert "Excellence In Nursing" not in per_course  # only courses with feedback


def test_no_feedback_means_no_score():
    assert rollup.recommend_score(START, END).percent is None


def _records(n):
    units = [UnitFactory() for _ in range(5)]
    for i in range(n):
        learner = LearnerFactory(unit=units[i % 5], left_on=datetime.date(2023, 6, 1) if i % 4 == 0 else None)
        CompletionFactory(learner=learner, course=course(["LIM Foundation", "QI teaching", "LIM facilitator training"][i % 3]), completed_on=IN_YEAR)
        FeedbackFactory(course=course("LIM Foundation"), answer=Answer.LIKELY)


@pytest.mark.parametrize("size", [3, 60])
def test_the_figures_take_eight_queries_whatever_the_number_of_records(size, django_assert_max_num_queries):
    _records(size)
    # headline, courses, staff groups, units (with facilitators), QI teaching per year, recommend, recommend per course,
    # the trust's names for the kinds of course
    with django_assert_max_num_queries(8):
        figures = rollup.figures(START, END, END, [Period(1, START, END)])
    assert figures.headline.trained_in_improvement_principles == size
