"""Fixtures for the locations tests: CSV files in the COD-AB layout, and a tree to browse."""

import pytest

from locations.models import AdminArea

HEADER = "ADM0_EN,ADM0_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM2_EN,ADM2_AR,ADM2_PCODE"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    """A COD-AB style file: the header (line 1) and the given lines, UTF-8."""
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


@pytest.fixture
def demo_areas(db) -> None:
    """Demoland, loaded from the demonstration file."""
    from demo import locations as demo

    demo.seed()
    assert AdminArea.objects.filter(pcode="DL").exists()
