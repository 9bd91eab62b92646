"""How the OpenAPI schema describes the API's token (loaded by ``ApiConfig.ready``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "personalToken"
    # Anonymous callers are welcome on every endpoint of this version.
    optional = True

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (hcp_…) made on the profile page.",
        }
