"""Opening an uploaded Excel workbook without letting a hostile file hurt the server.

An XLSX file is a zip archive of XML parts. Before openpyxl parses anything, the archive's
directory is checked: its size, its number of entries and the size its entries claim once
uncompressed (a zip bomb claims gigabytes from kilobytes). openpyxl then reads it in
read-only mode, values only (formulas are never evaluated), and parses the XML with
defusedxml, which refuses entity expansion attacks. Callers also cap the rows they read.
"""

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl import xml as openpyxl_xml

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 200
MAX_RATIO = 200  # uncompressed ÷ compressed, for any one entry


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_archive(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Raise a ValidationError unless the upload looks like a reasonable XLSX archive."""
    name = {"name": getattr(upload, "name", "")}
    if upload.size > max_bytes:
        raise _refuse(
            _("The file %(name)s is larger than %(limit)d MB.")
            % {**name, "limit": max_bytes // (1024 * 1024)},
            "too_large",
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(
            _("The file %(name)s is not an Excel (XLSX) workbook, or it is damaged.") % name,
            "not_xlsx",
        ) from None
    finally:
        upload.seek(0)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(_("The file %(name)s is not an Excel (XLSX) workbook.") % name, "not_xlsx")
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
            _("The file %(name)s holds too many parts to be a data sheet.") % name, "too_many"
        )
    claimed = sum(entry.file_size for entry in entries)
    ratio = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if claimed > MAX_UNCOMPRESSED_BYTES or ratio > MAX_RATIO:
        raise _refuse(
            _("The file %(name)s would be far too large once unpacked; it was not opened.") % name,
            "bomb",
        )


@contextmanager
def open_workbook(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Iterator:
    """The uploaded workbook, read-only and values only, after the archive checks."""
    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise RuntimeError("defusedxml must be installed to read uploaded workbooks.")
    check_archive(upload, max_bytes=max_bytes)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refuse(
            _("The file %(name)s could not be read as an Excel workbook.")
            % {"name": getattr(upload, "name", "")},
            "unreadable",
        ) from error
    try:
        yield workbook
    finally:
        workbook.close()
