"""Login throttling: django-axes' database handler with two limits instead of one.

axes locks on its lockout parameters with a single failure limit. Here (settings.AXES_LOCKOUT_PARAMETERS) they are
[username + address, address]: FAILURE_LIMIT failures for one username from one address lock that pair, and
ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames (password spraying), lock the address.
A successful login clears only its own username + address failures: an attacker with one good account cannot
wipe the address's count by logging in between guesses.
"""

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum

ADDRESS_FAILURE_LIMIT = 20


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        per_user, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # in axes' terms: an address at its own limit counts as the username's limit reached
        return max(per_user, per_address * settings.AXES_FAILURE_LIMIT // ADDRESS_FAILURE_LIMIT)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """Count failed passwords only. A refused single sign-on (no role here, a stale tab) names no username: the
        provider throttles its own sign-ins, and counting them would let one person without a role lock everyone
        behind a shared address out of the password login. An address already locked is refused sign-in all the same
        (axes' backend checks the lock before any sign-in), with the locked-out page."""
        if "username" not in credentials:
            if not self.is_allowed(request, credentials):
                request.axes_locked_out = True  # as axes marks a locked password attempt: its middleware answers
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_user_attempts(self, request, credentials=None):
        own, _address = self.filter_user_attempts(request, credentials)
        count, _ = own.delete()
        return count


class PasswordBackend(ModelBackend):
    """Django's username-and-password login, which the trust can switch off (DJANGO_LOCAL_LOGIN=0) when everyone
    signs in through single sign-on: then no password works, the Django admin's included, and a session that a
    password began ends at its next request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username, password, **kwargs) if settings.LOCAL_LOGIN else None

    def get_user(self, user_id):
        return super().get_user(user_id) if settings.LOCAL_LOGIN else None
