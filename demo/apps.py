from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models and no pages: the ``seed_demo`` command and the seeds it runs."""

    name = "demo"
