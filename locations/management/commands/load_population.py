"""Load the population per admin area and year from an OCHA COD-PS table (CSV or XLSX)."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from locations.population import PopulationFileError
from locations.services import area_populations_load


class Command(BaseCommand):
    help = (
        "Load the population of each admin area from a COD-PS table, CSV or XLSX (ADM1_PCODE, "
        "ADM2_PCODE..., T_TL, optionally F_TL, M_TL and the age bands). Idempotent: an area's "
        "figure of the same year is replaced, nothing is duplicated or deleted. If any row is "
        "bad, every problem is listed and nothing is loaded."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Path to the CSV (UTF-8) or XLSX file.")
        parser.add_argument(
            "--year",
            type=int,
            help="Year of the figures; by default, the file's year or reference_year column.",
        )
        parser.add_argument(
            "--source", required=True, help='Where the figures come from, e.g. "OCHA COD-PS 2025".'
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without changing anything.",
        )

    def handle(
        self, *args, file: Path, year: int | None, source: str, dry_run: bool, **options
    ) -> None:
        try:
            opened = file.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        try:
            with opened:
                report = area_populations_load(
                    data=File(opened, name=file.name), year=year, source=source, dry_run=dry_run
                )
        except PopulationFileError as error:
            lines = "\n".join(str(problem) for problem in error.problems)
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s); nothing was loaded.\n{lines}"
            ) from error

        for change in report.added:
            self.stdout.write(f"added    {change.pcode}  {change.name_en}  {change.new_total}")
        for change in report.changed:
            totals = f"{change.old_total} → {change.new_total}"
            self.stdout.write(f"changed  {change.pcode}  {change.name_en}  {totals}")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        prefix = "Dry run, nothing changed: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(f"{prefix}{report.year}, {report.source}: {report.summary()}")
        )
