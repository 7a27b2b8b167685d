from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The floor every app stands on: roles, forms, periods, CSV reading, charts' layout, sessions, audit and the
    data stamp. It imports no app of ours."""

    name = "improvement.core"
    label = "core"
    verbose_name = "Improvement Tracker: core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .roles import sync_roles_after_migrate
        from .sessions import pushed_on_at_login
        from .stamp import connect_signals

        user_logged_in.connect(pushed_on_at_login, dispatch_uid="improvement.sessions")
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="improvement.roles")
        connect_signals(self)
