"""Events dated after today are planned, not happened: no attendance, counted nowhere, on no timeline."""

import datetime

import pytest
from django.urls import reverse

from goals.models import Collaborative, Event, EvidenceItem
from improvement.board.dashboard import board_view

from ..factories import GoalFactory, StrategyFactory
from ..helpers import HTMX, text_of

TODAY = datetime.date.today()


def uk(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def strategy(db):
    """A strategy in its first year today, with half a year of it still to come."""
    strategy = StrategyFactory(name="Planned events strategy", start_date=TODAY - datetime.timedelta(days=150))
    for number in range(1, 8):
        GoalFactory(strategy=strategy, number=number)
    return strategy


def surgery(strategy, **overrides):
    return {"kind": "coaching_surgery", "title": "Coaching surgery", "date": uk(TODAY - datetime.timedelta(days=14)),
            "goal": strategy.goals.get(number=4).pk, "attendance": "8", "organisations_attending": "", "reach": "",
            "award_outcome": "", "collaborative": "", "repeat_until": "", **overrides}


@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_a_series_into_the_future_plans_surgeries_without_attendance(qisg_client, strategy, inline):
    until = TODAY + datetime.timedelta(days=42)
    response = qisg_client.post(reverse("goals:event_new"), surgery(strategy, repeat_until=uk(until), on_timeline="on"),
                                **(HTMX if inline else {}))
    events = list(Event.objects.order_by("date"))
    assert [e.date for e in events] == [TODAY + datetime.timedelta(days=d) for d in (-14, 0, 14, 28, 42)]
    assert [e.attendance for e in events] == [8, None, None, None, None]
    # Ticked: only the two that have happened (today's included) go on the timeline.
    assert sorted(EvidenceItem.objects.values_list("date", flat=True)) == [events[0].date, events[1].date]
    assert [e.evidence_id is not None for e in events] == [True, True, False, False, False]
    said = "Recorded 5 events, 3 of them planned"
    if inline:
        assert said in text_of(response)
    else:
        assert said in text_of(qisg_client.get(response["Location"]))


def test_planned_events_count_nowhere_until_their_day(qisg_client, strategy):
    qisg_client.post(reverse("goals:event_new"), surgery(strategy, repeat_until=uk(TODAY + datetime.timedelta(days=42))))
    counts = Event.objects.in_period(strategy.period(1)).counts()
    assert (counts.total, counts.planned, counts.attendance, counts.by_kind) == (2, 3, 8, {"Coaching surgery": 2})

    events_page = text_of(qisg_client.get(reverse("goals:event_list") + "?year=1"))
    assert "2 events</h2>" in events_page
    assert '<span class="app-figure">2</span> coaching surgeries' in events_page
    assert "And 3 planned events, counted once they have happened." in events_page
    assert events_page.count(">Planned</strong>") == 3
    assert events_page.count("Attendance to record once it has happened.") == 3
    assert "No attendance recorded yet." in events_page  # today's surgery: happened, its attendance not yet recorded

    summary = board_view(strategy, strategy.period(1), strategy.start_date).summary
    assert summary.events == 2
    goal_page = text_of(qisg_client.get(reverse("goals:goal_detail", args=[4])))
    assert "2 events (2 coaching surgeries)" in goal_page

    # Its day come, a planned surgery counts: the counts are of the day they are asked on.
    later = Event.objects.in_period(strategy.period(1)).counts(on=TODAY + datetime.timedelta(days=14))
    assert (later.total, later.planned) == (3, 2)


def test_a_new_event_is_off_the_timeline_unless_chosen(qisg_client, strategy):
    form = text_of(qisg_client.get(reverse("goals:event_new")))
    assert 'name="on_timeline"' in form
    assert 'name="on_timeline" class="nhsuk-checkboxes__input" id="id_on_timeline" checked' not in form
    assert "checked" not in form.split('name="on_timeline"')[1].split(">")[0]
    qisg_client.post(reverse("goals:event_new"), surgery(strategy))
    assert Event.objects.count() == 1 and not EvidenceItem.objects.exists()


@pytest.mark.parametrize("overrides, field, message", [
    ({"attendance": "12"}, "attendance", "record the attendance once it has happened"),
    ({"attendance": "", "kind": "open_day", "organisations_attending": "Leeds Community Healthcare"},
     "organisations_attending", "record who attended once it has happened"),
    ({"attendance": "", "on_timeline": "on"}, "on_timeline", "it can go on the evidence timeline once it has happened"),
    ({"attendance": "", "on_timeline": "on", "repeat_until": uk(TODAY + datetime.timedelta(days=60))},
     "on_timeline", "it can go on the evidence timeline once it has happened"),
    ({"attendance": "", "kind": "award", "award_outcome": "won"}, "date",
     "The date of an award or prize must be today or in the past"),
])
@pytest.mark.parametrize("inline", [False, True], ids=["plain", "htmx"])
def test_what_only_happens_on_the_day_is_refused_on_a_planned_event(qisg_client, strategy, overrides, field, message, inline):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = qisg_client.post(reverse("goals:event_new"), surgery(strategy, date=uk(tomorrow), **overrides),
                                **(HTMX if inline else {}))
    assert response.status_code == 200
    html = text_of(response)
    assert f'id="id_{field}-error"' in html and message in html
    assert not Event.objects.exists() and not EvidenceItem.objects.exists()


def test_a_planned_event_is_recorded_and_its_attendance_added_once_it_has_happened(qisg_client, strategy):
    next_week = TODAY + datetime.timedelta(days=7)
    qisg_client.post(reverse("goals:event_new"), surgery(strategy, date=uk(next_week), attendance=""))
    event = Event.objects.get()
    assert event.is_planned and event.attendance is None
    event.date = TODAY  # the surgery happened today, and was held a week early
    event.save()
    response = qisg_client.post(reverse("goals:event_edit", args=[event.pk]),
                                {**surgery(strategy, date=uk(TODAY), attendance="11", on_timeline="on"), "version": event.version})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.attendance == 11 and event.evidence is not None
    assert Event.objects.counts().attendance == 11


@pytest.mark.parametrize("role", ["board", "partneradmin"])
def test_only_qisg_records_events(client, make_user, strategy, role):
    client.force_login(make_user(role))
    response = client.post(reverse("goals:event_new"), surgery(strategy, repeat_until=uk(TODAY + datetime.timedelta(days=42))), **HTMX)
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_a_collaborative_cannot_step_down_in_the_future(qisg_client, strategy):
    falls = Collaborative.objects.create(name="Falls", goal=strategy.goals.get(number=1), aim="Fewer falls",
                                         prompted_by="harm_data", started_on=TODAY - datetime.timedelta(days=100))
    html = text_of(qisg_client.post(reverse("goals:collaborative_step_down", args=[falls.pk]),
                                    {"stepped_down_on": uk(TODAY + datetime.timedelta(days=1)), "step_down_reason": "Sustained"}))
    assert "The date it stepped down must be today or in the past" in html
    falls.refresh_from_db()
    assert falls.stepped_down_on is None
