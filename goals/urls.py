from django.urls import path

from . import programme_views, views

app_name = "goals"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("goals/<int:number>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:number>/history/", views.goal_history, name="goal_history"),
    path("goals/<int:number>/evidence/new/", views.evidence_new, name="evidence_new"),
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/history/", views.evidence_history, name="evidence_history"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
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
    path("programme/collaboratives/", programme_views.collaborative_list, name="collaborative_list"),
    path("programme/collaboratives/new/", programme_views.collaborative_new, name="collaborative_new"),
    path("programme/collaboratives/<int:pk>/", programme_views.collaborative_detail, name="collaborative_detail"),
    path("programme/collaboratives/<int:pk>/edit/", programme_views.collaborative_edit, name="collaborative_edit"),
    path("programme/collaboratives/<int:pk>/step-down/", programme_views.collaborative_step_down, name="collaborative_step_down"),
    path("programme/collaboratives/<int:pk>/members/", programme_views.member_add, name="member_add"),
    path("programme/events/", programme_views.event_list, name="event_list"),
    path("programme/events/new/", programme_views.event_new, name="event_new"),
    path("programme/events/<int:pk>/edit/", programme_views.event_edit, name="event_edit"),
    path("programme/waste/", programme_views.waste_list, name="waste_list"),
    path("programme/waste/new/", programme_views.lean_new, name="lean_new"),
    path("programme/waste/<int:pk>/edit/", programme_views.lean_edit, name="lean_edit"),
]
