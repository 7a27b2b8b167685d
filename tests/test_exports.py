"""Excel exports: each opens with openpyxl and holds the numbers its page shows; text is formula-safe."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from goals.measures.charts import POINT_LABELS, analyse_measure
from improvement.core.xlsx import XLSX
from training import rollup

from .factories import EvidenceFactory, GoalFactory, MeasureFactory
from .helpers import text_of
from .training.factories import CompletionFactory, FeedbackFactory, UnitFactory, course

VALUES = [5.6, 5.4, 5.9, 6.1, 5.2, 5.8, 5.5, 5.7, 6.0, 5.3, 5.6, 5.9, 4.1, 4.3, 4.0, 4.2, 4.4, 4.1, 3.9, 4.2]


def sheets_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX and response["Content-Disposition"].startswith("attachment; filename=")
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


@pytest.fixture
def goal(db):
    return GoalFactory(number=5, title="Safer care")


def test_the_headline_figures_workbook_holds_the_csvs_numbers(board_client, goal):
    MeasureFactory(goal=goal, name="Falls", target=5.5, on_dashboard=True, values=VALUES)
    (rows,) = sheets_of(board_client.get(reverse("dashboard_xlsx"))).values()
    csv_rows = list(csv.reader(io.StringIO(board_client.get(reverse("dashboard_export")).content.decode("utf-8-sig"))))
    assert rows[0] == csv_rows[0]
    assert len(rows) == len(csv_rows) > 1
    for got, want in zip(rows[1:], csv_rows[1:]):
        value = got[7]
        assert isinstance(value, (float, int)) or value is None  # a number, not text
        assert ("" if value is None else str(float(value))) == (want[7] and str(float(want[7])))
        assert (got[2], str(got[4]), got[12]) == (want[2], want[4], want[12])
    assert 'href="/dashboard/headline-figures.xlsx"' in text_of(board_client.get(reverse("dashboard")))


def test_a_measures_workbook_holds_its_points_with_the_spc_columns(board_client, goal):
    measure = MeasureFactory(goal=goal, name="Falls", target=5.5, values=VALUES)
    sheets = sheets_of(board_client.get(reverse("goals:measure_xlsx", args=[measure.pk])))
    header, *rows = sheets["Points"]
    assert header == ["Date", "Value", "Mean", "Lower limit", "Upper limit", "Variation"]
    engine = analyse_measure(measure).result.points
    assert [[day(r[0]), r[1], r[2], r[3], r[4], r[5]] for r in rows] == [
        [p.date, p.value, p.mean, p.lpl, p.upl, POINT_LABELS[p.point_type]] for p in engine]
    assert "Special cause: improvement" in [r[5] for r in rows]
    assert reverse("goals:measure_xlsx", args=[measure.pk]) in text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))


def test_the_evidence_workbook_is_the_list_as_filtered_and_formula_safe(board_client, goal):
    EvidenceFactory(goal=goal, kind="award", date=datetime.date(2023, 5, 1), title="=HYPERLINK(\"http://x\",\"click\")",
                    summary="+1 won\x07 nationally")
    EvidenceFactory(goal=goal, kind="award", date=datetime.date(2023, 6, 1), title="Second award")
    EvidenceFactory(goal=goal, kind="story", date=datetime.date(2023, 6, 1), title="A story")
    EvidenceFactory(goal=goal, kind="award", date=datetime.date(2024, 6, 1), title="Next year's award")
    query = {"kind": "award", "year": "1", "goal": "5"}
    page = text_of(board_client.get(reverse("goals:evidence_list"), query))
    assert "/evidence/evidence.xlsx?goal=5&amp;kind=award&amp;year=1" in page
    (rows,) = sheets_of(board_client.get(reverse("goals:evidence_xlsx"), query)).values()
    assert rows[0][:4] == ["Date", "Goal", "Kind", "Title"]
    assert [(day(r[0]), r[1], r[2], r[3]) for r in rows[1:]] == [
        (datetime.date(2023, 6, 1), 5, "Award", "Second award"),
        (datetime.date(2023, 5, 1), 5, "Award", "'=HYPERLINK(\"http://x\",\"click\")"),  # text, never a formula
    ]
    assert rows[2][4] == "'+1 won nationally"  # and the bell character, which an .xlsx cannot hold, left out
    assert rows[1][7].endswith(f"/goals/5/#evidence-{goal.evidence.get(title='Second award').pk}")
    (everything,) = sheets_of(board_client.get(reverse("goals:evidence_xlsx"), {"year": "all"})).values()
    assert len(everything) == 5


def test_the_training_workbook_holds_the_training_pages_figures(board_client, goal):
    CompletionFactory(course=course("LIM facilitator training"), completed_on=datetime.date(2023, 3, 1), learner__unit=UnitFactory(name="Ward 7"))
    CompletionFactory(completed_on=datetime.date(2023, 4, 1))
    CompletionFactory(completed_on=datetime.date(2024, 4, 1))
    FeedbackFactory()
    sheets = sheets_of(board_client.get(reverse("training:figures_xlsx"), {"year": "1"}))
    strategy = goal.strategy
    period = strategy.period(1)
    figures = rollup.figures(period.first, period.last, period.as_at(), [period])
    headline = sheets["Headline (Year 1)"]
    assert headline[0][1:] == ["Year 1", "To date"]
    assert headline[1][1:] == [figures.headline.foundation_completions_in_year, figures.headline.foundation_completions_to_date] == [1, 1]
    assert headline[7][2] == figures.coverage.percent == 33.3  # 1 of 3 units
    assert sheets["Courses"][1:] == [[r.label, r.in_year, r.to_date] for r in figures.courses]
    assert ["Ward 7", 1, 1, "yes"] in sheets["Units"]
    page = text_of(board_client.get(reverse("training:overview"), {"year": "1"}))
    assert "/training/figures.xlsx?year=1" in page
