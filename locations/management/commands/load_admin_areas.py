"""Load or refresh the admin areas from an OCHA COD-AB style CSV file, or their boundaries
from the COD-AB GeoJSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locations.loader import AdminAreaFileError
from locations.services import admin_areas_load


class Command(BaseCommand):
    help = (
        "Load admin areas from a COD-AB style CSV (ADM1_EN, ADM1_PCODE, ADM2_EN, ...), or "
        "with their boundaries from the COD-AB GeoJSON (one feature per area). "
        "Idempotent: names are updated, nothing is duplicated or deleted. If any line is "
        "bad, every problem is listed and nothing is loaded."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Path to the CSV or GeoJSON file (UTF-8).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without changing anything.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            opened = file.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        try:
            with opened:
                report = admin_areas_load(data=opened, dry_run=dry_run)
        except AdminAreaFileError as error:
            lines = "\n".join(str(problem) for problem in error.problems)
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s); nothing was loaded.\n{lines}"
            ) from error

        for area in report.added:
            self.stdout.write(f"added    {area.pcode}  {area.name_en}")
        for area in report.renamed:
            self.stdout.write(
                f"renamed  {area.pcode}  {area.old_name_en} / {area.old_name_ar}"
                f"  →  {area.new_name_en} / {area.new_name_ar}"
            )
        if report.left_unchanged:
            self.stdout.write(
                "not in the file, left unchanged: " + ", ".join(report.left_unchanged)
            )
        prefix = "Dry run, nothing changed: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
