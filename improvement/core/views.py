"""Pages of the project itself: the health check and the 500 handler."""

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
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


@public
def server_error(request):
    """Django's 500 handler. A database fault gets a 503 "service unavailable" page, without a stack trace, and a
    Retry-After; the app recovers by itself when the database is back (conn_health_checks reconnects)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_FAULTS):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
