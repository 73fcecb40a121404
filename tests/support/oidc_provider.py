"""A tiny OpenID Connect provider on a local thread: discovery, authorize, token (PKCE), JWKS, userinfo.

It signs RS256 id tokens with a key made for the test run. The "user" consents at once: the test chooses
which claims the next sign-in carries with `provider.next_claims`.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "vigie-test"
CLIENT_SECRET = "secret-de-test-oidc"


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.next_claims: dict = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        }

    # what each endpoint answers
    def authorize(self, query: dict) -> tuple[int, dict, str]:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"query": query, "claims": dict(self.next_claims)}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": location}, ""

    def token(self, form: dict) -> tuple[int, dict, str]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != CLIENT_SECRET:
            return 400, {}, json.dumps({"error": "invalid_grant"})
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest()).rstrip(b"=")
        if challenge.decode() != grant["query"]["code_challenge"]:
            return 400, {}, json.dumps({"error": "invalid_grant", "error_description": "PKCE"})
        claims = grant["claims"]
        now = int(time.time())
        id_token = jwt.encode(
            {"iss": self.url, "aud": CLIENT_ID, "sub": claims["sub"], "iat": now, "exp": now + 300,
             "nonce": grant["query"]["nonce"]},
            self.key, algorithm="RS256", headers={"kid": "cle-1"},
        )
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = claims
        return 200, {}, json.dumps({"access_token": access_token, "id_token": id_token, "token_type": "Bearer"})

    def userinfo(self, authorization: str) -> tuple[int, dict, str]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        return (200, {}, json.dumps(claims)) if claims else (401, {}, "")

    def jwks(self) -> tuple[int, dict, str]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True) | {"kid": "cle-1", "alg": "RS256", "use": "sig"}
        return 200, {}, json.dumps({"keys": [jwk]})

    def discovery(self) -> tuple[int, dict, str]:
        return 200, {}, json.dumps({
            "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token", "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks", "id_token_signing_alg_values_supported": ["RS256"],
        })

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, result):
                status, headers, body = result
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                routes = {
                    "/authorize": lambda: provider.authorize(query),
                    "/userinfo": lambda: provider.userinfo(self.headers.get("Authorization", "")),
                    "/jwks": provider.jwks,
                    "/.well-known/openid-configuration": provider.discovery,
                }
                self._reply(routes.get(url.path, lambda: (404, {}, ""))())

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                self._reply(provider.token(form) if self.path == "/token" else (404, {}, ""))

        return Handler
