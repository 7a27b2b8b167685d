"""Measure data from Excel: pasted rows (tab-separated), .xlsx and .csv files, read by the one reader in core."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import MeasurePoint
from improvement.core.tabular import parse_date, parse_number, read_text, read_upload

from ..factories import MeasureFactory
from ..helpers import text_of
from ..training.helpers import chunks, workbook


@pytest.mark.parametrize("text, number", [
    ("1,234", 1234), ("12%", 12), ("£12,500", 12500), ("£12,500.50", 12500.5), (" 27.2 ", 27.2), ("-3", -3),
    ("-£5", -5), ("1,234,567.8", 1234567.8), ("0.5%", 0.5),
])
def test_numbers_are_read_as_people_type_them(text, number):
    assert parse_number(text) == (pytest.approx(number), None)


@pytest.mark.parametrize("text, problem", [
    ("", "No value: enter a number"), ("12,34", "Not a number"), ("abc", "Not a number"), ("£", "Not a number"),
    ("1e400", "Not a number"), ("=1+1", "Not a number"), ("9" * 400, "Not a number (too large)"),
])
def test_what_is_not_a_number_says_why(text, problem):
    assert parse_number(text) == (None, problem)


@pytest.mark.parametrize("text, day", [
    ("31/03/2023", datetime.date(2023, 3, 31)), ("2023-03-31", datetime.date(2023, 3, 31)), ("1/4/2023", datetime.date(2023, 4, 1)),
    ("31/03/2023 00:00", datetime.date(2023, 3, 31)), ("2023-03-31 00:00:00", datetime.date(2023, 3, 31)),
])
def test_dates_are_read_uk_or_iso(text, day):
    assert parse_date(text) == (day, None)


def test_pasted_excel_rows_are_tab_separated_and_commas_stay_in_their_cell():
    assert list(read_text("Month\tFalls\n31/01/2023\t1,234\n")) == [(1, ["Month", "Falls"]), (2, ["31/01/2023", "1,234"])]
    assert list(read_text("2023-01-31,5\n")) == [(1, ["2023-01-31", "5"])]


def test_an_xlsx_gives_dates_and_percentages_as_typed():
    data = workbook([datetime.datetime(2023, 1, 31), 0.12], header=["Month", "Share"], formats={1: "0%"})
    assert list(read_upload(chunks(data, 4096), limit=10**6)) == [(1, ["Month", "Share"]), (2, ["2023-01-31", "12%"])]


def import_url(measure):
    return reverse("goals:measure_import", args=[measure.pk])


def test_rows_copied_from_excel_are_imported(qisg_client, goal):
    measure = MeasureFactory(goal=goal, unit="%")
    pasted = "Month\tRate\t\n31/01/2023\t1,234\t\n28/02/2023\t12%\t\n2023-03-31\t£12,500\t\n"
    response = qisg_client.post(import_url(measure), {"pasted": pasted}, follow=True)
    assert "Imported: 3 points added." in text_of(response)
    assert list(measure.points.order_by("date").values_list("value", flat=True)) == [1234, 12, 12500]


def test_one_point_added_is_said_in_the_singular(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    response = qisg_client.post(import_url(measure), {"pasted": "31/01/2023\t5\n"}, follow=True)
    assert "Imported: 1 point added." in text_of(response)


def test_an_empty_cell_says_no_value_by_row_and_column(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    html = text_of(qisg_client.post(import_url(measure), {"pasted": "31/01/2023\t5\n28/02/2023\t\n\t7\n"}))
    assert "Nothing was imported: 2 rows need correcting" in html
    assert '<td class="nhsuk-table__cell">2</td><td class="nhsuk-table__cell">value</td><td class="nhsuk-table__cell">No value: enter a number</td>' in html
    assert '<td class="nhsuk-table__cell">3</td><td class="nhsuk-table__cell">date</td><td class="nhsuk-table__cell">No value: enter a date</td>' in html
    assert not MeasurePoint.objects.exists()


def test_an_excel_workbook_is_imported(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    data = workbook([datetime.datetime(2023, 1, 31), 5.5], ["28/02/2023", "1,234"], header=["Date", "Value"])
    upload = SimpleUploadedFile("falls.xlsx", data)
    response = qisg_client.post(import_url(measure), {"file": upload}, follow=True)
    assert "Imported: 2 points added." in text_of(response)
    assert list(measure.points.order_by("date").values_list("date", "value")) == [
        (datetime.date(2023, 1, 31), 5.5), (datetime.date(2023, 2, 28), 1234)]


def test_a_broken_workbook_is_refused_next_to_the_file_field(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    upload = SimpleUploadedFile("falls.xlsx", b"PK\x03\x04 not really a workbook")
    html = text_of(qisg_client.post(import_url(measure), {"file": upload}))
    assert 'id="id_file-error"' in html and "This is not a readable Excel workbook" in html
    assert not MeasurePoint.objects.exists()


def test_two_rows_for_one_month_are_refused(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    html = text_of(qisg_client.post(import_url(measure), {"pasted": "15/11/2023\t5\n30/11/2023\t6\n"}))
    assert "Row 1 already gives a value for November 2023: one value per period" in html
    assert not MeasurePoint.objects.exists()


def test_a_replacement_agreed_to_is_asked_again_when_the_stored_value_has_changed(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    point = MeasurePoint.objects.create(measure=measure, date=datetime.date(2023, 11, 15), value=5.2)
    agreed = "November 2023|5.2 on 15/11/2023|4.9 on 30/11/2023"
    point.value = 5.0
    point.save()  # someone corrected it meanwhile
    html = text_of(qisg_client.post(import_url(measure), {"pasted": "2023-11-30,4.9", "agreed": agreed}))
    assert "1 period already has a value" in html and "5 on 15/11/2023" in html
    assert MeasurePoint.objects.get().value == 5.0
    response = qisg_client.post(import_url(measure), {"pasted": "2023-11-30,4.9", "agreed": "November 2023|5 on 15/11/2023|4.9 on 30/11/2023"})
    assert response.status_code == 302 and MeasurePoint.objects.get().value == 4.9
