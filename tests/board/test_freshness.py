"""The board pages are cached until their data change (improvement.core.stamp).

These tests commit for real (`transactional_db`): the data stamp is replaced when a transaction commits, which a
test wrapped in one transaction never does.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Goal, Status, Strategy
from improvement.board import pdf
from improvement.core import stamp as freshness
from improvement.board.models import BoardReport, PaperState
from training.models import PendingUpload

from ..factories import EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory, StrategyFactory
from ..helpers import HTMX, text_of, seed_demo
from ..training.factories import course

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def goal(make_user):
    return GoalFactory(number=3, title="Developing our workforce improvement skills and capability")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return text_of(response), len(context.captured_queries)


def test_a_cached_goal_page_is_served_again_with_fewer_queries_and_the_same_content(client, make_user, goal):
    EvidenceFactory(goal=goal, title="Ward 7 falls huddles")
    MeasureFactory(goal=goal, name="Falls per 1000 bed days")
    client.force_login(make_user("board"))
    url = reverse("goals:goal_detail", args=[3])
    first, built = queries_of(client, url)
    again, served = queries_of(client, url)
    assert "Ward 7 falls huddles" in first and "Falls per 1000 bed days" in first
    assert served < built
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert main.search(again).group() == main.search(first).group()
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.findall(again) != nonce.findall(first)  # the page around the cached part is the request's own


def test_new_evidence_through_htmx_is_on_the_goal_page_at_once(client, make_user, goal):
    board, qisg = make_user("board"), make_user("qisg")
    url = reverse("goals:goal_detail", args=[3])
    client.force_login(board)
    assert "National prize for Discharge" not in text_of(client.get(url))  # now cached
    client.force_login(qisg)
    client.post(reverse("goals:evidence_new", args=[3]), {
        "kind": "award", "date": "2023-10-05", "title": "National prize for Discharge", "summary": "Won it.", "link": "", "ambition": "",
    }, **HTMX)
    client.force_login(board)
    assert "National prize for Discharge" in text_of(client.get(url))


def test_each_role_sees_its_own_actions_on_a_cached_goal_page(client, make_user, goal):
    item = EvidenceFactory(goal=goal)
    edit = reverse("goals:evidence_edit", args=[item.pk])
    client.force_login(make_user("board"))
    assert edit not in text_of(client.get(reverse("goals:goal_detail", args=[3])))
    client.force_login(make_user("qisg"))
    page = text_of(client.get(reverse("goals:goal_detail", args=[3])))
    assert edit in page and "Add evidence" in page


def test_the_dashboard_follows_a_new_progress_update(client, make_user, goal):
    client.force_login(make_user("board"))
    url = reverse("dashboard") + "?year=1"
    assert "At risk" not in text_of(client.get(url))
    ProgressUpdateFactory(goal=goal, status=Status.AT_RISK, period_start=datetime.date(2022, 11, 1),
                          period_end=datetime.date(2023, 10, 31), published_on=datetime.date(2023, 10, 30))
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">At risk</strong>' in text_of(client.get(url))


def test_a_new_data_point_redraws_the_cached_chart(client, make_user, goal):
    measure = MeasureFactory(goal=goal)
    url = reverse("goals:measure_detail", args=[measure.pk])
    client.force_login(make_user("qisg"))
    assert "15 Jan 2023" not in text_of(client.get(url))
    fragment = text_of(client.post(reverse("goals:point_add", args=[measure.pk]), {"point-date": "15/01/2023", "point-value": "5.1"}, **HTMX))
    assert "15 Jan 2023" in fragment  # the analysis, redrawn out of band
    assert "15 Jan 2023" in text_of(client.get(url))


def test_a_csv_import_of_measure_data_retires_the_cached_chart(client, make_user, goal):
    measure = MeasureFactory(goal=goal)
    url = reverse("goals:measure_detail", args=[measure.pk])
    client.force_login(make_user("qisg"))
    assert "28 Feb 2023" not in text_of(client.get(url))
    client.post(reverse("goals:measure_import", args=[measure.pk]), {"pasted": "2023-01-31,5\n2023-02-28,6\n"})
    assert "28 Feb 2023" in text_of(client.get(url))


def test_a_training_import_retires_the_cached_training_figures(client, make_user):
    StrategyFactory()
    course("LIM Foundation")
    client.force_login(make_user("qisg"))
    overview = reverse("training:overview")
    before = text_of(client.get(overview))
    csv = b"staff_number,name,staff_group,unit,course,completed_on,left_on\n" \
          b"10000001,Amira Patel,Nursing,Women's Services,LIM Foundation,2023-01-17,\n"
    client.post(reverse("training:import_training"), {"file": SimpleUploadedFile("records.csv", csv, content_type="text/csv")})
    client.post(reverse("training:import_training"), {"upload": PendingUpload.objects.get().pk})
    after = text_of(client.get(overview))
    assert "Women&#x27;s Services" not in before and "Women&#x27;s Services" in after


def test_the_pdf_is_kept_until_the_data_change(client, make_user, monkeypatch):
    seed_demo()
    client.force_login(make_user("qisg"))
    url = reverse("report_pdf", args=[Strategy.objects.get().default_year()])  # a draft: live until it is presented
    assert client.get(url)["Content-Type"] == "application/pdf"
    monkeypatch.setattr(pdf, "CHROMIUM", "/nonexistent/chromium")  # Chromium gone: only a kept PDF can answer
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())  # (a new printer, as in a new worker: no browser open)
    assert client.get(url)["Content-Type"] == "application/pdf"
    EvidenceFactory(goal=Goal.objects.get(number=1))
    assert client.get(url).status_code == 503  # the data changed: the PDF must be made again


def test_a_page_drawn_inside_a_transaction_that_wrote_is_neither_read_from_nor_kept_in_the_cache(goal):
    settled = freshness.page_stamp()
    assert freshness.page_stamp() == settled
    with transaction.atomic():
        EvidenceFactory(goal=goal)
        assert freshness.page_stamp() != settled
        assert freshness.page_stamp() != freshness.page_stamp()
    assert freshness.page_stamp() != settled  # committed: a new stamp


def test_records_about_the_use_of_the_app_do_not_retire_the_cache():
    assert {model._meta.label_lower for model in apps.get_models()} >= freshness.NOT_SHOWN
    shown = {model._meta.label_lower for model in freshness.shown_models()}
    assert {"goals.evidenceitem", "goals.measurepoint", "training.completion", "partners.partner", "board.boardreport"} <= shown
    assert not shown & freshness.NOT_SHOWN


def test_a_change_committed_while_a_page_is_built_is_on_the_next_request(client, make_user, monkeypatch):
    goal = GoalFactory(number=1)
    BoardReport.objects.create(strategy=goal.strategy, year=1, title="Old title", meeting_date=datetime.date(2023, 11, 30), author="A",
                               state=PaperState.SHARED)
    client.force_login(make_user("board"))
    url = reverse("report", args=[1])
    read_stamp = freshness.current_stamp

    def someone_saves_first():
        if BoardReport.objects.filter(title="Old title").exists():
            report = BoardReport.objects.get()
            report.title = "New title"
            report.save()  # commits at once, while this request is under way
        return read_stamp()

    monkeypatch.setattr(freshness, "current_stamp", someone_saves_first)
    client.get(url)
    monkeypatch.setattr(freshness, "current_stamp", read_stamp)
    assert 'id="report-title">New title<' in text_of(client.get(url))


def test_a_renamed_user_is_shown_by_the_new_name_but_logging_in_keeps_the_pages(client, make_user, goal):
    qisg = make_user("qisg")
    ProgressUpdateFactory(goal=goal, author=qisg)
    client.force_login(qisg)
    url = reverse("goals:goal_detail", args=[3])
    assert f"by {qisg.get_full_name()}</p>" in text_of(client.get(url))  # the update's author; now cached
    stamp = freshness.current_stamp()
    client.force_login(qisg)  # saves last_login only
    assert freshness.current_stamp() == stamp
    qisg.first_name, qisg.last_name = "Quinn", "Renamed"
    qisg.save()
    assert "by Quinn Renamed</p>" in text_of(client.get(url))


def test_migrate_retires_the_cached_pages(goal):
    stamp = freshness.current_stamp()
    call_command("migrate", verbosity=0)
    assert freshness.current_stamp() != stamp
