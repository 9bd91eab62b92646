"""Checking an uploaded zip archive before anything opens it.

Excel and Word files (XLSX, DOCX) are zip archives of XML parts, and so is a zipped
shapefile. A hostile archive can claim gigabytes from kilobytes (a zip bomb) or hold
thousands of entries. The check reads only the archive's directory and refuses either,
before a reader, or a person who downloads the file, opens it. Every upload of an archive
goes through it: the imports (``core.spreadsheets``), assessment attachments and the
boundary uploads; each caller sets the limits that fit what it accepts. Whether the archive
holds the parts of the type it claims is the caller's check.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIB = 1024 * 1024
# Uncompressed ÷ compressed size of any one entry. XML parts compress 5 to 30 times;
# DEFLATE reaches about 1,000 only on repeated bytes, which is what a bomb is made of.
MAX_RATIO = 200


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int
    max_unpacked_bytes: int
    max_ratio: int = MAX_RATIO


def zip_directory(upload) -> list[zipfile.ZipInfo] | None:
    """The entries the archive's directory lists, or None when the upload is no zip archive."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def check_entries(name: str, entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    """Raise a ValidationError naming the file when its entries go past the limits."""
    if len(entries) > limits.max_entries:
        raise ValidationError(
            _("The file %(name)s holds %(count)d parts; at most %(limit)d are accepted.")
            % {"name": name, "count": len(entries), "limit": limits.max_entries},
            code="too_many",
        )
    claimed = sum(entry.file_size for entry in entries)
    ratio = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if claimed > limits.max_unpacked_bytes or ratio > limits.max_ratio:
        raise ValidationError(
            _("The file %(name)s would be far too large once unpacked; it was not opened.")
            % {"name": name},
            code="bomb",
        )
