"""Bulletin PDFs as downloads, for the coordinators' and the public's views alike."""

from django.http import FileResponse, Http404

from bulletins.models import Edition


def pdf_filename(edition: Edition, version: int | None = None) -> str:
    suffix = f"-v{version}" if version and version > 1 else ""
    return f"bulletin-{edition.bulletin.number}-{edition.language}{suffix}.pdf"


def pdf_response(pdf, filename: str) -> FileResponse:
    """A stored PDF as a download; a missing file is a 404."""
    if not pdf:
        raise Http404
    try:
        handle = pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
