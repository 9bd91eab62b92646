"""The API's one way to sign in: ``Authorization: Bearer <token>`` with a personal token.

No session authentication: a page of the portal open in a browser never lends its cookie to
a script calling the API, and nothing here needs CSRF protection. A request without the
header is anonymous and sees what the public sees.
"""

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api import policy, selectors, services

KEYWORD = b"bearer"
# Longer than any secret the portal makes; a longer one is refused without a query.
SECRET_MAX_LENGTH = 100


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The API token is not valid.")) from None
        token = selectors.token_for_secret(secret) if len(secret) <= SECRET_MAX_LENGTH else None
        decision = policy.token_accepted(token)
        if not decision:
            raise AuthenticationFailed(decision.reason)
        services.token_note_use(token=token)
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a refused token, and says how to send one.
        return 'Bearer realm="api"'
