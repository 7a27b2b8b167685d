"""A database fault gives a clear 503 page (no stack trace) and /healthz reports it."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse


def test_a_database_fault_gives_a_503_page_without_a_stack_trace(client, make_user, goal):
    client.raise_request_exception = False
    client.force_login(make_user("board"))
    with mock.patch("goals.strategy.views._current_strategy", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("goals:goal_detail", args=[3]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "Traceback" not in html and "connection refused" not in html


def test_other_errors_are_still_500(client, make_user, goal):
    client.raise_request_exception = False
    client.force_login(make_user("board"))
    with mock.patch("goals.strategy.views._current_strategy", side_effect=ValueError("a bug")):
        response = client.get(reverse("goals:goal_detail", args=[3]))
    assert response.status_code == 500
    assert "a bug" not in response.content.decode()


def test_the_health_check_reports_a_database_fault(client, db):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_postgresql_connections_have_timeouts_and_keepalives(monkeypatch):
    import runpy
    from pathlib import Path

    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example:5432/improvement")
    monkeypatch.setenv("DJANGO_DB_DEADLINE", "4")
    made = runpy.run_path(str(Path(__file__).resolve().parents[1] / "improvement" / "settings.py"))
    database = made["DATABASES"]["default"]
    assert database["ENGINE"] == "improvement.core.postgresql"
    options = database["OPTIONS"]
    assert options["connect_timeout"] == 2 and options["options"] == "-c statement_timeout=4000"
    assert options["keepalives"] == 1 and options["keepalives_idle"] <= 10 and options["tcp_user_timeout"] <= 10_000


def test_the_web_app_waits_at_most_three_seconds_for_postgresql():
    import os
    import subprocess
    import sys

    code = "import improvement.wsgi; from django.conf import settings; print(settings.DB_DEADLINE)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "DJANGO_DB_DEADLINE"}).stdout
    assert out.strip().splitlines()[-1] == "3.0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the deadline is kept by the PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_gives_a_503_within_the_deadline(client, make_user, settings):
    """A real wait that never ends by itself: another session holds the row the save must lock."""
    import time

    import psycopg

    from .factories import EvidenceFactory, GoalFactory

    settings.DB_DEADLINE = 1
    evidence = EvidenceFactory(goal=GoalFactory(number=3))
    client.raise_request_exception = False
    client.force_login(make_user("qisg"))
    db = connection.settings_dict
    other = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None)
    try:
        other.execute("SELECT id FROM goals_evidenceitem WHERE id = %s FOR UPDATE", [evidence.pk])
        started = time.monotonic()
        response = client.post(reverse("goals:evidence_edit", args=[evidence.pk]), {
            "kind": "other", "date": "01/03/2023", "title": "T", "summary": "S", "link": "", "ambition": "", "version": 1})
        took = time.monotonic() - started
    finally:
        other.close()
        connection.close()  # the request's connection was cut; the test client does not close it
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert took < 3
    assert "Sorry, the service is unavailable" in response.content.decode()
