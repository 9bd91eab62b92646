"""A damaged upload is imported cleanly or refused cleanly, and a refusal saves nothing.

Each case (``tests/fuzz/uploads.py``) starts from a valid file the portal made, which is
first checked to import. The fuzz then damages it (``tests/fuzz/mutations.py``), uploads it
as the person the form is for, and follows what a browser would do next: the page a
redirect leads to, a confirmation confirmed. It fails on any 5xx, on a refusal (a 4xx, or a
page that shows an error) after which a table has more or fewer rows or the upload's own
rows changed, and on an error shown after a confirmation that changed the rows anyway.
"""

import zlib

import pytest
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

# The facility statuses and the projects' months are dated from today (tests/facilities/
# import_helpers.status_row, the registry's supports): the day is pinned as in tests/facilities.
from tests.facilities.conftest import pinned_day  # noqa: F401 - an autouse fixture
from tests.fuzz import mutations
from tests.fuzz.profile import PROFILE
from tests.fuzz.uploads import CASES, Case, counts, follow, shows_an_error
from tests.fuzz.walker import SLOW_SECONDS, Upload, attempt, rolled_back


def damaged(case: Case, data) -> tuple[bytes, str]:
    """The case's valid file with the drawn damage, and a description of it."""
    if case.kind == "csv":
        changes = data.draw(mutations.csv_changes(), label="changes")
        shape = data.draw(mutations.csv_shapes(), label="shape")
        return mutations.mutated_csv(case.valid, changes, shape), _described([*changes, shape])
    if case.kind == "xlsx":
        changes = data.draw(mutations.workbook_changes(case.layout), label="changes")
        damage = data.draw(mutations.now_and_then(mutations.byte_mutations()), label="damage")
        content = mutations.mutated_workbook(case.valid, changes, damage)
        return content, _described([*changes, *damage])
    damage = data.draw(st.lists(mutations.byte_mutations(), min_size=1, max_size=2))
    return mutations.damaged_bytes(case.valid, damage), _described(damage)


def _described(changes: list) -> str:
    return "; ".join(map(str, changes))


def upload(case: Case, content: bytes, extra: list[tuple]) -> tuple[list, dict, dict]:
    """Send the file and follow it; the outcomes, and the tables before and after."""
    file = Upload(case.file_name, content, case.content_type)
    pairs = [*case.fields, *extra, (case.file_field, file)]
    with rolled_back(case.client):
        before = {"counts": counts(), "rows": case.rows()}
        first = attempt(case.client, "post", case.url, pairs)
        steps = [first, *follow(case, first)]
        after = {"counts": counts(), "rows": case.rows()}
    return steps, before, after


def problems_of(steps: list, before: dict, after: dict) -> list[str]:
    first, last = steps[0], steps[-1]
    found = [f"{step.url}: {step.error or step.status}" for step in steps if step.status >= 500]
    refused = 400 <= first.status < 500 or (first.status == 200 and shows_an_error(first))
    if refused and before != after:
        changed = sorted(k for k in before["counts"] if before["counts"][k] != after["counts"][k])
        found.append(f"refused ({first.status}) but saved: {changed or 'rows changed'}")
    elif len(steps) > 1 and shows_an_error(last) and before["rows"] != after["rows"]:
        found.append("an error is shown after the confirmation, but the rows changed")
    return found


@pytest.mark.parametrize("name", CASES)
def test_the_valid_file_is_accepted(name, world):
    case = CASES[name](world)
    steps, before, after = upload(case, case.valid, [])
    assert all(step.status < 400 for step in steps), [(s.status, s.error) for s in steps]
    assert not any(shows_an_error(step) for step in steps)
    assert before != after, "the valid file changed nothing"


@pytest.mark.parametrize("name", CASES)
def test_a_damaged_upload_is_imported_or_refused_cleanly(name, world, report_slow):
    case = CASES[name](world)
    problems: list[str] = []

    @hypothesis_settings(hypothesis_settings.get_profile(f"{PROFILE}-uploads"))
    @given(st.data())
    def run(data):
        content, what = damaged(case, data)
        extra = [
            (field, data.draw(st.sampled_from(values), label=field))
            for field, values in case.options.items()
        ]
        steps, before, after = upload(case, content, extra)
        for step in steps:
            if step.seconds > SLOW_SECONDS:
                report_slow(f"{step.seconds:5.1f} s  upload {name}: {what}")
        problems.extend(
            f"{name}: {what} -> {problem}" for problem in problems_of(steps, before, after)
        )

    if hypothesis_settings.default.derandomize:
        run = seed(zlib.crc32(name.encode()))(run)
    run()
    if problems:
        listed = "\n".join(problems)
        pytest.fail(f"{len(problems)} problems:\n{listed}", pytrace=False)
