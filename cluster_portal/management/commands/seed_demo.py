"""Load the demonstration data: a fictional country, its partners and one account per role.

Idempotent: running it again updates the demo records instead of duplicating them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from locations import demo as locations_demo
from partners import demo as partners_demo


class Command(BaseCommand):
    help = "Load or refresh the demonstration data (fictional country, partners, demo accounts)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for step in (locations_demo.seed, partners_demo.seed):
                summary = step()
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
