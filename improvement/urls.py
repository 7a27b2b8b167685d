from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from improvement.api.urls import urls as api_urls
from improvement.core import views as core_views
from improvement.core.forms import LoginForm
from improvement.core.roles import allowed, public

urlpatterns = [
    path("", include("goals.urls")),
    path("training/", include("training.urls")),
    path("partners/", include("partners.urls")),
    path("", include("improvement.board.urls")),
    path("login/", public(auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)), name="login"),
    path("logout/", allowed()(core_views.LogoutView.as_view()), name="logout"),
    path("api/v1/", api_urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
if settings.BENCH_URLS:
    urlpatterns.append(path("", include("improvement.demo.urls")))

handler500 = "improvement.core.views.server_error"
