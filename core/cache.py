"""The Redis cache, with the database under the security state it keeps.

The portal's cache ignores Redis errors (``IGNORE_EXCEPTIONS``): while Redis is down a page is
rendered afresh rather than failing. Two kinds of keys may not be lost that way, because
django-allauth keeps them in the default cache:

- the rate limits of signing in, signing up, resetting a password and subscribing
  (``allauth:rl:…``, with the locks around them): an ignored error would refuse everyone
  (allauth cannot take its lock) or, written otherwise, stop counting;
- the two-factor codes already used (``allauth.mfa.totp.used…``): an ignored error would
  refuse every code, and coordinators could not sign in.

For those keys ``RedisCache`` asks Redis, and when Redis cannot be reached it reads and
writes the ``security`` cache instead, a ``DatabaseCache`` on the table of
``core.models.SecurityCacheEntry``, under a hash of the key (the rate limits' keys hold
client addresses). Counting goes on during the outage; when Redis is back, counting goes
back to it, so the counts of the outage are not added to those in Redis.
"""

import hashlib
import logging
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)

SECURITY_CACHE = "security"
SECURITY_KEY_PREFIXES = ("allauth:rl:", "allauth.mfa.totp.used")


def is_security_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(SECURITY_KEY_PREFIXES)


def _fallback_key(key: str) -> str:
    return "security:" + hashlib.sha256(key.encode()).hexdigest()


class RedisCache(DjangoRedisCache):
    """django-redis's cache; the security keys fall back on the database (see the module)."""

    def _fallback(self, operation: str, key: str, *args: Any, **kwargs: Any) -> Any:
        logger.warning("Redis cannot be reached: %s of a security key in the database.", operation)
        return getattr(caches[SECURITY_CACHE], operation)(_fallback_key(key), *args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None):
        if not is_security_key(key):
            return super().add(key, value, timeout=timeout, version=version)
        try:
            return self.client.add(key, value, timeout=timeout, version=version)
        except ConnectionInterrupted:
            return self._fallback("add", key, value, timeout=timeout, version=version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None):
        if not is_security_key(key):
            return super().set(key, value, timeout=timeout, version=version)
        try:
            return self.client.set(key, value, timeout=timeout, version=version)
        except ConnectionInterrupted:
            return self._fallback("set", key, value, timeout=timeout, version=version)

    def get(self, key: Any, default: Any = None, version: Any = None, client: Any = None):
        if not is_security_key(key):
            return super().get(key, default=default, version=version, client=client)
        try:
            return self.client.get(key, default=default, version=version)
        except ConnectionInterrupted:
            return self._fallback("get", key, default=default, version=version)

    def delete(self, key: Any, version: Any = None, **kwargs: Any):
        if not is_security_key(key):
            return super().delete(key, version=version, **kwargs)
        try:
            return bool(self.client.delete(key, version=version))
        except ConnectionInterrupted:
            return self._fallback("delete", key, version=version)
