"""Load the demonstration data: a fictional country, its partners, strategy, pages, meetings,
assessments, a year of activity reports and one account per role.

Idempotent: running it again updates the demo records instead of duplicating them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from activities import demo as activities_demo
from assessments import demo as assessments_demo
from locations import demo as locations_demo
from meetings import demo as meetings_demo
from pages import demo as pages_demo
from partners import demo as partners_demo
from strategy import demo as strategy_demo

# In dependency order: each step finds what the earlier ones made.
STEPS = [
    locations_demo.seed,
    partners_demo.seed,
    strategy_demo.seed,
    pages_demo.seed,
    meetings_demo.seed,
    assessments_demo.seed,
    activities_demo.seed,
]


class Command(BaseCommand):
    help = "Load or refresh the demonstration data (fictional country, partners, demo accounts)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for step in STEPS:
                self.stdout.write(step())
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
