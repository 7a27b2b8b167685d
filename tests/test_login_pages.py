"""The locked-out page says when to try again and leads back to the login page; logging out says so."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from .helpers import text_of


def fail(client, times, username="board"):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    return response


def test_the_locked_out_page_says_when_to_try_again_and_links_to_the_login_page(client, make_user):
    make_user("board")
    response = fail(client, 5)
    assert response.status_code == 429
    html = text_of(response)
    newest = AccessAttempt.objects.get(username="board").attempt_time
    unlocks = timezone.localtime(newest + datetime.timedelta(minutes=15))
    assert "locked for 15 minutes after the last failed attempt" in html
    assert f"You can try again after <strong>{unlocks:%H:%M}</strong>" in html
    assert f'<a class="nhsuk-button" href="{reverse("login")}">Go to the log in page</a>' in html


def test_the_time_to_try_again_follows_the_newest_failed_attempt(client, make_user):
    make_user("board")
    fail(client, 5)
    earlier = timezone.now() - datetime.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=earlier)  # the lock began ten minutes ago: five minutes left
    html = text_of(client.post(reverse("login"), {"username": "board", "password": "wrong"}))
    attempt = AccessAttempt.objects.get(username="board").attempt_time
    assert f"after <strong>{timezone.localtime(attempt + datetime.timedelta(minutes=15)):%H:%M}</strong>" in html


def test_once_the_lock_has_passed_the_login_page_works_again(client, make_user):
    make_user("board")
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(reverse("login"), {"username": "board", "password": "correct-horse-battery"})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["board", "qisg", "partneradmin", "admin"])
def test_logging_out_says_so_on_the_login_page(client, make_user, role):
    client.force_login(make_user(role))
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have logged out." in text_of(response)
    assert "_auth_user_id" not in client.session
