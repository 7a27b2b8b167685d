"""Login throttling behind the trust's proxy (issue 16, item 1): the client's address comes from X-Forwarded-For by
the trusted hop count (django-ipware, DJANGO_PROXY_COUNT), a lockout is for one username from one address, and one
address is limited across usernames."""

import runpy
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from improvement.core.logins import ADDRESS_FAILURE_LIMIT

SETTINGS = Path(__file__).resolve().parents[2] / "improvement" / "settings.py"


@pytest.fixture
def proxy_count(settings, monkeypatch):
    """The settings as settings.py makes them from DJANGO_PROXY_COUNT."""
    def apply(count):
        monkeypatch.setenv("DJANGO_PROXY_COUNT", str(count))
        made = runpy.run_path(str(SETTINGS))
        for name in ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "IPWARE_STRICT"):
            setattr(settings, name, made[name])
    return apply


def login(client, username, password, forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail_five_times(client, username, forwarded_for):
    return [login(client, username, "wrong", forwarded_for).status_code for _ in range(5)]


def test_behind_the_proxy_a_lockout_keys_on_the_client_address_not_the_proxy_s(client, make_user, proxy_count):
    proxy_count(1)
    make_user("partneradmin")
    assert fail_five_times(client, "partneradmin", "203.0.113.66") == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    assert login(client, "partneradmin", "correct-horse-battery", "203.0.113.66").status_code == 429
    # the right password from another client gets in
    assert login(client, "partneradmin", "correct-horse-battery", "198.51.100.7").status_code == 302


def test_a_client_cannot_choose_its_address_by_writing_x_forwarded_for_itself(client, make_user, proxy_count):
    proxy_count(1)
    make_user("board")
    # the proxy appends the address it was reached from; whatever the client wrote stays to its left
    codes = [login(client, "board", "wrong", f"10.9.8.{n}, 203.0.113.66").status_code for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]


def test_without_a_proxy_x_forwarded_for_is_ignored(client, make_user, proxy_count):
    proxy_count(0)
    make_user("board")
    codes = [login(client, "board", "wrong", f"203.0.113.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_password_spraying_from_one_address_is_stopped_across_usernames(client, make_user, proxy_count):
    proxy_count(1)
    make_user("qisg")
    codes = [login(client, f"user{n}", "wrong", "203.0.113.66").status_code for n in range(ADDRESS_FAILURE_LIMIT)]
    assert codes[:-1] == [200] * (ADDRESS_FAILURE_LIMIT - 1) and codes[-1] == 429
    assert login(client, "qisg", "correct-horse-battery", "203.0.113.66").status_code == 429
    assert login(client, "qisg", "correct-horse-battery", "198.51.100.7").status_code == 302


def test_a_good_login_does_not_clear_the_address_s_count(client, make_user, proxy_count):
    proxy_count(1)
    make_user("qisg")
    for n in range(ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"user{n}", "wrong", "203.0.113.66")
    assert login(client, "qisg", "correct-horse-battery", "203.0.113.66").status_code == 302
    client.post(reverse("logout"))
    assert login(client, "someone", "wrong", "203.0.113.66").status_code == 429
