"""Talking to an organisation's OpenID Connect provider (Authlib and joserfc).

``discover`` reads and checks the discovery document; ``authorization_url`` starts the
authorization code flow (PKCE S256, ``state`` and ``nonce``); ``exchange`` trades the
code for tokens and ``verify_id_token`` checks the ID token's RS256 signature against
the provider's JWKS and its ``iss``, ``aud``, ``exp`` and ``nonce``.

Everything that can go wrong with a provider raises :class:`ProviderProblem`: a code,
and a translatable message with its values for the admin. Nothing here lets a
misconfigured or unreachable provider become a 500.

Every request goes through ``accounts.outbound``: the issuer and the token and key-set
endpoints its discovery document names are checked (public https addresses only), and
the connection checks its address again when it connects (DNS rebinding, redirects).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from accounts import outbound

log = logging.getLogger(__name__)
_UNSTORABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")

TIMEOUT = 8  # seconds for each request to the provider
SCOPE = "openid email profile"
ALGORITHMS = ["RS256"]
LEEWAY = 60  # seconds of clock difference allowed for exp / iat
MAX_DOCUMENT = 512 * 1024

MESSAGES = {
    "unreachable": _("The provider could not be reached at %(url)s (%(reason)s)."),
    "http_status": _("The provider answered %(url)s with HTTP status %(status)s."),
    "address_private": _(
        "The address %(url)s leads to a private or internal network address (%(address)s). "
        "The server only connects to providers on the public internet."
    ),
    "address_refused": _(
        "The address %(url)s cannot be used: the server only connects to https addresses "
        "without a user name or password in them."
    ),
    "not_json": _("The provider's answer at %(url)s is not a JSON document."),
    "issuer_mismatch": _(
        "The discovery document names the issuer “%(found)s”, but the issuer set here is "
        "“%(expected)s”. They must be the same."
    ),
    "missing": _("The discovery document has no “%(field)s”."),
    "no_rs256": _(
        "The provider does not sign ID tokens with RS256 (it offers: %(found)s). "
        "Choose RS256 for this client at the provider."
    ),
    "no_keys": _("The provider's key set at %(url)s holds no usable signing key."),
    "no_secret": _("No client secret is set. Enter the one the provider gave you."),
    "secret_unreadable": _(
        "The stored client secret can no longer be read (the server's secret key changed). "
        "Enter it again."
    ),
    "token_refused": _("The provider refused to exchange the sign-in code: %(error)s."),
    "no_id_token": _("The provider's answer holds no ID token (is the scope openid allowed?)."),
    "bad_signature": _("The ID token's signature does not match the provider's keys."),
    "expired": _("The ID token has expired (are the clocks of the two servers right?)."),
    "bad_claim": _("The ID token's claim “%(claim)s” is wrong for this client."),
    "missing_claim": _("The ID token has no claim “%(claim)s”."),
    "bad_token": _("The ID token could not be read: %(reason)s."),
    "no_email": _(
        "The ID token has no e-mail address. Allow the scope email for this client at the provider."
    ),
    "email_unverified": _(
        "The provider does not say the e-mail address %(email)s is verified "
        "(the claim email_verified is not true)."
    ),
}


class ProviderProblem(Exception):
    """The provider is unreachable, misconfigured or sent something that does not verify."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = {key: str(value)[:300] for key, value in params.items()}

    @property
    def message(self) -> str:
        """For the admin, in the active language."""
        template = MESSAGES.get(self.code, MESSAGES["bad_token"])
        return str(template) % self.params if self.params else str(template)


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


def checked_url(url: str) -> str:
    """``url`` if the server may connect to it (``accounts.outbound``), else the problem."""
    try:
        outbound.check_url(url)
    except ValidationError as exc:
        code = exc.error_list[0].code
        if code == "private_address":
            raise ProviderProblem(
                "address_private", url=url, address=exc.error_list[0].params["address"]
            ) from None
        if code == "unresolvable":
            raise ProviderProblem("unreachable", url=url, reason="DNS") from None
        raise ProviderProblem("address_refused", url=url) from None
    return url


def _connection_problem(url: str, exc: BaseException) -> ProviderProblem:
    """What a failed request says: refused by the guard at connect time, or unreachable."""
    blocked = outbound.refusal(exc)
    if blocked is not None:
        return ProviderProblem("address_private", url=url, address=blocked.address)
    if isinstance(exc, requests.exceptions.InvalidURL):  # a redirect to plain http
        return ProviderProblem("address_refused", url=url)
    return ProviderProblem("unreachable", url=url, reason=type(exc).__name__)


def _get_json(url: str) -> dict:
    checked_url(url)
    try:
        with outbound.guarded_session() as session:
            response = session.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise _connection_problem(url, exc) from None
    if response.status_code != 200:
        raise ProviderProblem("http_status", url=url, status=response.status_code)
    if len(response.content) > MAX_DOCUMENT:
        raise ProviderProblem("not_json", url=url)
    try:
        data = response.json()
    except ValueError:
        raise ProviderProblem("not_json", url=url) from None
    if not isinstance(data, dict):
        raise ProviderProblem("not_json", url=url)
    return data


def discover(issuer: str) -> Discovery:
    """The provider's discovery document, checked: same issuer, the endpoints, RS256."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    document = _get_json(url)
    found = document.get("issuer")
    if not isinstance(found, str) or found.rstrip("/") != issuer.rstrip("/"):
        raise ProviderProblem("issuer_mismatch", found=found or "", expected=issuer)
    endpoints = {}
    for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(field)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise ProviderProblem("missing", field=field)
        endpoints[field] = value
    # The server calls these two itself (the browser goes to the authorization endpoint).
    checked_url(endpoints["token_endpoint"])
    checked_url(endpoints["jwks_uri"])
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    if not isinstance(algorithms, list) or "RS256" not in algorithms:
        raise ProviderProblem("no_rs256", found=", ".join(map(str, algorithms))[:100])
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Discovery(
        issuer=found,
        token_auth_methods=tuple(m for m in methods if isinstance(m, str)),
        **endpoints,
    )


def key_set(discovery: Discovery) -> KeySet:
    data = _get_json(discovery.jwks_uri)
    try:
        keys = KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderProblem("no_keys", url=discovery.jwks_uri) from None
    if not any(key.key_type == "RSA" for key in keys):
        raise ProviderProblem("no_keys", url=discovery.jwks_uri)
    return keys


def check(issuer: str) -> Discovery:
    """The admin's "test the provider": discovery and keys, or the problem."""
    discovery = discover(issuer)
    key_set(discovery)
    return discovery


def _session(client_id: str, client_secret: str, redirect_uri: str, discovery=None):
    method = "client_secret_basic"
    methods = discovery.token_auth_methods if discovery is not None else ()
    if methods and "client_secret_basic" not in methods and "client_secret_post" in methods:
        method = "client_secret_post"
    session = OAuth2Session(
        client_id,
        client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=method,
    )
    return outbound.guard_session(session)


def authorization_url(
    discovery: Discovery,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    nonce: str,
    code_verifier: str,
    login_hint: str = "",
) -> str:
    extra = {"login_hint": login_hint} if login_hint else {}
    session = _session(client_id, "", redirect_uri)
    url, _state = session.create_authorization_url(
        discovery.authorization_endpoint,
        state=state,
        code_verifier=code_verifier,
        nonce=nonce,
        **extra,
    )
    return url


def exchange(
    discovery: Discovery,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
) -> str:
    """The ID token (compact JWT) for ``code``."""
    session = _session(client_id, client_secret, redirect_uri, discovery)
    checked_url(discovery.token_endpoint)
    try:
        token = session.fetch_token(
            discovery.token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise _connection_problem(discovery.token_endpoint, exc) from None
    except AuthlibBaseError as exc:
        raise ProviderProblem("token_refused", error=exc.error or type(exc).__name__) from None
    except (ValueError, TypeError, KeyError, AttributeError):  # not JSON, or not a token
        raise ProviderProblem("not_json", url=discovery.token_endpoint) from None
    id_token = token.get("id_token") if isinstance(token, dict) else None
    if not isinstance(id_token, str) or not id_token:
        raise ProviderProblem("no_id_token")
    return id_token


def verify_id_token(
    id_token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str
) -> dict:
    """The ID token's claims, once its signature and claims are checked."""
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except BadSignatureError:
        raise ProviderProblem("bad_signature") from None
    except (JoseError, ValueError, TypeError) as exc:
        raise ProviderProblem("bad_token", reason=type(exc).__name__) from None
    issuers = list({issuer, issuer.rstrip("/"), issuer.rstrip("/") + "/"})
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "values": issuers},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    claims = token.claims
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise ProviderProblem("expired") from None
    except MissingClaimError as exc:
        raise ProviderProblem("missing_claim", claim=getattr(exc, "claim", "?")) from None
    except InvalidClaimError as exc:
        raise ProviderProblem("bad_claim", claim=getattr(exc, "claim", "?")) from None
    except JoseError as exc:
        raise ProviderProblem("bad_token", reason=type(exc).__name__) from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise ProviderProblem("bad_claim", claim="azp")
    return claims


def verified_email(claims: dict) -> str:
    """The e-mail address the provider vouches for, lower case."""
    email = claims.get("email")
    if not isinstance(email, str) or _UNSTORABLE.search(email):
        raise ProviderProblem("no_email")
    try:
        validate_email(email)
    except (ValidationError, TypeError):
        raise ProviderProblem("no_email") from None
    if claims.get("email_verified") is not True:
        raise ProviderProblem("email_unverified", email=email)
    return email.strip().lower()
