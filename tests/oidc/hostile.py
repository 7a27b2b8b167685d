"""A hostile OpenID Connect provider for the tests: a tiny HTTP server on 127.0.0.1 that answers discovery, keys and
tokens as a test tells it to (garbage, a wrong issuer, a hang, an ID token with any claims, signed by its own key).

The real provider (tests/oidc/provider.py) shows what a correct provider does; this one shows that whatever a
provider answers, the app refuses the sign-in without an error page.
"""

import json
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .provider import CLIENT_ID, CLIENT_SECRET

DISCOVERY = "/.well-known/openid-configuration"


class Hostile:
    def __init__(self, port):
        self.issuer = f"http://127.0.0.1:{port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.answers = {}  # path -> (status, body bytes or a callable making them, seconds to wait first)
        self.claims = {}  # the ID token's claims, over the usual ones
        self.headers = {}  # the ID token's header, over the usual one
        self.signing_key = None  # another key (or a secret, with headers={"alg": "HS256"})
        self.before_keys = None  # called in the keys request before it answers (a barrier, for races)
        self.requests = []
        self.nonces = {}  # code -> the nonce its ID token carries (each sign-in's own, for two at once)
        self.claims_by_code = {}  # code -> more claims for its ID token

    def settings(self, settings):
        settings.OIDC_ISSUER = self.issuer
        settings.OIDC_DISCOVERY_URL = ""
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        settings.OIDC_ROLES = {"Board member": ["grp-board"], "QiSG member": [], "Partner admin": [], "Site admin": ["grp-it"]}
        settings.OIDC_TIMEOUT = 1

    def discovery(self):
        return {"issuer": self.issuer, "authorization_endpoint": self.issuer + "/auth",
                "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks",
                "end_session_endpoint": self.issuer + "/session/end"}

    def jwks(self):
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, **extra):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "hostile-1", "iat": now, "exp": now + 300,
                  "groups": ["grp-board"], **extra, **self.claims}
        headers = {"kid": self.kid, **self.headers}
        algorithm = headers.pop("alg", "RS256")
        return jwt.encode({k: v for k, v in claims.items() if v is not None}, self.signing_key or self.key,
                          algorithm=algorithm, headers=headers)

    def token(self, form):
        code = form.get("code", [""])[0]
        extra = {**({"nonce": self.nonces[code]} if code in self.nonces else {}), **self.claims_by_code.get(code, {})}
        return {"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": self.id_token(**extra)}

    def answer(self, path, form):
        if path in self.answers:
            status, body, wait = self.answers[path]
            time.sleep(wait)
            return status, body() if callable(body) else body
        made = {DISCOVERY: self.discovery, "/jwks": self.jwks, "/token": lambda: self.token(form)}.get(path)
        if made is None:
            return 404, b"{}"
        if path == "/jwks" and self.before_keys:
            self.before_keys()
        return 200, json.dumps(made()).encode()


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        hostile = self.server.hostile
        path = self.path.partition("?")[0]
        hostile.requests.append((self.command, path))
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))) if self.command == "POST" else b""
        status, body = hostile.answer(path, parse_qs(body.decode()))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@contextmanager
def hostile_provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.hostile = Hostile(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.hostile
    finally:
        server.shutdown()
        server.server_close()
