"""Opening an uploaded Excel workbook without letting a hostile file hurt the server.

An XLSX file is a zip archive of XML parts. Before openpyxl parses anything, the archive's
directory is checked (``core.archives``, the check every uploaded archive goes through): its
size, its number of entries, the size its entries claim once uncompressed (a zip bomb
claims gigabytes from kilobytes), and that it carries no macros (an .xlsm renamed .xlsx).
openpyxl then reads it in read-only mode, values only (formulas are never evaluated), and
parses the XML with defusedxml, which refuses entity expansion attacks. Callers also cap
the rows they read.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl import xml as openpyxl_xml

from core.archives import ArchiveLimits, check_office_archive, zip_directory

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
LIMITS = ArchiveLimits(max_entries=200, max_unpacked_bytes=100 * 1024 * 1024)


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
    entries = zip_directory(upload)
    if entries is None:
        raise _refuse(
            _("The file %(name)s is not an Excel (XLSX) workbook, or it is damaged.") % name,
            "not_xlsx",
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(_("The file %(name)s is not an Excel (XLSX) workbook.") % name, "not_xlsx")
    check_office_archive(upload, name["name"], entries, LIMITS)


@contextmanager
def open_workbook(
    upload, *, max_bytes: int = MAX_UPLOAD_BYTES, keep_formulas: bool = False
) -> Iterator:
    """The uploaded workbook, read-only and values only, after the archive checks. With
    ``keep_formulas`` a formula's cell holds the formula (its ``data_type`` is "f") rather
    than the result Excel saved, for a reader that refuses formulas."""
    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise RuntimeError("defusedxml must be installed to read uploaded workbooks.")
    check_archive(upload, max_bytes=max_bytes)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=not keep_formulas)
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


def sheet_rows(upload, rows: Iterator) -> Iterator:
    """A read-only sheet's rows: its XML is parsed only while they are read, so a damaged
    sheet (a character XML forbids, a broken tag) is refused here as a damaged workbook is."""
    try:
        yield from rows
    except Exception as error:  # openpyxl and the XML parser raise many kinds
        raise _refuse(
            _("The file %(name)s could not be read as an Excel workbook.")
            % {"name": getattr(upload, "name", "")},
            "unreadable",
        ) from error
