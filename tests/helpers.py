import io

from django.core.management import call_command
from django.test import TestCase

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(response):
    return response.content.decode()


def log_in(client, username, password="improve-demo"):
    """Log in through the real login page (login throttling needs the request)."""
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return response


def seed_demo(*args):
    """`seed_demo`, with what its commit sets off (the derived measures, the data stamp) run at its end, as when the
    command commits for real: a test that is not transactional never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=io.StringIO())
