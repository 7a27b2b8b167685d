from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, the trust-scale generator, `seed_demo` and the benchmark's own views (off in production)."""

    name = "improvement.demo"
    label = "demo"
    verbose_name = "Demo data"
