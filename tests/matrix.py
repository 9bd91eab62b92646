"""The permission matrix: each role, URL and expected status, shared by every app's matrix.

Each app lists its URLs in ``tests/<app>/test_permissions.py`` as ``MATRIX``, a
list of ``Row``. ``tests/test_url_coverage.py`` fails when a URL the project
registers has no row in any of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

LOGIN = "login"  # a redirect to the login page


class Redirect(str):
    """A redirect (302) to this path, whatever its query string, e.g. ``Redirect("/en/")``.

    For pages that send some roles elsewhere on purpose: allauth's login and signup send a
    logged-in member to their landing page, the Django admin sends non-staff users to its own
    login. A target that depends on the world's records is given as ``to``, a function of the
    world: ``Redirect(to=lambda w: reverse("partners:detail", args=[w.org_a.pk]))``.
    """

    to: Callable | None

    def __new__(cls, path: str = "", *, to: Callable | None = None) -> "Redirect":
        redirect = super().__new__(cls, path)
        redirect.to = to
        return redirect

    def target(self, world) -> str:
        return self.to(world) if self.to else str(self)


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict[str, int | str]
    kwargs: Callable | None = None  # world -> URL kwargs
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    note: str = ""
    extra: dict = field(default_factory=dict)

    def url(self, world) -> str:
        kwargs = self.kwargs(world) if self.kwargs else {}
        return reverse(self.name, kwargs=kwargs)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.note if self.note else ''}"


def every_role(status: int | str, **overrides) -> dict[str, int | str]:
    from tests.conftest import ROLES

    return {role: overrides.get(role, status) for role in ROLES}


def params(matrix: list[Row]) -> list[tuple[Row, str]]:
    return [(row, role) for row in matrix for role in row.expected]


def check(row: Row, role: str, world, login) -> None:
    client = login(world.user(role))
    url = row.url(world)
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data)
    expected = row.expected[role]
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"{row} as {role}: {response.status_code}"
        target = expected.target(world)
        assert response["Location"].split("?")[0] == target, (
            f"{row} as {role}: redirected to {response['Location']}, expected {target}"
        )
    elif expected == LOGIN:
        assert response.status_code == 302, f"{row} as {role}: {response.status_code}"
        assert "/accounts/login/" in response["Location"], response["Location"]
    else:
        assert response.status_code == expected, (
            f"{row} as {role}: got {response.status_code}, expected {expected}"
        )
