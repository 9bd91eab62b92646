"""Demonstration partners and accounts for the fictional country "Demoland".

``seed()`` creates one account per role (password ``portal-demo-2026``, addresses
already verified), about twenty invented organisations of every type working in
the demo areas, one registration waiting for approval and one join request. It
is idempotent: it writes only what differs, so a second run changes nothing.
Run after the locations seed, whose areas the organisations work in.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.records import save_if_changed
from locations.models import AdminArea
from partners.models import (
    CURRENT_MEMBERSHIP,
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    OrganisationType,
    name_key,
)

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - published on purpose for the demo accounts

ACCOUNTS = {
    "admin@demo.local": {"full_name": "Demo Site Administrator", "is_superuser": True},
    "coordinator@demo.local": {"full_name": "Demo Coordinator", "is_coordinator": True},
    "focal@demo.local": {"full_name": "Demo Focal Point"},
    "staff@demo.local": {"full_name": "Demo Partner Staff"},
    "applicant@demo.local": {"full_name": "Demo Applicant"},
    "joiner@demo.local": {"full_name": "Demo Joiner", "language": "ar"},
}

FOCAL_ORGANISATION = "Demoland Health Action"
PENDING_ORGANISATION = "Eastern Plains Mobile Clinics"


@dataclass(frozen=True)
class DemoOrganisation:
    name_en: str
    name_ar: str
    acronym: str
    type: str
    nationwide: bool = False


T = OrganisationType
ORGANISATIONS = [
    DemoOrganisation(
        "UN Health Fund, Demoland Office",
        "مكتب صندوق الأمم المتحدة للصحة",
        "UNHF",
        T.UN_AGENCY,
        True,
    ),
    DemoOrganisation(
        "UN Agency for Mothers and Children",
        "وكالة الأمم المتحدة للأمهات والأطفال",
        "UNAMC",
        T.UN_AGENCY,
    ),
    DemoOrganisation(
        "Health Without Borders International",
        "الصحة بلا حدود الدولية",
        "HWBI",
        T.INTERNATIONAL_NGO,
    ),
    DemoOrganisation("Global Care Alliance", "تحالف الرعاية العالمي", "GCA", T.INTERNATIONAL_NGO),
    DemoOrganisation("Mercy Medical Relief", "", "MMR", T.INTERNATIONAL_NGO),
    DemoOrganisation(
        "Clean Water and Health Partners",
        "شركاء المياه النظيفة والصحة",
        "CWHP",
        T.INTERNATIONAL_NGO,
    ),
    DemoOrganisation(FOCAL_ORGANISATION, "العمل الصحي في ديمولاند", "DHA", T.NATIONAL_NGO),
    DemoOrganisation(
        "Northern Valley Medical Society", "الجمعية الطبية لوادي الشمال", "NVMS", T.NATIONAL_NGO
    ),
    DemoOrganisation(
        "Al-Amal Community Health", "جمعية الأمل للصحة المجتمعية", "ACH", T.NATIONAL_NGO
    ),
    DemoOrganisation(
        "Rural Midwives Association", "جمعية القابلات الريفيات", "RMA", T.NATIONAL_NGO
    ),
    DemoOrganisation(
        "Ministry of Health of Demoland", "وزارة الصحة في ديمولاند", "MoH", T.GOVERNMENT, True
    ),
    DemoOrganisation(
        "Demoland Public Health Institute", "المعهد الوطني للصحة العامة", "DPHI", T.GOVERNMENT, True
    ),
    DemoOrganisation(
        "Demoland Red Crescent Society", "جمعية الهلال الأحمر في ديمولاند", "DRCS", T.RED_CROSS
    ),
    DemoOrganisation(
        "University of Demoland Faculty of Medicine",
        "كلية الطب في جامعة ديمولاند",
        "UDFM",
        T.ACADEMIC,
    ),
    DemoOrganisation("Centre for Humanitarian Health Research", "", "CHHR", T.ACADEMIC),
    DemoOrganisation("Fund for Humanitarian Health", "صندوق الصحة الإنسانية", "FHH", T.DONOR, True),
    DemoOrganisation("Northern Countries Aid Agency", "", "NCAA", T.DONOR, True),
    DemoOrganisation(
        "National NGO Health Forum", "منتدى المنظمات الوطنية للصحة", "NNHF", T.NETWORK
    ),
    DemoOrganisation(
        "Demoland Private Hospitals Union", "اتحاد المستشفيات الخاصة", "DPHU", T.OTHER
    ),
    DemoOrganisation(
        PENDING_ORGANISATION, "العيادات المتنقلة للسهول الشرقية", "EPMC", T.NATIONAL_NGO
    ),
]


def _account(email: str, profile: dict):
    user = get_user_model().objects.filter(email=email).first()
    values = {
        "full_name": profile["full_name"],
        "language": profile.get("language", "en"),
        "is_coordinator": profile.get("is_coordinator", False),
        "is_superuser": profile.get("is_superuser", False),
        "is_staff": profile.get("is_superuser", False),
        "is_active": True,
    }
    if user is None:
        user = get_user_model().objects.create_user(email, DEMO_PASSWORD, **values)
    else:
        save_if_changed(user, values)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        save_if_changed(address, {"verified": True, "primary": True})
    return user


def _areas_for(index: int, demo: DemoOrganisation, admin0, admin1: list, admin2: list) -> list:
    """A stable spread of areas: nationwide bodies work in the country, others in a
    governorate and a few districts elsewhere."""
    if demo.nationwide and admin0 is not None:
        return [admin0]
    areas = []
    if admin1:
        areas.append(admin1[index % len(admin1)])
    if admin2:
        areas.extend(admin2[(index * 3 + step) % len(admin2)] for step in range(3))
    return list(dict.fromkeys(areas))


def _organisation(demo: DemoOrganisation, *, status: str, registered_by, decided_by, areas):
    organisation = Organisation.objects.filter(name_key=name_key(demo.name_en)).first()
    slug = demo.acronym.lower()
    values = {
        "name_en": demo.name_en,
        "name_ar": demo.name_ar,
        "acronym": demo.acronym,
        "type": demo.type,
        "website": f"https://{slug}.example.org",
        "contact_name": f"{demo.acronym} health coordinator",
        "contact_email": f"health@{slug}.example.org",
        "status": status,
        "registered_by": registered_by,
    }
    if organisation is None:
        organisation = Organisation(**values)
        if status != OrganisationStatus.PENDING:
            organisation.status_changed_at = timezone.now()
            organisation.status_changed_by = decided_by
        organisation.save()
    else:
        save_if_changed(organisation, values)
    if {area.pk for area in organisation.areas.all()} != {area.pk for area in areas}:
        organisation.areas.set(areas)
    return organisation


def _membership(
    user, organisation: Organisation, *, role: str, status: str, message: str = ""
) -> Membership:
    """Make this the user's one current membership, keeping the focal-point rule."""
    if role == MemberRole.FOCAL_POINT and status == MembershipStatus.ACTIVE:
        for other in Membership.objects.filter(
            organisation=organisation, role=role, status=status
        ).exclude(user=user):
            save_if_changed(other, {"role": MemberRole.STAFF})
    membership = Membership.objects.filter(CURRENT_MEMBERSHIP, user=user).first()
    if membership is None:
        return Membership.objects.create(
            user=user, organisation=organisation, role=role, status=status, message=message
        )
    save_if_changed(
        membership,
        {"organisation": organisation, "role": role, "status": status, "message": message},
    )
    return membership


@transaction.atomic
def seed() -> str:
    """Create or refresh the demo accounts and partners; return a one-line summary."""
    users = {email: _account(email, profile) for email, profile in ACCOUNTS.items()}
    coordinator = users["coordinator@demo.local"]

    admin0 = AdminArea.objects.filter(level=0).order_by("path").first()
    admin1 = list(AdminArea.objects.filter(level=1).order_by("path"))
    admin2 = list(AdminArea.objects.filter(level=2).order_by("path"))

    registrants = {
        FOCAL_ORGANISATION: users["focal@demo.local"],
        PENDING_ORGANISATION: users["applicant@demo.local"],
    }
    organisations = {}
    for index, demo in enumerate(ORGANISATIONS):
        pending = demo.name_en == PENDING_ORGANISATION
        organisations[demo.name_en] = _organisation(
            demo,
            status=OrganisationStatus.PENDING if pending else OrganisationStatus.APPROVED,
            registered_by=registrants.get(demo.name_en),
            decided_by=coordinator,
            areas=_areas_for(index, demo, admin0, admin1, admin2),
        )

    focal_org = organisations[FOCAL_ORGANISATION]
    active = MembershipStatus.ACTIVE
    _membership(users["focal@demo.local"], focal_org, role=MemberRole.FOCAL_POINT, status=active)
    _membership(users["staff@demo.local"], focal_org, role=MemberRole.STAFF, status=active)
    _membership(
        users["applicant@demo.local"],
        organisations[PENDING_ORGANISATION],
        role=MemberRole.FOCAL_POINT,
        status=active,
    )
    _membership(
        users["joiner@demo.local"],
        focal_org,
        role=MemberRole.STAFF,
        status=MembershipStatus.REQUESTED,
        message="I run the mobile clinic team of DHA in the north and will report its activities.",
    )
    approved = sum(1 for org in organisations.values() if org.is_approved)
    return (
        f"Partners: {len(users)} demo accounts (password {DEMO_PASSWORD}), "
        f"{approved} approved organisations, 1 pending registration, 1 join request."
    )
