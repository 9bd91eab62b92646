"""Attached files: only real PDF, DOCX and XLSX files, within the size limit, kept private."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.attachments import check_upload, max_bytes
from assessments.models import Attachment
from tests.assessments.workflow_helpers import (
    docx_upload,
    make_draft,
    make_published,
    make_submitted,
    office_upload,
    pdf_upload,
    xlsx_upload,
)
from tests.storage import closed_port, storage_url, storages_for

pytestmark = pytest.mark.django_db


def test_it_accepts_pdf_docx_and_xlsx_judged_from_their_content():
    assert check_upload(pdf_upload()).extension == ".pdf"
    assert check_upload(docx_upload()).extension == ".docx"
    assert check_upload(xlsx_upload()).extension == ".xlsx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"),
        ("page.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("archive.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_it_rejects_a_disguised_file_naming_it(name, content):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert (
        f"The file {name} is not a PDF, Word (DOCX) or Excel (XLSX) document."
        in (error.value.messages[0])
    )


def test_it_rejects_a_zip_that_is_not_an_office_document():
    upload = office_upload("slides.docx", "ppt/presentation.xml", "application/zip")
    with pytest.raises(ValidationError, match=r"slides\.docx is not a PDF"):
        check_upload(upload)


def test_the_size_limit_is_a_setting(settings):
    settings.ASSESSMENT_ATTACHMENT_MAX_MB = 1
    assert max_bytes() == 1024 * 1024
    with pytest.raises(ValidationError, match=r"The file big.pdf is 1\.0"):
        check_upload(pdf_upload("big.pdf", size=1024 * 1024))


def test_the_default_limit_is_20_mb(settings):
    del settings.ASSESSMENT_ATTACHMENT_MAX_MB
    assert max_bytes() == 20 * 1024 * 1024


def test_a_file_is_stored_under_a_private_random_name(world):
    assessment = make_draft(world)
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("focal"), upload=pdf_upload("Final report.PDF")
    )
    assert attachment.original_name == "Final report.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("private/assessments/")
    assert "Final" not in attachment.file.name
    assert attachment.uploaded_by == world.user("focal")


def test_the_page_attaches_a_file(world, login, file_store):
    assessment = make_draft(world)
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "tool", "file": docx_upload("questionnaire.docx")},
        follow=True,
    )
    assert "questionnaire.docx is attached." in response.text
    attachment = assessment.attachments.get()
    assert attachment.kind == "tool"
    assert file_store.names() == {attachment.file.name}


def test_the_page_refuses_a_disguised_file_and_saves_nothing(world, login, file_store):
    assessment = make_draft(world)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": fake},
    )
    assert response.status_code == 400
    assert "The file report.pdf is not a PDF, Word (DOCX) or Excel (XLSX) document." in (
        response.text
    )
    assert not Attachment.objects.exists()
    assert file_store.names() == set()


def office_archive(name: str, member: str, extra: dict[str, bytes]) -> SimpleUploadedFile:
    """A DOCX or XLSX with more parts, compressed as Office compresses them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
        for part, data in extra.items():
            archive.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_issue_21_an_office_zip_bomb_is_refused_on_the_page_and_not_stored(world, login):
    """Attachments that are Office files go through the archive checks of the imports."""
    assessment = make_draft(world)
    bomb = office_archive(
        "report.docx", "word/document.xml", {"word/media/padding.bin": b"\0" * (50 * 1024 * 1024)}
    )
    assert bomb.size < 1024 * 1024
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": bomb},
    )
    assert response.status_code == 400
    assert "The file report.docx would be far too large once unpacked; it was not opened." in (
        response.text
    )
    assert not Attachment.objects.exists()


def test_issue_21_a_spreadsheet_of_too_many_parts_is_refused():
    parts = {f"xl/media/image{n}.bin": b"x" for n in range(1_001)}
    with pytest.raises(ValidationError, match=r"data\.xlsx holds 1,?003 parts; at most 1,?000"):
        check_upload(office_archive("data.xlsx", "xl/workbook.xml", parts))


def test_a_document_with_many_images_is_accepted():
    parts = {f"word/media/image{n}.png": bytes(range(256)) * 40 for n in range(300)}
    assert check_upload(office_archive("report.docx", "word/document.xml", parts)).extension == (
        ".docx"
    )


def test_the_page_refuses_an_oversized_file(world, login, settings):
    settings.ASSESSMENT_ATTACHMENT_MAX_MB = 1
    assessment = make_draft(world)
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": pdf_upload("huge.pdf", size=2 * 1024 * 1024)},
    )
    assert response.status_code == 400
    assert "The file huge.pdf is 2.0" in response.text
    assert not Attachment.objects.exists()


def test_the_download_carries_the_original_name_and_nosniff(world, login, file_store):
    assessment = make_draft(world)
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("focal"), upload=pdf_upload("Rapid report.pdf")
    )
    response = login(world.user("staff")).get(
        reverse("assessments:attachment", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Rapid report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_public_assessments_file_is_public(world, client):
    assessment = make_draft(world)
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("focal"), upload=pdf_upload()
    )
    services.assessment_submit(assessment=assessment, by=world.user("focal"))
    services.assessment_publish(assessment=assessment, by=world.user("coordinator"))
    assert client.get(reverse("assessments:attachment", args=[attachment.pk])).status_code == 200


def test_a_restricted_assessments_file_is_hidden_from_visitors(world, client, login):
    assessment = make_published(world, restricted=True)
    attachment = Attachment.objects.create(
        assessment=assessment,
        file=pdf_upload(),
        original_name="report.pdf",
        content_type="application/pdf",
        size=10,
    )
    url = reverse("assessments:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert login(world.user("other_member")).get(url).status_code == 200


def test_removing_an_attachment_deletes_its_file(
    world, login, django_capture_on_commit_callbacks, file_store
):
    assessment = make_draft(world)
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("focal"), upload=pdf_upload()
    )
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.user("focal")).post(
            reverse("assessments:attachment_delete", args=[attachment.pk])
        )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(name)
    assert file_store.names() == set()


def test_files_of_a_submitted_assessment_cannot_be_changed_by_its_organisation(world, login):
    assessment = make_submitted(world)
    response = login(world.user("focal")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": pdf_upload()},
        follow=True,
    )
    assert "it can be changed only while it is a draft" in response.text
    assert not Attachment.objects.exists()


# The file store out of reach -------------------------------------------------------------------

STORE_DOWN = (
    "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
)


def test_attaching_while_the_file_store_is_down_says_so_and_saves_nothing(
    world, login, unreachable_store
):
    assessment = make_draft(world)
    response = login(world.user("staff")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "tool", "file": docx_upload("questionnaire.docx")},
    )
    assert response.status_code == 400
    assert STORE_DOWN in response.text
    assert 'name="file"' in response.text  # the form, shown again
    assert not Attachment.objects.exists()


def test_downloading_while_the_file_store_is_down_is_a_503_that_says_so(
    world, login, s3_bucket, settings
):
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    assessment = make_draft(world)
    attachment = services.attachment_add(
        assessment=assessment, by=world.user("focal"), upload=pdf_upload("Rapid report.pdf")
    )
    settings.STORAGES = storages_for(
        storage_url(f"127.0.0.1:{closed_port()}", s3_bucket.name), settings.STORAGES
    )
    response = login(world.user("staff")).get(
        reverse("assessments:attachment", args=[attachment.pk])
    )
    assert response.status_code == 503
    assert "The file store cannot be reached" in response.text
    assert response["Retry-After"] == "60"


def test_removing_an_attachment_while_the_file_store_is_down_still_removes_it(
    world, login, s3_bucket, settings, django_capture_on_commit_callbacks, caplog
):
    """The row goes; the file, unreferenced, stays in the bucket and the log names it."""
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    attachment = services.attachment_add(
        assessment=make_draft(world), by=world.user("focal"), upload=pdf_upload()
    )
    settings.STORAGES = storages_for(
        storage_url(f"127.0.0.1:{closed_port()}", s3_bucket.name), settings.STORAGES
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.user("focal")).post(
            reverse("assessments:attachment_delete", args=[attachment.pk]), follow=True
        )
    assert response.status_code == 200
    assert "report.pdf is removed." in response.text
    assert not Attachment.objects.exists()
    assert s3_bucket.object_keys() == {attachment.file.name}
    assert f"The file {attachment.file.name!r} was left in the file store" in caplog.text
