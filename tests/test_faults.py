"""A database fault gives a clear 503 page (no stack trace) and /healthz reports it."""

from unittest import mock

from django.db import OperationalError
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
