from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API for the trust's BI and data warehouse (reads across the apps, so it sits above them), its
    tokens, the Excel exports and the search."""

    name = "improvement.api"
    label = "api"
    verbose_name = "Data in and out"
