"""The facility registry's permission matrix: every URL of ``facilities:`` for every role.

Members and coordinators see the facilities; the public sees none while
``PUBLISH_FACILITY_LOCATIONS`` is off (the default): a 404, as for a facility that does not
exist (``test_views.py`` checks the published case). Keeping the registry (facilities,
types, supports) and reviewing statuses is for coordinators and the site administrator:
members get a 403 (the cluster's own tools reveal nothing), visitors the login page. Sam and
Alice's organisation supports the hospital, so they record and correct its statuses; Olga's
does not, and a status of theirs under review is a 404 for her. Importing facilities is the
coordinators'; importing statuses is for whoever records them, from a valid file each. The
registry's files follow its list; the history of statuses is the coordinators'.
"""

import pytest
from django.utils import timezone

from facilities.models import SupportKind
from tests.facilities.factories import make_registry, status_form
from tests.facilities.import_helpers import facilities_file, statuses_file
from tests.matrix import LOGIN, Row, check, every_role, params

COORDINATORS_ONLY = every_role(403, anonymous=LOGIN, coordinator=200, site_admin=200)
COORDINATORS_ACT = every_role(403, anonymous=LOGIN, coordinator=302, site_admin=302)
MEMBERS_SEE = every_role(200, anonymous=404)


def _facility(world) -> dict:
    return {"pk": world.hospital.pk}


def _facility_form(world) -> dict:
    return {
        "code": "",
        "name_en": "South Clinic",
        "type": world.hospital.type_id,
        "ownership": "ngo",
        "area": world.area.pcode,
        "domains": [],
    }


def _support_form(world) -> dict:
    return {
        "organisation": world.org_b.pk,
        "kind": SupportKind.SUPPLIES,
        "start": timezone.localdate().isoformat(),
    }


def _type_form(world) -> dict:
    return {"code": "warehouse-clinic", "name_en": "Warehouse clinic", "order": "9"}


MATRIX = [
    Row("facilities:list", MEMBERS_SEE),
    Row("facilities:list", MEMBERS_SEE, data=lambda w: {"functionality": "none"}, note="filter"),
    Row("facilities:detail", MEMBERS_SEE, kwargs=_facility),
    Row("facilities:create", COORDINATORS_ONLY),
    Row("facilities:create", COORDINATORS_ACT, method="post", data=_facility_form),
    Row("facilities:edit", COORDINATORS_ONLY, kwargs=_facility),
    Row("facilities:edit", COORDINATORS_ACT, kwargs=_facility, method="post", data=_facility_form),
    Row("facilities:support_add", COORDINATORS_ONLY, kwargs=_facility),
    Row(
        "facilities:support_add",
        COORDINATORS_ACT,
        kwargs=_facility,
        method="post",
        data=_support_form,
    ),
    Row("facilities:support_end", COORDINATORS_ONLY, kwargs=lambda w: {"pk": w.support.pk}),
    Row(
        "facilities:support_end",
        COORDINATORS_ACT,
        kwargs=lambda w: {"pk": w.support.pk},
        method="post",
        data=lambda w: {"end": timezone.localdate().isoformat()},
    ),
    Row("facilities:types", COORDINATORS_ONLY),
    Row("facilities:type_create", COORDINATORS_ONLY),
    Row("facilities:type_create", COORDINATORS_ACT, method="post", data=_type_form),
    Row("facilities:type_edit", COORDINATORS_ONLY, kwargs=lambda w: {"pk": w.hospital.type_id}),
    Row(
        "facilities:type_edit",
        COORDINATORS_ACT,
        kwargs=lambda w: {"pk": w.hospital.type_id},
        method="post",
        data=lambda w: {"name_en": "Hospital", "is_hospital": "on", "order": "0"},
    ),
    # Members of an organisation supporting a facility record statuses; Olga's supports none.
    Row("facilities:status_record", every_role(200, anonymous=LOGIN, other_member=403)),
    Row(
        "facilities:status_record",
        every_role(302, anonymous=LOGIN, other_member=403),
        method="post",
        data=lambda w: status_form(w.hospital),
    ),
    Row("facilities:statuses_mine", every_role(200, anonymous=LOGIN)),
    Row("facilities:review_queue", COORDINATORS_ONLY),
    # A returned status is corrected by its organisation and coordinators; others' is a 404.
    Row(
        "facilities:status_edit",
        every_role(200, anonymous=LOGIN, other_member=404),
        kwargs=lambda w: {"pk": w.returned.pk},
    ),
    Row(
        "facilities:status_edit",
        every_role(302, anonymous=LOGIN, other_member=404),
        kwargs=lambda w: {"pk": w.returned.pk},
        method="post",
        data=lambda w: status_form(),
    ),
    Row(
        "facilities:status_validate",
        COORDINATORS_ONLY | {"other_member": 404},
        kwargs=lambda w: {"pk": w.submitted.pk},
    ),
    Row(
        "facilities:status_validate",
        COORDINATORS_ACT | {"other_member": 404},
        kwargs=lambda w: {"pk": w.submitted.pk},
        method="post",
        data=lambda w: {"confirm": "yes"},
    ),
    Row(
        "facilities:status_return",
        COORDINATORS_ONLY | {"other_member": 404},
        kwargs=lambda w: {"pk": w.submitted.pk},
    ),
    Row(
        "facilities:status_return",
        COORDINATORS_ACT | {"other_member": 404},
        kwargs=lambda w: {"pk": w.submitted.pk},
        method="post",
        data=lambda w: {"comment": "Check the date."},
    ),
    # Imports: the facilities are the coordinators'; the statuses whoever records them.
    Row("facilities:import", COORDINATORS_ONLY),
    Row(
        "facilities:import",
        COORDINATORS_ACT,
        method="post",
        data=lambda w: {"file": facilities_file()},
    ),
    Row("facilities:import_template", COORDINATORS_ONLY),
    Row("facilities:import_template", every_role(405, anonymous=LOGIN), method="post"),
    Row("facilities:status_import", every_role(200, anonymous=LOGIN, other_member=403)),
    Row(
        "facilities:status_import",
        every_role(302, anonymous=LOGIN, other_member=403),
        method="post",
        data=lambda w: {"file": statuses_file(w.user("coordinator"))},
    ),
    Row(
        "facilities:status_import_template",
        every_role(200, anonymous=LOGIN, other_member=403),
    ),
    Row("facilities:status_import_template", every_role(405, anonymous=LOGIN), method="post"),
    # Exports: the registry to whoever sees it; the status history to coordinators.
    Row("facilities:export", MEMBERS_SEE, kwargs=lambda w: {"fmt": "csv"}),
    Row("facilities:export", MEMBERS_SEE, kwargs=lambda w: {"fmt": "xlsx"}, note="xlsx"),
    Row(
        "facilities:export",
        MEMBERS_SEE,
        kwargs=lambda w: {"fmt": "hxl"},
        data=lambda w: {"functionality": "partially"},
        note="hxl filtered",
    ),
    Row("facilities:export", every_role(405), kwargs=lambda w: {"fmt": "csv"}, method="post"),
    Row("facilities:status_export", COORDINATORS_ONLY, kwargs=lambda w: {"fmt": "csv"}),
    Row(
        "facilities:status_export",
        COORDINATORS_ONLY,
        kwargs=lambda w: {"fmt": "xlsx"},
        note="xlsx",
    ),
    Row(
        "facilities:status_export",
        every_role(405, anonymous=LOGIN),
        kwargs=lambda w: {"fmt": "hxl"},
        method="post",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    make_registry(world)
    check(row, role, world, login)
