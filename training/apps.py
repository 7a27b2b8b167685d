from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self):
        from improvement.core.stamp import after_writes

        from .stored import refresh_after

        after_writes(refresh_after)  # the stored training figures follow every commit that changed their records
