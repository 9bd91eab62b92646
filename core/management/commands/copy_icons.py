"""Copy the icons the portal uses (``core.icons.ICONS``) from the pinned npm package."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from core.icons import FOLDER, ICONS, PACKAGE


class Command(BaseCommand):
    help = "Copy the icons the portal uses from node_modules/bootstrap-icons to static/icons."

    def handle(self, *args, **options):
        if not PACKAGE.is_dir():
            raise CommandError(f"{PACKAGE} is missing: run npm ci first.")
        FOLDER.mkdir(parents=True, exist_ok=True)
        for stale in FOLDER.glob("*.svg"):
            if stale.stem not in ICONS:
                stale.unlink()
        for name in ICONS:
            shutil.copyfile(PACKAGE / f"{name}.svg", FOLDER / f"{name}.svg")
        shutil.copyfile(PACKAGE.parent / "LICENSE", FOLDER / "LICENSE")
        self.stdout.write(f"{len(ICONS)} icons copied to {FOLDER}.")
