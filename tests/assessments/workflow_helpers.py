"""Helpers shared by the workflow tests: areas, domains, a draft of organisation A, files."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Assessment, AssessmentType
from locations.models import AdminLevel
from strategy.models import HealthDomain
from tests.factories import AdminAreaFactory

VALUES = {
    "title_en": "Health needs in the North",
    "title_ar": "",
    "type": AssessmentType.RAPID,
    "start_date": datetime.date(2025, 4, 1),
    "end_date": datetime.date(2025, 4, 20),
    "methodology": "Key informant interviews.",
    "sample": "42 health facilities.",
    "population_covered": 120_000,
    "key_findings_en": "Cholera risk is high.",
    "key_findings_ar": "",
}


STANDARD_DOMAINS = [
    ("communicable-diseases", "Communicable diseases", "الأمراض السارية"),
    ("maternal-newborn-health", "Maternal and newborn health", "صحة الأم والوليد"),
    ("nutrition", "Nutrition", "التغذية"),
    ("mental-health", "Mental health", "الصحة النفسية"),
]


def domains(count: int | None = None) -> list[HealthDomain]:
    """The active health domains, at least four of them.

    The data migration adds the standard ten, but a transactional test elsewhere in the
    run may have emptied the table, so the tests never count on them being there.
    """
    if HealthDomain.objects.active().count() < len(STANDARD_DOMAINS):
        for order, (code, name_en, name_ar) in enumerate(STANDARD_DOMAINS):
            HealthDomain.objects.update_or_create(
                code=code,
                defaults={
                    "name_en": name_en,
                    "name_ar": name_ar,
                    "order": order,
                    "is_active": True,
                },
            )
    active = list(HealthDomain.objects.active())
    return active[:count] if count else active


def district(world, pcode: str = "ZZ0101", name: str = "North District"):
    """An admin-2 area inside the world's admin-1 area."""
    return AdminAreaFactory(pcode=pcode, name_en=name, level=AdminLevel.ADMIN2, parent=world.area)


def make_draft(world, *, by=None, areas=None, **values) -> Assessment:
    """A draft of organisation A, recorded through the service by its focal point."""
    domains()
    return services.assessment_create(
        by=by or world.user("focal"),
        lead_organisation=world.org_a,
        values={**VALUES, **values},
        areas=areas if areas is not None else [world.area],
    )


def make_submitted(world, **values) -> Assessment:
    assessment = make_draft(world, **values)
    return services.assessment_submit(assessment=assessment, by=world.user("focal"))


def make_published(world, *, restricted: bool = False, **values) -> Assessment:
    assessment = make_submitted(world, **values)
    return services.assessment_publish(
        assessment=assessment, by=world.user("coordinator"), restricted=restricted
    )


def pdf_upload(name: str = "report.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"0" * size + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def office_upload(name: str, member: str, content_type: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def docx_upload(name: str = "questionnaire.docx") -> SimpleUploadedFile:
    return office_upload(
        name,
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def xlsx_upload(name: str = "data.xlsx") -> SimpleUploadedFile:
    return office_upload(
        name,
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
