"""Sessions end after eight hours without a request (SESSION_COOKIE_AGE).

Django can push the expiry on by saving the session on every request (SESSION_SAVE_EVERY_REQUEST), which is a
database write, in its own transaction, for every page anyone reads. Instead the session is saved when its expiry
was last pushed on more than a minute ago: the idle limit holds to the minute, and reading pages writes nothing.
"""

import time

REFRESHED_AT = "_refreshed_at"
REFRESH_EVERY_SECONDS = 60


def pushed_on_at_login(sender, request, user, **kwargs):
    """Logging in saves the session with a fresh expiry: the next minute of requests need not save it again."""
    request.session[REFRESHED_AT] = int(time.time())


class IdleExpiryMiddleware:
    """Placed after SessionMiddleware, so that the session it marks as changed is saved on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if not session.is_empty():  # an anonymous visitor gets no session for it
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= REFRESH_EVERY_SECONDS:
                session[REFRESHED_AT] = now  # changed: SessionMiddleware saves it with a new expiry
        return response
