"""The cluster's identity: a coordinator chooses its colour (dark enough to read) and its logo;
every page's stylesheet and navigation bar follow."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy.models import cluster_profile
from strategy.theme import DEFAULT_ACCENT, contrast, tint
from tests.pages.conftest import make_png

pytestmark = pytest.mark.django_db

PROFILE = {"cluster_name_en": "Testland Health Cluster", "cluster_name_ar": "الكتلة الصحية"}


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


def _save(client, **fields):
    return client.post(reverse("strategy:profile_edit"), {**PROFILE, **fields})


def test_contrast_is_wcags_ratio():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes
    assert tint("#0b3d75") == "#e7ecf1"


def test_every_page_links_the_stylesheet_of_the_clusters_colours(client):
    page = client.get("/en/").content.decode()
    assert f'<link rel="stylesheet" href="{reverse("theme_css")}">' in page
    css = client.get(reverse("theme_css")).content.decode()
    assert f"--cluster-accent: {DEFAULT_ACCENT};" in css
    assert "navbar-brand::before" not in css  # no logo yet


def test_a_coordinator_gives_the_cluster_its_colour(cora, client):
    assert _save(cora, accent_colour="#7A1F3D").status_code == 302
    css = client.get(reverse("theme_css")).content.decode()
    assert "--cluster-accent: #7a1f3d;" in css
    assert f"--cluster-accent-soft: {tint('#7a1f3d')};" in css


def test_a_colour_too_light_to_read_is_refused_and_nothing_changes(cora):
    response = _save(cora, accent_colour="#ffcc00")
    assert response.status_code == 400
    assert "This colour is too light" in response.content.decode()
    assert "1.4 to 1" in response.content.decode()
    assert cluster_profile().accent_colour == DEFAULT_ACCENT


def test_the_logo_is_served_and_shown_beside_the_clusters_name(cora, client, file_store):
    logo = SimpleUploadedFile("our logo.png", make_png(40, 40), content_type="image/png")
    assert _save(cora, logo=logo).status_code == 302
    assert file_store.names() == {cluster_profile().logo.name}
    response = client.get(reverse("cluster_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == make_png(40, 40)
    css = client.get(reverse("theme_css")).content.decode()
    assert f'url("{reverse("cluster_logo")}?v=' in css


def test_a_file_that_is_not_an_image_is_refused_as_the_logo(cora, client):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = _save(cora, logo=fake)
    assert response.status_code == 400
    assert "Upload a valid image" in response.content.decode()
    assert client.get(reverse("cluster_logo")).status_code == 404


def test_a_bulletin_built_after_the_change_takes_the_clusters_colour(cora):
    """Read back from the PDF: the fill colours its page is drawn with."""
    import io
    import re

    from pypdf import PdfReader

    from bulletins.rendering import render_pdf

    assert _save(cora, accent_colour="#7a1f3d").status_code == 302
    pdf = render_pdf('<html><body><p><a href="#top">Bulletin</a></p></body></html>')
    stream = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    fills = {
        tuple(round(float(value), 2) for value in match)
        for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", stream)
    }
    wanted = tuple(round(channel / 255, 2) for channel in (0x7A, 0x1F, 0x3D))
    assert wanted in fills


def test_the_home_page_shows_the_lead_agency_s_logo_beside_its_name(
    client, world, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from strategy.models import cluster_profile

    settings.MEDIA_ROOT = tmp_path
    world.org_a.logo.save("lead.png", ContentFile(make_png(24, 24)), save=True)
    profile = cluster_profile()
    profile.lead_agency = world.org_a
    profile.co_chair = world.org_b
    profile.save()

    page = client.get(reverse("home")).content.decode()

    logo = reverse("partners:logo", args=[world.org_a.pk])
    assert f'<img class="leader-logo" src="{logo}" alt="" height="48">' in page
    assert page.count('class="leader-logo"') == 1  # the co-chair has none
    assert client.get(logo)["Content-Type"] == "image/png"


def test_every_page_s_footer_names_the_cluster_and_shows_its_leads_logos(
    client, world, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from strategy.models import cluster_profile

    settings.MEDIA_ROOT = tmp_path
    world.org_b.logo.save("moh.png", ContentFile(make_png(24, 24)), save=True)
    profile = cluster_profile()
    profile.cluster_name_en = "Gaza Health Cluster"
    profile.cluster_name_ar = "كتلة الصحة في غزة"
    profile.lead_agency = world.org_a
    profile.co_chair = world.org_b
    profile.save()
    logo = reverse("partners:logo", args=[world.org_b.pk])

    for language, name, role in (
        ("en", "Gaza Health Cluster", "Co-chair"),
        ("ar", "كتلة الصحة في غزة", "الرئيس المشارك"),
    ):
        url = reverse("partners:list").replace("/en/", f"/{language}/", 1)
        page = client.get(url).content.decode()
        footer = page[page.index("<footer") :]
        assert f"{name} — " in footer
        logo = reverse("partners:logo", args=[world.org_b.pk]).replace("/en/", f"/{language}/", 1)
        assert re.search(
            rf'<img class="footer-logo" src="{logo}" alt="{role}: [^"]+" height="32">', footer
        )
        assert footer.count('class="footer-logo"') == 1  # the lead agency has no logo


# The file store out of reach -------------------------------------------------------------------


def test_a_new_logo_while_the_file_store_is_down_changes_nothing(cora, unreachable_store):
    logo = SimpleUploadedFile("our logo.png", make_png(40, 40), content_type="image/png")
    response = _save(cora, logo=logo, accent_colour="#5a1a4a")
    assert response.status_code == 400
    assert (
        "The file store cannot be reached just now; nothing was saved. Try again in a few minutes."
        in response.content.decode()
    )
    profile = cluster_profile()
    assert not profile.logo
    assert profile.accent_colour == DEFAULT_ACCENT


def test_the_clusters_logo_while_the_file_store_is_down_answers_a_503(client, unreachable_store):
    profile = cluster_profile()
    type(profile).objects.filter(pk=profile.pk).update(logo="strategy/logo.png")
    response = client.get(reverse("cluster_logo"))
    assert response.status_code == 503
    assert "The file store cannot be reached" in response.content.decode()


def test_the_footer_follows_the_profile_and_its_lead_agency_at_once(
    cora, world, settings, tmp_path
):
    """The footer's identity is kept in the cache between pages (strategy.context_processors):
    a change to the profile, or to the lead agency's name, shows on the very next page."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    world.org_a.logo.save("who.png", ContentFile(make_png(24, 24)), save=True)

    def footer() -> str:
        page = cora.get(reverse("partners:list")).content.decode()
        return " ".join(page[page.index("<footer") :].split())

    assert "Testland Health Cluster — " not in footer()
    assert 'class="footer-logo"' not in footer()
    assert _save(cora, lead_agency=world.org_a.pk).status_code == 302
    assert "Testland Health Cluster — " in footer()
    assert f'alt="Lead agency: {world.org_a.name_en}"' in footer()
    world.org_a.name_en = "World Health Organization"
    world.org_a.save()
    assert 'alt="Lead agency: World Health Organization"' in footer()


def test_a_page_read_again_does_not_ask_the_database_for_the_footer(cora):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cora.get(reverse("partners:list"))
    with CaptureQueriesContext(connection) as queries:
        cora.get(reverse("partners:list"))
    assert not [q for q in queries if "strategy_clusterprofile" in q["sql"]]
