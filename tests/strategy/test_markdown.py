"""Coordinators' Markdown is shown as HTML with nothing that could run or restyle the page."""

from django.template import Context, Template

from core.markdown import render_markdown


def test_it_renders_lists_tables_and_links():
    html = render_markdown(
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)"
    )
    assert "<li>one</li>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html


def test_it_removes_scripts_event_handlers_and_styles():
    html = render_markdown(
        '<script>alert(1)</script><p onclick="x()" style="color:red">text</p>'
        '<img src="/media/a.png" onerror="alert(1)">'
    )
    assert "script" not in html
    assert "alert" not in html
    assert "onclick" not in html
    assert "style" not in html
    assert "onerror" not in html
    assert "<p>text</p>" in html


def test_it_drops_javascript_links_and_images_from_other_sites():
    html = render_markdown(
        "[bad](javascript:alert(1)) ![remote](https://tracker.example/x.png) "
        "![local](/en/pages/media/3/) [mail](mailto:a@example.org)"
    )
    assert "javascript" not in html
    assert "tracker.example" not in html
    assert 'src="/en/pages/media/3/"' in html
    assert 'href="mailto:a@example.org"' in html


def test_headings_start_below_the_page_title():
    html = render_markdown("# Title\n\n###### Small")
    assert "<h1" not in html
    assert "<h2>Title</h2>" in html
    assert "<h4>Small</h4>" in html


def test_the_template_filter_renders_markdown_safely():
    output = Template("{% load portal %}{{ text|markdown }}").render(
        Context({"text": "**bold** <b onmouseover=x>b</b>"})
    )
    assert "<strong>bold</strong>" in output
    assert "onmouseover" not in output


def test_empty_text_gives_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
