import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from training.models import Completion, FeedbackResponse, Learner, PendingUpload, PendingUploadPart

from ..factories import StrategyFactory, UserFactory
from ..helpers import HTMX, text_of
from .factories import CompletionFactory, FeedbackFactory, LearnerFactory, UnitFactory, course
from .helpers import feedback_csv, training_csv

IMPORT = reverse("training:import_training")
OVERVIEW = reverse("training:overview")
GOOD = training_csv(
    "10000001,Amira Patel,Nursing,Women's Services,LIM Foundation,2023-01-17,",
    "10000002,Ben Okafor,Administration,Corporate Services,Excellence In Administration,14/02/2023,",
)


# What QiSG answers at the preview about the units GOOD would create (sorted by name).
ANSWERS = {"new_unit": ["Corporate Services", "Women's Services"], "units-unit_0": "no", "units-unit_1": "yes"}


def upload(data=GOOD, name="records.csv"):
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


@pytest.fixture
def strategy(db):
    return StrategyFactory()


# The Training page


def test_the_training_page_shows_the_figures_with_a_chart_and_table_for_each_count(board_client, strategy):
    CompletionFactory(course=course("LIM facilitator training"), completed_on=datetime.date(2023, 3, 1), learner__unit=UnitFactory(name="Ward 7"))
    FeedbackFactory()
    response = board_client.get(OVERVIEW)
    html = text_of(response)
    assert response.status_code == 200
    assert "Year 1 (Nov 2022 to Oct 2023)" in html  # the year of the newest record is shown first
    for chart in ["courses-figure", "groups-figure", "units-figure", "qi-teaching-figure"]:
        assert f'id="{chart}"' in html
    assert html.count('<table class="nhsuk-table">') >= 5
    assert "100.0%</strong> (1 of 1 unit)" in html
    assert "vendor/plotly/plotly.min.js" in html
    assert "Import training records" not in html  # a board member reads, does not import


def test_a_qisg_member_is_offered_the_imports(qisg_client, strategy):
    html = text_of(qisg_client.get(OVERVIEW))
    assert f'href="{IMPORT}"' in html and f'href="{reverse("training:import_feedback")}"' in html


def test_the_nav_links_to_training_for_those_who_may_read_it(board_client, strategy):
    assert f'href="{OVERVIEW}" aria-current="page">Training</a>' in text_of(board_client.get(OVERVIEW))


def test_choosing_a_year_shows_its_figures(board_client, strategy):
    CompletionFactory(completed_on=datetime.date(2023, 3, 1))
    CompletionFactory(completed_on=datetime.date(2024, 3, 1))
    html = text_of(board_client.get(OVERVIEW, {"year": 1}))
    assert "Year 1 (Nov 2022 to Oct 2023)</h2>" in html
    assert "as at 31 October 2023" in html
    default = strategy.period(strategy.default_year()).label
    html = text_of(board_client.get(OVERVIEW))
    assert f"{default}</h2>" in html  # the year every page opens on
    html = text_of(board_client.get(OVERVIEW, {"year": "99"}))
    assert f"{default}</h2>" in html  # an unknown year falls back


def test_htmx_asks_for_another_year_and_gets_only_the_figures(board_client, strategy):
    response = board_client.get(OVERVIEW, {"year": 1}, **HTMX)
    html = text_of(response)
    assert html.lstrip().startswith('<div id="training-figures">')
    assert "<html" not in html and 'data-figure="' in html


def test_without_a_strategy_the_page_shows_the_last_twelve_months(board_client):
    html = text_of(board_client.get(OVERVIEW))
    assert "The last 12 months" in html and "No strategy has been set up yet" in html


@pytest.mark.parametrize("size", [2, 40])
def test_the_training_page_takes_a_constant_number_of_queries(board_client, strategy, size, django_assert_max_num_queries):
    for i in range(size):
        learner = LearnerFactory(left_on=datetime.date(2023, 6, 1) if i % 3 == 0 else None)
        CompletionFactory(learner=learner, course=course(["LIM Foundation", "QI teaching", "LIM facilitator training"][i % 3]))
        FeedbackFactory()
    # session, user, permissions (2), strategy, newest record, the seven figures, and the session saved (3)
    with django_assert_max_num_queries(16):
        assert board_client.get(OVERVIEW).status_code == 200


# Import: check (preview) then confirm


def test_the_import_page_explains_the_columns_and_offers_the_sample(qisg_client):
    html = text_of(qisg_client.get(IMPORT))
    assert "<code>staff_number</code>" in html and "<code>left_on</code> (may be empty)" in html
    assert 'href="/static/training/training_records_sample.csv" download' in html
    assert "20 MB" in html and "250,000 rows" in html
    assert "could run it as a formula" in html
    assert 'hx-post="/training/import/"' in html and 'enctype="multipart/form-data"' in html


def test_the_sample_file_imports_cleanly(qisg_client, settings):
    from django.contrib.staticfiles import finders

    with open(finders.find("training/training_records_sample.csv"), "rb") as sample:
        html = text_of(qisg_client.post(IMPORT, upload(sample.read(), "training_records_sample.csv")))
    assert "Every row is valid" in html


def test_a_good_file_shows_what_it_will_do_and_writes_nothing(qisg_client, qisg_user):
    response = qisg_client.post(IMPORT, upload())
    html = text_of(response)
    assert response.status_code == 200 and "<html" in html
    assert "Check what records.csv will do" in html
    assert "New completions</dt>" in html
    assert (Learner.objects.count(), Completion.objects.count()) == (0, 0)
    pending = PendingUpload.objects.get()
    assert pending.uploaded_by == qisg_user and pending.kind == "training"
    assert f'name="upload" value="{pending.pk}"' in html
    assert "Confirm and import" in html


def test_confirming_imports_the_file_and_returns_to_the_figures(qisg_client, strategy):
    qisg_client.post(IMPORT, upload())
    pending = PendingUpload.objects.get()
    response = qisg_client.post(IMPORT, {"upload": pending.pk, **ANSWERS})
    assert response.status_code == 302 and response["Location"] == OVERVIEW
    assert (Learner.objects.count(), Completion.objects.count()) == (2, 2)
    assert not PendingUpload.objects.exists() and not PendingUploadPart.objects.exists()
    page = text_of(qisg_client.get(OVERVIEW))
    assert "Imported records.csv: rows read: 2; new learners: 2; new completions: 2; new units: 2." in page


def test_htmx_check_and_confirm_swap_the_import_panel(qisg_client):
    html = text_of(qisg_client.post(IMPORT, upload(), **HTMX))
    assert html.lstrip().startswith('<div id="import-panel"') and "<html" not in html
    assert "Check what records.csv will do" in html
    pending = PendingUpload.objects.get()
    html = text_of(qisg_client.post(IMPORT, {"upload": pending.pk, **ANSWERS}, **HTMX))
    assert html.lstrip().startswith('<div id="import-panel"') and "<html" not in html
    assert "Imported records.csv" in html and "See the training figures" in html
    assert Completion.objects.count() == 2


def test_confirming_twice_imports_once(qisg_client):
    qisg_client.post(IMPORT, upload())
    pk = PendingUpload.objects.get().pk
    qisg_client.post(IMPORT, {"upload": pk, **ANSWERS})
    html = text_of(qisg_client.post(IMPORT, {"upload": pk, **ANSWERS}))
    assert "Nothing to import" in html
    assert Completion.objects.count() == 2


def test_nobody_can_confirm_another_persons_upload(qisg_client):
    other = UserFactory(username="other-qisg", role="QiSG member")
    from training import uploads

    pending = uploads.keep("training", SimpleUploadedFile("theirs.csv", GOOD), other)
    html = text_of(qisg_client.post(IMPORT, {"upload": pending.pk, **ANSWERS}))
    assert "Nothing to import" in html
    assert Completion.objects.count() == 0 and PendingUpload.objects.filter(pk=pending.pk).exists()


def test_an_upload_expires_after_a_day(qisg_client):
    qisg_client.post(IMPORT, upload())
    PendingUpload.objects.update(uploaded_at=timezone.now() - datetime.timedelta(hours=25))
    html = text_of(qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk, **ANSWERS}))
    assert "Nothing to import" in html and Completion.objects.count() == 0


def test_a_stored_file_changed_after_the_check_is_not_imported(qisg_client):
    qisg_client.post(IMPORT, upload())
    PendingUploadPart.objects.update(data=GOOD.replace(b"Amira", b"Mallory"))
    html = text_of(qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk, **ANSWERS}))
    assert "The stored file has changed since it was checked" in html
    assert Learner.objects.count() == 0


def test_a_file_with_bad_rows_lists_every_one_and_keeps_nothing(qisg_client):
    data = training_csv("10000001,Amira,Nursing,,No course,2023-01-17,", ",Ben,Nursing,,LIM Foundation,31/02/2023,")
    html = text_of(qisg_client.post(IMPORT, upload(data)))
    assert "<title>Error: Import training records" in html
    assert "records.csv was not imported" in html and "3 problems in 2 rows" in html
    assert "Unknown course \u201cNo course\u201d" in html and "Missing staff number." in html and "Not a real date" in html
    assert not PendingUpload.objects.exists() and Learner.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused_and_the_page_says_how_to_save_it(qisg_client):
    html = text_of(qisg_client.post(IMPORT, upload("staff_number,name\n1,Zo\u00eb\n".encode("latin-1"))))
    assert "The file is not UTF-8 text" in html and "CSV UTF-8 (Comma delimited)" in html


def test_a_file_not_named_csv_or_xlsx_is_refused_next_to_the_field(qisg_client):
    html = text_of(qisg_client.post(IMPORT, upload(b"PK\x03\x04", "records.zip")))
    assert 'id="id_file-error"' in html and "The file must be a CSV file or an Excel workbook" in html


def test_a_file_over_the_limit_is_refused_before_it_is_read(qisg_client, monkeypatch):
    monkeypatch.setattr("training.importer.MAX_BYTES", 10)
    html = text_of(qisg_client.post(IMPORT, upload()))
    assert "The file is 0.0 MB; the most one import accepts is 1 KB. Split it into smaller files and import each one." in html
    assert not PendingUpload.objects.exists()


def test_posting_without_a_file_asks_for_one(qisg_client):
    html = text_of(qisg_client.post(IMPORT, {}, **HTMX))
    assert "Choose a file to upload" in html


def test_feedback_is_imported_the_same_way(qisg_client):
    url = reverse("training:import_feedback")
    data = feedback_csv("R1,LIM Foundation,2023-01-17,Very likely", "R2,LIM Foundation,2023-01-17,Unlikely")
    html = text_of(qisg_client.post(url, upload(data, "feedback.csv")))
    assert "New responses</dt>" in html and FeedbackResponse.objects.count() == 0
    response = qisg_client.post(url, {"upload": PendingUpload.objects.get().pk, **ANSWERS})
    assert response.status_code == 302 and FeedbackResponse.objects.count() == 2


def test_a_training_upload_cannot_be_confirmed_as_feedback(qisg_client):
    qisg_client.post(IMPORT, upload())
    html = text_of(qisg_client.post(reverse("training:import_feedback"), {"upload": PendingUpload.objects.get().pk, **ANSWERS}))
    assert "Nothing to import" in html and Learner.objects.count() == 0


def test_a_new_upload_replaces_the_users_earlier_pending_one(qisg_client):
    qisg_client.post(IMPORT, upload())
    qisg_client.post(IMPORT, upload())
    assert PendingUpload.objects.count() == 1


def test_confirming_refreshes_the_derived_training_measures_of_the_goals(qisg_client, strategy, django_capture_on_commit_callbacks):
    from goals.models import MeasureSource

    from ..factories import GoalFactory, MeasureFactory

    measure = MeasureFactory(goal=GoalFactory(number=3), source=MeasureSource.DERIVED, derived_from="training.foundation_completions_to_date")
    qisg_client.post(IMPORT, upload())
    with django_capture_on_commit_callbacks(execute=True):  # the import commits: the write hook refreshes the measures
        qisg_client.post(IMPORT, {"upload": PendingUpload.objects.get().pk, **ANSWERS})
    values = dict(measure.points.values_list("date", "value"))
    assert values[datetime.date(2023, 1, 31)] == 1  # Amira's LIM Foundation, 17 January 2023
    assert values[datetime.date(2022, 12, 31)] == 0
