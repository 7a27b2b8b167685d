"""Settings from the environment: production refuses to start unsafely, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

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
