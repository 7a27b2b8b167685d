from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm
from .roles import allowed, public

urlpatterns = [
    path("", include("goals.urls")),
    path("training/", include("training.urls")),
    path("partners/", include("partners.urls")),
    path("login/", public(auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)), name="login"),
    path("logout/", allowed()(auth_views.LogoutView.as_view()), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("welcome/", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/headline-figures.csv", views.dashboard_export, name="dashboard_export"),
    path("report/<int:year>/", views.report, name="report"),
    path("report/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("report/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path("bench/floor/", views.bench_floor, name="bench_floor"),
    path("admin/", admin.site.urls),
]

handler500 = "improvement.views.server_error"
