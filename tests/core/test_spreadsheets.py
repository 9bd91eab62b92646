"""Hostile workbooks are refused before or while openpyxl parses them, with a clear message."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.spreadsheets import open_workbook
from tests.text import has_phrase


def upload(data: bytes, name: str = "sheet.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def good_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["p-code", "people"])
    workbook.active.append(["ZZ01", 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rebuilt(replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None):
    """The good workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(good_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught, open_workbook(upload(data)):
        pass
    return caught.value


def test_a_good_workbook_opens_read_only_with_its_values():
    with open_workbook(upload(good_workbook())) as workbook:
        rows = list(workbook.active.iter_rows(values_only=True))
    assert rows == [("p-code", "people"), ("ZZ01", 10)]


def test_a_file_that_is_not_a_zip_is_refused_by_name():
    error = refusal(b"MZ\x90\x00 this is a program renamed .xlsx")
    assert error.code == "not_xlsx"
    assert "sheet.xlsx" in error.messages[0]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue()).code == "not_xlsx"


def test_a_truncated_workbook_is_refused():
    assert refusal(good_workbook()[:600]).code == "not_xlsx"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = rebuilt(extra={"xl/media/padding.bin": b"\0" * (150 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert refusal(bomb).code == "bomb"


def test_a_workbook_of_too_many_parts_is_refused():
    parts = {f"xl/media/image{n}.bin": b"x" for n in range(250)}
    assert refusal(rebuilt(extra=parts)).code == "too_many"


def test_an_entity_expansion_attack_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheets><sheet name="&lol3;" sheetId="1"/></sheets></workbook>'
    )
    assert refusal(rebuilt(replace={"xl/workbook.xml": laughs})).code == "unreadable"


def test_an_oversized_upload_is_refused_with_the_limit():
    error = refusal(b"x" * (11 * 1024 * 1024))
    assert error.code == "too_large"
    assert has_phrase(error.messages[0], "10 MB")
