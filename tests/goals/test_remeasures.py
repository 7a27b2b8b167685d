"""Kaizen re-measures: a Lean event is re-measured at 30, 60 and 90 days and at one year; the waste totals count what
the latest re-measure found (by the period's end), not the first claim."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.models import Checkpoint, LeanEvent, LeanRemeasure
from goals.programme import rollup as programme

from ..factories import GoalFactory, StrategyFactory
from ..helpers import text_of


@pytest.fixture
def strategy(db):
    strategy = StrategyFactory()  # starts 1 November 2022
    for number in range(1, 8):
        GoalFactory(strategy=strategy, number=number)
    return strategy


def lean(strategy, day, hours=1000, money=20000, steps=10, **fields):
    return LeanEvent.objects.create(kind="kaizen", title=f"Kaizen {day}", unit="Ward 12", date=day, goal=strategy.goals.get(number=7),
                                    hours_released_per_year=hours, money_released_per_year=money, steps_removed=steps,
                                    how_measured="Time study", **fields)


def remeasure(event, checkpoint, hours, money, steps, sustained, user):
    return LeanRemeasure.objects.create(lean_event=event, checkpoint=checkpoint, measured_on=event.checkpoint_date(checkpoint),
                                        hours_released_per_year=hours, money_released_per_year=money, steps_removed=steps,
                                        sustained=sustained, checked_by=user)


def test_the_totals_count_the_latest_remeasure_and_the_claim_until_there_is_one(strategy, qisg_user, django_assert_num_queries):
    first = lean(strategy, datetime.date(2023, 1, 10))  # year 1
    second = lean(strategy, datetime.date(2023, 3, 1), hours=500, money=8000, steps=4)
    remeasure(first, Checkpoint.DAYS_30, 900, 18000, 9, True, qisg_user)
    remeasure(first, Checkpoint.DAYS_90, 600, 11000, 7, False, qisg_user)  # the latest: it slipped
    with django_assert_num_queries(1):
        totals = LeanEvent.objects.in_period(strategy.period(1)).totals()
    assert (totals.events, totals.hours, totals.money, totals.steps) == (2, Decimal(1100), Decimal(19000), 11)
    assert (totals.claimed_hours, totals.claimed_money, totals.claimed_steps) == (Decimal(1500), Decimal(28000), 14)
    assert (totals.remeasured, totals.not_sustained) == (1, 1)
    assert second.remeasures.count() == 0


def test_a_remeasure_after_the_periods_end_is_not_counted_in_that_period(strategy, qisg_user):
    event = lean(strategy, datetime.date(2023, 9, 1))  # year 1 ends 31 October 2023
    remeasure(event, Checkpoint.DAYS_30, 800, 15000, 8, True, qisg_user)  # 1 October 2023: in year 1
    remeasure(event, Checkpoint.ONE_YEAR, 200, 3000, 2, False, qisg_user)  # 31 August 2024: year 2
    year1 = LeanEvent.objects.in_period(strategy.period(1)).totals(strategy.period(1).last)
    assert year1.hours == Decimal(800)
    assert LeanEvent.objects.totals().hours == Decimal(200)  # all of them, as they are now
    by_year = dict((p.year, t) for p, t in programme.waste_by_year(strategy, today=datetime.date(2024, 12, 1)))
    assert by_year[1].hours == Decimal(800)


def test_qisg_records_a_remeasure_with_who_checked_it(strategy, qisg_client, qisg_user):
    event = lean(strategy, datetime.date(2024, 1, 10))
    url = reverse("goals:lean_remeasure", args=[event.pk])
    page = text_of(qisg_client.get(url))
    assert "One year (due 09/01/2025)" in page and 'value="1000.0"' in page  # prefilled from the claim
    response = qisg_client.post(url, {"checkpoint": "90", "measured_on": "10/04/2024", "hours_released_per_year": "700",
                                      "money_released_per_year": "15000", "steps_removed": "8", "sustained": "yes", "notes": "Held"})
    assert response.status_code == 302 and response["Location"].endswith(f"#lean-{event.pk}")
    done = LeanRemeasure.objects.get()
    assert (done.checkpoint, done.checked_by, done.sustained, done.hours_released_per_year) == (90, qisg_user, True, Decimal(700))
    waste = text_of(qisg_client.get(reverse("goals:waste_list") + "?year=2"))
    assert "Re-measured at 90 days (10 Apr 2024, checked by" in waste and "Sustained" in waste


def test_a_remeasure_is_refused_twice_for_one_checkpoint_before_the_event_or_negative(strategy, qisg_client, qisg_user):
    event = lean(strategy, datetime.date(2024, 1, 10))
    remeasure(event, Checkpoint.DAYS_30, 900, 18000, 9, True, qisg_user)
    url = reverse("goals:lean_remeasure", args=[event.pk])
    page = text_of(qisg_client.post(url, {"checkpoint": "30", "measured_on": "01/01/2024", "hours_released_per_year": "-1",
                                          "money_released_per_year": "", "steps_removed": "1", "sustained": ""}))
    assert "The 30 days re-measure is recorded already" in page
    assert "The event was on 10/01/2024: it cannot be re-measured before that" in page
    assert "Hours cannot be negative" in page
    assert "Enter the money still released a year (0 if none)" in page
    assert "Select whether the change is sustained" in page
    assert LeanRemeasure.objects.count() == 1


def test_the_goal_7_page_shows_sustained_against_claimed(strategy, board_client, qisg_user):
    event = lean(strategy, datetime.date(2024, 1, 10), hours=1250, money=31000)
    remeasure(event, Checkpoint.DAYS_60, 1000, 25000, 8, True, qisg_user)
    page = text_of(board_client.get(reverse("goals:goal_detail", args=[7])))
    assert "Sustained against claimed, to date" in page
    assert "£31,000" in page and "£25,000" in page
    assert "1 of 1 events re-measured; 0 not sustained" in page
