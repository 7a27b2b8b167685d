"""EMAIL_URL, read as the ecosystem writes it (dj-email-url), with STARTTLS on the submission port and smtps:// as TLS
from the start."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from improvement.settings import email_settings


def test_smtp_on_the_submission_port_speaks_starttls():
    conf = email_settings("smtp://reminders:p%40ss%2Fword@smtp.example.nhs.uk:587")
    assert (conf["EMAIL_BACKEND"], conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == (
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.nhs.uk", 587)
    assert (conf["EMAIL_HOST_USER"], conf["EMAIL_HOST_PASSWORD"]) == ("reminders", "p@ss/word")
    assert (conf["EMAIL_USE_TLS"], conf["EMAIL_USE_SSL"], conf["EMAIL_TIMEOUT"]) == (True, False, 20)


def test_smtps_is_tls_from_the_start_and_a_query_decides_explicitly():
    conf = email_settings("smtps://u:p@smtp.example.nhs.uk")
    assert (conf["EMAIL_PORT"], conf["EMAIL_USE_SSL"], conf["EMAIL_USE_TLS"]) == (465, True, False)
    plain = email_settings("smtp://relay.trust.local:25")
    assert (plain["EMAIL_USE_TLS"], plain["EMAIL_USE_SSL"]) == (False, False)
    chosen = email_settings("smtp://relay.trust.local:587?tls=0&timeout=5")
    assert (chosen["EMAIL_USE_TLS"], chosen["EMAIL_TIMEOUT"]) == (False, 5)


def test_console_in_development_and_a_wrong_scheme_stops_the_app():
    assert email_settings("console:")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start smtp://"):
        email_settings("smpt://typo.example.nhs.uk")
