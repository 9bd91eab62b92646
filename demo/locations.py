"""Demonstration admin areas: the fictional country of Demoland, loaded like any COD-AB file."""

from pathlib import Path

from django.conf import settings

from locations.services import admin_areas_load


def demo_file() -> Path:
    return Path(settings.BASE_DIR) / "data" / "demo" / "admin_areas.csv"


def seed() -> str:
    """Load (or refresh) Demoland's areas; running it again changes nothing."""
    report = admin_areas_load(data=demo_file().read_bytes())
    return f"Admin areas (Demoland): {report.summary()}"
