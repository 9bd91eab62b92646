"""Finding a phrase in text a person reads (a page, an email, a command's output) as a whole.

A bare ``"6 created" in output`` also passes on "16 created", and ``"Page 1 of 2" in page`` on
"Page 1 of 20". ``has_phrase`` finds the phrase only where it is not part of a longer word or
number.
"""

import re

_SEPARATORS = ",.\u066b\u066c"  # thousands and decimal marks, Arabic ones included


def has_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` appears in ``text`` with no letter or digit running on at either end.

    An edge that is a letter or digit must not touch another one, nor a number through a
    thousands or decimal mark: "8,000" is not found in "18,000", "8,000,000" or "8,000.5", and
    "22 areas added" not in "122 areas added". Punctuation that ends a sentence ("2 rows
    added.") and an edge that is itself punctuation ("?page=2") are no obstacle.
    """
    if not phrase:
        raise ValueError("an empty phrase is in every text")
    pattern = re.escape(phrase)
    if re.match(r"\w", phrase[0]):
        pattern = rf"(?<!\w)(?<!\d[{_SEPARATORS}])" + pattern
    if re.match(r"\w", phrase[-1]):
        pattern += rf"(?!\w)(?![{_SEPARATORS}]\d)"
    return re.search(pattern, text) is not None


def page_text(html: str) -> str:
    """The text of a page as a person reads it: no tag, no script, spaces collapsed."""
    import html as entities

    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """The body rows of a table of the page by their first cell's text, each with the text
    of its other cells."""
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start) : html.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        rows[cells[0]] = cells[1:]
    return rows
