"""Every URL the project registers has a row in some permission matrix.

A view added without a row would ship with access rules nobody has written down; this test
names it. The matrices are the ``MATRIX`` lists of every ``tests/**/test_permissions*.py``.
"""

import importlib.util
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent

# The Django admin's per-model pages (changelist, add, change, delete, history of each
# registered model, plus its password change, jsi18n and autocomplete helpers) are guarded by
# Django's own permission system (is_staff plus per-model permissions) and are generated, not
# written by the portal. Its entry points do get rows: the index, login and logout.
ADMIN_ENTRY_POINTS = {"admin:index", "admin:login", "admin:logout"}


def registered_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Qualified names ("partners:list", "account_login") of every named URL pattern."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= registered_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def matrix_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_permissions*.py"))


def names_with_rows() -> set[str]:
    names = set()
    for path in matrix_modules():
        module_name = "matrix_of_" + "_".join(path.relative_to(TESTS).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        names |= {row.name for row in getattr(module, "MATRIX", [])}
    return names


def needs_a_row(name: str) -> bool:
    return not name.startswith("admin:") or name in ADMIN_ENTRY_POINTS


def test_the_walk_finds_the_platforms_own_urls():
    names = registered_names()
    assert {"home", "healthz", "account_login", "admin:index"} <= names


def test_every_registered_url_has_a_row_in_a_permission_matrix():
    assert matrix_modules(), "no tests/**/test_permissions*.py found"
    missing = sorted(name for name in registered_names() - names_with_rows() if needs_a_row(name))
    assert not missing, (
        f"{len(missing)} URL names without a row in any tests/**/test_permissions*.py MATRIX:\n  "
        + "\n  ".join(missing)
    )


def test_every_row_names_a_registered_url():
    """A row for a renamed or removed URL checks nothing; it should go."""
    stale = sorted(names_with_rows() - registered_names())
    assert not stale, "Rows for URL names that no longer exist:\n  " + "\n  ".join(stale)
