"""Pages of the project itself: the health check, the 500 handler, logging in (by password or single sign-on) and
out, and the locked-out page."""

import sys
from urllib.parse import urlsplit

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import sso
from .forms import LoginForm
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


class LoginView(auth_views.LoginView):
    """The login page: a button for single sign-on when it is set up, and the username and password form unless the
    trust has switched local login off (then a posted password is refused without being checked)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            return render(request, "registration/login.html", self.get_context_data(password_refused=True), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, local_login=settings.LOCAL_LOGIN, single_sign_on=sso.enabled())

    def get_redirect_url(self):
        """`next`, unless it is this login page (for someone logged in, Django would raise "redirection loop")."""
        url = super().get_redirect_url()
        return "" if urlsplit(url).path == self.request.path else url


class LogoutView(auth_views.LogoutView):
    """Django's logout (a POST), then the login page says so. After a single sign-on the provider's session ends
    too, where the provider offers it: the browser goes by its end-session page, which returns to the login page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have logged out.")
        if id_token:
            return HttpResponseRedirect(sso.logout_url(request, id_token))
        return response


class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (mozilla-django-oidc: state, nonce and PKCE in the session)."""

    http_method_names = ["get", "head"]

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)  # its own reads settings the provider holds
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not sso.enabled():
            raise Http404("Single sign-on is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.provider().authorization_endpoint
        except sso.ProviderUnavailable as error:
            sso.logger.warning("single sign-on unavailable: %s", error)
            return unavailable(60)
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refused sign-in goes to the page that says why."""

    http_method_names = ["get", "head"]

    @property
    def failure_url(self):
        return reverse("sso_refused")

    def get(self, request):
        if not sso.enabled():
            raise Http404("Single sign-on is not set up.")
        if request.GET.get("error"):
            # The provider says the sign-in did not happen (cancelled, or refused there). The library would log out
            # whoever is logged in here: a link from any site could do that, and logging out is a POST (CSRF).
            states = request.session.get("oidc_states")
            if isinstance(states, dict) and states.pop(request.GET.get("state"), None) is not None:
                request.session.modified = True  # that state can be used no more
            request.session[sso.REFUSED] = sso.FAILED
            return self.login_failure()
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a state this browser did not start: a replay, or another tab's
            sso.logger.warning("single sign-on refused: %s", error)
            request.session[sso.REFUSED] = sso.FAILED
            return HttpResponseRedirect(self.failure_url)


@never_cache
@require_safe
@public
def sso_refused(request):
    """Why a single sign-on did not log in: no role here, or the account deactivated here (ask your administrator),
    or the sign-in failed."""
    if not sso.enabled():
        raise Http404("Single sign-on is not set up.")
    reason = request.session.pop(sso.REFUSED, sso.FAILED)
    return render(request, "registration/sso_refused.html",
                  {"no_role": reason == sso.NO_ROLE, "deactivated": reason == sso.DEACTIVATED}, status=403)


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
