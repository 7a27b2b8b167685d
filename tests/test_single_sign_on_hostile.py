"""Single sign-on under attack: hostile callbacks and redirects, a provider that answers garbage or nothing, tokens
and claims no honest provider sends, two first sign-ins at once. Whatever comes, nobody is logged in who should
not be, and nothing gives an error page (500).

The real provider (tests/oidc/provider.py) is used wherever it can say the thing; tests/oidc/hostile.py (a tiny
HTTP server on 127.0.0.1) says what no honest provider would.
"""

import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from improvement.core import sso as sso_module
from improvement.core.models import SignInIdentity
from improvement.core.roles import sync_roles

from .oidc.hostile import DISCOVERY, hostile_provider
from .oidc.provider import ACCOUNTS, CLIENT_SECRET, running_provider
from .test_single_sign_on import provider, sign_in, sso  # noqa: F401 (fixtures)

REFUSED = "/login/sso/refused/"


@pytest.fixture
def hostile(settings):
    with hostile_provider() as server:
        server.settings(settings)
        yield server
        sso_module._discovered.pop(server.issuer, None)


def start(client):
    """Press the login page's button: the state the app put in the session, and its nonce."""
    answer = client.get("/login/sso/")
    assert answer.status_code == 302, answer
    state = parse_qs(urlsplit(answer["Location"]).query)["state"][0]
    return state, client.session["oidc_states"][state]["nonce"]


def hostile_sign_in(client, hostile, code="code-1"):
    state, nonce = start(client)
    hostile.nonces[code] = nonce
    return client.get("/login/sso/callback/", {"code": code, "state": state})


def logged_in(client):
    return client.get("/dashboard/").status_code == 200


def refused(answer, client):
    return answer.status_code == 302 and answer["Location"] == REFUSED and not logged_in(client)


# The callback's parameters ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {},
    {"code": "x"},  # no state
    {"state": "x"},  # no code
    {"code": "x", "state": "y" * 100_000},  # a huge state
    {"code": "x" * 100_000, "state": "<known>"},  # a huge code: the provider refuses it
    {"code": "", "state": "<known>"},
    {"code": "x", "state": ""},
    {"error": "x" * 10_000},
    {"error": "access_denied", "code": "x", "state": "<known>"},
], ids=["nothing", "no-state", "no-code", "huge-state", "huge-code", "empty-code", "empty-state", "huge-error", "error-and-code"])
def test_a_hostile_callback_logs_nobody_in_and_says_so(client, sso, goal, query):
    state, _ = start(client)
    query = {k: state if v == "<known>" else v for k, v in query.items()}
    answer = client.get("/login/sso/callback/", query)
    assert refused(answer, client)
    page = client.get(REFUSED)
    assert page.status_code == 403 and "Sign-in did not work" in page.content.decode()
    assert "Content-Security-Policy" in page


@pytest.mark.django_db
def test_a_duplicated_state_or_code_is_refused(client, sso, goal):
    state, _ = start(client)
    back = sso.sign_in(client.get("/login/sso/")["Location"], "alice").removeprefix("http://testserver")
    answer = client.get(back + f"&state={state}&code=made-up")  # the last of each counts: a state, not its code
    assert refused(answer, client)


@pytest.mark.django_db
def test_a_second_tabs_state_with_the_first_tabs_code_is_refused(client, sso, goal):
    first = client.get("/login/sso/")["Location"]
    second_state = parse_qs(urlsplit(client.get("/login/sso/")["Location"]).query)["state"][0]
    back = sso.sign_in(first, "alice")
    code = parse_qs(urlsplit(back).query)["code"][0]
    answer = client.get("/login/sso/callback/", {"code": code, "state": second_state})  # PKCE and nonce are the other tab's
    assert refused(answer, client)


@pytest.mark.django_db
def test_two_tabs_each_sign_in_with_their_own_state(client, sso, goal):
    first, second = client.get("/login/sso/")["Location"], client.get("/login/sso/")["Location"]
    assert client.get(sso.sign_in(second, "alice").removeprefix("http://testserver"))["Location"] == "/welcome/"
    assert client.get(sso.sign_in(first, "alice").removeprefix("http://testserver"))["Location"] == "/welcome/"
    assert logged_in(client)


@pytest.mark.django_db
def test_a_callback_for_another_browser_is_refused(client, sso, goal):
    victim = Client()
    back = sso.sign_in(victim.get("/login/sso/")["Location"], "sam").removeprefix("http://testserver")
    client.get("/login/sso/")
    assert refused(client.get(back), client)
    assert victim.get(back)["Location"] == "/welcome/"  # the code was not spent on the attempt: the state was checked first


@pytest.mark.django_db
def test_the_session_key_changes_at_sign_in(client, sso, goal):
    client.get("/login/sso/")
    before = client.session.session_key
    assert before
    sign_in(client, sso, "alice")
    assert client.session.session_key != before and logged_in(client)


@pytest.mark.django_db
def test_a_cancelled_sign_in_does_not_log_out_who_is_logged_in(client, sso, goal):
    """A link to the callback with ?error= (from any site) must not log the user out: logging out is a POST."""
    sign_in(client, sso, "alice")
    assert client.get("/login/sso/callback/", {"error": "access_denied"})["Location"] == REFUSED
    assert logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("next_page", [
    "//evil.example/", "///evil.example/", "/\\evil.example/", "\\\\evil.example", "https:evil.example",
    "http://testserver@evil.example/", " https://evil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1",
    "http://testserver:80@evil.example", "/" + "a" * 50_000,
])
def test_the_sign_in_never_goes_on_to_another_site_however_next_is_written(client, sso, goal, next_page):
    start_page = client.get("/login/sso/", {"next": next_page})
    back = sso.sign_in(start_page["Location"], "alice").removeprefix("http://testserver")
    answer = client.get(back)
    assert answer.status_code == 302
    location = answer["Location"]
    assert location == "/welcome/" or (location.startswith("/") and not location.startswith(("//", "/\\"))), location
    assert "\n" not in location and "\r" not in location


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/sso/", "/login/sso/callback/", "/login/sso/refused/", "/login/"])
def test_head_requests_give_no_error(client, sso, path):
    answer = client.head(path)
    assert answer.status_code in (200, 302, 403)
    assert "Content-Security-Policy" in answer


@pytest.mark.django_db
def test_logging_out_needs_the_csrf_token(sso, goal):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, sso, "alice")
    assert browser.post("/logout/").status_code == 403
    assert logged_in(browser)


@pytest.mark.django_db
@pytest.mark.parametrize("next_page", ["/login/", "/login/?next=/login/", "http://testserver/login/?x=1"])
def test_the_login_page_as_next_for_someone_logged_in_goes_on_to_the_welcome_page(board_client, next_page):
    answer = board_client.get("/login/", {"next": next_page})
    assert answer.status_code == 302 and answer["Location"] == "/welcome/"


# Deactivated users --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_deactivated_in_the_admin_is_logged_out_and_cannot_sign_in(client, sso, goal):
    sign_in(client, sso, "alice")
    user = User.objects.get(username="alice")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/dashboard/").status_code == 302  # the session a sign-in began ends
    assert client.get("/welcome/").status_code == 302
    answer = sign_in(client, sso, "alice")
    assert refused(answer, client)
    page = client.get(REFUSED).content.decode()
    assert "Ask your administrator" in page
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_a_password_login_never_asks_the_provider(client, hostile, make_user):
    user = make_user("board")
    answer = client.post("/login/?code=x&state=y", {"username": user.username, "password": "wrong"})
    assert answer.status_code == 200  # the form again, with its error
    assert ("POST", "/token") not in hostile.requests


# Odd accounts at the real provider ----------------------------------------------------------------------------------

ODD_ACCOUNTS = {
    "one-group": {"groups": "grp-board"},  # one group, as a string
    "dict-groups": {"groups": {"grp-board": True}},
    "no-groups": {"email": "no.groups@northfield.example"},
    "huge-email": {"email": "e" * 5_000 + "@northfield.example", "groups": ["grp-board"]},
    "long": {"preferred_username": "u" * 300, "groups": ["grp-board"], "given_name": "G" * 400, "family_name": "F" * 400},
    "s" * 300: {"groups": ["grp-board"]},  # a subject longer than OpenID Connect allows (255)
    "odd": {"preferred_username": "O'Brien <b>Ünïcödé</b> \u2603 \u202e", "name": "Ann\tO'Brien", "groups": ["grp-board"]},
    "no-email": {"preferred_username": None, "groups": ["grp-board"]},
}


@pytest.fixture(scope="module")
def odd_provider():
    with running_provider(["http://testserver"], accounts={**ACCOUNTS, **ODD_ACCOUNTS}) as started:
        yield started


@pytest.fixture
def odd(settings, odd_provider):
    odd_provider.settings(settings)
    return odd_provider


@pytest.mark.django_db
@pytest.mark.parametrize("login,role", [
    ("one-group", "Board member"), ("dict-groups", None), ("no-groups", None), ("huge-email", "Board member"),
    ("long", "Board member"), ("s" * 300, "refused"), ("odd", "Board member"), ("no-email", "Board member"),
], ids=["groups-string", "groups-dict", "groups-missing", "huge-email", "username-300-names-400", "subject-300",
        "odd-characters", "no-email"])
def test_odd_accounts_at_the_real_provider_sign_in_or_get_the_no_role_page(client, odd, goal, login, role):
    answer = sign_in(client, odd, login)
    if role == "refused":
        assert refused(answer, client) and not User.objects.exists()
        assert "Sign-in did not work" in client.get(REFUSED).content.decode()
        return
    if role is None:
        assert refused(answer, client)
        assert "Ask your administrator" in client.get(REFUSED).content.decode()
        return
    assert answer["Location"] == "/welcome/"
    user = User.objects.get(sign_in_identity__subject=login)
    assert [g.name for g in user.groups.all()] == [role]
    assert 0 < len(user.username) <= 150 and len(user.email) <= 254 and len(user.first_name) <= 150
    page = client.get("/welcome/").content.decode()
    assert "<b>Ünïcödé</b>" not in page


# A provider that answers garbage, or nothing ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status,body,wait", [
    (200, b"not json", 0),
    (200, b"[1, 2]", 0),
    (200, b'"a string"', 0),
    (200, b'{"issuer": "http://127.0.0.1:1"}', 0),
    (200, b"{}", 0),
    (500, b"{}", 0),
    (200, b"{}", 3),  # slower than OIDC_TIMEOUT (1 s)
], ids=["not-json", "a-list", "a-string", "wrong-issuer", "empty", "500", "hangs"])
def test_a_broken_discovery_document_gives_503_and_the_password_still_works(client, hostile, make_user, status, body, wait):
    hostile.answers[DISCOVERY] = (status, body, wait)
    began = time.monotonic()
    assert client.get("/login/sso/").status_code == 503
    assert time.monotonic() - began < 2.5
    user = make_user("board")
    assert client.post("/login/", {"username": user.username, "password": "correct-horse-battery"}).status_code == 302


@pytest.mark.django_db
def test_a_discovery_document_with_endpoints_that_are_not_addresses_gives_503(client, hostile):
    hostile.answers[DISCOVERY] = (200, lambda: __import__("json").dumps({**hostile.discovery(), "authorization_endpoint": 5,
                                                                         "token_endpoint": ["x"]}).encode(), 0)
    assert client.get("/login/sso/").status_code == 503


@pytest.mark.django_db
@pytest.mark.parametrize("path,status,body,wait", [
    ("/token", 200, b"not json", 0),
    ("/token", 200, b"[1, 2]", 0),
    ("/token", 200, b'"x"', 0),
    ("/token", 200, b"{}", 0),  # no id_token
    ("/token", 200, b'{"id_token": 5}', 0),
    ("/token", 200, b'{"id_token": "a.b.c"}', 0),
    ("/token", 400, b'{"error": "invalid_grant"}', 0),
    ("/token", 200, b"{}", 3),
    ("/jwks", 200, b"not json", 0),
    ("/jwks", 200, b"[1, 2]", 0),
    ("/jwks", 200, b'{"keys": "abc"}', 0),
    ("/jwks", 200, b'{"keys": [1, 2]}', 0),
    ("/jwks", 200, b'{"keys": []}', 0),
    ("/jwks", 200, b'{"keys": [{"kid": "<kid>"}]}', 0),
    ("/jwks", 200, b'{"keys": [{"kid": "<kid>", "kty": "RSA", "n": "!!", "e": "AQAB"}]}', 0),
    ("/jwks", 200, b'{"keys": [{"kid": "<kid>", "kty": "EC", "crv": "P-999", "x": "AA", "y": "AA"}]}', 0),
    ("/jwks", 500, b"{}", 0),
    ("/jwks", 200, b"{}", 3),
], ids=["token-not-json", "token-list", "token-string", "no-id-token", "id-token-number", "id-token-garbage",
        "token-400", "token-hangs", "keys-not-json", "keys-list", "keys-string", "keys-numbers", "no-keys",
        "key-without-type", "key-broken-rsa", "key-unknown-curve", "keys-500", "keys-hang"])
def test_a_broken_token_or_key_answer_refuses_the_sign_in(client, hostile, goal, path, status, body, wait):
    hostile.answers[path] = (status, body.replace(b"<kid>", hostile.kid.encode()), wait)
    assert refused(hostile_sign_in(client, hostile), client)
    assert "Sign-in did not work" in client.get(REFUSED).content.decode()


@pytest.mark.django_db
def test_an_honest_hostile_provider_signs_in(client, hostile, goal):
    """The hostile provider's own sign-in works when it behaves, so the refusals above are for what they change."""
    assert hostile_sign_in(client, hostile)["Location"] == "/welcome/"
    assert logged_in(client)


# Tokens no honest provider sends ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    {"headers": {"alg": "none"}, "signing_key": None},
    {"headers": {"alg": "HS256"}, "signing_key": CLIENT_SECRET},
    {"headers": {"alg": "HS256"}, "signing_key": CLIENT_SECRET, "keys_without_alg": True},  # Entra publishes no alg
    {"headers": {"kid": "another"}},
    {"headers": {"kid": None}},
    {"claims": {"nonce": "another"}},
    {"claims": {"exp": int(time.time()) - 600}},
    {"claims": {"iat": "yesterday"}},
    {"claims": {"aud": ["another-app"]}},
    {"claims": {"sub": 5}},
    {"claims": {"sub": ""}},
    {"claims": {"sub": "s" * 300}},
    {"claims": {"sub": "nul\x00byte"}},
], ids=["alg-none", "hs256-client-secret", "hs256-keys-without-alg", "unknown-kid", "no-kid", "nonce", "expired",
        "iat-text", "audience", "sub-number", "sub-empty", "sub-300", "sub-nul"])
def test_a_token_no_honest_provider_sends_is_refused(client, hostile, goal, change):
    hostile.headers = dict(change.get("headers", {}))
    if hostile.headers.get("kid", "") is None:
        hostile.headers.pop("kid")
        hostile.id_token = _without_kid(hostile)
    if "signing_key" in change:
        hostile.signing_key = change["signing_key"]
    if change.get("keys_without_alg"):
        jwks = hostile.jwks
        hostile.jwks = lambda: {"keys": [{k: v for k, v in key.items() if k != "alg"} for key in jwks()["keys"]]}
    hostile.claims = dict(change.get("claims", {}))
    assert refused(hostile_sign_in(client, hostile), client)
    assert not SignInIdentity.objects.exists()


def _without_kid(hostile):
    made = hostile.id_token

    def id_token(**extra):
        import jwt as pyjwt

        token = made(**extra)
        claims = pyjwt.decode(token, options={"verify_signature": False})
        return pyjwt.encode(claims, hostile.key, algorithm="RS256")  # no kid in the header

    return id_token


# Claims no honest provider sends ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("groups,role", [
    ("grp-board", "Board member"),  # one group as a string
    (None, None),  # no groups claim
    ([], None),
    ({"grp-board": True}, None),  # a dict is not a list of groups
    (5, None),
    ([["grp-board"]], None),
    ([{"id": "grp-board"}], None),
    ([5, None, "grp-board"], "Board member"),
    ("x" * 100_000, None),
], ids=["string", "missing", "empty", "dict", "number", "nested-list", "list-of-dicts", "mixed-list", "huge-string"])
def test_the_groups_claim_however_odd_gives_a_role_or_the_no_role_page(client, hostile, goal, groups, role):
    hostile.claims = {"groups": groups}
    answer = hostile_sign_in(client, hostile)
    if role:
        assert answer["Location"] == "/welcome/"
        assert [g.name for g in User.objects.get().groups.all()] == [role]
    else:
        assert refused(answer, client)
        assert "Ask your administrator" in client.get(REFUSED).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("claims", [
    {"email": "e" * 10_000 + "@northfield.example"},
    {"email": 5},
    {"email": ["a@b.example"]},
    {"email": None, "preferred_username": None},
    {"given_name": "G" * 300, "family_name": "F" * 300},
    {"name": "N" * 300 + " " + "M" * 300, "given_name": None, "family_name": None},
    {"name": 5, "given_name": {"x": 1}, "family_name": ["y"]},
    {"preferred_username": "p" * 300},
    {"preferred_username": "../<script>alert(1)</script> ; DROP TABLE"},
    {"preferred_username": "nul\x00in\x00name", "given_name": "A\x00B", "email": "a\x00@b.example"},
    {"preferred_username": 5},
    {"preferred_username": ""},
    {"preferred_username": "\u202eadmin\u200b"},
], ids=["huge-email", "email-number", "email-list", "no-email-no-username", "long-names", "long-name", "names-not-text",
        "username-300", "username-markup", "nul-bytes", "username-number", "username-empty", "username-bidi"])
def test_odd_claims_about_the_person_sign_in_without_an_error(client, hostile, goal, claims):
    hostile.claims = claims
    answer = hostile_sign_in(client, hostile)
    assert answer["Location"] == "/welcome/"
    user = User.objects.get(sign_in_identity__subject="hostile-1")
    assert 0 < len(user.username) <= 150 and "\x00" not in user.username + user.first_name + user.email
    assert len(user.first_name) <= 150 and len(user.last_name) <= 150 and len(user.email) <= 254
    assert client.get("/dashboard/").status_code == 200
    assert "<script>alert" not in client.get("/welcome/").content.decode()


@pytest.mark.django_db
def test_a_preferred_username_taken_by_the_admin_gives_another(client, hostile, goal, make_user):
    admin = make_user("admin")
    hostile.claims = {"preferred_username": "admin", "groups": ["grp-board"]}
    hostile_sign_in(client, hostile)
    signed_in = User.objects.get(sign_in_identity__subject="hostile-1")
    assert signed_in.pk != admin.pk and signed_in.username == "admin-2" and not signed_in.is_superuser


# Logging out when the provider is down -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logging_out_when_the_provider_is_down_still_logs_out(client, hostile, goal):
    hostile_sign_in(client, hostile)
    assert logged_in(client)
    sso_module._discovered.clear()  # the discovery document is read again, and the provider no longer answers
    hostile.answers[DISCOVERY] = (200, b"{}", 3)
    began = time.monotonic()
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"] == "http://testserver/login/"
    assert time.monotonic() - began < 2.5
    assert not logged_in(client)


# Two first sign-ins at once ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite allows one writer")
@pytest.mark.parametrize("same_person", [True, False], ids=["same-person", "same-username"])
def test_two_first_sign_ins_at_once_give_no_error(hostile, goal, same_person):
    if not User.objects.exists():
        sync_roles()
    for round_ in range(4):
        barrier = threading.Barrier(2, timeout=10)
        hostile.before_keys = barrier.wait  # both have their tokens: the rest is the database
        subjects = [f"twin-{round_}"] * 2 if same_person else [f"twin-{round_}-a", f"twin-{round_}-b"]
        claims = {"preferred_username": f"twin-{round_}"}
        clients, callbacks = [Client(), Client()], []
        for n, (client, subject) in enumerate(zip(clients, subjects)):
            state, nonce = start(client)
            code = f"code-{round_}-{n}"
            hostile.nonces[code] = nonce
            callbacks.append((client, {"code": code, "state": state}, subject))
            hostile.claims_by_code[code] = {**claims, "sub": subject}
        answers, errors = [None, None], []

        def callback(n):
            client, query, subject = callbacks[n]
            try:
                answers[n] = client.get("/login/sso/callback/", query)
            except Exception as error:  # the test client raises what would have been a 500
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=callback, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors, errors
        assert [a["Location"] for a in answers] == ["/welcome/", "/welcome/"]
        assert SignInIdentity.objects.filter(subject__startswith=f"twin-{round_}").count() == len(set(subjects))


# The Django admin --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logging_out_from_the_django_admin_ends_the_providers_session_too(client, sso):
    sign_in(client, sso, "sam")
    assert client.get("/admin/").status_code == 200
    out = client.post("/admin/logout/")
    assert out.status_code == 302 and out["Location"].startswith(sso.issuer + "/session/end"), out
    assert client.get("/admin/").status_code == 302

