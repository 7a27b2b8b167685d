"""What the request log holds (issue 16, item 10): a 403 in one line without a traceback; an IntegrityError with its
traceback but not the values that clashed."""

import logging
from unittest import mock

from django.db import IntegrityError
from django.urls import reverse


def request_log(caplog):
    handler = logging.StreamHandler()
    return "\n".join(handler.format(r) for r in caplog.records if r.name == "django.request")


def test_a_403_is_logged_in_one_line_without_a_traceback(client, make_user, goal, caplog):
    client.force_login(make_user("board"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("goals:evidence_new", args=[3])).status_code == 403
    log = request_log(caplog)
    assert "Forbidden" in log and "/goals/3/evidence/new/" in log
    assert "Traceback" not in log and len(log.splitlines()) == 1


def test_an_integrity_error_is_logged_without_the_values_that_clashed(client, make_user, goal, caplog):
    client.raise_request_exception = False
    client.force_login(make_user("board"))
    error = IntegrityError('duplicate key value violates unique constraint "partners_partner_email"\n'
                           "DETAIL:  Key (email)=(roisin@example.org) already exists.")
    with caplog.at_level(logging.ERROR, logger="django.request"), \
            mock.patch("goals.strategy.views._current_strategy", side_effect=error):
        assert client.get(reverse("goals:goal_detail", args=[3])).status_code == 500
    log = request_log(caplog)
    assert "Traceback" in log and "partners_partner_email" in log
    assert "roisin@example.org" not in log and "(the values are not logged)" in log
