"""Checks on files attached to an assessment: size and type, read from the content.

Only PDF, Word (DOCX) and Excel (XLSX) files are accepted. The name's extension and
the browser's content type are not trusted: a PDF must start with ``%PDF-``, and a
DOCX or XLSX must be a zip archive holding ``[Content_Types].xml`` and
``word/document.xml`` or ``xl/workbook.xml``. A renamed executable or web page is
refused with a message naming the file. The size limit is the setting
``ASSESSMENT_ATTACHMENT_MAX_MB`` (default 20). A DOCX or XLSX then goes through the archive
checks of the imports (``core.archives``: entries, size once unpacked, compression ratio,
no macros), with limits for documents: more parts than a data sheet (a report's images),
and up to ``ARCHIVE_LIMITS.max_unpacked_bytes`` unpacked.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.archives import ArchiveLimits, check_office_archive, zip_directory

DEFAULT_MAX_MB = 20
ACCEPT = ".pdf,.docx,.xlsx"
ARCHIVE_LIMITS = ArchiveLimits(max_entries=1_000, max_unpacked_bytes=500 * 1024 * 1024)


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType(".pdf", "application/pdf")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ZIP_MEMBERS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def max_bytes() -> int:
    return int(getattr(settings, "ASSESSMENT_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def sniff(upload) -> FileType | None:
    """The file's type judged from its bytes, or None when it is none of the accepted ones."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return PDF
    if not head.startswith(b"PK"):
        return None
    entries = zip_directory(upload)
    if entries is None:
        return None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        return None
    for file_type, member in ZIP_MEMBERS.items():
        if member in names:
            return file_type
    return None


def check_upload(upload: UploadedFile) -> FileType:
    """The accepted type of the upload; a ValidationError naming the file otherwise."""
    name = upload.name or _("(no name)")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(
            _(
                "The file %(name)s is not a PDF, Word (DOCX) or Excel (XLSX) document. "
                "Only these types can be attached; its content, not its name, decides."
            )
            % {"name": name},
            code="bad_type",
        )
    if file_type in ZIP_MEMBERS:
        check_office_archive(upload, name, zip_directory(upload), ARCHIVE_LIMITS)
    return file_type


def clean_original_name(name: str, file_type: FileType) -> str:
    """The name shown and offered on download: no path, the extension of its real type."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    base = "".join(char for char in base if char.isprintable() and char not in '"<>')
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:200]}{file_type.extension}"
