"""Single sign-on by OpenID Connect (Microsoft Entra ID in the NHS; any OIDC provider), with mozilla-django-oidc.

The provider is named by its issuer alone (DJANGO_OIDC_ISSUER): its endpoints and keys are read from its discovery
document when someone signs in, not when the app starts, so a provider that is down never stops the app or the
password login. The ID token is checked here in full (signature by the provider's published key, issuer, audience,
expiry, issued-at and nonce) rather than by the library, which checks only the signature and the nonce.

Roles come from one claim of the token (settings.OIDC_ROLES_CLAIM: Entra's "groups", or "roles" for app roles),
mapped to this app's roles by settings.OIDC_ROLES; each sign-in makes the user's roles exactly the mapped ones, so
a change at the provider counts from the next sign-in. Someone with no mapped role is not logged in: they see
"ask your administrator". A user is known by the provider's (issuer, subject) pair, never by an email address,
which the provider may not have verified and which would let a provider account take over a local one.
"""

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import SignInIdentity
from .roles import SITE_ADMIN

logger = logging.getLogger(__name__)

REFUSED = "sso_refused"  # the session key saying why a sign-in was refused: NO_ROLE, DEACTIVATED or FAILED
NO_ROLE, DEACTIVATED, FAILED = "no-role", "deactivated", "failed"
SUBJECT_LENGTH = SignInIdentity._meta.get_field("subject").max_length
DISCOVERY_KEEP_SECONDS = 3600
LEEWAY_SECONDS = 60  # clocks of the app and the provider may differ this much


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str  # "" when the provider offers no logout


_discovered = {}  # issuer -> (read at, Provider)


def enabled():
    return bool(settings.OIDC_ISSUER)


def provider():
    """The configured provider's endpoints, from its discovery document (read again after an hour)."""
    issuer = settings.OIDC_ISSUER
    read_at, found = _discovered.get(issuer, (0, None))
    if found and time.monotonic() - read_at < DISCOVERY_KEEP_SECONDS:
        return found
    url = settings.OIDC_DISCOVERY_URL or issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("the discovery document is not a JSON object")
        if document.get("issuer") != issuer:
            raise ProviderUnavailable(f"the discovery document names issuer {document.get('issuer')!r}, not {issuer!r}")
        found = Provider(issuer, *(_address(document, name) for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")),
                         _address(document, "end_session_endpoint") if document.get("end_session_endpoint") else "")
    except (requests.RequestException, ValueError, KeyError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    _discovered[issuer] = (time.monotonic(), found)
    return found


def _address(document, name):
    """An endpoint of the discovery document: an http(s) address, or ValueError."""
    value = document[name]
    if not (isinstance(value, str) and value.startswith(("https://", "http://"))):
        raise ValueError(f"the discovery document's {name} is not an address: {value!r}")
    return value


def text(claims, name, limit):
    """A claim about the person as text to keep: "" unless it is a string; control characters dropped (NUL among
    them, which PostgreSQL refuses; a tab or newline becomes a space); at most `limit` characters (the column's)."""
    value = claims.get(name)
    if not isinstance(value, str):
        return ""
    return "".join(c if c.isprintable() else " " if c.isspace() else "" for c in value)[:limit].strip()


def roles_from(claims):
    """This app's roles (group names) for a token's claims, by settings.OIDC_ROLES. The claim is a list of strings
    (or one string); anything else in it, or any other shape, gives nothing."""
    values = claims.get(settings.OIDC_ROLES_CLAIM)
    values = [values] if isinstance(values, str) else values if isinstance(values, list) else []
    values = {value for value in values if isinstance(value, str)}
    return [role for role, provider_values in settings.OIDC_ROLES.items() if values & set(provider_values)]


def logout_url(request, id_token):
    """Where logging out sends the browser: the provider's end-session page when it has one, which then returns to
    the login page; otherwise the login page itself."""
    login = request.build_absolute_uri(reverse("login"))
    if not (enabled() and id_token):
        return login
    try:
        end_session = provider().end_session_endpoint
    except ProviderUnavailable:
        return login
    if not end_session:
        return login
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": login, "client_id": settings.OIDC_RP_CLIENT_ID})
    return f"{end_session}?{query}"


class SignInBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the provider from discovery, the whole ID token checked, and users
    and roles by SignInIdentity and settings.OIDC_ROLES."""

    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a signed-in user: the provider is not asked until a sign-in.
        self.UserModel = get_user_model()

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider().token_endpoint)
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider().jwks_uri)

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or "nonce" not in kwargs or "code" not in request.GET:
            return None  # a password login (the callback alone passes the nonce): not ours
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, ProviderUnavailable, requests.RequestException) as error:
            logger.warning("single sign-on refused: %s", error)
            request.session[REFUSED] = FAILED
            user = None
        if user is None:  # the library stored the refused person's ID token: a later logout must not name them
            request.session.pop("oidc_id_token", None)
        return user

    def get_user(self, user_id):
        """The user of a session a sign-in began, while they are active (the library's own skips that check: a user
        deactivated in the admin would stay logged in)."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_token(self, payload):
        token_info = super().get_token(payload)
        if not isinstance(token_info, dict):
            raise SuspiciousOperation("the token endpoint's answer is not a JSON object")
        return token_info

    def verify_token(self, token, **kwargs):
        """The ID token's claims, when its signature, issuer, audience, expiry, issued-at and nonce all hold, and its
        subject is one OpenID Connect allows (1 to 255 characters)."""
        try:
            key = self.retrieve_matching_jwk(token)
            claims = jwt.decode(token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=settings.OIDC_RP_CLIENT_ID,
                                issuer=settings.OIDC_ISSUER, leeway=LEEWAY_SECONDS,
                                options={"require": ["iss", "aud", "sub", "exp", "iat", "nonce"]})
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:  # PyJWTError: a broken key too
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        if claims["nonce"] != kwargs.get("nonce"):
            raise SuspiciousOperation("ID token refused: its nonce is not this sign-in's")
        subject = claims["sub"]
        if not (isinstance(subject, str) and 0 < len(subject) <= SUBJECT_LENGTH and subject.isprintable()):
            raise SuspiciousOperation("ID token refused: its subject is not 1 to 255 printable characters")
        return claims

    def get_userinfo(self, access_token, id_token, claims):
        return claims  # everything needed is in the checked ID token (Entra ID sends the groups only there)

    def get_or_create_user(self, access_token, id_token, claims):
        roles = roles_from(claims)
        if not roles:
            logger.info("single sign-on: %s of %s has no role here", claims["sub"], claims["iss"])
            self.request.session[REFUSED] = NO_ROLE
            return None
        # Two first sign-ins at once (of one person, or of two with one username) both find no identity and both
        # insert: the second's insert fails on the unique constraint. Then it starts again, and finds the first's.
        for _ in range(3):
            try:
                with transaction.atomic():
                    return self._user_for(claims, roles)
            except IntegrityError as error:
                logger.info("single sign-on: another sign-in of %s made its user first (%s)", claims["sub"], error)
        raise SuspiciousOperation("single sign-on: the user could not be saved")

    def _user_for(self, claims, roles):
        identity = (SignInIdentity.objects.select_for_update().select_related("user")
                    .filter(issuer=claims["iss"], subject=claims["sub"]).first())
        if identity and not identity.user.is_active:
            logger.info("single sign-on: %s of %s is deactivated here", claims["sub"], claims["iss"])
            self.request.session[REFUSED] = DEACTIVATED
            return None
        user = identity.user if identity else self.UserModel(username=self._free_username(claims))
        name = text(claims, "name", 301)
        user.email = text(claims, "email", 254) or user.email
        user.first_name = text(claims, "given_name", 150) or name.partition(" ")[0][:150] or user.first_name
        user.last_name = text(claims, "family_name", 150) or name.partition(" ")[2][:150] or user.last_name
        user.is_superuser = user.is_staff = SITE_ADMIN in roles
        if not identity:
            user.set_unusable_password()
        user.save()
        if not identity:
            SignInIdentity.objects.create(user=user, issuer=claims["iss"], subject=claims["sub"])
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

    def _free_username(self, claims):
        wanted = text(claims, "preferred_username", 140) or text(claims, "email", 140) or claims["sub"][:140]
        username, n = wanted, 1
        while self.UserModel.objects.filter(username=username).exists():
            n += 1
            username = f"{wanted}-{n}"
        return username
