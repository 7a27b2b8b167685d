from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The project package. As an app it only keeps the migrations that created the board report and data stamp
    tables before they moved to improvement.board and improvement.core (see its migration 0008)."""

    name = "improvement"
    verbose_name = "Improvement Tracker"
