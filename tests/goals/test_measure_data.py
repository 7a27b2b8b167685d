"""One point per period, and points and rebases corrected and deleted with who, when and why kept."""

import datetime

import pytest
from django.urls import reverse

from goals.measures.models import Frequency, period_name, period_of
from goals.models import Measure, MeasurePoint, Rebase

from ..factories import MeasureFactory
from ..helpers import HTMX, text_of

HISTORY = "Who added, corrected or deleted each point and rebase"  # the caption of the history of the data
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


def add(client, measure, date, value, replaces=None, **headers):
    data = {"point-date": date, "point-value": value}
    if replaces is not None:
        data["point-replaces"] = replaces
    return client.post(reverse("goals:point_add", args=[measure.pk]), data, **headers)


@pytest.fixture
def november(goal):
    measure = MeasureFactory(goal=goal, frequency="monthly")
    point = MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 11, 15), value=5.2)
    return measure, point


@pytest.mark.parametrize("frequency, day, first, last, name", [
    ("weekly", datetime.date(2023, 11, 15), datetime.date(2023, 11, 13), datetime.date(2023, 11, 19), "the week from 13 Nov 2023"),
    ("monthly", datetime.date(2024, 2, 10), datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), "February 2024"),
    ("quarterly", datetime.date(2023, 12, 31), datetime.date(2023, 10, 1), datetime.date(2023, 12, 31), "Oct to Dec 2023"),
    ("yearly", datetime.date(2024, 3, 31), datetime.date(2023, 4, 1), datetime.date(2024, 3, 31), "2023-24"),
    ("as_dated", datetime.date(2023, 11, 15), datetime.date(2023, 11, 15), datetime.date(2023, 11, 15), "15 Nov 2023"),
])
def test_each_frequency_has_its_periods(frequency, day, first, last, name):
    assert period_of(frequency, day) == (first, last)
    assert period_name(frequency, day) == name


def test_a_second_value_in_a_month_asks_replace_and_writes_nothing_until_agreed(qisg_client, november):
    measure, point = november
    response = add(qisg_client, measure, "30/11/2023", "4.9")
    html = text_of(response)
    assert response.status_code == 200
    assert "November 2023 already has a value" in html and "replace 5.2 with 4.9?" in html
    assert "Replace 5.2 with 4.9" in html and "Keep 5.2" in html
    assert list(measure.points.values_list("date", "value")) == [(datetime.date(2023, 11, 15), 5.2)]

    response = add(qisg_client, measure, "30/11/2023", "4.9", replaces=point.pk)
    assert response.status_code == 302
    assert list(measure.points.values_list("date", "value")) == [(datetime.date(2023, 11, 30), 4.9)]
    old, new = point.changes.order_by("history_date")
    assert (old.value, new.value) == (5.2, 4.9)
    assert new.history_change_reason == "Replaced by a second value for November 2023"
    page = text_of(qisg_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "Replaced 5.2 with 4.9 for November 2023." in page
    assert "Corrected: 5.2 on 15/11/2023 → 4.9 on 30/11/2023" in page  # the history of the data


def test_htmx_asks_inline_and_redraws_the_chart_once_agreed(qisg_client, november):
    measure, point = november
    html = text_of(add(qisg_client, measure, "30/11/2023", "4.9", **HTMX))
    assert html.lstrip().startswith('<div id="point-form"') and "hx-swap-oob" not in html
    assert f'name="point-replaces" value="{point.pk}"' in html
    html = text_of(add(qisg_client, measure, "30/11/2023", "4.9", replaces=point.pk, **HTMX))
    assert "Replaced 5.2 with 4.9 for November 2023." in html
    assert 'hx-swap-oob="true"' in html and "30 Nov 2023" in html and "15 Nov 2023" not in html.split(HISTORY)[0]


def test_a_confirm_that_no_longer_matches_what_is_stored_asks_again(qisg_client, november):
    measure, point = november
    html = text_of(add(qisg_client, measure, "30/11/2023", "4.9", replaces=point.pk + 1000))
    assert "replace 5.2 with 4.9?" in html
    assert MeasurePoint.objects.get().value == 5.2


def test_the_same_value_again_changes_nothing(qisg_client, november):
    measure, point = november
    response = add(qisg_client, measure, "15/11/2023", "5.2", follow=True)
    assert "5.2 for 15/11/2023 is already recorded: nothing changed." in text_of(response)
    assert point.changes.count() == 1


def test_weekly_and_as_dated_measures_have_their_own_periods(qisg_client, goal):
    weekly = MeasureFactory(goal=goal, frequency="weekly")
    assert add(qisg_client, weekly, "13/11/2023", "1").status_code == 302
    assert add(qisg_client, weekly, "20/11/2023", "2").status_code == 302  # the next Monday: a new week
    assert "The week from 20 Nov 2023 already has a value" in text_of(add(qisg_client, weekly, "26/11/2023", "3"))  # its Sunday
    dated = MeasureFactory(goal=goal, frequency=Frequency.AS_DATED)
    assert add(qisg_client, dated, "13/11/2023", "1").status_code == 302
    assert add(qisg_client, dated, "14/11/2023", "2").status_code == 302
    assert weekly.points.count() == 2 and dated.points.count() == 2


def test_a_frequency_that_would_put_two_points_in_one_period_is_refused(qisg_client, goal):
    measure = MeasureFactory(goal=goal, frequency="weekly")
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 11, 6), value=1)
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 11, 13), value=2)
    response = qisg_client.post(reverse("goals:measure_edit", args=[measure.pk]), {
        "name": measure.name, "unit": measure.unit, "improvement_direction": "decrease", "frequency": "monthly", "goal": goal.pk,
        "version": measure.version,
    })
    assert "06/11/2023 and 13/11/2023 would both be values for November 2023" in text_of(response)
    assert Measure.objects.get().frequency == "weekly"


def test_qisg_corrects_a_point_with_why_and_the_history_says_who_and_when(qisg_client, qisg_user, november):
    measure, point = november
    url = reverse("goals:point_edit", args=[measure.pk, point.pk])
    assert "Correct the point of 15/11/2023" in text_of(qisg_client.get(url))
    response = qisg_client.post(url, {"correct-date": "15/11/2023", "correct-value": "5.7", "correct-why": "Typed from the wrong ward"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.value == 5.7
    latest = point.changes.first()
    assert (latest.history_user, latest.history_change_reason) == (qisg_user, "Typed from the wrong ward")
    page = text_of(qisg_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "Corrected 5.2 on 15/11/2023 to 5.7 on 15/11/2023." in page
    assert "Corrected: 5.2 on 15/11/2023 → 5.7 on 15/11/2023" in page and "Typed from the wrong ward" in page
    assert (qisg_user.get_full_name() or qisg_user.username) in page.split(HISTORY)[1]


def test_htmx_opens_the_correction_under_the_table_and_redraws_the_chart(qisg_client, november):
    measure, point = november
    url = reverse("goals:point_edit", args=[measure.pk, point.pk])
    html = text_of(qisg_client.get(url, **HTMX))
    assert html.lstrip().startswith('<div class="app-inline-form" id="data-change">') and "<html" not in html
    html = text_of(qisg_client.post(url, {"correct-date": "15/11/2023", "correct-value": "5.7", "correct-why": "Typo"}, **HTMX))
    assert html.lstrip().startswith('<div id="data-change"><p class="nhsuk-body" role="status">Corrected 5.2')
    assert '<section id="measure-analysis" aria-labelledby="analysis-heading" hx-swap-oob="true">' in html


def test_a_correction_needs_why_and_stays_out_of_the_future_and_of_other_periods(qisg_client, november):
    measure, point = november
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 12, 1), value=6.0)
    url = reverse("goals:point_edit", args=[measure.pk, point.pk])
    html = text_of(qisg_client.post(url, {"correct-date": "15/11/2023", "correct-value": "5.7", "correct-why": ""}))
    assert "Enter why" in html
    html = text_of(qisg_client.post(url, {"correct-date": TOMORROW, "correct-value": "5.7", "correct-why": "x"}))
    assert "The date must be today or in the past" in html
    html = text_of(qisg_client.post(url, {"correct-date": "20/12/2023", "correct-value": "5.7", "correct-why": "x"}))
    assert "December 2023 already has a value (6 on 01/12/2023): correct or delete that one" in html
    point.refresh_from_db()
    assert (point.date, point.value) == (datetime.date(2023, 11, 15), 5.2)


def test_a_deleted_point_leaves_the_chart_but_stays_in_the_history_of_the_data(qisg_client, qisg_user, november):
    measure, point = november
    MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 12, 1), value=6.0)
    url = reverse("goals:point_delete", args=[measure.pk, point.pk])
    assert "Delete the point 5.2 on 15/11/2023" in text_of(qisg_client.get(url))
    assert "Enter why" in text_of(qisg_client.post(url, {"delete-why": ""}))
    response = qisg_client.post(url, {"delete-why": "Counted twice"}, follow=True)
    page = text_of(response)
    assert not MeasurePoint.objects.filter(pk=point.pk).exists()
    assert "Deleted 5.2 on 15/11/2023. It is kept in the history of the data." in page
    table, history = page.split(HISTORY)
    assert "15 Nov 2023" not in table
    assert "Deleted: Point: 5.2 on 15/11/2023" in history and "Counted twice" in history
    deleted = MeasurePoint.history.get(history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (qisg_user, "Counted twice")


def test_rebases_are_never_in_the_future_and_are_corrected_and_deleted_with_why(qisg_client, goal):
    measure = MeasureFactory(goal=goal, values=[5, 6, 5, 6])
    html = text_of(qisg_client.post(reverse("goals:rebase_add", args=[measure.pk]), {"rebase-date": "01/01/2027", "rebase-reason": "Later"}))
    assert "The date must be today or in the past" in html and not Rebase.objects.exists()
    rebase = Rebase.objects.create(measure=measure, date=datetime.date(2022, 3, 1), reason="Bundle")
    edit = reverse("goals:rebase_edit", args=[measure.pk, rebase.pk])
    html = text_of(qisg_client.post(edit, {"correct-date": TOMORROW, "correct-reason": "Bundle", "correct-why": "x"}))
    assert "The date must be today or in the past" in html
    response = qisg_client.post(edit, {"correct-date": "01/02/2022", "correct-reason": "Bundle", "correct-why": "Started a month earlier"})
    assert response.status_code == 302 and Rebase.objects.get().date == datetime.date(2022, 2, 1)
    response = qisg_client.post(reverse("goals:rebase_delete", args=[measure.pk, rebase.pk]), {"delete-why": "Not a real change"}, follow=True)
    page = text_of(response)
    assert not Rebase.objects.exists()
    history = page.split(HISTORY)[1]
    assert "Deleted: Limits recalculated: from 01/02/2022 (Bundle)" in history and "Not a real change" in history
    assert "Started a month earlier" in history


def test_a_derived_measure_cannot_be_corrected_by_hand(qisg_client, goal):
    measure = MeasureFactory(goal=goal, source="derived", derived_from="training.current_trained_in_qi")
    point = MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 1, 31), value=10)
    for name in ("point_edit", "point_delete"):
        url = reverse(f"goals:{name}", args=[measure.pk, point.pk])
        assert qisg_client.get(url).status_code == 403
        assert qisg_client.post(url, {"correct-date": "31/01/2023", "correct-value": "1", "correct-why": "x", "delete-why": "x"}).status_code == 403
    assert MeasurePoint.objects.get().value == 10
    page = text_of(qisg_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "/points/" not in page


def test_the_board_reads_the_data_without_correction_links(board_client, november):
    measure, point = november
    page = text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "15 Nov 2023" in page and f"/points/{point.pk}/edit/" not in page
    assert board_client.post(reverse("goals:point_delete", args=[measure.pk, point.pk]), {"delete-why": "x"}).status_code == 403
    assert MeasurePoint.objects.exists()


def test_the_history_of_the_data_gives_each_change_its_time_in_the_trusts_time(qisg_client, november):
    measure, point = november
    summer = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)  # 09:30 in London (British Summer Time)
    winter = datetime.datetime(2026, 1, 15, 8, 30, tzinfo=datetime.UTC)  # 08:30 in London (GMT)
    point.changes.update(history_date=summer)
    Rebase.objects.create(measure=measure, date=datetime.date(2023, 11, 1), reason="New ward layout")
    Rebase.history.filter(measure_id=measure.pk).update(history_date=winter)
    page = text_of(qisg_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "1 Jul 2026 09:30" in page and "15 Jan 2026 08:30" in page
    assert page.index("1 Jul 2026 09:30") < page.index("15 Jan 2026 08:30")  # newest first
