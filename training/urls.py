from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("import/", views.import_training, name="import_training"),
    path("feedback/import/", views.import_feedback, name="import_feedback"),
]
