from django.urls import path

from .measures import views as measures
from .programme import views as programme
from .strategy import views as strategy

app_name = "goals"
urlpatterns = [
    path("", strategy.overview, name="overview"),
    path("goals/<int:number>/", strategy.goal_detail, name="goal_detail"),
    path("goals/<int:number>/history/", strategy.goal_history, name="goal_history"),
    path("goals/<int:number>/evidence/new/", strategy.evidence_new, name="evidence_new"),
    path("search/", strategy.search, name="search"),
    path("evidence/", strategy.evidence_list, name="evidence_list"),
    path("evidence/evidence.xlsx", strategy.evidence_xlsx, name="evidence_xlsx"),
    path("evidence/<int:pk>/edit/", strategy.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/history/", strategy.evidence_history, name="evidence_history"),
    path("evidence/<int:pk>/file/", strategy.evidence_file, name="evidence_file"),
    path("goals/<int:number>/updates/new/", strategy.update_new, name="update_new"),
    path("updates/<int:pk>/edit/", strategy.update_edit, name="update_edit"),
    path("updates/<int:pk>/history/", strategy.update_history, name="update_history"),
    path("measures/", measures.measure_list, name="measure_list"),
    path("measures/new/", measures.measure_new, name="measure_new"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/points.xlsx", measures.measure_xlsx, name="measure_xlsx"),
    path("measures/<int:pk>/points/", measures.point_add, name="point_add"),
    path("measures/<int:pk>/points/<int:point_pk>/edit/", measures.point_edit, name="point_edit"),
    path("measures/<int:pk>/points/<int:point_pk>/delete/", measures.point_delete, name="point_delete"),
    path("measures/<int:pk>/import/", measures.measure_import, name="measure_import"),
    path("measures/<int:pk>/rebases/", measures.rebase_add, name="rebase_add"),
    path("measures/<int:pk>/rebases/<int:rebase_pk>/edit/", measures.rebase_edit, name="rebase_edit"),
    path("measures/<int:pk>/rebases/<int:rebase_pk>/delete/", measures.rebase_delete, name="rebase_delete"),
    path("programme/collaboratives/", programme.collaborative_list, name="collaborative_list"),
    path("programme/collaboratives/new/", programme.collaborative_new, name="collaborative_new"),
    path("programme/collaboratives/<int:pk>/", programme.collaborative_detail, name="collaborative_detail"),
    path("programme/collaboratives/<int:pk>/edit/", programme.collaborative_edit, name="collaborative_edit"),
    path("programme/collaboratives/<int:pk>/step-down/", programme.collaborative_step_down, name="collaborative_step_down"),
    path("programme/collaboratives/<int:pk>/members/", programme.member_add, name="member_add"),
    path("programme/events/", programme.event_list, name="event_list"),
    path("programme/events/new/", programme.event_new, name="event_new"),
    path("programme/events/<int:pk>/edit/", programme.event_edit, name="event_edit"),
    path("programme/waste/", programme.waste_list, name="waste_list"),
    path("programme/waste/new/", programme.lean_new, name="lean_new"),
    path("programme/waste/<int:pk>/edit/", programme.lean_edit, name="lean_edit"),
    path("programme/waste/<int:pk>/remeasure/", programme.lean_remeasure, name="lean_remeasure"),
]
