"""The Arabic catalogue: every interface string has a reviewed translation."""

import re
from functools import cache
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ar" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@cache
def _parse() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def catalogue() -> polib.POFile:
    """The parsed catalogue; a missing file fails each test with instructions."""
    if not CATALOGUE.exists():
        pytest.fail(
            f"The Arabic catalogue {CATALOGUE} does not exist. Create it with "
            "`make messages` (manage.py makemessages -l ar) and translate every entry."
        )
    return _parse()


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(path for path, _line in entry.occurrences[:2])
    return f"  {entry.msgid!r}" + (f"  ({where})" if where else "")


def test_the_arabic_catalogue_has_no_untranslated_entries():
    missing = [entry for entry in catalogue().untranslated_entries() if not entry.obsolete]
    assert not missing, f"{len(missing)} untranslated entries:\n" + "\n".join(
        describe(entry) for entry in missing
    )


def test_the_arabic_catalogue_has_no_fuzzy_entries():
    fuzzy = [entry for entry in catalogue().fuzzy_entries() if not entry.obsolete]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries need a review:\n" + "\n".join(
        describe(entry) for entry in fuzzy
    )


def test_the_arabic_catalogue_declares_arabics_six_plural_forms():
    assert catalogue().metadata.get("Plural-Forms", "").startswith("nplurals=6;")


def test_translations_keep_the_placeholders_of_their_source():
    broken = []
    for entry in catalogue().translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        if entry.msgid_plural:
            # Arabic's singular and dual forms may spell the number out instead of using it.
            for text in entry.msgstr_plural.values():
                if not set(PLACEHOLDER.findall(text)) <= expected:
                    broken.append(f"  {entry.msgid!r} → {text!r}")
        elif set(PLACEHOLDER.findall(entry.msgstr)) != expected:
            broken.append(f"  {entry.msgid!r} → {entry.msgstr!r}")
    assert not broken, "Translations that lose or invent placeholders:\n" + "\n".join(broken)
