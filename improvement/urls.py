from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from improvement.api.urls import urls as api_urls
from improvement.core import views as core_views
from improvement.core.roles import allowed, public

urlpatterns = [
    path("", include("goals.urls")),
    path("training/", include("training.urls")),
    path("partners/", include("partners.urls")),
    path("", include("improvement.board.urls")),
    path("login/", public(core_views.LoginView.as_view()), name="login"),
    path("login/sso/", public(core_views.SignInStart.as_view()), name="sso_start"),
    path("login/sso/callback/", public(core_views.SignInCallback.as_view()), name="sso_callback"),
    path("login/sso/refused/", core_views.sso_refused, name="sso_refused"),
    path("logout/", allowed()(core_views.LogoutView.as_view()), name="logout"),
    path("api/v1/", api_urls),
    path("healthz", core_views.healthz, name="healthz"),
    # The Django admin logs in by the one login page: single sign-on or password, whichever the trust allows.
    path("admin/login/", public(RedirectView.as_view(pattern_name="login", query_string=True))),
    # and logs out by the one logout, which ends the provider's session too after a single sign-on
    path("admin/logout/", allowed()(core_views.LogoutView.as_view())),
    path("admin/", admin.site.urls),
]
if settings.BENCH_URLS:
    urlpatterns.append(path("", include("improvement.demo.urls")))

handler500 = "improvement.core.views.server_error"
