"""The fuzz of forms and query parameters: every URL of the permission matrices, as every role.

For one row (``tests/fuzz/walker.py`` says how its names are found): each name in turn gets a
hostile value (``tests/fuzz/hostile.py``) while the rest of the form keeps its valid baseline,
then every name at once gets one. A role refused before the view reads anything gets only
the request with every name at once. Any 5xx fails the row's test, listing every URL, role,
name, value and error; answers slower than 2 s are reported. The ``test_values_*.py`` files
split the matrices in groups of apps, so that ``--dist loadfile`` shares them between cores.
"""

import zlib
from dataclasses import dataclass

import pytest
from hypothesis import given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import ROLES
from tests.fuzz.hostile import describe, hostile_values, wire
from tests.fuzz.walker import (
    SLOW_SECONDS,
    Outcome,
    Place,
    Target,
    Upload,
    discover,
    matrix_rows,
    send,
)

# URL names some row posts to; the others' own forms are posted by their GET rows.
POSTED = {row.name for row in matrix_rows() if row.method == "post"}


@dataclass(frozen=True)
class Sent:
    target: Target
    name: str
    value: str
    outcome: Outcome

    def __str__(self) -> str:
        where = f"{self.target.method.upper()} {self.target.url} ({self.target.row.name})"
        answer = self.outcome.error or f"status {self.outcome.status}"
        if self.outcome.shown_at:
            answer = f"saved, then {self.outcome.shown_at} -> {answer}"
        return f"{where} as {self.target.role}: {self.name}={describe(self.value)} -> {answer}"


def _replacement(target: Target, name: str, value: str) -> str | Upload:
    """The value as the field carries it: for a file input, the content of a file."""
    return Upload("fuzz.bin", wire(value)) if name in target.files else value


def _with(target: Target, values: dict[str, str]) -> list[tuple]:
    """The target's baseline with these names given these values instead."""
    kept = [pair for pair in target.baseline if pair[0] not in values]
    return kept + [(name, _replacement(target, name, value)) for name, value in values.items()]


def _send(target: Target, name: str, value: str, pairs: list[tuple]) -> Sent:
    outcome = send(target.client, target.method, target.url, pairs, multipart=target.multipart)
    return Sent(target, name, value, outcome)


def _draw_values(data, target: Target, names: list[str]) -> dict[str, str]:
    turn = ROLES.index(target.role)
    where = f"{target.row} {target.method}"
    values = {}
    for name in names:
        kind = "query" if target.method == "get" else target.kinds.get(name, "")
        values[name] = data.draw(hostile_values(f"{where} {name}", turn, kind), label=name)
    return values


def fuzz(target: Target) -> list[Sent]:
    """Every request the profile's examples make to the target."""
    sent: list[Sent] = []

    @given(st.data())
    def run(data):
        values = _draw_values(data, target, target.names)
        if not target.refused:
            for name, value in values.items():
                sent.append(_send(target, name, value, _with(target, {name: value})))
        values |= _draw_values(data, target, target.together)
        summary = " ".join(f"{name}={describe(value, 20)}" for name, value in values.items())
        sent.append(_send(target, "(every name)", summary, _with(target, values)))

    if hypothesis_settings.default.derandomize:
        # The same fixed draws for every run, but not the same for every URL.
        run = seed(zlib.crc32(f"{target.row} {target.role} {target.method}".encode()))(run)
    run()
    return sent


# The apps whose matrices each test_values_<group>.py file fuzzes.
GROUPS = {
    "people": ("accounts", "partners", "subscribers", "outbox"),
    "reports": ("activities",),
    "assessments": ("assessments", "locations"),
    "content": ("strategy", "pages", "meetings", "core"),
    "figures": ("analysis", "bulletins"),
    "facilities": ("facilities",),
    "projects": ("projects",),
    "planning": ("planning", "monitoring"),
    "api": ("api",),
}


def rows_of(group: str) -> list:
    """The rows of the group's apps' ``tests/<app>/test_permissions*.py``."""
    return matrix_rows(GROUPS[group])


def check_row(row, world, report_slow) -> None:
    """Fuzz the row's URL as every role; fail listing every 5xx, report slow answers."""
    place = Place.of(row, world, own_form=row.name not in POSTED)
    targets = []
    failures = []
    for role in row.expected:
        found, outcomes = discover(place, role, world)
        failures += [Sent(found[0], "(discovery)", "", o) for o in outcomes if o.status >= 500]
        targets += found
    sent = [one for target in targets for one in fuzz(target)]
    for one in sent:
        if one.outcome.seconds > SLOW_SECONDS:
            report_slow(f"{one.outcome.seconds:5.1f} s  {one}")
    failures += [one for one in sent if one.outcome.status >= 500]
    if failures:
        listed = "\n".join(map(str, failures))
        pytest.fail(f"{len(failures)} server errors:\n{listed}", pytrace=False)
