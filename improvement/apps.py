from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = "Improvement Tracker"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from simple_history.signals import post_create_historical_record

        from .audit import log_write
        from .freshness import connect_signals
        from .sessions import pushed_on_at_login

        post_create_historical_record.connect(log_write, dispatch_uid="improvement.audit")
        user_logged_in.connect(pushed_on_at_login, dispatch_uid="improvement.sessions")
        connect_signals(self)
