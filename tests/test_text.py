"""has_phrase finds a phrase as a whole, never inside a longer word or number."""

import pytest

from tests.text import has_phrase


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("6 created; 0 updated", "6 created"),
        ("Page 1 of 2", "Page 1 of 2"),
        ("2 rows added.", "2 rows added"),
        ("reached 8,000 people", "8,000"),
        ("(8,000)", "8,000"),
        ("123\u066c456", "123\u066c456"),
        ("/en/partners/?type=un&amp;page=2", "?type=un&amp;page=2"),
        ("Line 4: no date", "Line 4:"),
    ],
)
def test_a_phrase_standing_on_its_own_is_found(text, phrase):
    assert has_phrase(text, phrase)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("16 created", "6 created"),
        ("670 new rows", "0 new"),
        ("Page 1 of 20", "Page 1 of 2"),
        ("122 areas added", "22 areas added"),
        ("18,000", "8,000"),
        ("8,000,000", "8,000"),
        ("8,000.5", "8,000"),
        ("1,200", "200"),
        ("1\u066c200", "200"),
        ("Line 42: no date", "Line 4"),
        ("Drafts", "Draft"),
    ],
)
def test_a_phrase_inside_a_longer_word_or_number_is_not_found(text, phrase):
    assert not has_phrase(text, phrase)


def test_an_empty_phrase_is_refused():
    with pytest.raises(ValueError, match="empty"):
        has_phrase("anything", "")
