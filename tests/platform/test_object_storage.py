"""The portal's files in a private S3-compatible bucket (core/storage.py), on moto's S3 server.

The files' own journeys (upload, replace, delete, download, bulletin builds) run on disk and
on a bucket in each app's tests through the ``file_store`` fixture; here is what belongs to
the bucket itself: privacy, the settings, and a bucket that refuses.
"""

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from core.storage import PrivateS3Storage, StorageUnavailable, delete_quietly
from tests.assessments.workflow_helpers import make_draft, pdf_upload
from tests.storage import storage_url, storages_for

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture
def on_bucket(s3_bucket, settings):
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    return s3_bucket


def test_changing_the_storages_setting_replaces_the_default_storage(s3_bucket, settings):
    assert not isinstance(storages["default"], PrivateS3Storage)
    settings.STORAGES = storages_for(s3_bucket.url, settings.STORAGES)
    assert isinstance(storages["default"], PrivateS3Storage)
    assert default_storage.bucket_name == s3_bucket.name
    assert default_storage.endpoint_url == f"http://{s3_bucket.endpoint}"


def test_an_uploaded_attachment_is_in_the_bucket_and_private(world, login, on_bucket):
    assessment = make_draft(world)
    response = login(world.user("focal")).post(
        reverse("assessments:attachment_add", args=[assessment.pk]),
        {"kind": "report", "file": pdf_upload("Field report.pdf")},
    )
    assert response.status_code == 302
    name = assessment.attachments.get().file.name

    assert on_bucket.object_keys() == {name}
    assert on_bucket.read(name).startswith(b"%PDF-")
    assert on_bucket.anonymous_get(name).status_code == 403
    grants = on_bucket.client.get_object_acl(Bucket=on_bucket.name, Key=name)["Grants"]
    grantees = {grant["Grantee"].get("URI") for grant in grants}
    assert not grantees & {ALL_USERS, AUTHENTICATED_USERS}
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only


def test_a_stored_files_url_is_no_usable_link(on_bucket):
    name = default_storage.save("private/x.pdf", ContentFile(b"%PDF-1.4 secret"))
    url = default_storage.url(name)
    assert "Signature" not in url
    assert "X-Amz" not in url
    assert requests.get(url, timeout=10).status_code == 403


def test_a_name_already_taken_gets_a_new_one_as_on_disk(on_bucket):
    first = default_storage.save("partners/logos/alpha.png", ContentFile(b"first"))
    second = default_storage.save("partners/logos/alpha.png", ContentFile(b"second"))
    assert first != second
    assert on_bucket.read(first) == b"first"


def test_a_bucket_that_does_not_exist_is_unavailable_not_an_error(s3_bucket, settings):
    settings.STORAGES = storages_for(
        storage_url(s3_bucket.endpoint, "no-such-bucket"), settings.STORAGES
    )
    with pytest.raises(StorageUnavailable) as refused:
        default_storage.save("private/x.pdf", ContentFile(b"x"))
    assert refused.value.messages == [
        "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
    ]


def test_a_missing_object_is_still_a_404_not_a_503(world, login, on_bucket):
    assessment = make_draft(world)
    attachment = assessment.attachments.create(
        file="private/assessments/gone.pdf",
        original_name="gone.pdf",
        content_type="application/pdf",
        size=10,
    )
    response = login(world.user("focal")).get(
        reverse("assessments:attachment", args=[attachment.pk])
    )
    assert response.status_code == 404


def test_the_503_page_speaks_the_page_s_language(world, login, unreachable_store):
    assessment = make_draft(world)
    attachment = assessment.attachments.create(
        file="private/assessments/a.pdf",
        original_name="a.pdf",
        content_type="application/pdf",
        size=10,
    )
    url = reverse("assessments:attachment", args=[attachment.pk]).replace("/en/", "/ar/", 1)
    response = login(world.user("focal")).get(url)
    assert response.status_code == 503
    assert 'lang="ar"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_file_that_cannot_be_deleted_is_left_and_logged(unreachable_store, caplog):
    delete_quietly(default_storage, "private/assessments/old.pdf")
    assert "'private/assessments/old.pdf' was left in the file store" in caplog.text
