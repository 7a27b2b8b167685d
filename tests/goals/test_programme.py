import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.programme import rollup as programme
from improvement.core.periods import Period
from goals.models import Collaborative, Event, EvidenceItem, LeanEvent

from ..factories import GoalFactory, StrategyFactory
from ..helpers import HTMX, text_of


@pytest.fixture
def strategy(db):
    strategy = StrategyFactory()  # starts 1 November 2022
    for number in range(1, 8):
        GoalFactory(strategy=strategy, number=number)
    return strategy


def make_event(strategy, day, kind="network_event", **fields):
    return Event.objects.create(kind=kind, title=f"{kind} {day}", date=day, goal=strategy.goals.get(number=4), **fields)


def test_events_on_the_boundary_days_of_a_year_count_in_that_year_once(strategy):
    for day in ["2022-10-31", "2022-11-01", "2023-10-31", "2023-11-01"]:
        make_event(strategy, datetime.date.fromisoformat(day))
    year1, year2 = strategy.period(1), strategy.period(2)
    assert Event.objects.in_period(year1).counts().total == 2
    assert Event.objects.in_period(year2).counts().total == 1
    assert sorted(e.date.isoformat() for e in Event.objects.in_period(year1)) == ["2022-11-01", "2023-10-31"]


def test_event_counts_split_prizes_and_talks(strategy, django_assert_num_queries):
    make_event(strategy, datetime.date(2023, 1, 1), kind="award", award_outcome="won")
    make_event(strategy, datetime.date(2023, 2, 1), kind="award", award_outcome="shortlisted")
    make_event(strategy, datetime.date(2023, 3, 1), kind="conference_talk", reach="international")
    make_event(strategy, datetime.date(2023, 4, 1), kind="open_day", attendance=120)
    with django_assert_num_queries(1):
        counts = Event.objects.counts()
    assert (counts.total, counts.prizes_won, counts.prizes_shortlisted, counts.international_talks, counts.attendance) == (4, 1, 1, 1, 120)
    assert counts.by_kind == {"Open day": 1, "Conference presentation": 1, "Award or prize": 2}


def test_event_counts_of_several_periods_in_one_query_are_each_period_counted_alone(strategy, django_assert_num_queries):
    make_event(strategy, datetime.date(2022, 12, 1), kind="award", award_outcome="won")
    make_event(strategy, datetime.date(2023, 12, 1), kind="open_day", attendance=40)
    make_event(strategy, datetime.date(2024, 1, 1), kind="conference_talk", reach="international")
    periods = [strategy.period(1), strategy.period(2), None]
    with django_assert_num_queries(1):
        together = Event.objects.counts_by_period(periods)
    alone = [Event.objects.in_period(p).counts() if p else Event.objects.counts() for p in periods]
    assert together == alone
    assert [c.total for c in together] == [1, 2, 3] and together[1].by_kind == {"Open day": 1, "Conference presentation": 1}


def event_data(strategy, **overrides):
    return {"kind": "coaching_surgery", "title": "Coaching surgery", "date": "09/11/2022", "goal": strategy.goals.get(number=4).pk,
            "attendance": "8", "organisations_attending": "", "reach": "", "award_outcome": "", "collaborative": "",
            "repeat_until": "", "on_timeline": "on", **overrides}


def test_a_fortnightly_series_of_coaching_surgeries_is_added_at_once(qisg_client, strategy):
    response = qisg_client.post(reverse("goals:event_new"), event_data(strategy, repeat_until="21/12/2022"), **HTMX)
    assert list(Event.objects.order_by("date").values_list("date", flat=True)) == [
        datetime.date(2022, 11, 9), datetime.date(2022, 11, 23), datetime.date(2022, 12, 7), datetime.date(2022, 12, 21)]
    assert response["HX-Trigger"] == "eventsChanged"
    assert "Recorded 4 events" in text_of(response)
    assert EvidenceItem.objects.filter(kind="event", goal__number=4).count() == 4


@pytest.mark.parametrize("overrides, field, message", [
    ({"kind": "network_event", "repeat_until": "21/12/2022"}, "repeat_until", "Only coaching surgeries repeat"),
    ({"kind": "conference_talk"}, "reach", "Select the reach of the conference"),
    ({"kind": "award"}, "award_outcome", "Select whether it was won or shortlisted"),
    ({"attendance": "-3"}, "attendance", "Attendance cannot be negative"),
    ({"date": "31/02/2023"}, "date", "Enter a real date"),
])
def test_a_bad_event_is_refused_next_to_the_field(qisg_client, strategy, overrides, field, message):
    html = text_of(qisg_client.post(reverse("goals:event_new"), event_data(strategy, **overrides), **HTMX))
    assert f'id="id_{field}-error"' in html and message in html
    assert not Event.objects.exists() and not EvidenceItem.objects.exists()


def test_an_event_kept_off_the_timeline_makes_no_evidence_and_a_talk_becomes_a_presentation(qisg_client, strategy):
    data = event_data(strategy, kind="conference_talk", reach="national", title="Falls at a national conference")
    del data["on_timeline"]
    qisg_client.post(reverse("goals:event_new"), data)
    assert Event.objects.count() == 1 and not EvidenceItem.objects.exists()
    event = Event.objects.get()
    qisg_client.post(reverse("goals:event_edit", args=[event.pk]), {**data, "on_timeline": "on", "version": event.version})
    event.refresh_from_db()
    assert event.evidence.kind == "presentation" and event.evidence.title == "Falls at a national conference"
    assert "national conference" in event.evidence.summary


def test_stepping_down_keeps_the_collaborative_in_the_portfolio_history(qisg_client, strategy):
    meds = Collaborative.objects.create(name="Meds on time", goal=strategy.goals.get(number=1), aim="On time",
                                        prompted_by="psirf_theme", started_on=datetime.date(2021, 10, 1))
    response = qisg_client.post(reverse("goals:collaborative_step_down", args=[meds.pk]),
                                {"stepped_down_on": "14/06/2023", "step_down_reason": "Improvements sustained", "version": meds.version})
    assert response.status_code == 302
    meds.refresh_from_db()
    assert meds.stepped_down_on == datetime.date(2023, 6, 14)
    assert [h.history_type for h in meds.history.all()] == ["~", "+"]
    year1 = text_of(qisg_client.get(reverse("goals:collaborative_list") + "?year=1"))
    assert "14 Jun 2023: Improvements sustained" in year1
    portfolio_before = programme.portfolio(strategy.goals.get(number=1).collaboratives.all(), Period(None, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)))
    assert portfolio_before.active == [meds] and portfolio_before.stepped_down == []


def test_a_collaborative_cannot_step_down_before_it_started_or_without_a_reason(qisg_client, strategy):
    c = Collaborative.objects.create(name="Falls", goal=strategy.goals.get(number=1), aim="Fewer falls",
                                     prompted_by="harm_data", started_on=datetime.date(2022, 7, 1))
    html = text_of(qisg_client.post(reverse("goals:collaborative_step_down", args=[c.pk]),
                                    {"stepped_down_on": "01/01/2022", "step_down_reason": ""}))
    assert "It started on 01/07/2022: it cannot step down before that" in html
    assert "Enter why" in html
    c.refresh_from_db()
    assert c.stepped_down_on is None


def test_a_member_is_added_inline(qisg_client, strategy):
    c = Collaborative.objects.create(name="Falls", goal=strategy.goals.get(number=1), aim="Fewer falls",
                                     prompted_by="harm_data", started_on=datetime.date(2022, 7, 1))
    html = text_of(qisg_client.post(reverse("goals:member_add", args=[c.pk]), {"member-name": "Sister Example", "member-role": "Ward sister"}, **HTMX))
    assert html.lstrip().startswith('<section id="members"')
    assert "Sister Example, Ward sister" in html


def test_waste_totals_for_a_year_and_to_date(strategy, qisg_client, django_assert_num_queries):
    goal7 = strategy.goals.get(number=7)
    for day, hours, money in [("2023-10-31", 100, 1000), ("2023-11-01", 200, 2500), ("2024-05-01", 50, 500)]:
        LeanEvent.objects.create(kind="rpiw", title=day, unit="Outpatients", date=datetime.date.fromisoformat(day), goal=goal7,
                                 hours_released_per_year=hours, money_released_per_year=money, how_measured="Time study")
    year2 = strategy.period(2)
    totals = LeanEvent.objects.in_period(year2).totals()
    assert (totals.events, totals.hours, totals.money) == (2, Decimal(250), Decimal(3000))
    with django_assert_num_queries(1):
        by_year = programme.waste_by_year(strategy, today=datetime.date(2024, 12, 1))
    assert [(p.year, t.events, t.money) for p, t in by_year] == [(1, 1, Decimal(1000)), (2, 2, Decimal(3000)), (3, 0, Decimal(0))]
    html = text_of(qisg_client.get(reverse("goals:waste_list") + "?year=2"))
    assert "£3,000" in html and "£4,000" in html  # year 2, and the strategy to the end of year 2


def test_a_lean_event_needs_how_it_was_measured_and_no_negative_release(qisg_client, strategy):
    html = text_of(qisg_client.post(reverse("goals:lean_new"), {
        "kind": "5s", "title": "Stores 5S", "unit": "Theatres", "date": "01/02/2024", "goal": strategy.goals.get(number=7).pk,
        "hours_released_per_year": "-5", "money_released_per_year": "100", "steps_removed": "0", "days_removed": "0", "how_measured": "",
    }))
    assert "Hours cannot be negative" in html and "Say how the release was measured" in html
    assert not LeanEvent.objects.exists()


def test_a_lean_event_takes_amounts_as_people_type_them(qisg_client, strategy):
    response = qisg_client.post(reverse("goals:lean_new"), {
        "kind": "5s", "title": "Stores 5S", "unit": "Theatres", "date": "01/02/2024", "goal": strategy.goals.get(number=7).pk,
        "hours_released_per_year": "1,200", "money_released_per_year": "£12,500", "steps_removed": "3", "days_removed": "0",
        "how_measured": "Time study",
    })
    assert response.status_code == 302
    lean = LeanEvent.objects.get()
    assert (lean.hours_released_per_year, lean.money_released_per_year) == (Decimal(1200), Decimal(12500))


def test_a_lean_amount_that_is_not_a_number_is_refused_by_its_field(qisg_client, strategy):
    html = text_of(qisg_client.post(reverse("goals:lean_new"), {
        "kind": "5s", "title": "Stores 5S", "unit": "Theatres", "date": "01/02/2024", "goal": strategy.goals.get(number=7).pk,
        "hours_released_per_year": "10", "money_released_per_year": "£12,50,0", "steps_removed": "3", "days_removed": "0",
        "how_measured": "Time study",
    }))
    assert "Enter an amount in pounds, for example £12,500" in html
    assert not LeanEvent.objects.exists()


def test_the_events_page_query_count_does_not_grow(qisg_client, strategy, django_assert_max_num_queries):
    make_event(strategy, datetime.date(2023, 1, 1))
    url = reverse("goals:event_list") + "?year=1"
    with django_assert_max_num_queries(12) as few:
        qisg_client.get(url)
    for day in range(1, 28):
        make_event(strategy, datetime.date(2023, 2, day), kind="open_day", attendance=day)
    with django_assert_max_num_queries(len(few.captured_queries)):
        qisg_client.get(url)


def test_unticking_the_timeline_removes_the_evidence_it_made(qisg_client, strategy):
    qisg_client.post(reverse("goals:event_new"), event_data(strategy, kind="open_day", title="Open day"))
    event = Event.objects.get()
    assert event.evidence is not None
    data = event_data(strategy, kind="open_day", title="Open day")
    del data["on_timeline"]
    qisg_client.post(reverse("goals:event_edit", args=[event.pk]), {**data, "version": event.version})
    event.refresh_from_db()
    assert event.evidence is None and not EvidenceItem.objects.exists()


def test_recording_an_event_refreshes_the_derived_figures(qisg_client, strategy, django_capture_on_commit_callbacks):
    from goals.models import Measure

    measure = Measure.objects.create(name="Spread to date", unit="events", improvement_direction="increase",
                                     goal=strategy.goals.get(number=6), source="derived", derived_from="goals.spread_events_to_date")
    with django_capture_on_commit_callbacks(execute=True):
        qisg_client.post(reverse("goals:event_new"), event_data(strategy, kind="award", award_outcome="won", title="Prize",
                                                                date="05/10/2023", goal=strategy.goals.get(number=6).pk))
    assert measure.points.get(date=datetime.date(2023, 10, 31)).value == 1
