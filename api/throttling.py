"""Throttling of the API: per token for token holders, per address for anonymous callers.

DRF's scoped throttle counts a signed-in caller by user, which would pool every token of a
person; here each token has its own allowance (``API_TOKEN_RATE``) and anonymous callers one
per address (``API_ANON_RATE``). Counts live in the default cache, Redis in production, so
every web worker shares them.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenOrAddressThrottle(SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        self.scope = "api_token" if isinstance(request.auth, ApiToken) else "api_anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self) -> str | None:
        # No scope yet at construction: the scope is chosen per request. The rates are read
        # from the settings each time (the class attribute is fixed at import).
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(getattr(self, "scope", None) or "api_anon")

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            return f"api-throttle:token:{request.auth.pk}"
        return f"api-throttle:address:{self.get_ident(request)}"
