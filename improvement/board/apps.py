from django.apps import AppConfig


class BoardConfig(AppConfig):
    """The one place that reads across the apps: the dashboard, the board papers, derived measures and the PDF."""

    name = "improvement.board"
    label = "board"
    verbose_name = "Board papers"

    def ready(self):
        from improvement.core.stamp import after_writes

        from .derived import refresh_after

        after_writes(refresh_after)
