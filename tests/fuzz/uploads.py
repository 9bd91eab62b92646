"""The uploads the fuzz damages: each a valid file made by the portal itself, where to send
it, who sends it, and the rows a refusal must leave as they were.

- the 4W activity report's Excel template (``activities/excel.py``), downloaded for a draft
  report and filled with one good row; an accepted file goes on to its confirm step;
- the findings sheet of a draft assessment (``assessments/findings_sheet.py``), with one
  finding; a sheet that would remove findings answers a confirmation, which is confirmed;
- the admin-areas CSV of the COD-AB loader (``locations/loader.py``), loaded or only checked;
- the population table of the COD-PS reader (``locations/population.py``), as CSV and as an
  XLSX workbook, loaded or only checked;
- an assessment's attachments: a PDF, an XLSX workbook and a DOCX document;
- the facility registry's templates (``facilities/sheets.py``): a facility added by a
  coordinator, a status recorded by a partner, each imported or only checked.
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import Workbook, load_workbook

from activities.models import ReportRow
from assessments.models import Attachment, Finding
from facilities.models import Facility, FacilityStatus
from locations.models import AdminArea, AreaPopulation
from projects.models import Project
from tests.activities.test_reports_helpers import make_setup
from tests.assessments.workflow_helpers import district, make_draft
from tests.facilities.factories import make_registry
from tests.facilities.import_helpers import FACILITY_ROW, status_row
from tests.fuzz.mutations import Layout
from tests.fuzz.walker import (
    AREAS_CSV,
    PDF,
    XLSX_TYPE,
    Outcome,
    attempt,
    baseline_of,
    form_posting_to,
    forms_of,
    signed_in,
    workbook_bytes,
)

ERROR_MARKS = ("alert-danger", "invalid-feedback", "errorlist", "is-invalid")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Tables that change without the upload saving anything: a request's session, and the
# security cache that counts attempts against the rate limits.
UNCOUNTED = {"sessions.session", "core.securitycacheentry"}


@dataclass
class Case:
    """One upload form, ready to take a file."""

    client: Client
    url: str
    file_field: str
    fields: list[tuple]  # the form's other fields
    valid: bytes
    file_name: str
    content_type: str
    rows: Callable[[], list]  # the rows the upload changes, read back to compare
    kind: str = "xlsx"  # how to damage it: "xlsx", "csv" or "bytes"
    layout: Layout = field(default_factory=lambda: Layout(sheet=0, row=2))
    options: dict[str, list[str]] = field(default_factory=dict)  # fields worth varying
    confirm_step: str = ""  # the URL name of the page that confirms an accepted upload


def counts() -> dict[str, int]:
    """The number of rows of every table of the portal."""
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in UNCOUNTED and not model._meta.proxy
    }


def shows_an_error(outcome: Outcome) -> bool:
    return any(mark in outcome.html for mark in ERROR_MARKS)


def follow(case: Case, outcome: Outcome) -> list[Outcome]:
    """What the browser does next: the page a redirect leads to, a confirmation confirmed.

    A 302 is followed once; when it leads to the case's confirm step, that page's form is
    posted. A page answering the upload with a form that posts back to it with a ``confirm``
    button (the shared confirmation page) is confirmed. Each answer's redirect is followed.
    """
    if outcome.status == 302 and outcome.location:
        page = attempt(case.client, "get", outcome.location, [])
        path = urlsplit(outcome.location).path
        if case.confirm_step and resolve(path).view_name == case.confirm_step:
            return [page, *_confirm(case.client, page, path, button="")]
        return [page]
    if outcome.status == 200:
        return _confirm(case.client, outcome, case.url, button="confirm")
    return []


def _confirm(client: Client, page: Outcome, url: str, *, button: str) -> list[Outcome]:
    form = form_posting_to(forms_of(page.html), url) if page.html else None
    if form is None:
        return []
    pairs = baseline_of(form)
    if button:
        pressed = [item for item in form.fields if item.name == button]
        if not pressed:
            return []
        pairs.append((button, pressed[0].value))
    answer = attempt(client, "post", url, pairs, multipart=form.multipart)
    if answer.status == 302 and answer.location:
        return [answer, attempt(client, "get", answer.location, [])]
    return [answer]


# The cases --------------------------------------------------------------------------------


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return b"".join(response.streaming_content) if response.streaming else response.content


def _filled(data: bytes, row: int, values: list, sheet: str | None = None) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    target = workbook[sheet] if sheet else workbook.worksheets[0]
    for column, value in enumerate(values, start=1):
        if value is not None:
            target.cell(row=row, column=column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def activity_report(world) -> Case:
    setup = make_setup(world)
    report = setup.report
    client = signed_in("focal", world.user("focal"))
    template = _download(client, reverse("activities:report_template", args=[report.pk]))
    # The total left empty, as the template allows: the import adds the figures up.
    row = ["A001", None, "ZZ0101", None, "AH", None, "ECHO", "Ongoing", 10, 10, 20, 10, 5, 2]
    return Case(
        client=client,
        url=reverse("activities:report_import", args=[report.pk]),
        file_field="file",
        fields=[],
        valid=_filled(template, 6, row),
        file_name="report.xlsx",
        content_type=XLSX_TYPE,
        rows=lambda: list(ReportRow.objects.filter(report=report).order_by("pk").values()),
        layout=Layout(sheet=0, row=6, numbers=tuple(range(9, 16))),
        confirm_step="activities:report_import_confirm",
    )


def findings_sheet(world) -> Case:
    district(world)
    assessment = make_draft(world)
    client = signed_in("focal", world.user("focal"))
    template = _download(client, reverse("assessments:findings_template", args=[assessment.pk]))
    workbook = load_workbook(io.BytesIO(template))
    first = [cell.value for cell in workbook["Findings"][2]]
    return Case(
        client=client,
        url=reverse("assessments:findings_upload", args=[assessment.pk]),
        file_field="file",
        fields=[],
        valid=_filled(template, 2, [*first[:4], 3, 1200], sheet="Findings"),
        file_name="findings.xlsx",
        content_type=XLSX_TYPE,
        rows=lambda: list(Finding.objects.filter(assessment=assessment).order_by("pk").values()),
        layout=Layout(sheet=workbook.sheetnames.index("Findings"), row=2, numbers=(6, 5)),
        options={"replace_all": ["", "on"]},
    )


def admin_areas(world) -> Case:
    return Case(
        client=signed_in("coordinator", world.user("coordinator")),
        url=reverse("locations:upload"),
        file_field="file",
        fields=[],
        valid=AREAS_CSV,
        file_name="areas.csv",
        content_type="text/csv",
        rows=lambda: list(AdminArea.objects.order_by("pk").values()),
        kind="csv",
        options={"dry_run": ["", "on"]},
    )


POPULATION_ROWS = [
    ["ADM1_PCODE", "T_TL", "F_TL", "M_TL", "F_00_04", "M_00_04", "F_05_17", "M_05_17"],
    ["ZZ01", 1200, 600, 600, 50, 50, 100, 100],
]


def _population_workbook() -> bytes:
    workbook = Workbook()
    for row in POPULATION_ROWS:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def population_table(world, kind: str) -> Case:
    """The COD-PS table of the world's admin1 area (ZZ01), as CSV or as a workbook."""
    if kind == "csv":
        valid = "".join(",".join(map(str, row)) + "\n" for row in POPULATION_ROWS).encode()
        name, content_type = "population.csv", "text/csv"
    else:
        valid, name, content_type = _population_workbook(), "population.xlsx", XLSX_TYPE
    return Case(
        client=signed_in("coordinator", world.user("coordinator")),
        url=reverse("locations:population_upload"),
        file_field="file",
        fields=[("year", "2025"), ("source", "OCHA COD-PS 2025")],
        valid=valid,
        file_name=name,
        content_type=content_type,
        rows=lambda: list(AreaPopulation.objects.order_by("pk").values()),
        kind=kind,
        layout=Layout(sheet=0, row=2, numbers=tuple(range(2, 9))),
        options={"dry_run": ["", "on"]},
    )


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


ATTACHMENTS = {
    "pdf": (PDF, "report.pdf", "application/pdf", "bytes"),
    "xlsx": (workbook_bytes(), "data.xlsx", XLSX_TYPE, "xlsx"),
    "docx": (_docx_bytes(), "report.docx", DOCX_TYPE, "bytes"),
}


def attachment(world, kind: str) -> Case:
    assessment = make_draft(world)
    valid, name, content_type, damage = ATTACHMENTS[kind]
    return Case(
        client=signed_in("focal", world.user("focal")),
        url=reverse("assessments:attachment_add", args=[assessment.pk]),
        file_field="file",
        fields=[("kind", "report")],
        valid=valid,
        file_name=name,
        content_type=content_type,
        rows=lambda: list(Attachment.objects.filter(assessment=assessment).values()),
        kind=damage,
    )


def facility_import(world, kind: str) -> Case:
    """The facility registry's templates: facilities (a coordinator adds one below the two
    the registry lists) or statuses (a partner records one of the hospital it supports)."""
    make_registry(world)
    if kind == "facilities":
        role, url, template_url = "coordinator", "facilities:import", "facilities:import_template"
        row, layout = 5, Layout(sheet=0, row=5, numbers=(7, 8))
        values, model = FACILITY_ROW, Facility
    else:
        role, url = "staff", "facilities:status_import"
        template_url = "facilities:status_import_template"
        row, layout = 3, Layout(sheet=0, row=3, numbers=(8,))
        values, model = status_row(), FacilityStatus
    client = signed_in(role, world.user(role))
    return Case(
        client=client,
        url=reverse(url),
        file_field="file",
        fields=[],
        valid=_filled(_download(client, reverse(template_url)), row, values),
        file_name=f"{kind}.xlsx",
        content_type=XLSX_TYPE,
        rows=lambda: list(model.objects.order_by("pk").values()),
        layout=layout,
        options={"dry_run": ["", "on"]},
    )


def project_import(world) -> Case:
    """The projects template: a partner adds a draft project of its organisation."""
    client = signed_in("staff", world.user("staff"))
    row = ["P1", "", "Clinics", "", "", "", "", "2026-01-01", "2026-06-30", "planned", 1000]
    return Case(
        client=client,
        url=reverse("projects:import"),
        file_field="file",
        fields=[],
        valid=_filled(_download(client, reverse("projects:import_template")), 3, row),
        file_name="projects.xlsx",
        content_type=XLSX_TYPE,
        rows=lambda: list(Project.objects.order_by("pk").values()),
        layout=Layout(sheet=0, row=3, numbers=(11,)),
        options={"dry_run": ["", "on"]},
    )


CASES = {
    "4W activity report": activity_report,
    "findings sheet": findings_sheet,
    "admin areas CSV": admin_areas,
    "population CSV": lambda world: population_table(world, "csv"),
    "population XLSX": lambda world: population_table(world, "xlsx"),
    "PDF attachment": lambda world: attachment(world, "pdf"),
    "XLSX attachment": lambda world: attachment(world, "xlsx"),
    "DOCX attachment": lambda world: attachment(world, "docx"),
    "health facilities": lambda world: facility_import(world, "facilities"),
    "facility statuses": lambda world: facility_import(world, "statuses"),
    "projects": project_import,
}
