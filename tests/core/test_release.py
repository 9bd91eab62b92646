"""The code's digest that kept HTML is keyed by (``core.release``): the same for the same
files wherever they are, another when a template, a module or a translation changes."""

import shutil

from core import release


def _digest(settings, root) -> str:
    settings.BASE_DIR = root
    settings.STATIC_ROOT = root / "staticfiles"
    release.code_version.cache_clear()
    try:
        return release.code_version()
    finally:
        release.code_version.cache_clear()


def _release(root):
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "base.html").write_text("<main>{% block content %}{% endblock %}</main>")
    (root / "analysis").mkdir()
    (root / "analysis" / "tables.py").write_text("GAPS_SHOWN = 100\n")
    (root / "requirements.txt").write_text("Django==5.2.9\n")
    (root / "media").mkdir()
    (root / "media" / "upload.html").write_text("a partner's upload")
    return root


def test_the_same_release_gives_the_same_digest_wherever_it_is(settings, tmp_path):
    first = _release(tmp_path / "one")
    second = tmp_path / "two"
    shutil.copytree(first, second)
    assert _digest(settings, first) == _digest(settings, second)


def test_a_changed_template_module_requirement_or_manifest_gives_another(settings, tmp_path):
    root = _release(tmp_path / "app")
    seen = {_digest(settings, root)}
    changes = [
        ("templates/base.html", "<main id='main'>{% block content %}{% endblock %}</main>"),
        ("analysis/tables.py", "GAPS_SHOWN = 50\n"),
        ("requirements.txt", "Django==5.2.10\n"),
        ("staticfiles/staticfiles.json", '{"paths": {"css/portal.css": "css/portal.1a2b.css"}}'),
    ]
    for name, text in changes:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text)
        digest = _digest(settings, root)
        assert digest not in seen, name
        seen.add(digest)


def test_uploads_and_tests_are_not_part_of_it(settings, tmp_path):
    root = _release(tmp_path / "app")
    before = _digest(settings, root)
    (root / "media" / "upload.html").write_text("another upload")
    (root / "tests").mkdir()
    (root / "tests" / "test_new.py").write_text("def test(): pass\n")
    assert _digest(settings, root) == before
