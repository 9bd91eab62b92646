"""The area picker without JavaScript: search, tick, search again, submit."""

import re

import pytest
from django import forms
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from locations.forms import (
    AreaChoiceField,
    AreaMultipleChoiceField,
    is_area_search,
    show_for_area_search,
)
from locations.models import AdminArea

pytestmark = pytest.mark.django_db


class ProjectForm(forms.Form):
    """A form like the ones other apps build: a title and the areas it covers."""

    title = forms.CharField()
    areas = AreaMultipleChoiceField(label="Areas covered", levels=[2, 3])


class OneAreaForm(forms.Form):
    area = AreaChoiceField(label="Main area", required=False)


saved: list[dict] = []


def project_view(request):
    """The shape of a real view: a search re-renders the bound form, a submit saves."""
    if request.method == "POST":
        form = ProjectForm(request.POST)
        if is_area_search(request):
            show_for_area_search(form)
        elif form.is_valid():
            saved.append(form.cleaned_data)
            return HttpResponse("saved", status=201)
    else:
        form = ProjectForm()
    page = Template("<form method='post'>{{ form.media }}{{ form }}</form>")
    return HttpResponse(page.render(Context({"form": form})))


def boxes(html: str, name: str = "areas") -> dict[str, bool]:
    """Each checkbox or radio of the field: p-code → ticked."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and 'type="search"' not in tag:
            value = re.search(r'value="([^"]*)"', tag).group(1)
            found[value] = " checked" in tag
    return found


@pytest.fixture
def rf():
    return RequestFactory()


def test_a_search_shows_matching_areas_as_unticked_boxes_without_saving(rf, demo_areas):
    saved.clear()
    request = rf.post("/", {"title": "", "areas__q": "pinecrest", "_area_search": "areas"})

    response = project_view(request)

    html = response.content.decode()
    assert response.status_code == 200
    assert saved == []
    assert boxes(html) == {
        "DL0101": False,
        "DL010101": False,
        "DL010102": False,
        "DL010103": False,
    }
    assert "Upper Pinecrest (DL010101) — Pinecrest" in html
    # A search is not a submission: no "required" error for the empty title.
    assert "This field is required" not in html
    assert 'value="pinecrest"' in html


def test_search_tick_search_again_and_submit_saves_the_chosen_areas(rf, demo_areas):
    saved.clear()
    first = project_view(rf.post("/", {"areas__q": "pinecrest", "_area_search": "areas"}))
    assert "DL010101" in boxes(first.content.decode())

    # The person ticks Upper Pinecrest and searches for another area.
    second = project_view(
        rf.post(
            "/",
            {"areas": ["DL010101"], "areas__q": "coral", "_area_search": "areas"},
        )
    )
    html = second.content.decode()
    assert boxes(html) == {"DL010101": True, "DL0402": False}
    assert "Chosen areas" in html

    # Ticks Coralbay too, fills the title, submits.
    done = project_view(
        rf.post("/", {"title": "Mobile clinics", "areas": ["DL010101", "DL0402"], "areas__q": ""})
    )
    assert done.status_code == 201
    assert saved[0]["title"] == "Mobile clinics"
    assert sorted(area.pcode for area in saved[0]["areas"]) == ["DL010101", "DL0402"]


def test_unticking_a_chosen_area_removes_it(rf, demo_areas):
    saved.clear()
    project_view(rf.post("/", {"title": "Clinics", "areas": ["DL0402"]}))
    assert [a.pcode for a in saved[0]["areas"]] == ["DL0402"]


def test_the_field_refuses_areas_outside_its_levels(demo_areas):
    form = ProjectForm({"title": "Clinics", "areas": ["DL04"]})
    assert not form.is_valid()
    assert "areas" in form.errors


def test_matches_exclude_areas_of_other_levels_and_areas_already_chosen(demo_areas):
    form = ProjectForm({"areas": ["DL0101"], "areas__q": "DL01", "_area_search": "areas"})
    html = str(form["areas"])
    ticked = boxes(html)
    assert ticked["DL0101"] is True
    assert "DL01" not in ticked  # an admin1 area: not offered by a field for levels 2 and 3
    assert list(ticked).count("DL0101") == 1


def test_initial_areas_render_as_ticked_boxes(demo_areas):
    form = ProjectForm(initial={"areas": list(AdminArea.objects.filter(pcode="DL0201"))})
    assert boxes(str(form["areas"])) == {"DL0201": True}


def test_the_picker_is_an_accessible_fieldset_with_a_labelled_search_box(demo_areas):
    html = str(ProjectForm().as_div())
    assert "<fieldset>" in html
    assert "<legend>Areas covered:</legend>" in html
    assert "<legend for=" not in html
    assert '<label class="form-label" for="id_areas__q">' in html
    assert 'id="id_areas__q"' in html
    assert 'name="_area_search" value="areas"' in html
    assert "formnovalidate" in html


def test_the_script_is_deferred_and_there_is_no_inline_script(demo_areas):
    form = ProjectForm()
    media = str(form.media)
    assert media == '<script src="/static/js/area-picker.js" defer></script>'
    html = str(form["areas"])
    assert "<script" not in html
    assert "style=" not in html
    assert 'data-search-url="/en/areas/search/"' in html
    assert 'data-levels="2,3"' in html


def test_the_picker_lists_at_most_30_matches_and_says_so(demo_areas):
    country = AdminArea.objects.get(pcode="DL")
    for n in range(35):
        AdminArea.objects.create(pcode=f"DX{n:02d}", level=1, parent=country, name_en=f"Town {n}")
    form = OneAreaForm({"area__q": "town", "_area_search": "area"})
    html = str(form["area"])
    assert len([v for v in boxes(html, "area") if v]) == 30
    assert "Only the first 30 matches are shown" in html


def test_the_single_choice_picker_uses_radio_buttons_and_can_be_cleared(demo_areas):
    form = OneAreaForm({"area": "DL02", "area__q": "DL03", "_area_search": "area"})
    html = str(form["area"])
    assert 'type="radio" name="area" value="DL02"' in html
    assert boxes(html, "area") == {
        "DL02": True,
        "": False,
        "DL03": False,
        "DL0301": False,
        "DL0302": False,
        "DL0303": False,
    }

    assert OneAreaForm({"area": "DL03"}).is_valid()
    cleared = OneAreaForm({"area": ""})
    assert cleared.is_valid()
    assert cleared.cleaned_data["area"] is None


def test_a_search_in_the_picker_makes_a_constant_number_of_queries(
    demo_areas, django_assert_num_queries
):
    form = show_for_area_search(
        ProjectForm(
            {"areas": ["DL0101", "DL0201", "DL0301"], "areas__q": "l", "_area_search": "areas"}
        )
    )
    with django_assert_num_queries(2):
        html = str(form["areas"])
    assert len(boxes(html)) > 3


def test_a_form_shown_after_a_search_cannot_be_saved(demo_areas):
    form = show_for_area_search(ProjectForm({"title": "x", "areas": ["DL0101"]}))
    assert not form.is_valid()
    assert not form.errors


def test_is_area_search_only_for_the_search_button(rf):
    assert is_area_search(rf.post("/", {"_area_search": "areas"}))
    assert not is_area_search(rf.post("/", {"title": "x"}))
    assert not is_area_search(rf.get("/", {"_area_search": "areas"}))
