"""Who may open the export page and files: everyone; what each gets is in test_exports."""

import pytest

from tests.matrix import Row, check, every_role, params

MATRIX = [
    Row("activities:exports", every_role(200)),
    Row("activities:export", every_role(200), kwargs=lambda w: {"fmt": "csv"}, note="csv"),
    Row("activities:export", every_role(200), kwargs=lambda w: {"fmt": "xlsx"}, note="xlsx"),
    Row("activities:export", every_role(200), kwargs=lambda w: {"fmt": "hxl"}, note="hxl"),
    Row("activities:exports", every_role(405), method="post", note="read only"),
    Row(
        "activities:export",
        every_role(405),
        kwargs=lambda w: {"fmt": "csv"},
        method="post",
        note="read only",
    ),
]


@pytest.mark.parametrize(("row", "role"), params(MATRIX), ids=str)
def test_permissions(row, role, world, login):
    check(row, role, world, login)
