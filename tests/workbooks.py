"""Helpers for tests of uploaded workbooks."""

import io
import re
import zipfile


def declaring(data: bytes, dimension: str) -> bytes:
    """The workbook with its sheets declaring this size (``<dimension ref=…/>``, or "" for
    none): openpyxl reads a sheet only down to the size it declares."""
    source, output = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"\s*/>', dimension.encode(), content)
            target.writestr(item, content)
    return output.getvalue()
