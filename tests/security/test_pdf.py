"""The board paper's PDF (issue 16, items 7 and 9): printed one at a time, whatever the query string, and its links
are real links to the app or none."""

import io
import time

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from goals.models import Strategy
from improvement.board import pdf
from improvement.board.views import PRINT_LOCK

from ..helpers import log_in, seed_demo


@pytest.fixture
def draft_pdf(client, db):
    seed_demo()
    log_in(client, "qisg")
    return reverse("report_pdf", args=[Strategy.objects.get().default_year()])  # a draft: printed on demand


def test_a_query_string_does_not_make_a_new_print(client, draft_pdf, monkeypatch):
    assert client.get(draft_pdf)["Content-Type"] == "application/pdf"
    monkeypatch.setattr(pdf, "CHROMIUM", "/nonexistent/chromium")  # no printing from here on: only the kept PDF
    for since in ("2023-01-01", "2023-02-02", "x"):
        assert client.get(draft_pdf, {"since": since})["Content-Type"] == "application/pdf"


def test_the_pdf_links_are_absolute_links_to_the_app(client, draft_pdf):
    reader = PdfReader(io.BytesIO(client.get(draft_pdf).content))
    links = [annotation.get_object()["/A"]["/URI"] for page in reader.pages for annotation in page.get("/Annots", [])
             if annotation.get_object().get("/Subtype") == "/Link" and "/URI" in annotation.get_object().get("/A", {})]
    assert links, "the paper links to its evidence and goals"
    assert all(link.startswith("http://testserver/") for link in links), [l for l in links if not l.startswith("http://testserver/")]
    assert not [link for link in links if "report.invalid" in link]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the deployment-wide print lock is PostgreSQL's")
def test_while_any_paper_prints_another_print_is_refused_at_once(client, draft_pdf):
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
                            port=settings["PORT"] or None, password=settings["PASSWORD"] or None, autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [PRINT_LOCK])  # another worker printing another paper
        started = time.monotonic()
        response = client.get(draft_pdf)
        assert response.status_code == 503 and response["Retry-After"] == "10"
        assert time.monotonic() - started < 2
        other.execute("SELECT pg_advisory_unlock(%s)", [PRINT_LOCK])
        assert client.get(draft_pdf)["Content-Type"] == "application/pdf"
    finally:
        other.close()
