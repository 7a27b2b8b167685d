from django.urls import path

from . import views

urlpatterns = [
    path("welcome/", views.landing, name="landing"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/headline-figures.csv", views.dashboard_export, name="dashboard_export"),
    path("dashboard/headline-figures.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("report/", views.reports, name="reports"),
    path("report/<int:year>/", views.report, name="report"),
    path("report/<int:year>/start/", views.report_start, name="report_start"),
    path("report/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("report/<int:year>/share/", views.report_share, name="report_share"),
    path("report/<int:year>/present/", views.report_present, name="report_present"),
    path("report/<int:year>/amend/", views.report_amend, name="report_amend"),
    path("report/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path("report/earlier/<int:pk>/", views.earlier_report, name="earlier_report"),
    path("report/earlier/<int:pk>/pdf/", views.earlier_report_pdf, name="earlier_report_pdf"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/pack/", views.meeting_pack, name="meeting_pack"),
    path("meetings/<int:pk>/pack.pdf", views.meeting_pack_pdf, name="meeting_pack_pdf"),
    path("strategy/file/", views.strategy_file, name="strategy_file"),
    path("strategy/file/export.yaml", views.strategy_file_export, name="strategy_file_export"),
    path("reminders/", views.reminder_preferences, name="reminder_preferences"),
]
