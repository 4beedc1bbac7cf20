"""A small OpenID Connect provider, run as a process of its own on 127.0.0.1 for the SSO tests.

It serves what a real issuer serves: the discovery document, a JWKS with a real RSA
key, ``/authorize`` (approves the configured person at once and sends the browser back
with a code) and ``/token`` (checks the client's secret, the code, the redirect URI and
the PKCE verifier, then answers with an RS256-signed ID token carrying the nonce).

The test steers it through ``POST /_control`` (JSON): who signs in (``email``,
``email_verified``, ``name``) and how it misbehaves (``mode``):

- ``ok``: everything right;
- ``wrong_audience``, ``bad_signature`` (signed with another key under the same kid),
  ``expired``, ``wrong_nonce``: an ID token the app must refuse;
- ``issuer_mismatch``, ``not_json``, ``no_jwks``: a broken discovery document;
- ``deny``: ``/authorize`` sends the person back with ``error=access_denied``.

``python tests/support/oidc_provider.py --client-id ID --client-secret SECRET`` prints
its port on the first line and serves until killed. ``OidcProvider`` starts and stops
it for a test; the pytest fixture ``oidc_provider`` gives one per test module.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import subprocess
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CLIENT_ID = "okr-test-client"
CLIENT_SECRET = "s3cret-for-tests"


class Provider:
    def __init__(self, issuer: str, client_id: str, client_secret: str):
        from joserfc.jwk import RSAKey

        self.issuer, self.client_id, self.client_secret = issuer, client_id, client_secret
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid})
        self.codes: dict[str, dict] = {}
        self.control = {"mode": "ok", "email": "", "email_verified": True, "name": ""}
        self.log: list[dict] = []

    def discovery(self) -> dict:
        mode = self.control["mode"]
        document = {
            "issuer": "https://impostor.example" if mode == "issuer_mismatch" else self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
        }
        if mode == "no_jwks":
            del document["jwks_uri"]
        return document

    def id_token(self, grant: dict) -> str:
        from joserfc import jwt

        mode, now = self.control["mode"], int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": hashlib.sha256(self.control["email"].encode()).hexdigest()[:20],
            "aud": "someone-else" if mode == "wrong_audience" else self.client_id,
            "iat": now,
            "exp": now - 3600 if mode == "expired" else now + 300,
            "nonce": "not-the-nonce" if mode == "wrong_nonce" else grant["nonce"],
            "email": self.control["email"],
            "email_verified": self.control["email_verified"],
        }
        if self.control["name"]:
            claims["name"] = self.control["name"]
        key = self.other_key if mode == "bad_signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)


class Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format, *args):  # quiet
        pass

    def _send(self, status: int, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

    def do_GET(self):
        p = self.provider
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        p.log.append({"path": url.path, "query": query})
        if url.path == "/.well-known/openid-configuration":
            if p.control["mode"] == "not_json":
                return self._send(200, b"<html>Sign in</html>", "text/html")
            return self._send(200, p.discovery())
        if url.path == "/jwks":
            return self._send(200, {"keys": [p.key.as_dict(private=False)]})
        if url.path == "/authorize":
            return self._authorize(query)
        if url.path == "/_log":
            return self._send(200, p.log)
        return self._send(404, {"error": "not_found"})

    def _authorize(self, query: dict):
        p = self.provider
        if (
            query.get("client_id") != p.client_id
            or query.get("response_type") != "code"
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
            or "openid" not in query.get("scope", "").split()
        ):
            return self._send(400, {"error": "invalid_request"})
        target = query["redirect_uri"]
        if p.control["mode"] == "deny":
            answer = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(16)
            p.codes[code] = {
                "nonce": query.get("nonce", ""),
                "redirect_uri": target,
                "challenge": query["code_challenge"],
            }
            answer = {"code": code, "state": query.get("state", "")}
        separator = "&" if "?" in target else "?"
        location = target + separator + urllib.parse.urlencode(answer)
        return self._send(302, b"", "text/plain", {"Location": location})

    def do_POST(self):
        p = self.provider
        url = urllib.parse.urlsplit(self.path)
        form = self._form()
        p.log.append({"path": url.path, "form": {k: v for k, v in form.items() if k != "code"}})
        if url.path == "/_control":
            p.control.update(form)
            return self._send(200, p.control)
        if url.path != "/token":
            return self._send(404, {"error": "not_found"})
        client_id, secret = form.get("client_id"), form.get("client_secret")
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, secret = (urllib.parse.unquote(x) for x in decoded.partition(":"))
        if client_id != p.client_id or secret != p.client_secret:
            return self._send(401, {"error": "invalid_client"})
        grant = p.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return self._send(400, {"error": "invalid_grant"})
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._send(400, {"error": "invalid_grant", "error_description": "redirect"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if challenge.rstrip(b"=").decode() != grant["challenge"]:
            return self._send(400, {"error": "invalid_grant", "error_description": "pkce"})
        return self._send(
            200,
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": p.id_token(grant),
            },
        )


def serve(client_id: str, client_secret: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    Handler.provider = Provider(issuer, client_id, client_secret)
    print(server.server_address[1], flush=True)
    server.serve_forever()


class OidcProvider:
    """The provider process, for a test: ``issuer``, ``set(...)``, ``log()``, ``stop()``."""

    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id, self.client_secret = client_id, client_secret
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--client-id", client_id]
            + ["--client-secret", client_secret],
            stdout=subprocess.PIPE,
            text=True,
        )
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise RuntimeError("The OIDC provider did not start.")
        self.port = int(port)
        self.issuer = f"http://127.0.0.1:{self.port}"

    def set(self, **control) -> dict:
        """Who signs in and how the provider behaves (see the module's docstring)."""
        import requests

        defaults = {"mode": "ok", "email_verified": True, "name": ""}
        answer = requests.post(f"{self.issuer}/_control", json={**defaults, **control}, timeout=5)
        return answer.json()

    def log(self) -> list[dict]:
        import requests

        return requests.get(f"{self.issuer}/_log", timeout=5).json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def free_port() -> int:
    """A port nothing listens on (for "the provider is down")."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def through_provider(client, email: str, *, next_url: str = ""):
    """Sign in with SSO through the test client: the e-mail, the provider (real HTTP), back.

    Returns the app's answer to the provider's return, or to the e-mail form when it
    does not send the person on.
    """
    import requests

    response = client.post("/accounts/sso/", {"email": email, "next": next_url})
    if response.status_code != 200 or "url" not in (response.context or {}):
        return response
    answer = requests.get(response.context["url"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = urllib.parse.urlsplit(answer.headers["Location"])
    return client.get(f"{location.path}?{location.query}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    parser = argparse.ArgumentParser()
    parser.add_argument("--client-id", default=CLIENT_ID)
    parser.add_argument("--client-secret", default=CLIENT_SECRET)
    arguments = parser.parse_args()
    serve(arguments.client_id, arguments.client_secret)
