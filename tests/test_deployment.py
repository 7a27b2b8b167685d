"""Settings from the environment: production refuses to start unsafely, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "improvement.settings",
    "DJANGO_SECRET_KEY": "a-real-looking-secret-key-for-the-check-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "improvement.example.nhs.uk",
    "DJANGO_DEBUG": "0",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SSO = {"DJANGO_OIDC_ISSUER": "https://login.microsoftonline.com/0000-tenant/v2.0", "DJANGO_OIDC_CLIENT_ID": "app-id",
       "DJANGO_OIDC_CLIENT_SECRET": "a-secret", "DJANGO_OIDC_ROLE_BOARD_MEMBER": "group-1, group-2"}


def test_single_sign_on_from_the_environment_passes_check_deploy_and_lets_its_logout_through_the_csp():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **SSO, "DJANGO_LOCAL_LOGIN": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    shell = manage("shell", "-c", "from django.conf import settings as s; print(*s.SECURE_CSP['form-action'], s.OIDC_ROLES['Board member'])",
                   env={**PRODUCTION, **SSO})
    assert shell.stdout.strip().splitlines()[-1] == "'self' https://login.microsoftonline.com ['group-1', 'group-2']", shell.stderr


@pytest.mark.parametrize("env, message", [
    ({"DJANGO_LOCAL_LOGIN": "0"}, "DJANGO_LOCAL_LOGIN=0 needs single sign-on"),
    ({**SSO, "DJANGO_OIDC_CLIENT_SECRET": ""}, "DJANGO_OIDC_CLIENT_ID and DJANGO_OIDC_CLIENT_SECRET are needed"),
])
def test_a_single_sign_on_that_could_not_work_refuses_to_start(env, message):
    result = manage("check", env={**PRODUCTION, **env})
    assert result.returncode != 0 and message in result.stderr


def test_the_models_and_migrations_agree(tmp_path):
    empty_database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = manage("makemigrations", "--check", "--dry-run", env={**PRODUCTION, **empty_database})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_health_check_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_every_page_carries_the_security_headers(qisg_client, goal):
    response = qisg_client.get(reverse("goals:goal_detail", args=[3]), secure=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_collectstatic_resolves_every_asset_the_stylesheets_refer_to(tmp_path):
    # The manifest storage fails on a url() in CSS that points at a missing file (e.g. NHS.UK's /assets/).
    result = manage("collectstatic", "--no-input", env={**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert (tmp_path / "vendor" / "plotly" / "plotly.min.js").exists()


def test_loading_the_wsgi_app_compiles_every_template_without_a_database_connection():
    """gunicorn preloads the app in its master process (gunicorn.conf.py): a database connection opened there
    would be shared by every forked worker. The warm-up compiles every project template, so a broken one fails here."""
    code = (
        "from django.db import connections\n"
        "import improvement.wsgi\n"
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "assert any(key.startswith('board/dashboard.html') for key in loader.get_template_cache), 'not compiled'\n"
        "assert all(c.connection is None for c in connections.all(initialized_only=True)), 'a connection was opened'\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_benchmark_s_own_views_are_off_unless_asked_for(client, settings, make_user):
    import importlib

    from django.urls import clear_url_caches

    import improvement.urls

    client.force_login(make_user("board"))
    try:
        settings.BENCH_URLS = False
        importlib.reload(improvement.urls)
        clear_url_caches()
        assert client.get("/bench/floor/").status_code == 404
    finally:
        settings.BENCH_URLS = True
        importlib.reload(improvement.urls)
        clear_url_caches()
    assert client.get("/bench/floor/").status_code == 200


def test_a_yes_no_setting_refuses_a_value_it_does_not_know(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from improvement.settings import env_bool

    monkeypatch.setenv("DJANGO_DEBUG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 1 or 0"):
        env_bool("DJANGO_DEBUG")
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    assert env_bool("DJANGO_DEBUG", default=True) is False
