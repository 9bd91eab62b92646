"""Demonstration needs assessments in Demoland, in every state of the workflow.

``seed()`` writes eight invented assessments led by the demo organisations (found by
acronym), over Demoland's areas (p-codes DL…), held in the six months before the day it
first runs: drafts, one under review, one returned with a comment, published ones and a
restricted one, with findings for several areas and health domains (severities 1 to 5) and
a small PDF report. It is idempotent: records are found by their English title, their dates
are kept once set, and only what differs is written. Run after the locations and partners
seeds.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentType,
    Attachment,
    AttachmentKind,
    Finding,
)
from demo.records import save_if_changed
from locations.models import AdminArea
from partners.models import Organisation
from strategy.models import HealthDomain

REPORT_NAME = "MIRA Coastal Region - report.pdf"


@dataclass(frozen=True)
class DemoAssessment:
    title_en: str
    title_ar: str
    type: str
    lead: str
    areas: tuple[str, ...]
    weeks_ago: int
    days: int
    status: str
    participants: tuple[str, ...] = ()
    restricted: bool = False
    review_comment: str = ""
    population: int | None = None
    key_findings_en: str = ""
    key_findings_ar: str = ""
    finding_areas: tuple[str, ...] = field(default=())
    domain_count: int = 4


S, T = AssessmentStatus, AssessmentType
# The whole country's situation analysis covers all twenty governorates.
GOVERNORATES = tuple(f"DL{number:02d}" for number in range(1, 21))
ASSESSMENTS = [
    DemoAssessment(
        "Rapid health assessment of Pinecrest district",
        "التقييم الصحي السريع لمنطقة قمة الصنوبر",
        T.RAPID,
        "DHA",
        ("DL0101",),
        3,  # weeks ago
        6,
        S.DRAFT,
        population=48_000,
        finding_areas=("DL010101", "DL010102", "DL010103"),
        domain_count=3,
    ),
    DemoAssessment(
        "Cholera risk assessment in River Valley",
        "تقييم مخاطر الكوليرا في وادي النهر",
        T.RAPID,
        "DHA",
        ("DL02",),
        6,  # weeks ago
        10,
        S.SUBMITTED,
        participants=("NVMS", "CWHP"),
        population=210_000,
        key_findings_en="Unsafe water in half of the households; no oral rehydration points.",
        finding_areas=("DL0201", "DL0202", "DL0203", "DL0204"),
    ),
    DemoAssessment(
        "Maternal and newborn health services in the Eastern Plains",
        "خدمات صحة الأم والوليد في السهول الشرقية",
        T.SECTORAL,
        "DHA",
        ("DL0301", "DL0302"),
        12,  # weeks ago
        21,
        S.RETURNED,
        participants=("RMA",),
        review_comment=(
            "Please give the sample size and say how the facilities were chosen; "
            "the people in need for Sunmeadow look too high."
        ),
        population=95_000,
        finding_areas=("DL0301", "DL0302"),
    ),
    DemoAssessment(
        "Multi-cluster initial rapid assessment, Coastal Region",
        "التقييم السريع الأولي متعدد القطاعات، المنطقة الساحلية",
        T.MIRA,
        "UNHF",
        ("DL04",),
        20,  # weeks ago
        14,
        S.PUBLISHED,
        participants=("MoH", "DRCS", "GCA"),
        population=340_000,
        key_findings_en=(
            "Flooding closed four of eleven health facilities. Diarrhoeal disease and "
            "skin infections are rising; routine immunisation has stopped in Coralbay."
        ),
        key_findings_ar=(
            "أدت الفيضانات إلى إغلاق أربعة من أحد عشر مرفقًا صحيًا. تتزايد أمراض الإسهال "
            "والتهابات الجلد، وتوقف التحصين الروتيني في خليج المرجان."
        ),
        finding_areas=("DL0401", "DL0402", "DL0403", "DL0404"),
        domain_count=6,
    ),
    DemoAssessment(
        "HeRAMS health facility survey, Northern Hills",
        "مسح المرافق الصحية HeRAMS، التلال الشمالية",
        T.HERAMS,
        "MoH",
        ("DL01",),
        25,  # weeks ago
        30,
        S.PUBLISHED,
        participants=("UNHF",),
        population=260_000,
        key_findings_en=(
            "Two of nine hospitals are fully functional; one in three clinics lacks staff."
        ),
        finding_areas=("DL0101", "DL0102", "DL0103"),
        domain_count=5,
    ),
    DemoAssessment(
        "Public health situation analysis, Demoland",
        "تحليل وضع الصحة العامة، ديمولاند",
        T.PHSA,
        "DPHI",
        GOVERNORATES,
        16,  # weeks ago
        20,
        S.PUBLISHED,
        participants=("UNHF", "MoH"),
        population=5_900_000,
        key_findings_en=(
            "Communicable disease risks dominate in River Valley and the Coastal Region."
        ),
        finding_areas=GOVERNORATES,
        domain_count=8,
    ),
    DemoAssessment(
        "Health services for survivors of gender-based violence, River Valley",
        "الخدمات الصحية للناجين من العنف القائم على النوع الاجتماعي، وادي النهر",
        T.SECTORAL,
        "HWBI",
        ("DL0201", "DL0202"),
        14,  # weeks ago
        12,
        S.PUBLISHED,
        restricted=True,
        participants=("UNAMC",),
        population=72_000,
        key_findings_en="Clinical management of rape is offered in one facility only.",
        finding_areas=("DL0201", "DL0202"),
        domain_count=2,
    ),
    DemoAssessment(
        "Mental health and psychosocial support needs, Coastal Region",
        "احتياجات الصحة النفسية والدعم النفسي الاجتماعي، المنطقة الساحلية",
        T.OTHER,
        "GCA",
        ("DL0401", "DL0402"),
        5,  # weeks ago
        9,
        S.DRAFT,
        finding_areas=("DL0401",),
        domain_count=2,
    ),
]


def _published_at(demo: DemoAssessment, start: datetime.date) -> datetime.datetime:
    end = start + datetime.timedelta(days=demo.days + 10)
    return datetime.datetime.combine(end, datetime.time(9, 0), tzinfo=datetime.UTC)


def _severity(area_index: int, domain_index: int, salt: int) -> int:
    """A stable spread of severities over the whole scale: mostly the area's (as needs are),
    a phase more or less in some domains, so that the areas' highest severities differ."""
    area = (area_index * 3 + salt) % 4 + 1
    return max(1, min(5, area + (domain_index % 3) - 1))


def _findings(assessment: Assessment, demo: DemoAssessment, areas: dict, domains: list) -> int:
    wanted = {}
    salt = len(demo.title_en)
    for area_index, pcode in enumerate(demo.finding_areas):
        area = areas.get(pcode)
        if area is None:
            continue
        for domain_index, domain in enumerate(domains[: demo.domain_count]):
            severity = _severity(area_index, domain_index, salt)
            people = None if (area_index + domain_index) % 4 == 3 else severity * 1_750
            wanted[(area.pk, domain.pk)] = (area, domain, severity, people)
    existing = {(f.area_id, f.domain_id): f for f in assessment.findings.all()}
    for key, finding in existing.items():
        if key not in wanted:
            finding.delete()
    for key, (area, domain, severity, people) in wanted.items():
        finding = existing.get(key) or Finding(assessment=assessment, area=area, domain=domain)
        save_if_changed(finding, {"severity": severity, "people_in_need": people})
    return len(wanted)


def _report_pdf(assessment: Assessment) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
    <style>@page {{ size: A4; margin: 2cm; }} body {{ font-family: sans-serif; }}</style>
    </head><body>
    <h1>{escape(assessment.title_en)}</h1>
    <p>Demonstration report: Demoland, its places and figures are invented.</p>
    <p>{escape(assessment.key_findings_en)}</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def _attach_report(assessment: Assessment) -> bool:
    if assessment.attachments.filter(original_name=REPORT_NAME).exists():
        return False
    content = _report_pdf(assessment)
    attachment = Attachment(
        assessment=assessment,
        kind=AttachmentKind.REPORT,
        original_name=REPORT_NAME,
        content_type="application/pdf",
        size=len(content),
    )
    attachment.file.save(REPORT_NAME, ContentFile(content), save=False)
    attachment.save()
    return True


@transaction.atomic
def seed() -> str:
    """Create or refresh the demo assessments; return a one-line summary."""
    organisations = {org.acronym: org for org in Organisation.objects.exclude(acronym="")}
    areas = {area.pcode: area for area in AdminArea.objects.filter(pcode__startswith="DL")}
    domains = list(HealthDomain.objects.active())
    today = timezone.localdate()
    if not areas or not organisations:
        return "Assessments: skipped (seed the Demoland areas and partners first)."

    count = findings = 0
    for demo in ASSESSMENTS:
        lead = organisations.get(demo.lead)
        covered = [areas[pcode] for pcode in demo.areas if pcode in areas]
        if lead is None or not covered:
            continue
        published = demo.status == AssessmentStatus.PUBLISHED
        assessment = Assessment.objects.filter(title_en=demo.title_en).first() or Assessment()
        # Placed before today when first made, then kept: a later run moves no date.
        start = assessment.start_date or today - datetime.timedelta(weeks=demo.weeks_ago)
        save_if_changed(
            assessment,
            {
                "title_en": demo.title_en,
                "title_ar": demo.title_ar,
                "type": demo.type,
                "lead_organisation_id": lead.pk,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=demo.days),
                "methodology": (
                    "Key informant interviews with facility managers and community leaders, "
                    "direct observation of health facilities and a household survey."
                ),
                "sample": "Health facilities and households in every area covered.",
                "population_covered": demo.population,
                "key_findings_en": demo.key_findings_en,
                "key_findings_ar": demo.key_findings_ar,
                "status": demo.status,
                "is_restricted": demo.restricted,
                "review_comment": demo.review_comment,
                "submitted_at": None
                if demo.status == AssessmentStatus.DRAFT
                else _published_at(demo, start) - datetime.timedelta(days=3),
                "published_at": _published_at(demo, start) if published else None,
            },
        )
        if {area.pk for area in assessment.areas.all()} != {area.pk for area in covered}:
            assessment.areas.set(covered)
        participants = [
            organisations[acronym] for acronym in demo.participants if acronym in organisations
        ]
        if {org.pk for org in assessment.participating_organisations.all()} != {
            org.pk for org in participants
        }:
            assessment.participating_organisations.set(participants)
        findings += _findings(assessment, demo, areas, domains)
        count += 1
        if demo.type == AssessmentType.MIRA:
            _attach_report(assessment)
    return f"Assessments: {count} demo needs assessments in every state, {findings} findings."
