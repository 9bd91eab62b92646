"""Issue 21: a macro-enabled Office file (an .xlsm or .docm renamed .xlsx or .docx) is
refused by every upload that takes Office files, before anything is stored or imported.

Such a file holds its VBA project as ``vbaProject.bin`` and declares a "macroEnabled" main
content type; the check in ``core.archives`` refuses either, and a browser-sent macro type.
"""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ReportRow
from assessments.models import Attachment, Finding
from core.archives import has_macros, zip_directory
from tests.activities.test_import_helpers import GOOD_ROW, download_template, filled
from tests.activities.test_reports_helpers import make_setup
from tests.assessments.workflow_helpers import district, make_draft
from tests.fuzz.mutations import Poke
from tests.fuzz.uploads import _docx_bytes
from tests.fuzz.walker import XLSX_TYPE, workbook_bytes

pytestmark = pytest.mark.django_db

MESSAGE = "contains macros: it is a macro-enabled workbook or document (such as .xlsm or .docm)."
SHEET_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = {
    SHEET_TYPE: b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    DOCUMENT_TYPE: b"application/vnd.ms-word.document.macroEnabled.main+xml",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def with_macros(data: bytes, *, part: str | None = "xl/vbaProject.bin", declared=True) -> bytes:
    """The Office file made macro-enabled: a VBA project part, a macro content type, or both."""
    source, output = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and declared:
                for plain, macro in MACRO_TYPES.items():
                    content = content.replace(plain, macro)
            target.writestr(item.filename, content)
        if part:
            target.writestr(part, b"\xd0\xcf\x11\xe0 a VBA project")
    return output.getvalue()


# The check ---------------------------------------------------------------------------------


def uploaded(data: bytes, content_type: str = XLSX_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.xlsx", data, content_type=content_type)


@pytest.mark.parametrize(
    ("part", "declared"),
    [("xl/vbaProject.bin", True), ("xl/vbaProject.bin", False), (None, True)],
    ids=["renamed xlsm", "project part only", "content type only"],
)
def test_a_workbook_with_macros_is_seen_by_its_parts_or_its_content_types(part, declared):
    upload = uploaded(with_macros(workbook_bytes(), part=part, declared=declared))
    assert has_macros(upload, zip_directory(upload))


def test_a_word_document_with_macros_is_seen():
    upload = uploaded(with_macros(_docx_bytes(), part="word/vbaProject.bin"), DOCX_TYPE)
    assert has_macros(upload, zip_directory(upload))


def test_a_macro_type_named_by_the_browser_is_seen():
    upload = uploaded(workbook_bytes(), "application/vnd.ms-excel.sheet.macroEnabled.12")
    assert has_macros(upload, zip_directory(upload))


def test_a_plain_workbook_and_document_have_no_macros():
    for upload in (uploaded(workbook_bytes()), uploaded(_docx_bytes(), DOCX_TYPE)):
        assert not has_macros(upload, zip_directory(upload))


def test_content_types_that_cannot_be_unpacked_declare_nothing():
    # Found by the upload fuzz: a damaged part raised zlib.error, a 500 for the attachment.
    data = Poke(0.45, 0x00).apply(Poke(0.11, 0x83).apply(_docx_bytes()))
    upload = uploaded(data, DOCX_TYPE)
    with pytest.raises(zlib.error):
        zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    assert not has_macros(upload, zip_directory(upload))


# Every upload that takes Office files ------------------------------------------------------


def test_the_4w_import_refuses_a_workbook_with_macros(world, login):
    setup = make_setup(world)
    client = login(world.user("focal"))
    content = with_macros(filled(download_template(client, setup.report), [GOOD_ROW]))
    response = client.post(
        reverse("activities:report_import", args=[setup.report.pk]),
        {"file": SimpleUploadedFile("report.xlsx", content, content_type=XLSX_TYPE)},
    )
    assert response.status_code == 400
    assert f"The file report.xlsx {MESSAGE}" in response.content.decode()
    assert not ReportRow.objects.filter(report=setup.report).exists()


def test_the_findings_sheet_refuses_a_workbook_with_macros(world, login):
    district(world)
    assessment = make_draft(world)
    client = login(world.user("focal"))
    template = client.get(reverse("assessments:findings_template", args=[assessment.pk]))
    response = client.post(
        reverse("assessments:findings_upload", args=[assessment.pk]),
        {"file": SimpleUploadedFile("findings.xlsx", with_macros(template.content), XLSX_TYPE)},
    )
    assert response.status_code == 400
    assert f"The file findings.xlsx {MESSAGE}" in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("budget.xlsx", with_macros(workbook_bytes()), XLSX_TYPE),
        ("report.docx", with_macros(_docx_bytes(), part="word/vbaProject.bin"), DOCX_TYPE),
        ("report.docm", _docx_bytes(), "application/vnd.ms-word.document.macroEnabled.12"),
    ],
    ids=["xlsx", "docx", "docm type"],
)
def test_an_attachment_with_macros_is_refused_and_not_stored(
    world, login, name, data, content_type
):
    assessment = make_draft(world)
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": SimpleUploadedFile(name, data, content_type=content_type)},
    )
    assert response.status_code == 400
    assert f"The file {name} {MESSAGE}" in response.content.decode()
    assert not Attachment.objects.exists()
