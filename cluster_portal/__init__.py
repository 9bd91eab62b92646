"""Configuration and composition root of the portal: settings, root URLs, Celery, home page."""

from cluster_portal.celery import app as celery_app

__all__ = ["celery_app"]
