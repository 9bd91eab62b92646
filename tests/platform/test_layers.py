"""The demonstration code sits in ``demo/`` and no product app imports it."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def _product_modules() -> list[Path]:
    """Every Python module of the portal's own apps and of its configuration, demo excluded."""
    roots = {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).parent == BASE and config.name != "demo"
    }
    return sorted(path for root in roots for path in root.rglob("*.py"))


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_demo_is_an_installed_app_of_its_own():
    assert apps.get_app_config("demo").path == str(BASE / "demo")


def test_no_product_app_imports_the_demo():
    modules = _product_modules()
    apps_seen = {path.relative_to(BASE).parts[0] for path in modules}
    assert {"partners", "activities", "bulletins", "cluster_portal"} <= apps_seen
    offenders = {
        str(path.relative_to(BASE)): sorted(
            name for name in _imported(path) if name == "demo" or name.startswith("demo.")
        )
        for path in modules
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_product_app_keeps_a_demo_module():
    leftovers = [str(path.relative_to(BASE)) for path in _product_modules() if "demo" in path.stem]
    assert leftovers == []
