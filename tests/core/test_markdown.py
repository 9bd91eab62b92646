import pytest

from core.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "[x](/\\evil.example/path)",
        "[x](\\\\evil.example)",
        "[x](//evil.example)",
        "![x](/\\evil.example/pixel.png)",
    ],
)
def test_links_that_a_browser_would_send_to_another_site_are_dropped(source):
    html = render_markdown(source)
    assert "evil.example" not in html


def test_a_link_within_the_site_and_one_to_the_web_are_kept():
    html = render_markdown("[Partners](/en/partners/) and [WHO](https://www.who.int/)")
    assert 'href="/en/partners/"' in html
    assert 'href="https://www.who.int/"' in html
    assert 'rel="noopener noreferrer"' in html
