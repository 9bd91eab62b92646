"""The fuzz's own parts: every matrix is walked, and a form is read as a browser sends it."""

from django.http import QueryDict

from tests.fuzz.forms import GROUPS
from tests.fuzz.walker import (
    TESTS,
    Upload,
    baseline_of,
    form_posting_to,
    forms_of,
    names_read,
)

PAGE = """
<form method="get"><input name="q"><select name="year"><option>2026</option></select></form>
<form method="post" action="/en/things/1/" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="x">
  <input name="title" value="Clinic">
  <input type="number" name="beds" required>
  <select name="kind" required><option value="">---</option><option value="a">A</option></select>
  <input type="checkbox" name="open" checked><input type="checkbox" name="closed">
  <textarea name="notes">Some notes</textarea>
  <input type="file" name="photo" accept="image/png">
  <template><input name="copied-by-javascript"></template>
  <button type="submit" name="save">Save</button>
</form>
"""


def test_every_app_with_a_permission_matrix_is_fuzzed_in_one_group():
    apps = {path.relative_to(TESTS).parts[0] for path in TESTS.rglob("test_permissions*.py")}
    grouped = [app for group in GROUPS.values() for app in group]
    assert sorted(grouped) == sorted(apps)


def test_a_form_is_sent_as_a_browser_sends_it_with_what_it_requires_filled_in():
    form = form_posting_to(forms_of(PAGE), "/en/things/1/")
    pairs = baseline_of(form)
    values = {name: value for name, value in pairs if not isinstance(value, Upload)}
    assert values == {
        "title": "Clinic",
        "beds": "1",
        "kind": "a",
        "open": "on",
        "notes": "Some notes",
    }
    assert [name for name, value in pairs if isinstance(value, Upload)] == ["photo"]


def test_the_names_a_view_reads_are_recorded():
    query = QueryDict("page=2")
    with names_read() as read:
        query.get("page")
        query.getlist("area")
        "sort" in query  # noqa: B015 - a membership test is a read too
    assert read == {"page", "area", "sort"}
