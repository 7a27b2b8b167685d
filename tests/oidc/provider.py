"""The tests' own OpenID Connect provider (tests/oidc/provider.mjs: panva/node-oidc-provider) on 127.0.0.1.

`make test` installs it (npm ci in tests/oidc). Its accounts are ACCOUNTS; it signs with a key made here, so a test
can also make tokens the provider never issued, with the provider's own key (`forge`).
"""

import json
import os
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).parent
CLIENT_ID, CLIENT_SECRET = "improvement-tracker", "tests-only-client-secret"
ACCOUNTS = {
    "alice": {"email": "alice.board@northfield.example", "name": "Alice Board", "groups": ["grp-board"]},
    "quinn": {"email": "quinn.qisg@northfield.example", "name": "Quinn Steering", "groups": ["grp-qisg", "grp-all-staff"]},
    "nadia": {"email": "nadia.noaccess@northfield.example", "name": "Nadia Noaccess", "groups": ["grp-all-staff"]},
    "sam": {"email": "sam.it@northfield.example", "name": "Sam Admin", "groups": ["grp-it"]},
}
ROLES = {"Board member": ["grp-board"], "QiSG member": ["grp-qisg"], "Partner admin": ["grp-partners"], "Site admin": ["grp-it"]}


@dataclass
class Provider:
    issuer: str
    key: rsa.RSAPrivateKey
    kid: str
    log: Path  # what the provider printed: what it refused and why

    def settings(self, settings):
        """Point the app's single sign-on at this provider (pytest-django's `settings` fixture)."""
        settings.OIDC_ISSUER = self.issuer
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        settings.OIDC_ROLES = ROLES
        settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", self.issuer]}  # as settings.py makes it

    def forge(self, key=None, headers=None, **claims):
        """An ID token with these claims, signed by the provider's key (or `key`), as the provider would sign it."""
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "alice", "iat": now, "exp": now + 300, **claims}
        return jwt.encode({k: v for k, v in claims.items() if v is not None}, key or self.key, algorithm="RS256",
                          headers={"kid": self.kid, **(headers or {})})

    def sign_in(self, authorize_url, login, browser=None, stop_at="http://testserver"):
        """Follow the provider's sign-in from `authorize_url` as a browser would (its cookies kept in `browser`, a
        requests.Session), filling its sign-in form as `login`; returns the address it sends back to (under `stop_at`)."""
        browser = browser or requests.Session()
        url, method, data = authorize_url, "GET", None
        for _ in range(10):
            response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
            if response.is_redirect:
                url, method, data = urljoin(url, response.headers["Location"]), "GET", None
                if url.startswith(stop_at):
                    return url
                continue
            form = _form(response.text)
            url, method = urljoin(url, form["action"]), "POST"
            data = {**form["fields"], "login": login, "password": "any"} if "login" in form["fields"] else form["fields"]
        raise AssertionError(f"the provider did not send the browser back; last page: {response.text[:500]}\n{self.log.read_text()}")


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form is None:
            self.form = {"action": attrs.get("action", ""), "fields": {}}
        elif tag in ("input", "button") and self.form is not None and attrs.get("name"):
            self.form["fields"].setdefault(attrs["name"], attrs.get("value", ""))


def _form(html):
    reader = _FormReader()
    reader.feed(html)
    if reader.form is None:
        raise AssertionError(f"no form on the provider's page: {html[:500]}")
    return reader.form


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_provider(app_urls, accounts=ACCOUNTS):
    """Start the provider for apps at `app_urls` (their callback and login pages registered with it), with
    `accounts` (login name -> claims)."""
    if not (HERE / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("the tests' OIDC provider is not installed: run `make test` (it runs npm ci in tests/oidc)")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex
    jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key)), "kid": kid, "alg": "RS256", "use": "sig"}
    del jwk["key_ops"]  # PyJWT writes ["sign"]: the provider would not use the key to check its own id_token_hint
    port = _free_port()
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "redirect_uris": [f"{url}/login/sso/callback/" for url in app_urls],
              "post_logout_redirect_uris": [f"{url}/login/" for url in app_urls]}
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_ACCOUNTS": json.dumps(accounts), "OIDC_CLIENT": json.dumps(client),
           "OIDC_SIGNING_KEY": json.dumps(jwk), "NODE_ENV": "test"}
    log = tempfile.NamedTemporaryFile("w+", prefix="oidc-provider-", suffix=".log")
    process = subprocess.Popen(["node", str(HERE / "provider.mjs")], env=env, cwd=HERE, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while f"ready {port}" not in Path(log.name).read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the tests' OIDC provider did not start: {Path(log.name).read_text()}")
            time.sleep(0.05)
        yield Provider(f"http://127.0.0.1:{port}", key, kid, Path(log.name))
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
