"""The core app's one table: the database cache that keeps security state while Redis is down."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityCacheEntry(models.Model):
    """A row of Django's database cache (``DatabaseCache``, the ``security`` cache alias).

    ``core.cache.RedisCache`` writes the sign-in rate limits and the two-factor codes already
    used here while Redis cannot be reached, so that they keep counting. The columns are
    those ``createcachetable`` would make; a migration makes the table instead, so that
    ``migrate`` is the only deployment step. Keys are hashed: no address is stored.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_security_cache"
        verbose_name = _("security cache entry")
        verbose_name_plural = _("security cache entries")

    def __str__(self) -> str:
        return self.cache_key
