"""Load the demonstration data: a fictional country, its partners, strategy, pages, meetings,
assessments, a year of activity reports, partners' projects, the plan per area (caseloads
and indicators' targets per governorate), monitoring periods (last month closed) and one
account per role.

Idempotent: running it again updates the demo records instead of duplicating them.

The demo accounts (a site administrator among them) have a published password, so it runs
only when ``DEMO_MODE`` is on: by default in the embedded mode (``DEBUG`` on, ``make run``),
and with ``DEBUG`` off only when the environment sets ``DEMO_MODE=true`` explicitly.

``--scale N`` loads instead the large dataset of ``demo.scale`` (N activity
report rows over five years, 300 districts, 150 organisations) into an empty database, for
measuring the portal at scale; it refuses to run on a database that holds data. It creates
no account, so it runs whatever ``DEMO_MODE`` says: the benchmarks load it under production
settings.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from analysis import services as analysis_services
from demo import activities as activities_demo
from demo import assessments as assessments_demo
from demo import bulletins as bulletins_demo
from demo import facilities as facilities_demo
from demo import locations as locations_demo
from demo import meetings as meetings_demo
from demo import monitoring as monitoring_demo
from demo import pages as pages_demo
from demo import partners as partners_demo
from demo import planning as planning_demo
from demo import projects as projects_demo
from demo import scale as demo_scale
from demo import strategy as strategy_demo


def analysis_seed() -> str:
    """Refill the analysis table: the demo reports are validated in bulk, not one by one."""
    return f"Analysis: {analysis_services.rebuild_all()} validated figures."


# In dependency order: each step finds what the earlier ones made.
STEPS = [
    locations_demo.seed,
    partners_demo.seed,
    strategy_demo.seed,
    pages_demo.seed,
    meetings_demo.seed,
    assessments_demo.seed,
    activities_demo.seed,
    facilities_demo.seed,
    projects_demo.seed,
    # The 4W rows name the projects covering them, once both are there.
    projects_demo.link_rows,
    planning_demo.seed,
    analysis_seed,
    # Frozen from the figures above: after the reports, the plan and the analysis.
    monitoring_demo.seed,
    # Built for real (snapshot and PDF in this process) and published: a few seconds.
    bulletins_demo.seed,
]


class Command(BaseCommand):
    help = "Load or refresh the demonstration data (fictional country, partners, demo accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help=(
                "Instead, load a large dataset of N activity report rows over five years "
                "into an empty database (for benchmarks)."
            ),
        )

    def handle(self, *args, **options) -> None:
        if options["scale"] is not None:
            self._scale(options["scale"])
            return
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_demo creates demo accounts with a published password, among them a site "
                "administrator, so it runs only when DEMO_MODE is on. It is on by default "
                "with DEBUG on (make run); with DEBUG off, set DEMO_MODE=true explicitly, "
                "and never on a production database."
            )
        with transaction.atomic():
            for step in STEPS:
                self.stdout.write(step())
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _scale(self, rows: int) -> None:
        if rows < 1:
            raise CommandError("--scale needs a number of rows of 1 or more.")
        found = demo_scale.existing_data()
        if found:
            listed = ", ".join(f"{count} {label}" for label, count in found.items())
            raise CommandError(
                f"--scale loads into an empty database, and this one holds data ({listed}). "
                "Create a new database, migrate it, and run the command there."
            )
        self.stdout.write(f"Loading the large dataset ({rows:,} activity report rows):")
        counts = demo_scale.build(rows=rows, log=self.stdout.write)
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS("Large dataset ready."))
