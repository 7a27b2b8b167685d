import datetime

import pytest

from goals.models import Goal, Status, Strategy

from ..factories import EvidenceFactory, GoalFactory, ProgressUpdateFactory


def test_a_strategy_year_is_twelve_months_from_the_start():
    strategy = Strategy(name="S", start_date=datetime.date(2022, 11, 1), years=5)
    assert strategy.year_bounds(1) == (datetime.date(2022, 11, 1), datetime.date(2023, 10, 31))
    assert strategy.year_bounds(5) == (datetime.date(2026, 11, 1), datetime.date(2027, 10, 31))


@pytest.mark.parametrize(
    "day, year",
    [
        (datetime.date(2022, 10, 31), 0),
        (datetime.date(2022, 11, 1), 1),
        (datetime.date(2023, 10, 31), 1),
        (datetime.date(2023, 11, 1), 2),
        (datetime.date(2027, 10, 31), 5),
    ],
)
def test_each_day_belongs_to_exactly_one_strategy_year(day, year):
    strategy = Strategy(name="S", start_date=datetime.date(2022, 11, 1), years=5)
    assert strategy.year_of(day) == year


def test_a_strategy_starting_on_29_february_has_years_ending_on_28_february():
    strategy = Strategy(name="S", start_date=datetime.date(2024, 2, 29), years=5)
    assert strategy.year_bounds(1) == (datetime.date(2024, 2, 29), datetime.date(2025, 2, 27))
    assert strategy.year_of(datetime.date(2025, 2, 28)) == 2


def test_the_current_status_is_the_newest_goal_level_update(db):
    goal = GoalFactory()
    ProgressUpdateFactory(goal=goal, status=Status.AT_RISK, published_on=datetime.date(2023, 5, 1))
    ProgressUpdateFactory(goal=goal, status=Status.ON_TRACK, published_on=datetime.date(2023, 11, 19))
    ambition_update = ProgressUpdateFactory(
        goal=goal, status=Status.OFF_TRACK, published_on=datetime.date(2023, 12, 1),
        ambition=goal.ambitions.create(text="An ambition"),
    )
    assert ambition_update.published_on > datetime.date(2023, 11, 19)
    assert goal.current_update.status == Status.ON_TRACK
    assert Goal.objects.for_overview().get(pk=goal.pk).current_update.status == Status.ON_TRACK


def test_a_goal_without_updates_has_no_current_status(db):
    assert GoalFactory().current_update is None


def test_the_overview_query_count_does_not_grow_with_the_data(db, django_assert_max_num_queries):
    def overview():
        return [(g.current_update, list(g.ambitions.all()), g.latest_evidence) for g in Goal.objects.for_overview()]

    goal = GoalFactory()
    ProgressUpdateFactory(goal=goal)
    EvidenceFactory(goal=goal)
    # goals+strategy, ambitions, latest update per goal, latest evidence per goal
    with django_assert_max_num_queries(4):
        overview()
    for number in range(2, 8):
        other = GoalFactory(number=number)
        ProgressUpdateFactory.create_batch(3, goal=other)
        EvidenceFactory.create_batch(10, goal=other)
        other.ambitions.create(text="More")
    with django_assert_max_num_queries(4):
        rows = overview()
    assert len(rows) == 7
    assert all(len(latest) <= 3 for _, _, latest in rows)


def test_history_records_who_changed_an_evidence_item(db, qisg_user):
    item = EvidenceFactory(title="Before")
    item.title = "After"
    item._history_user = qisg_user
    item.save()
    assert [h.title for h in item.history.all()] == ["After", "Before"]
    assert item.last_change.history_user == qisg_user
