"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc: panva/node-oidc-provider)."""

import time

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from improvement.core.models import SignInIdentity
from improvement.core.sso import SignInBackend

from .oidc.provider import running_provider


@pytest.fixture(scope="module")
def provider():
    with running_provider(["http://testserver"]) as provider:
        yield provider


@pytest.fixture
def sso(settings, provider):
    provider.settings(settings)
    return provider


def sign_in(client, provider, login, browser=None, next_page=""):
    """Start at the login page's button, sign in at the provider as `login`, come back: the callback's answer."""
    start = client.get("/login/sso/" + (f"?next={next_page}" if next_page else ""))
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer), start
    back = provider.sign_in(start["Location"], login, browser)
    assert back.startswith("http://testserver/login/sso/callback/?")
    return client.get(back.removeprefix("http://testserver"))


@pytest.mark.django_db
def test_the_login_page_offers_single_sign_on_beside_the_password(client, sso):
    page = client.get("/login/").content.decode()
    assert "Sign in with your organisation account" in page
    assert 'name="password"' in page


@pytest.mark.django_db
def test_signing_in_gives_the_role_of_the_providers_group(client, sso, goal):
    answer = sign_in(client, sso, "alice")
    assert answer.status_code == 302 and answer["Location"] == "/welcome/"
    user = User.objects.get(sign_in_identity__subject="alice", sign_in_identity__issuer=sso.issuer)
    assert [g.name for g in user.groups.all()] == ["Board member"]
    assert (user.email, user.first_name, user.last_name) == ("alice.board@northfield.example", "Alice", "Board")
    assert not user.has_usable_password()
    assert client.get("/dashboard/").status_code == 200
    assert client.get(reverse("goals:measure_new")).status_code == 403  # a board member records nothing


@pytest.mark.django_db
def test_signing_in_again_is_the_same_user_with_the_roles_the_provider_gives_now(client, sso, settings):
    sign_in(client, sso, "quinn")
    client.logout()
    settings.OIDC_ROLES = {**settings.OIDC_ROLES, "QiSG member": [], "Board member": ["grp-qisg"]}
    sign_in(client, sso, "quinn")
    assert SignInIdentity.objects.filter(subject="quinn").count() == 1
    assert [g.name for g in User.objects.get(username="quinn").groups.all()] == ["Board member"]


@pytest.mark.django_db
def test_a_provider_account_never_takes_over_a_local_user_of_the_same_name(client, sso, make_user):
    local = make_user("board")
    local.username = "alice"
    local.save()
    sign_in(client, sso, "alice")
    signed_in = User.objects.get(sign_in_identity__subject="alice")
    assert signed_in.pk != local.pk and signed_in.username == "alice-2"


@pytest.mark.django_db
def test_a_site_admin_group_makes_a_site_admin(client, sso):
    sign_in(client, sso, "sam")
    user = User.objects.get(username="sam")
    assert user.is_superuser and user.is_staff
    assert client.get("/strategy/file/").status_code == 200


@pytest.mark.django_db
def test_no_mapped_role_is_refused_with_ask_your_administrator(client, sso):
    answer = sign_in(client, sso, "nadia")
    assert answer.status_code == 302 and answer["Location"] == "/login/sso/refused/"
    page = client.get(answer["Location"])
    assert page.status_code == 403
    assert "Ask your administrator" in page.content.decode()
    assert not User.objects.filter(username="nadia").exists()
    assert client.get("/dashboard/").status_code == 302  # not logged in


@pytest.mark.django_db
def test_the_sign_in_goes_on_to_the_page_asked_for(client, sso):
    answer = sign_in(client, sso, "alice", next_page="/reports/")
    assert answer["Location"] == "/reports/"


@pytest.mark.django_db
def test_the_sign_in_never_goes_on_to_another_site(client, sso):
    answer = sign_in(client, sso, "alice", next_page="https://evil.example/")
    assert answer["Location"] == "/welcome/"


@pytest.mark.django_db
def test_a_sign_in_cancelled_at_the_provider_logs_nobody_in(client, sso):
    client.get("/login/sso/")
    state = next(iter(client.session["oidc_states"]))
    answer = client.get("/login/sso/callback/", {"error": "access_denied", "state": state})
    assert answer["Location"] == "/login/sso/refused/"
    assert "Sign-in did not work" in client.get(answer["Location"]).content.decode()


@pytest.mark.django_db
def test_a_site_admin_reaches_the_django_admin_by_single_sign_on(client, sso, settings):
    settings.LOCAL_LOGIN = False
    to_login = client.get("/admin/", follow=True).redirect_chain
    assert to_login[-1][0] == "/login/?next=%2Fadmin%2F"
    assert 'href="/login/sso/?next=/admin/"' in client.get("/login/?next=/admin/").content.decode()
    answer = sign_in(client, sso, "sam", next_page="/admin/")
    assert answer["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_callback_replayed_is_refused(client, sso):
    start = client.get("/login/sso/")
    back = sso.sign_in(start["Location"], "alice").removeprefix("http://testserver")
    assert client.get(back)["Location"] == "/welcome/"
    client.logout()
    replay = client.get(back)
    assert replay["Location"] == "/login/sso/refused/"
    assert "Sign-in did not work" in client.get("/login/sso/refused/").content.decode()
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_a_made_up_code_is_refused_without_an_error(client, sso):
    client.get("/login/sso/")
    state = next(iter(client.session["oidc_states"]))
    answer = client.get("/login/sso/callback/", {"code": "made-up", "state": state})
    assert answer["Location"] == "/login/sso/refused/"
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_logging_out_ends_the_providers_session_too(client, sso):
    browser = requests.Session()
    sign_in(client, sso, "alice", browser)
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"].startswith(sso.issuer + "/session/end")
    assert "id_token_hint=" in out["Location"]
    assert sso.sign_in(out["Location"], "alice", browser, stop_at="http://testserver/login/") .startswith(
        "http://testserver/login/")
    assert client.get("/dashboard/").status_code == 302
    # the provider asks who you are again: its session ended
    start = client.get("/login/sso/")
    asked = browser.get(start["Location"], allow_redirects=True, timeout=10)
    assert 'name="login"' in asked.text


@pytest.mark.django_db
def test_with_local_login_off_a_correct_password_is_refused(client, sso, settings, make_user):
    user = make_user("board")
    settings.LOCAL_LOGIN = False
    page = client.get("/login/").content.decode()
    assert "Sign in with your organisation account" in page and 'name="password"' not in page
    answer = client.post("/login/", {"username": user.username, "password": "correct-horse-battery"})
    assert answer.status_code == 403
    assert "switched off" in answer.content.decode()
    assert client.get("/dashboard/").status_code == 302
    admin_login = client.post("/admin/login/?next=/admin/", {"username": user.username, "password": "correct-horse-battery"})
    assert admin_login.status_code == 302 and admin_login["Location"] == "/login/?next=/admin/"  # the one login page
    assert client.get("/dashboard/").status_code == 302
    assert sign_in(client, sso, "alice")["Location"] == "/welcome/"


@pytest.mark.django_db
def test_switching_local_login_off_ends_sessions_a_password_began(client, sso, settings, make_user, goal):
    client.force_login(make_user("board"), backend="improvement.core.logins.PasswordBackend")
    assert client.get("/dashboard/").status_code == 200
    settings.LOCAL_LOGIN = False
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_a_provider_that_is_down_gives_503_and_the_password_login_still_works(client, settings, make_user):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "http://127.0.0.1:9", "x", "y"
    assert client.get("/login/sso/").status_code == 503
    user = make_user("board")
    assert client.post("/login/", {"username": user.username, "password": "correct-horse-battery"}).status_code == 302


@pytest.mark.django_db
def test_without_single_sign_on_its_pages_do_not_exist(client):
    assert "organisation account" not in client.get("/login/").content.decode()
    for path in ("/login/sso/", "/login/sso/callback/", "/login/sso/refused/"):
        assert client.get(path).status_code == 404


class TestTheIdTokenIsCheckedInFull:
    """The backend checks what the library leaves out; each token here is signed by the provider's own key."""

    @pytest.fixture
    def verify(self, sso):
        return lambda token, nonce="n-1": SignInBackend().verify_token(token, nonce=nonce)

    def test_a_good_token_passes(self, verify, sso):
        assert verify(sso.forge(nonce="n-1"))["sub"] == "alice"

    @pytest.mark.parametrize("claims", [
        {"iss": "http://127.0.0.1:1"},  # another issuer
        {"aud": "another-app"},  # for another client
        {"exp": int(time.time()) - 3600},  # expired
        {"iat": None},  # no issued-at
        {"nonce": "n-2"},  # another sign-in's nonce
        {"nonce": None},  # no nonce
    ], ids=["issuer", "audience", "expired", "no-iat", "nonce", "no-nonce"])
    def test_a_wrong_claim_is_refused(self, verify, sso, claims):
        with pytest.raises(SuspiciousOperation):
            verify(sso.forge(**{"nonce": "n-1", **claims}))

    def test_a_tampered_token_is_refused(self, verify, sso):
        header, payload, signature = sso.forge(nonce="n-1", sub="alice").split(".")
        other = sso.forge(nonce="n-1", sub="sam").split(".")[1]
        with pytest.raises(SuspiciousOperation):
            verify(f"{header}.{other}.{signature}")

    def test_a_token_signed_by_another_key_is_refused(self, verify, sso):
        with pytest.raises(SuspiciousOperation):
            verify(sso.forge(key=rsa.generate_private_key(public_exponent=65537, key_size=2048), nonce="n-1"))

    def test_an_unsigned_token_is_refused(self, verify, sso):
        header, payload, _ = sso.forge(nonce="n-1").split(".")
        with pytest.raises(SuspiciousOperation):
            verify(f"eyJhbGciOiJub25lIiwia2lkIjoieCJ9.{payload}.")

    def test_garbage_is_refused(self, verify):
        with pytest.raises(SuspiciousOperation):
            verify("not-a-token")



@pytest.mark.django_db
def test_an_address_locked_by_the_login_throttle_cannot_sign_in_by_the_provider_either(client, sso):
    for n in range(20):  # password spraying from one address, 20 usernames
        client.post("/login/", {"username": f"guess-{n}", "password": "wrong"})
    answer = sign_in(client, sso, "alice")
    assert answer.status_code == 429 and "Too many failed log in attempts" in answer.content.decode()
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_refused_sign_ins_do_not_lock_the_address_out_of_the_password_login(client, sso, make_user):
    for _ in range(21):  # someone without a role here, trying again and again from the trust's shared address
        assert sign_in(client, sso, "nadia")["Location"] == "/login/sso/refused/"
    user = make_user("board")
    assert client.post("/login/", {"username": user.username, "password": "correct-horse-battery"}).status_code == 302


@pytest.mark.django_db
def test_a_refused_sign_in_keeps_no_token_of_that_person(client, sso):
    sign_in(client, sso, "nadia")
    assert "oidc_id_token" not in client.session
