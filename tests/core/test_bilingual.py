import pytest
from django.template import Context, Template
from django.utils import translation

from locations.models import AdminArea, AdminLevel

pytestmark = pytest.mark.django_db


def make_area(**names) -> AdminArea:
    return AdminArea.objects.create(pcode="XX", level=AdminLevel.ADMIN0, **names)


def test_it_gives_the_arabic_name_on_an_arabic_page():
    area = make_area(name_en="North", name_ar="الشمال")
    with translation.override("ar"):
        assert area.name == "الشمال"
        assert not area.name.is_fallback


def test_it_falls_back_to_english_and_says_so():
    area = make_area(name_en="North", name_ar="")
    with translation.override("ar"):
        assert area.name == "North"
        assert area.name.is_fallback
        html = Template("{% load portal %}{% bi area.name %}").render(Context({"area": area}))
    assert '<span lang="en" dir="ltr">North</span>' in html


def test_english_pages_never_mark_a_fallback():
    area = make_area(name_en="North", name_ar="")
    with translation.override("en"):
        html = Template("{% load portal %}{% bi area.name %}").render(Context({"area": area}))
    assert html == "North"


def test_the_bi_tag_escapes_markup():
    area = make_area(name_en="<b>North</b>", name_ar="")
    with translation.override("ar"):
        html = Template("{% load portal %}{% bi area.name %}").render(Context({"area": area}))
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_ordering_in_sql_follows_the_active_language():
    from core.bilingual import bilingual_expression

    AdminArea.objects.create(pcode="A", level=0, name_en="Alpha", name_ar="ياء")
    AdminArea.objects.create(pcode="B", level=0, name_en="Beta", name_ar="")
    AdminArea.objects.create(pcode="C", level=0, name_en="Gamma", name_ar="ألف")
    with translation.override("ar"):
        ordered = AdminArea.objects.order_by(bilingual_expression("name"))
        names = [area.pcode for area in ordered]
    # Arabic names sort after Latin ones; the fallback "Beta" sorts as English.
    assert names == ["B", "C", "A"]
