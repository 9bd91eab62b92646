"""Permission matrix of the Excel template and import pages of an activity report.

The record: organisation A's draft report in an open period; for the confirm and cancel
pages, a pending import that A's focal point uploaded. Organisation B's member must not
learn that A's report exists (404). A pending import belongs to whoever uploaded it:
everybody else gets a 404 for it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import PendingImport, Report
from tests.activities.test_reports_helpers import make_setup
from tests.matrix import LOGIN, Redirect, Row, check, every_role, params

MEMBERS_ONLY = {"anonymous": LOGIN, "other_member": 404}


def _draft(world) -> dict:
    return {"pk": make_setup(world).report.pk}


def _pending(world) -> dict:
    report = make_setup(world).report
    pending = PendingImport.objects.create(
        report=report,
        uploaded_by=world.user("focal"),
        file_name="report.xlsx",
        rows={"report_changed_at": report.updated_at.isoformat(), "rows": []},
    )
    return {"pk": pending.pk}


def _not_a_workbook(world) -> dict:
    return {"file": SimpleUploadedFile("report.xlsx", b"not a workbook")}


def _edit_of_a(world) -> str:
    report = Report.objects.get(organisation=world.org_a)
    return reverse("activities:report_edit", args=[report.pk])


ONLY_THE_UPLOADER = {
    "anonymous": LOGIN,
    "staff": 404,
    "other_member": 404,
    "coordinator": 404,
    "site_admin": 404,
}

MATRIX = [
    Row("activities:report_template", every_role(200, **MEMBERS_ONLY), kwargs=_draft),
    Row("activities:report_import", every_role(200, **MEMBERS_ONLY), kwargs=_draft),
    Row(
        "activities:report_import",
        every_role(400, **MEMBERS_ONLY),
        kwargs=_draft,
        method="post",
        data=_not_a_workbook,
        note="a file that is not a workbook",
    ),
    Row(
        "activities:report_import_confirm",
        every_role(200, **ONLY_THE_UPLOADER),
        kwargs=_pending,
    ),
    Row(
        "activities:report_import_cancel",
        every_role(Redirect(to=_edit_of_a), **ONLY_THE_UPLOADER),
        kwargs=_pending,
        method="post",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
