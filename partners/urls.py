from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("new/", views.partner_new, name="partner_new"),
    path("figures/", views.figures, name="figures"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:pk>/leave/", views.partner_leave, name="partner_leave"),
    path("<int:pk>/roles/new/", views.role_new, name="role_new"),
    path("<int:pk>/contributions/new/", views.contribution_new, name="contribution_new"),
    path("<int:pk>/history/", views.partner_history, name="partner_history"),
    path("<int:pk>/export/<str:fmt>/", views.partner_export, name="partner_export"),
    path("<int:pk>/erase/", views.partner_erase, name="partner_erase"),
]
