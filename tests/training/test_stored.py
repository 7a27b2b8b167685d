"""The training roll-ups are stored when an import commits (and after any other committed change to their records),
and read back as exactly what counting the records gives (training.stored)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Strategy
from improvement.core.stamp import replace_stamp
from training import importer, rollup, stored
from training.models import Learner, StoredFigures

from ..factories import StrategyFactory
from ..helpers import seed_demo, text_of
from .factories import CompletionFactory, LearnerFactory, course
from .helpers import chunks, training_csv

RECORDS = training_csv(
    "10000001,Amira Patel,Nursing,Women's Services,LIM Foundation,2023-01-17,",
    "10000002,Ben Okafor,Administration,Corporate Services,Excellence In Administration,14/02/2023,",
    "10000003,Chen Li,Medical,Women's Services,QI teaching,2024-03-02,2024-09-30",
    "10000004,Dana Ruiz,Allied Health,Theatres,LIM facilitator training,2025-06-10,",
)


@pytest.fixture
def strategy(db):
    return StrategyFactory()


@pytest.fixture
def imported(strategy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as when the import's transaction commits
        report = importer.import_file("training", chunks(RECORDS, size=4096))
    assert report.applied
    return strategy


def _counted_and_stored(strategy):
    """For each period shown: (what counting the records gives, what is stored)."""
    today = datetime.date.today()
    pairs = []
    for period, years in stored.periods(strategy, today):
        row = StoredFigures.objects.get(start=period.first, end=period.last, as_at=period.as_at(today))
        pairs.append((rollup.figures(period.first, period.last, period.as_at(today), years),
                      stored._figures(row.figures, rollup.CourseKindName.objects.names())))
    return pairs


def test_an_import_stores_the_figures_of_every_year_and_to_date_as_counting_gives_them(imported):
    assert StoredFigures.objects.count() == len(imported.periods_so_far()) + 1  # each year so far, and to date
    for counted, kept in _counted_and_stored(imported):
        assert kept == counted
    year_1 = imported.period(1)
    assert stored.headline(year_1.first, year_1.last, year_1.last).foundation_completions_in_year == 1


def test_the_training_page_after_a_change_reads_the_stored_figures_not_the_records(imported, board_client):
    replace_stamp()  # as after any write: the page's figures are not in the cache
    with CaptureQueriesContext(connection) as queries:
        html = text_of(board_client.get("/training/?year=1"))
    assert "Improvement Essentials" in html or "LIM Foundation" in html
    assert not [q for q in queries.captured_queries if "training_completion" in q["sql"]]


def test_a_committed_change_to_the_records_stores_the_figures_again(imported, django_capture_on_commit_callbacks):
    year_3 = imported.period(3)
    before = stored.headline(year_3.first, year_3.last, year_3.last)
    with django_capture_on_commit_callbacks(execute=True):  # an admin correction, say: no import
        CompletionFactory(course=course("LIM Foundation"), completed_on=datetime.date(2025, 2, 3))
    after = stored.headline(year_3.first, year_3.last, year_3.last)
    assert after.foundation_completions_in_year == before.foundation_completions_in_year + 1
    for counted, kept in _counted_and_stored(imported):
        assert kept == counted


def test_a_leaver_recorded_later_leaves_the_current_figures(imported, django_capture_on_commit_callbacks):
    to_date = imported.period(None)
    before = stored.headline(to_date.first, to_date.last, to_date.as_at()).current_trained_in_qi
    with django_capture_on_commit_callbacks(execute=True):
        learner = Learner.objects.get(staff_number="10000001")
        learner.left_on = datetime.date(2025, 1, 31)
        learner.save()
    assert stored.headline(to_date.first, to_date.last, to_date.as_at()).current_trained_in_qi == before - 1


def test_inside_a_transaction_that_changed_the_records_the_figures_are_counted(imported):
    year_2 = imported.period(2)
    before = stored.headline(year_2.first, year_2.last, year_2.last).people_trained_in_year
    CompletionFactory(learner=LearnerFactory(), course=course("QI teaching"), completed_on=datetime.date(2024, 5, 5))  # not committed
    assert stored.headline(year_2.first, year_2.last, year_2.last).people_trained_in_year == before + 1


def test_a_day_without_stored_figures_is_counted_and_the_daily_command_stores_it(imported):
    StoredFigures.objects.all().delete()  # as on a new day, before the daily command: nothing stored for today
    to_date = imported.period(None)
    assert stored.headline(to_date.first, to_date.last, to_date.as_at()) == rollup.headline(to_date.first, to_date.last, to_date.as_at())
    out = io.StringIO()
    call_command("refresh_derived", stdout=out)
    assert "Training figures stored: 6 periods." in out.getvalue()
    assert StoredFigures.objects.filter(as_at=datetime.date.today()).exists()


def test_a_strategy_loaded_later_has_its_figures_counted_until_they_are_stored(db):
    report = importer.import_file("training", chunks(RECORDS, size=4096))  # no strategy yet: nothing to store
    assert report.applied and not StoredFigures.objects.exists()


def test_the_demo_s_stored_figures_are_what_counting_gives(db):
    seed_demo()  # one transaction of many imports and other writes
    for counted, kept in _counted_and_stored(Strategy.objects.current()):
        assert kept == counted
