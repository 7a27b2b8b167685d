"""What is stale, rule by rule, on frozen dates (improvement/board/stale.py has the rules at its top)."""

import datetime

import pytest

from goals.models import (
    Ambition, Checkpoint, Collaborative, EvidenceItem, Frequency, LeanEvent, LeanRemeasure, MeasurePoint, ProgressUpdate,
)
from improvement.board import stale
from improvement.board.stale import Rule
from training.models import ImportRun

from ..factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory

D = datetime.date


@pytest.fixture
def strategy(db):
    return StrategyFactory()  # starts 1 November 2022: quarters begin 1 Nov, 1 Feb, 1 May, 1 Aug


def titles(strategy, today, rule):
    return [i.title for i in stale.stale_list(strategy, today).items if i.rule == rule]


def test_a_goal_is_stale_without_a_qisg_judgement_this_quarter(strategy, qisg_user):
    goal = GoalFactory(strategy=strategy, number=1)
    ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2026, 10, 31))  # the last day of the previous quarter
    listed = stale.stale_list(strategy, D(2026, 11, 20))
    assert listed.quarter == (D(2026, 11, 1), D(2027, 1, 31))
    [item] = [i for i in listed.items if i.rule == Rule.GOAL]
    assert item.reason == "No QiSG judgement since 31 October 2026; this quarter began on 01 November 2026."
    assert item.url == "/goals/1/updates/new/"
    ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2026, 11, 1))  # the quarter's first day
    assert titles(strategy, D(2026, 11, 20), Rule.GOAL) == []
    assert titles(strategy, D(2026, 10, 31), Rule.GOAL) == []  # judged on its day
    ambition_only = ProgressUpdateFactory(goal=goal, author=qisg_user, published_on=D(2027, 2, 3),
                                          ambition=Ambition.objects.create(goal=goal, text="An ambition"))
    assert ambition_only.ambition and titles(strategy, D(2027, 2, 10), Rule.GOAL) == [str(goal)]  # an ambition's update is not the goal's


def test_a_monthly_measure_is_overdue_without_a_point_for_last_month(strategy):
    goal = GoalFactory(strategy=strategy, number=5)
    measure = MeasureFactory(goal=goal, name="Falls")
    MeasurePoint.objects.create(measure=measure, date=D(2026, 9, 30), value=5)
    assert titles(strategy, D(2026, 10, 31), Rule.MEASURE) == []  # September is last month
    [item] = [i for i in stale.stale_list(strategy, D(2026, 11, 1)).items if i.rule == Rule.MEASURE]
    assert item.reason == "A monthly measure: its last point is dated 30 September 2026, none since 01 October 2026."
    MeasurePoint.objects.create(measure=measure, date=D(2026, 10, 1), value=5)
    assert titles(strategy, D(2026, 11, 30), Rule.MEASURE) == []
    assert titles(strategy, D(2026, 12, 1), Rule.MEASURE) == ["Falls"]


@pytest.mark.parametrize("frequency, last_point, fresh_on, stale_on", [
    (Frequency.WEEKLY, D(2026, 11, 16), D(2026, 11, 29), D(2026, 11, 30)),  # a Monday; the week after next starts 30 Nov
    (Frequency.QUARTERLY, D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 1)),
    (Frequency.YEARLY, D(2025, 6, 1), D(2026, 12, 31), D(2027, 1, 1)),
    (Frequency.DAILY, D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 2)),
])
def test_a_measure_is_overdue_by_its_own_frequency(strategy, frequency, last_point, fresh_on, stale_on):
    measure = MeasureFactory(goal=GoalFactory(strategy=strategy, number=5), name="Audit", frequency=frequency)
    MeasurePoint.objects.create(measure=measure, date=last_point, value=1)
    assert titles(strategy, fresh_on, Rule.MEASURE) == []
    assert titles(strategy, stale_on, Rule.MEASURE) == ["Audit"]


def test_derived_measures_and_those_of_a_stepped_down_collaborative_are_never_overdue(strategy):
    goal = GoalFactory(strategy=strategy, number=1)
    MeasureFactory(goal=goal, name="Derived", source="derived", derived_from="goals.active_collaboratives")
    done = Collaborative.objects.create(name="Discharge", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2022, 1, 1),
                                        stepped_down_on=D(2026, 3, 18), step_down_reason="Improvements sustained")
    MeasureFactory(goal=goal, name="Discharges before noon", collaborative=done)
    MeasureFactory(goal=goal, name="No data yet")
    assert titles(strategy, D(2026, 12, 1), Rule.MEASURE) == ["No data yet"]


def test_an_ambition_is_stale_with_no_evidence_in_six_months(strategy):
    goal = GoalFactory(strategy=strategy, number=3)
    ambition = Ambition.objects.create(goal=goal, text="Everyone trained")
    EvidenceFactory(goal=goal, ambition=ambition, date=D(2026, 6, 1))
    assert titles(strategy, D(2026, 11, 30), Rule.AMBITION) == []
    assert titles(strategy, D(2026, 12, 1), Rule.AMBITION) == ["Goal 3: Everyone trained"]  # six months on: 1 June is not after 1 June
    [item] = [i for i in stale.stale_list(strategy, D(2026, 12, 1)).items if i.rule == Rule.AMBITION]
    assert item.url == f"/goals/3/#ambition-{ambition.pk}" and item.reason == "Its last evidence is dated 01 June 2026."


def test_a_collaborative_is_stale_with_no_evidence_or_data_in_three_months(strategy, qisg_user):
    goal = GoalFactory(strategy=strategy, number=1)
    sepsis = Collaborative.objects.create(name="Sepsis", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2024, 8, 7),
                                          owner=qisg_user)
    Collaborative.objects.create(name="New", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2026, 10, 1))
    [item] = [i for i in stale.stale_list(strategy, D(2026, 12, 1)).items if i.rule == Rule.COLLABORATIVE]
    assert (item.title, item.owner_id, item.reason) == ("Sepsis", qisg_user.pk, "No evidence and no data since 01 September 2026.")
    measure = MeasureFactory(goal=goal, collaborative=sepsis)
    MeasurePoint.objects.create(measure=measure, date=D(2026, 9, 2), value=1)  # data count
    assert titles(strategy, D(2026, 12, 1), Rule.COLLABORATIVE) == []
    assert titles(strategy, D(2026, 12, 3), Rule.COLLABORATIVE) == ["Sepsis"]
    EvidenceFactory(goal=goal, collaborative=sepsis, date=D(2026, 11, 30))  # and so does evidence
    assert titles(strategy, D(2026, 12, 3), Rule.COLLABORATIVE) == []


def test_a_lean_event_is_due_its_remeasures_at_30_60_90_days_and_a_year(strategy, qisg_user):
    goal = GoalFactory(strategy=strategy, number=7)
    event = LeanEvent.objects.create(kind="kaizen", title="Ward 12 kaizen", unit="Elderly care", date=D(2026, 1, 10), goal=goal,
                                     how_measured="t", owner=qisg_user)
    assert titles(strategy, D(2026, 2, 8), Rule.LEAN) == []  # 29 days
    assert titles(strategy, D(2026, 2, 9), Rule.LEAN) == ["Ward 12 kaizen"]  # 30 days
    [item] = [i for i in stale.stale_list(strategy, D(2026, 2, 9)).items if i.rule == Rule.LEAN]
    assert item.reason == "Its 30 days re-measure was due on 09 February 2026." and item.url == f"/programme/waste/{event.pk}/remeasure/"

    def done(checkpoint):
        LeanRemeasure.objects.create(lean_event=event, checkpoint=checkpoint, measured_on=event.checkpoint_date(checkpoint),
                                     hours_released_per_year=1, money_released_per_year=1, steps_removed=1, sustained=True,
                                     checked_by=qisg_user)

    done(Checkpoint.DAYS_30)
    assert titles(strategy, D(2026, 3, 10), Rule.LEAN) == []
    assert titles(strategy, D(2026, 3, 11), Rule.LEAN) == ["Ward 12 kaizen"]  # 60 days
    done(Checkpoint.DAYS_90)  # a later re-measure covers the missed 60 days
    assert titles(strategy, D(2026, 4, 10), Rule.LEAN) == []
    assert titles(strategy, D(2027, 1, 10), Rule.LEAN) == ["Ward 12 kaizen"]  # one year
    done(Checkpoint.ONE_YEAR)
    assert titles(strategy, D(2027, 6, 1), Rule.LEAN) == []


def test_the_training_export_is_stale_after_its_usual_interval(strategy):
    assert titles(strategy, D(2026, 11, 1), Rule.TRAINING) == ["Training records"]  # none imported yet
    ImportRun.objects.create(kind="training", imported_on=D(2026, 10, 1), rows=10, added=10)
    assert titles(strategy, D(2026, 11, 1), Rule.TRAINING) == []  # 31 days: a month, until there are three imports
    assert titles(strategy, D(2026, 11, 2), Rule.TRAINING) == ["Training records"]
    ImportRun.objects.create(kind="feedback", imported_on=D(2026, 11, 2), rows=1, added=1)  # feedback is not the training export
    assert titles(strategy, D(2026, 11, 2), Rule.TRAINING) == ["Training records"]
    for day in [D(2026, 10, 15), D(2026, 10, 29)]:  # fortnightly: 1, 15 and 29 October
        ImportRun.objects.create(kind="training", imported_on=day, rows=10, added=1)
    [item] = [i for i in stale.stale_list(strategy, D(2026, 11, 13)).items if i.rule == Rule.TRAINING]
    assert item.reason == "The last export was imported on 29 October 2026; they usually come every 14 days."
    assert titles(strategy, D(2026, 11, 12), Rule.TRAINING) == []


def test_a_users_items_come_first(strategy, qisg_user, make_user):
    goal = GoalFactory(strategy=strategy, number=1)
    other = make_user("admin")
    for name, owner in [("A", other), ("B", qisg_user), ("C", None)]:
        MeasureFactory(goal=goal, name=name, owner=owner)
    theirs, rest = stale.stale_list(strategy, D(2026, 12, 1)).for_user(qisg_user)
    assert [i.title for i in theirs] == ["B"]
    assert [i.title for i in rest if i.rule == Rule.MEASURE] == ["A", "C"]


def test_the_stale_list_takes_the_same_queries_however_much_is_stale(strategy, qisg_user, django_assert_num_queries):
    goal = GoalFactory(strategy=strategy, number=1)
    MeasureFactory(goal=goal)
    with django_assert_num_queries(7) as few:
        stale.stale_list(strategy, D(2026, 12, 1))
    for n in range(5):
        MeasureFactory(goal=GoalFactory(strategy=strategy, number=n + 2), owner=qisg_user)
        Ambition.objects.create(goal=goal, text=f"Ambition {n}")
        Collaborative.objects.create(name=f"C{n}", goal=goal, aim="a", prompted_by="harm_data", started_on=D(2024, 1, 1), owner=qisg_user)
        LeanEvent.objects.create(kind="kaizen", title=f"L{n}", unit="u", date=D(2026, 1, 10), goal=goal, how_measured="t", owner=qisg_user)
    with django_assert_num_queries(len(few.captured_queries)):
        listed = stale.stale_list(strategy, D(2026, 12, 1))
    assert len(listed.items) > 20
    assert EvidenceItem.objects.count() == 0 and ProgressUpdate.objects.count() == 0
