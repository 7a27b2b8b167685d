from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("goals/<int:number>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:number>/history/", views.goal_history, name="goal_history"),
    path("goals/<int:number>/evidence/new/", views.evidence_new, name="evidence_new"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/history/", views.evidence_history, name="evidence_history"),
    path("goals/<int:number>/updates/new/", views.update_new, name="update_new"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:pk>/history/", views.update_history, name="update_history"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/points/", views.point_add, name="point_add"),
    path("measures/<int:pk>/import/", views.measure_import, name="measure_import"),
    path("measures/<int:pk>/rebases/", views.rebase_add, name="rebase_add"),
]
