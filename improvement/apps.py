from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = "Improvement Tracker"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from .audit import log_write

        post_create_historical_record.connect(log_write, dispatch_uid="improvement.audit")

        from .freshness import connect_signals

        connect_signals()
