"""The portal's URLs plus a small page using the area picker, for the browser test."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from cluster_portal.urls import urlpatterns as portal_urlpatterns
from locations.forms import AreaMultipleChoiceField, is_area_search, show_for_area_search

PAGE = """{% extends "base.html" %}
{% block head %}{{ form.media }}{% endblock %}
{% block content %}
<h1>Picker</h1>
{% if chosen %}<p id="chosen">{{ chosen|join:" " }}</p>{% endif %}
<form method="post">{% csrf_token %}{{ form }}<button type="submit" id="save">Save</button></form>
{% endblock %}"""


class ProjectForm(forms.Form):
    areas = AreaMultipleChoiceField(label="Areas covered")


def picker_page(request: HttpRequest) -> HttpResponse:
    chosen = None
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        if is_area_search(request):
            show_for_area_search(form)
        elif form.is_valid():
            chosen = sorted(area.pcode for area in form.cleaned_data["areas"])
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form, "chosen": chosen}, request))


urlpatterns = [*portal_urlpatterns, path("picker-demo/", picker_page)]
