"""The cluster's identity for the footer of every page: its name, and its lead agency's and
Ministry co-chair's logos. Read when the page writes it; kept in the cache under the version
of the portal's data (``core.page_cache``), which any change to the profile or an
organisation replaces, so that a signed-in page does not ask for it every time."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.page_cache import current_version
from core.release import code_version
from strategy.models import ClusterProfile
from strategy.selectors import cluster_profile_for_home


def identity(request: HttpRequest) -> dict:
    return {"cluster": SimpleLazyObject(kept_identity)}


def kept_identity() -> ClusterProfile:
    key = f"cluster-identity:{code_version()}:{current_version()}"
    profile = cache.get(key)
    if profile is None:
        profile = cluster_profile_for_home()
        cache.set(key, profile, timeout=60 * 60)
    return profile
