"""CSV files that break the reader (issue 16, items 5 and 10): a cell past the reader's limit is refused by its row,
nothing written; UTF-16 without a byte-order mark is named as such."""

import csv

import pytest
from django.db import connection
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import MeasurePoint
from training.models import Learner, PendingUpload

from ..factories import GoalFactory, MeasureFactory, StrategyFactory
from ..helpers import text_of
from ..training.factories import course
from ..training.helpers import training_csv

LONG = "9" * (csv.field_size_limit() + 1)


@pytest.mark.parametrize("how", ["pasted", "file"])
def test_a_measure_csv_cell_past_the_reader_s_limit_is_refused_by_its_row(qisg_client, db, how):
    measure = MeasureFactory(goal=GoalFactory(number=5))
    data = f"date,value\n2023-01-31,5\n2023-02-28,{LONG}\n2023-03-31,7\n"
    post = {"pasted": data} if how == "pasted" else {"pasted": "", "file": SimpleUploadedFile("m.csv", data.encode(), "text/csv")}
    response = qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), post)
    assert response.status_code == 200
    html = text_of(response)
    assert "row 3 cannot be read" in html.lower() and "a cell is longer than 131,072 characters" in html
    assert not MeasurePoint.objects.exists()


def test_a_training_csv_cell_past_the_reader_s_limit_is_refused_naming_its_row(qisg_client, db):
    StrategyFactory()
    data = training_csv("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,", f"10000002,{LONG},Nursing,Ward 7,LIM Foundation,2023-01-17,")
    response = qisg_client.post(reverse("training:import_training"), {"file": SimpleUploadedFile("r.csv", data, "text/csv")})
    assert response.status_code == 200
    assert "row 3 cannot be read (a cell is longer than 131,072 characters" in text_of(response)
    assert not PendingUpload.objects.exists() and not Learner.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(qisg_client, db, encoding):
    StrategyFactory()
    data = training_csv("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,").decode().encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    html = text_of(qisg_client.post(reverse("training:import_training"), {"file": SimpleUploadedFile("r.csv", data, "text/csv")}))
    assert "This is UTF-16 text, not UTF-8." in html and "The header row must name" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need a database that runs them at once")
@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_upload_at_once_import_it_once_and_the_second_says_so(make_user):
    from ..security.test_double_submit import logged_in, post_at_once

    StrategyFactory()
    course("LIM Foundation")  # a transactional test: the courses the migration made may have been flushed
    qisg = make_user("qisg")
    client = logged_in(qisg)
    url = reverse("training:import_training")
    data = training_csv("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,")
    client.post(url, {"file": SimpleUploadedFile("records.csv", data, content_type="text/csv")})
    pk = PendingUpload.objects.get().pk
    confirm = {"upload": pk, "new_unit": ["Ward 7"], "units-unit_0": "yes"}
    responses = post_at_once([(logged_in(qisg), url, confirm) for _ in range(2)])
    assert sorted(r.status_code for r in responses) == [200, 302]
    second = next(r for r in responses if r.status_code == 200)
    assert "That file has already been imported" in text_of(second)
    assert Learner.objects.count() == 1 and not PendingUpload.objects.exists()
