"""What the coordinators' uploads of areas accept: the kind of file, its size, its archive.

The admin areas come as the COD-AB table (CSV). Boundaries come in the forms OCHA publishes
them: GeoJSON, or a zipped shapefile. The limits of all three are set here, so the upload
page refuses a file too large for the server before anything reads it, and the readers the
maps add inherit them:

- the COD-AB table (CSV): 5 MB; the loader streams it and stops at 20,000 lines of areas
  (``locations.loader.MAX_ROWS``, ``bench/boundary_load.py``);
- GeoJSON: 50 MB, a country's admin1 to admin3 at full resolution;
- a zipped shapefile: 20 MB, 50 parts and 200 MB unpacked, through the archive checks of
  the imports (``core.archives``).

The population per area (OCHA's COD-PS tables, ``locations.population``) comes as CSV, with
the COD-AB table's limit, or as an XLSX workbook: 10 MB, through the checks of every uploaded
workbook (``core.spreadsheets``: its archive, no macros). Both stop at 20,000 rows of areas.

The kind is judged from the content, never the name: for the areas, a zip archive is a
shapefile, a text starting with ``{`` is GeoJSON, anything else is read as CSV; for the
population, a zip archive is a workbook, anything else CSV. The proxy's body limit
(``client_max_body_size`` in ``deploy/nginx``) must be a little larger than the largest.
"""

import codecs

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.archives import ArchiveLimits, check_entries, zip_directory
from core.spreadsheets import check_archive

MIB = 1024 * 1024
CSV = "csv"
GEOJSON = "geojson"
SHAPEFILE = "shapefile"
XLSX = "xlsx"
MAX_BYTES = {CSV: 5 * MIB, GEOJSON: 50 * MIB, SHAPEFILE: 20 * MIB, XLSX: 10 * MIB}
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SHAPEFILE_ARCHIVE = ArchiveLimits(max_entries=50, max_unpacked_bytes=200 * MIB)
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
SNIFF_BYTES = 1024


def kind_of(upload) -> str:
    """CSV, GeoJSON or a zipped shapefile, judged from the first bytes of the file."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(ZIP_MAGIC):
        return SHAPEFILE
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return GEOJSON
    return CSV


def _too_large(kind: str, upload) -> ValidationError:
    sizes = {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES[kind])}
    if kind == GEOJSON:
        message = _("The GeoJSON file is %(size)s; the limit is %(limit)s.") % sizes
    elif kind == SHAPEFILE:
        message = _("The zipped shapefile is %(size)s; the limit is %(limit)s.") % sizes
    else:
        message = (
            _(
                "The file is %(size)s; the limit is %(limit)s. Split it or remove the "
                "columns the portal does not use."
            )
            % sizes
        )
    return ValidationError(message, code="too_large")


def _check_shapefile(upload) -> None:
    name = upload.name or ""
    entries = zip_directory(upload)
    if entries is None:
        raise ValidationError(
            _("The file %(name)s is not a zip archive, or it is damaged.") % {"name": name},
            code="not_zip",
        )
    check_entries(name, entries, SHAPEFILE_ARCHIVE)
    endings = {entry.filename.lower().rsplit(".", 1)[-1] for entry in entries}
    if not all(part.lstrip(".") in endings for part in SHAPEFILE_PARTS):
        raise ValidationError(
            _("The zip archive %(name)s holds no shapefile (its .shp, .shx and .dbf files).")
            % {"name": name},
            code="no_shapefile",
        )


def check_boundary_upload(upload) -> str:
    """The kind of the uploaded file once its size (and archive) pass; a ValidationError else."""
    kind = kind_of(upload)
    if upload.size > MAX_BYTES[kind]:
        raise _too_large(kind, upload)
    if kind == SHAPEFILE:
        _check_shapefile(upload)
    return kind


def population_kind(upload) -> str:
    """CSV or an XLSX workbook, judged from the first bytes of the file."""
    upload.seek(0)
    head = upload.read(len(ZIP_MAGIC[0]))
    upload.seek(0)
    return XLSX if head.startswith(ZIP_MAGIC) else CSV


def check_population_upload(upload) -> str:
    """The kind of the uploaded population table once its size (and workbook) pass; a
    ValidationError else."""
    kind = population_kind(upload)
    if kind == XLSX:
        check_archive(upload, max_bytes=MAX_BYTES[XLSX])
    elif upload.size > MAX_BYTES[CSV]:
        raise _too_large(CSV, upload)
    return kind
