"""Every page (every URL of the access table that answers 200) carries the security headers."""

from django.urls import reverse

from ..test_access import ACCESS, sample_urls  # noqa: F401 (a fixture)


def test_every_page_carries_the_security_headers(client, make_user, sample_urls):
    client.force_login(make_user("admin"))
    checked = 0
    for name, (get_expected, _) in ACCESS.items():
        if get_expected["admin"] != 200 or name == "report_pdf":  # the PDF is checked below, once
            continue
        response = client.get(sample_urls[name], secure=True)
        assert response.status_code == 200, name
        csp = response["Content-Security-Policy"]
        script_src = csp.split("script-src")[1].split(";")[0]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, name
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), name
        checked += 1
    assert checked >= 30


def test_cookies_are_secure_and_http_only_in_production(client, make_user):
    make_user("board")
    response = client.post(reverse("login"), {"username": "board", "password": "correct-horse-battery"}, secure=True)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_exports_are_downloads(client, make_user, sample_urls):
    client.force_login(make_user("admin"))
    response = client.get(sample_urls["dashboard_export"], secure=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_503_page_carries_the_headers_when_the_session_cannot_be_read(client, make_user, goal):
    """A database fault where the session is read (the first thing a request asks of the database) answers from
    below the session middleware: the header middleware must sit above it."""
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client.raise_request_exception = False
    client.force_login(make_user("board"))
    with mock.patch.object(SessionStore, "_get_session_from_db", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("goals:goal_detail", args=[3]), secure=True)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert_security_headers(response)


def test_the_500_page_carries_the_headers_when_the_session_middleware_fails(client, make_user, goal):
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore

    client.raise_request_exception = False
    client.force_login(make_user("board"))
    with mock.patch.object(SessionStore, "_get_session_from_db", side_effect=ValueError("a bug")):
        response = client.get(reverse("goals:goal_detail", args=[3]), secure=True)
    assert response.status_code == 500
    assert_security_headers(response)


def test_every_page_with_partner_personal_data_is_no_store(client, make_user, sample_urls):
    client.force_login(make_user("partneradmin"))
    checked = 0
    for name, (get_expected, _) in ACCESS.items():
        if not name.startswith("partners:") or name == "partners:figures" or get_expected["partneradmin"] != 200:
            continue
        response = client.get(sample_urls[name], secure=True)
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        checked += 1
    assert checked >= 10


def test_opening_a_partner_s_edit_form_is_in_their_access_log(client, make_user):
    from partners.models import AccessAction, PartnerAccessLog

    from ..partners.factories import PartnerFactory

    partner = PartnerFactory()
    admin = make_user("partneradmin")
    client.force_login(admin)
    html = client.get(reverse("partners:partner_edit", args=[partner.pk]), secure=True).content.decode()
    assert partner.email in html
    log = PartnerAccessLog.objects.get(partner=partner)
    assert (log.user, log.action) == (admin, AccessAction.VIEWED)
