"""Reads of API tokens: a person's own list on their profile page, and the one presented."""

import hashlib

from django.db.models import QuerySet
from django.http import Http404

from api.models import ApiToken


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_token_for_user(user, pk: int) -> ApiToken:
    """The user's own token; anyone else's is the same 404 as a missing one."""
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The token with this secret, with its owner (one query), or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
