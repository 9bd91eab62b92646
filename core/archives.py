"""Checking an uploaded zip archive before anything opens it.

Excel and Word files (XLSX, DOCX) are zip archives of XML parts, and so is a zipped
shapefile. A hostile archive can claim gigabytes from kilobytes (a zip bomb) or hold
thousands of entries. The check reads only the archive's directory and refuses either,
before a reader, or a person who downloads the file, opens it. Every upload of an archive
goes through it: the imports (``core.spreadsheets``), assessment attachments and the
boundary uploads; each caller sets the limits that fit what it accepts. Whether the archive
holds the parts of the type it claims is the caller's check.

An Office file (``check_office_archive``) must also carry no macros: a macro-enabled
workbook or document (.xlsm, .docm) renamed .xlsx or .docx holds its VBA project as a part
named ``vbaProject.bin`` and declares a "macroEnabled" content type. Either refuses it, as
does a browser that names such a type, before anyone downloads the file and runs them.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIB = 1024 * 1024
# Uncompressed ÷ compressed size of any one entry. XML parts compress 5 to 30 times;
# DEFLATE reaches about 1,000 only on repeated bytes, which is what a bomb is made of.
MAX_RATIO = 200
MACRO_PART = "vbaproject.bin"  # the VBA project of a macro-enabled Office file
MACRO_MARKS = (b"macroenabled", b"vbaproject")  # in its content types, lower-cased
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024  # read no further: a real one is a few kilobytes


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


def _declares_macros(upload, entries: list[zipfile.ZipInfo]) -> bool:
    """Does the archive's list of content types name a macro-enabled type or a VBA project?"""
    if not any(entry.filename == CONTENT_TYPES for entry in entries):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive, archive.open(CONTENT_TYPES) as part:
            declared = part.read(CONTENT_TYPES_MAX_BYTES).lower()
    except Exception:  # zipfile, zlib and lzma each raise their own on a damaged part
        return False  # a part that cannot be read declares nothing
    finally:
        upload.seek(0)
    return any(mark in declared for mark in MACRO_MARKS)


def has_macros(upload, entries: list[zipfile.ZipInfo]) -> bool:
    """Whether an Office file carries macros: its parts, its content types, or the type the
    browser sent say so."""
    if "macroenabled" in (getattr(upload, "content_type", None) or "").lower():
        return True
    if any(entry.filename.lower().rsplit("/", 1)[-1] == MACRO_PART for entry in entries):
        return True
    return _declares_macros(upload, entries)


def check_office_archive(
    upload, name: str, entries: list[zipfile.ZipInfo], limits: ArchiveLimits
) -> None:
    """``check_entries``, then refuse an Office file (XLSX, DOCX) that carries macros."""
    check_entries(name, entries, limits)
    if has_macros(upload, entries):
        raise ValidationError(
            _(
                "The file %(name)s contains macros: it is a macro-enabled workbook or "
                "document (such as .xlsm or .docm). Save it as an Excel workbook (.xlsx) or "
                "a Word document (.docx) without macros and upload it again."
            )
            % {"name": name},
            code="macros",
        )
