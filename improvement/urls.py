from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm
from .roles import allowed, public

urlpatterns = [
    path("", include("goals.urls")),
    path("login/", public(auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)), name="login"),
    path("logout/", allowed()(auth_views.LogoutView.as_view()), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
