"""Bearer tokens for services, and a rate limit per token. Browser sessions never authenticate the API: only the
Authorization header is read, so a logged-in page cannot be made to call it (no CSRF hole)."""

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from .models import ApiToken


class BearerToken(HttpBearer):
    """A usable token (not revoked, not expired); with `write`, one whose scope allows writing (403 otherwise)."""

    def __init__(self, write=False):
        self.write = write
        super().__init__()

    def authenticate(self, request, token):
        found = ApiToken.objects.find(token)
        if found is None:
            return None  # 401
        if self.write and not found.may_write:
            raise HttpError(403, f"The token “{found.name}” may only read.")
        return found


class PerTokenThrottle(SimpleRateThrottle):
    """At most settings.API_RATE_LIMIT requests (e.g. "600/m") per token, counted in the shared cache (so across
    the workers)."""

    scope = "api-token"

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request):
        self.rate = settings.API_RATE_LIMIT  # read when asked: a changed setting applies without a restart of the module
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        return f"api-throttle-{request.auth.key_hash[:24]}"  # not the id: a new database's token 1 is another token


READ = BearerToken()
WRITE = BearerToken(write=True)
