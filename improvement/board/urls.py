from django.urls import path

from . import views

urlpatterns = [
    path("welcome/", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/headline-figures.csv", views.dashboard_export, name="dashboard_export"),
    path("report/<int:year>/", views.report, name="report"),
    path("report/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("report/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
]
