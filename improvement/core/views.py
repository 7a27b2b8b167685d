"""Pages of the project itself: the health check, the 500 handler, logging out and the locked-out page."""

import sys

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .roles import public

DATABASE_FAULTS = (OperationalError, InterfaceError)


@never_cache
@require_safe
@public
def healthz(request):
    """For load balancers and Docker: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database fault means "not healthy"; the details stay in the logs
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def unavailable(retry_after):
    """The "service unavailable" page (503), asking to come back in `retry_after` seconds."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after)
    return response


@public
def server_error(request):
    """Django's 500 handler. A database fault gets a 503 "service unavailable" page, without a stack trace, and a
    Retry-After; the app recovers by itself when the database is back (conn_health_checks reconnects)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_FAULTS):
        return unavailable(30)
    return HttpResponse(render_to_string("500.html"), status=500)


class LogoutView(auth_views.LogoutView):
    """Django's logout (a POST), then the login page says so."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have logged out.")
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout (AXES_LOCKOUT_CALLABLE): a page that says when the lock ends, and leads back to logging in.

    The lock ends a cool-off after the newest failed attempt of this username from this address."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    newest = (AccessAttempt.objects.filter(username=username, ip_address=getattr(request, "axes_ip_address", None))
              .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    return render(request, "registration/locked_out.html", {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "unlocks_at": (newest or timezone.now()) + cool_off if cool_off else None,
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
