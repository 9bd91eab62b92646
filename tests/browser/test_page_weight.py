"""Public pages stay light for partners on slow links: under 150 KB as a browser receives it
on a first visit, charts included. A bulletin is published in English and in Arabic, so the
home page, the archive and the bulletin's pages are weighed with its editions listed."""

import gzip

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024
NUMBER = 7


def _published_bulletin() -> None:
    """Bulletin NUMBER over January to April 2026, its two editions built from the dataset's
    public figures and published."""
    from analysis.snapshot import public_figures
    from bulletins import publication
    from tests.analysis.dataset import APR, JAN
    from tests.bulletins.factories import bilingual_bulletin, built

    bulletin, english, arabic = bilingual_bulletin(number=NUMBER, first_month=JAN, last_month=APR)
    figures = public_figures(first_month=JAN, last_month=APR)
    built(english, figures=figures)
    built(arabic)
    publication.bulletin_publish(bulletin=bulletin, languages=["en", "ar"], by=None)


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/ar/",
        "/en/dashboard/?first_month=2026-01&last_month=2026-04",
        "/en/dashboard/areas/?first_month=2026-01&last_month=2026-04",
        "/en/dashboard/people/?first_month=2026-01&last_month=2026-04",
        "/en/strategy/",
        "/en/bulletins/",
        f"/en/bulletins/{NUMBER}/",
        f"/ar/bulletins/{NUMBER}/ar/",
    ],
)
def test_a_public_page_weighs_less_than_150_kb_compressed(
    browser, live_server, every_figure_public, path
):
    """live_server sends files uncompressed; production (whitenoise) sends them compressed, so
    each body is weighed as gzip at level 9 would send it. Every figure is public here, so
    that the dashboard draws all its charts, as it does for a cluster of many partners."""
    from tests.analysis.boundaries import draw_the_dataset_areas
    from tests.analysis.dataset import build

    build()  # figures, so that the dashboard pages draw their charts
    draw_the_dataset_areas()  # and the pages their maps
    _published_bulletin()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="networkidle")

    weights, page_html = {}, {}
    for response in responses:
        if response.status != 200:
            continue
        weights[response.url.removeprefix(live_server.url)] = len(gzip.compress(response.body(), 9))
        if response.request.resource_type == "document":
            page_html[response.url.removeprefix(live_server.url)] = response.text()
    context.close()

    total = sum(weights.values())
    report = "\n".join(f"  {size / 1024:7.1f} KB  {url}" for url, size in weights.items())
    print(f"\n{path} weight, gzip-compressed: {total / 1024:.1f} KB\n{report}")
    assert path in weights, f"{path} itself did not answer 200"
    assert any(url.endswith(".css") for url in weights)
    # The dashboard draws its charts in the page itself (analysis/bars.py): counted with it,
    # and no chart image is loaded on the way.
    if "/dashboard/" in path:
        assert "<svg" in page_html[path], "the page drew no chart"
        assert not any("/charts/" in url for url in weights)
    assert total < BUDGET, f"{total / 1024:.1f} KB is over the 150 KB budget:\n{report}"
