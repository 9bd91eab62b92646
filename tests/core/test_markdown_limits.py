"""Markdown that cannot be used against the server (issue 21): the limits every Markdown form
checks, with messages that name them; rendering bounded on any stored text, measured by the
renderer's work rather than by a clock; the HTML rendered once per text."""

import logging
import sys
import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format

from bulletins.forms import EditionForm
from core import markdown
from core.markdown import (
    MAX_DEPTH,
    MAX_LENGTH,
    RENDER_MAX_LENGTH,
    TOO_DEEP,
    TOO_LONG,
    MarkdownField,
    MarkdownTextField,
    check_markdown,
    markdown_to_html,
    render_markdown,
)
from meetings.forms import MeetingForm
from pages.forms import PageForm
from strategy import forms as strategy_forms

# 2 KB of list markers: python-markdown recursed once per marker and raised RecursionError.
NESTED_LIST = "- " * 1000 + "a"
NESTED_NUMBERS = "1. " * 680
NESTED_QUOTES_AND_LISTS = "> - " * 512

# Every text the portal shows through the ``markdown`` filter or render_markdown.
MARKDOWN_FIELDS = {
    "pages.page": ["body_en", "body_ar"],
    "meetings.meeting": ["agenda_en", "agenda_ar"],
    "bulletins.edition": [
        "situation_overview",
        "public_health_concerns",
        "health_response",
        "gaps_and_challenges",
        "coordination",
    ],
    "strategy.clusterprofile": ["purpose_en", "purpose_ar"],
    "strategy.strategycycle": ["summary_en", "summary_ar"],
    "strategy.strategicpriority": ["description_en", "description_ar"],
    "strategy.strategicapproach": ["description_en", "description_ar"],
    "strategy.strategicobjective": ["description_en", "description_ar"],
    "strategy.healthdomain": ["description_en", "description_ar"],
}
FORMS = [
    (PageForm, ["body_en", "body_ar"]),
    (MeetingForm, ["agenda_en", "agenda_ar"]),
    (EditionForm, MARKDOWN_FIELDS["bulletins.edition"]),
    (strategy_forms.ClusterProfileForm, ["purpose_en", "purpose_ar"]),
    (strategy_forms.CycleForm, ["summary_en", "summary_ar"]),
    (strategy_forms.PriorityForm, ["description_en", "description_ar"]),
    (strategy_forms.ApproachForm, ["description_en", "description_ar"]),
    (strategy_forms.ObjectiveForm, ["description_en", "description_ar"]),
    (strategy_forms.HealthDomainForm, ["description_en", "description_ar"]),
]


def nested_list(depth: int) -> str:
    return "\n".join(f"{'  ' * level}- level {level + 1}" for level in range(depth))


def lines_executed(render, text: str) -> int:
    """The renderer's work: the lines of Python it runs for the text, the same every time,
    in this thread and in the parser's own (``markdown._parse``)."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    threading.settrace(trace)
    try:
        render(text)
    finally:
        sys.settrace(None)
        threading.settrace(None)
    return count


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# The limits, checked on save ---------------------------------------------------------------


def test_a_text_at_the_limits_is_accepted():
    check_markdown("x" * MAX_LENGTH)
    check_markdown(nested_list(MAX_DEPTH))


def test_a_text_one_character_too_long_is_refused_with_its_length_and_the_limit():
    with pytest.raises(ValidationError) as refused:
        check_markdown("x" * (MAX_LENGTH + 1))

    assert refused.value.code == "markdown_too_long"
    assert refused.value.messages == [
        "This text has 20,001 characters; a text may have at most 20,000. Shorten it."
    ]


def test_lists_one_level_too_deep_are_refused_with_the_limit():
    with pytest.raises(ValidationError) as refused:
        check_markdown(nested_list(MAX_DEPTH + 1))

    assert refused.value.code == "markdown_too_deep"
    assert refused.value.messages == [
        "Lists and quotes may be put inside one another at most 10 levels deep; this text goes "
        "deeper. Remove some of the indentation or of the “-”, “*”, “1.” and “>” marks at the "
        "start of its lines."
    ]


@pytest.mark.parametrize("text", [NESTED_LIST, NESTED_NUMBERS, NESTED_QUOTES_AND_LISTS])
def test_the_nested_markers_of_the_issue_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        check_markdown(text)

    assert refused.value.code == "markdown_too_deep"


def test_the_messages_are_in_the_language_of_the_page():
    with translation.override("ar"):
        with pytest.raises(ValidationError) as too_long:
            check_markdown("x" * (MAX_LENGTH + 1))
        with pytest.raises(ValidationError) as too_deep:
            check_markdown(NESTED_LIST)
        length = number_format(MAX_LENGTH + 1, force_grouping=True)
        limit = number_format(MAX_LENGTH, force_grouping=True)
        expected_long = str(TOO_LONG) % {"length": length, "limit": limit}
        expected_deep = str(TOO_DEEP) % {"limit": number_format(MAX_DEPTH)}
        # Read as a page reads them: while the page's language is active.
        assert too_long.value.messages == [expected_long]
        assert too_deep.value.messages == [expected_deep]
    assert expected_long.startswith("يتضمّن هذا النص")


def test_every_markdown_text_of_the_portal_is_a_markdown_field():
    found = {
        model._meta.label_lower: sorted(
            field.name for field in model._meta.fields if isinstance(field, MarkdownTextField)
        )
        for model in apps.get_models()
        if not model._meta.model_name.startswith("historical")
    }
    for label, names in MARKDOWN_FIELDS.items():
        assert found[label] == sorted(names), label


@pytest.mark.parametrize(("form", "names"), FORMS, ids=[form.__name__ for form, _ in FORMS])
def test_every_markdown_form_checks_the_limits(form, names):
    for name in names:
        field = form.base_fields[name]
        assert isinstance(field, MarkdownField), name
        with pytest.raises(ValidationError):
            field.clean(NESTED_LIST)


def test_migrations_record_a_plain_text_column():
    _name, path, _args, kwargs = MarkdownTextField(blank=True).deconstruct()

    assert path == "django.db.models.TextField"
    assert kwargs == {"blank": True}


# Rendering, bounded on any stored text -----------------------------------------------------


@pytest.mark.parametrize("text", [NESTED_LIST, NESTED_NUMBERS, NESTED_QUOTES_AND_LISTS])
def test_a_text_saved_before_the_limits_too_deep_is_shown_whole_as_plain_text(text):
    html = markdown_to_html(text)

    assert "<ul>" not in html
    assert "<ol>" not in html
    assert html.startswith("<p>")
    assert html.count("-") == text.count("-")


def test_lists_as_deep_as_the_limit_are_still_lists():
    html = markdown_to_html(nested_list(MAX_DEPTH))

    assert html.count("<ul>") == MAX_DEPTH
    assert f"<li>level {MAX_DEPTH}</li>" in html


def test_a_text_saved_before_the_limits_too_long_to_render_is_shown_as_escaped_paragraphs():
    text = "**bold** <b>x</b>\n\n" * (RENDER_MAX_LENGTH // 18 + 1)
    assert len(text) > RENDER_MAX_LENGTH

    html = markdown_to_html(text)

    assert "<strong>" not in html
    assert "<b>" not in html
    assert html.count("**bold** &lt;b&gt;x&lt;/b&gt;") == text.count("**bold**")


def test_twenty_thousand_brackets_render_as_themselves():
    html = markdown_to_html("[" * 20_000)

    assert html.count("[") == 20_000


@pytest.mark.parametrize("unit", ["[", "[a](", "![", "*a", "<a", "`a"])
def test_the_renderers_work_doubles_not_quadruples_when_the_text_doubles(unit):
    # python-markdown ran 4 times the lines for twice the "[": 20,000 of them took 46 s.
    single = lines_executed(markdown_to_html, unit * 500)
    double = lines_executed(markdown_to_html, unit * 1000)

    assert double / single < 2.3


def test_a_text_the_parser_fails_on_is_shown_as_plain_text_and_logged(monkeypatch):
    def fail(text, env=None):
        raise IndexError("a bug of the parser")

    monkeypatch.setattr(markdown._PARSER, "parse", fail)
    records = Records()
    logging.getLogger("core.markdown").addHandler(records)
    try:
        html = markdown_to_html("**bold** <script>x</script>")
    finally:
        logging.getLogger("core.markdown").removeHandler(records)

    assert html == "<p>**bold** &lt;script&gt;x&lt;/script&gt;</p>"
    (record,) = records.records
    assert record.levelno == logging.ERROR
    assert isinstance(record.exc_info[1], IndexError)


# The cache ------------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The texts rendered afresh."""
    rendered = []

    def counting(text: str) -> str:
        rendered.append(text)
        return markdown_to_html(text)

    monkeypatch.setattr(markdown, "markdown_to_html", counting)
    return rendered


def test_a_text_is_rendered_once_then_read_from_the_cache(renders):
    first = render_markdown("**bold**")
    second = render_markdown("**bold**")
    render_markdown("**other**")

    assert first == second == "<p><strong>bold</strong></p>"
    assert renders == ["**bold**", "**other**"]


def test_a_new_renderer_version_renders_the_stored_texts_again(renders, monkeypatch):
    render_markdown("**bold**")
    monkeypatch.setattr(markdown, "RENDERER_VERSION", markdown.RENDERER_VERSION + 1)
    render_markdown("**bold**")

    assert renders == ["**bold**", "**bold**"]


def test_the_parser_runs_at_the_bottom_of_a_thread_of_its_own(monkeypatch):
    """Where CPython maps and unmaps a block of its frame stack on every call that crosses one
    (3.11 and 3.12: gh-142183), 20,000 "[" saved through the page editor took 8 to 16 s."""
    threads = []
    parse = markdown._PARSER.parse

    def noting(text, env=None):
        threads.append(threading.current_thread())
        return parse(text, env)

    monkeypatch.setattr(markdown._PARSER, "parse", noting)
    check_markdown("[" * 100)
    markdown_to_html("[" * 100)

    assert [thread.name for thread in threads] == ["markdown-parser"] * 2
    assert threading.current_thread() not in threads


def test_an_error_of_the_parser_reaches_the_caller(monkeypatch):
    def fail(text, env=None):
        raise RecursionError("deep")

    monkeypatch.setattr(markdown._PARSER, "parse", fail)
    with pytest.raises(RecursionError):
        markdown._parse("x")
