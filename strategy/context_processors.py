"""The cluster's identity for the footer of every page: its name, and its lead agency's and
Ministry co-chair's logos. Read when the page writes it, in one query (pages of the public
are served from the page cache, which a change of the profile empties)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from strategy.selectors import cluster_profile_for_home


def identity(request: HttpRequest) -> dict:
    return {"cluster": SimpleLazyObject(cluster_profile_for_home)}
