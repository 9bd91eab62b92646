"""Issue 23: one icon set, from npm. The portal ships only the Bootstrap Icons it uses, each the
pinned package's own file, and writes them into pages hidden from screen readers."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.icons import FOLDER, ICONS, PACKAGE, icon_svg


def test_each_icon_shipped_is_the_pinned_packages_own_and_no_other_is_shipped():
    shipped = {path.stem for path in FOLDER.glob("*.svg")}
    assert shipped == set(ICONS)
    for name in ICONS:
        assert (FOLDER / f"{name}.svg").read_bytes() == (PACKAGE / f"{name}.svg").read_bytes()
    assert (FOLDER / "LICENSE").read_text().startswith("The MIT License")


def test_copy_icons_writes_the_icons_again(tmp_path, monkeypatch):
    monkeypatch.setattr("core.management.commands.copy_icons.FOLDER", tmp_path)
    (tmp_path / "retired.svg").write_text("<svg/>")
    call_command("copy_icons", stdout=io.StringIO())
    assert sorted(path.stem for path in tmp_path.glob("*.svg")) == sorted(ICONS)


def test_an_icon_is_hidden_from_screen_readers_and_takes_the_texts_colour():
    svg = str(icon_svg("calendar-event"))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" ')
    assert 'fill="currentColor"' in svg
    with pytest.raises(ValueError, match="not one of"):
        icon_svg("not-an-icon")


@pytest.mark.django_db
def test_the_home_page_shows_its_icons_beside_words(client):
    html = client.get(reverse("home")).content.decode()
    headings = re.findall(r'<h2 id="(\w[\w-]*)" class="h4">(<svg[^>]*class="bi ([\w-]+)")?', html)
    icons = {heading: name for heading, _svg, name in headings}
    assert icons["latest-bulletin"] == "bi-file-earmark-text"
    assert icons["meetings"] == "bi-calendar-event"
    assert 'class="bi bi-people-fill"' in html
    assert 'class="bi bi-building"' in html
