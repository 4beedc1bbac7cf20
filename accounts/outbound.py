"""The guard on requests the server makes to addresses that organisation admins type (SSRF).

An admin enters URLs the server then calls: an OpenID Connect issuer (and the token and
key-set endpoints its discovery document names), a signed-webhook endpoint, a chat
incoming-webhook URL. None of them may point the server at itself or its network:
loopback (127.0.0.1, ::1), private ranges (10/8, 172.16/12, 192.168/16, fc00::/7),
link-local (169.254/16 with the cloud metadata service, fe80::/10), shared, multicast,
reserved and unspecified addresses, nor IPv6 forms carrying such an IPv4 address
(IPv4-mapped ``::ffff:a.b.c.d``, 6to4, Teredo). Two checks, both needed:

``check_url(url)``
    When the URL is saved (forms, API serializers): https (http too with
    ``OUTBOUND_ALLOW_HTTP``), no user name or password in it, and every address its host
    resolves to is public. Raises ``ValidationError`` with code ``scheme``,
    ``credentials``, ``invalid``, ``private_address`` or ``unresolvable``.
    ``check_scheme(url)`` is its first half (no DNS): scheme, host, credentials.

``guarded_opener()`` / ``guarded_session()``
    When the request is sent. A host can resolve to a public address when the URL is
    saved and to 127.0.0.1 a second later (DNS rebinding), and a redirect can point
    anywhere. The connections these make resolve the host, check *every* address, and
    connect to the checked address itself (TLS still verifies the certificate against the
    host name), so nothing resolves twice. A refused address raises
    :class:`BlockedAddress` (an ``OSError``): urllib wraps it in ``URLError``, requests
    in ``ConnectionError``; ``refusal(exc)`` finds it in either. Neither follows proxy
    settings from the environment (the proxy's address would be the one checked).
    ``guarded_opener()`` is a urllib opener that does not follow redirects;
    ``guarded_session()`` a ``requests.Session`` (or pass your own to ``guard_session``,
    e.g. Authlib's ``OAuth2Session``), whose redirects are checked hop by hop.

Settings: ``OUTBOUND_ALLOW_PRIVATE`` (True under DEBUG and in the tests, whose identity
provider and receivers run on 127.0.0.1) turns the address checks off;
``OUTBOUND_ALLOW_HTTP`` allows plain http. Production leaves both False.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from urllib3.connection import HTTPConnection as Urllib3HTTPConnection
from urllib3.connection import HTTPSConnection as Urllib3HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

__all__ = [
    "BlockedAddress",
    "check_scheme",
    "check_url",
    "forbidden_address",
    "guard_session",
    "guarded_opener",
    "guarded_session",
    "refusal",
]

MESSAGES = {
    "scheme": _("Enter an address that starts with https://."),
    "scheme_http": _("Enter an address that starts with https:// or http://."),
    "credentials": _(
        "Leave the user name and password out of the address; they would be sent in clear."
    ),
    "invalid": _("Enter a complete web address, such as https://example.com/path."),
    "private_address": _(
        "%(host)s points to a private or internal network address (%(address)s). "
        "Only addresses on the public internet can be used."
    ),
    "private_literal": _(
        "%(address)s is a private or internal network address. "
        "Only addresses on the public internet can be used."
    ),
    "unresolvable": _("The host name %(host)s could not be found (DNS)."),
}


def allow_private() -> bool:
    return bool(getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False))


def allow_http() -> bool:
    return bool(getattr(settings, "OUTBOUND_ALLOW_HTTP", False))


class BlockedAddress(OSError):
    """A connection was refused because its address is not on the public internet."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} resolves to the non-public address {address}")
        self.host = host
        self.address = address


def forbidden_address(address) -> bool:
    """True for any address that is not plainly on the public internet (or not an address)."""
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
        except ValueError:
            return True
    if address.version == 6 and address.ipv4_mapped is not None:
        return forbidden_address(address.ipv4_mapped)  # ::ffff:a.b.c.d is a.b.c.d
    if address.version == 6:
        embedded = [address.sixtofour]
        if address.teredo:
            embedded.extend(address.teredo)
        if any(inner is not None and forbidden_address(inner) for inner in embedded):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (address.version == 6 and address.is_site_local)
    )


def _resolve(host: str, port: int | None) -> list[tuple]:
    """getaddrinfo's stream results for ``host``; socket.gaierror when it has none."""
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:  # a name IDNA cannot encode
        raise socket.gaierror(socket.EAI_NONAME, str(exc)) from None


def _error(code: str, message: str = "", **params) -> ValidationError:
    return ValidationError(MESSAGES[message or code], code=code, params=params or None)


def check_scheme(url: str):
    """Scheme, host and credentials (no DNS); the parsed URL. Raises ValidationError."""
    try:
        parts = urlsplit(str(url).strip())
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        raise _error("invalid") from None
    schemes = ("https", "http") if allow_http() else ("https",)
    if parts.scheme.lower() not in schemes:
        raise _error("scheme", "scheme_http" if allow_http() else "scheme")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _error("credentials")
    if not parts.hostname:
        raise _error("invalid")
    return parts


def check_url(url: str) -> None:
    """Refuse (ValidationError) a URL the server must not call; see the module's doc."""
    parts = check_scheme(url)
    if allow_private():
        return
    host = parts.hostname
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        literal = None
    if literal is not None:
        if forbidden_address(literal):
            raise _error("private_address", "private_literal", address=str(literal))
        return
    try:
        results = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, ValueError):
        raise _error("unresolvable", host=host) from None
    if not results:
        raise _error("unresolvable", host=host)
    for *_rest, sockaddr in results:
        if forbidden_address(sockaddr[0]):
            raise _error("private_address", host=host, address=sockaddr[0])


def guarded_create_connection(
    address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, socket_options=None
):
    """``socket.create_connection``, but every resolved address is checked first and the
    socket connects to a checked address (never resolving the name a second time)."""
    host, port = address
    results = _resolve(host, port)
    if not allow_private():
        for *_rest, sockaddr in results:
            if forbidden_address(sockaddr[0]):
                raise BlockedAddress(host, sockaddr[0])
    error = None
    for family, kind, proto, _name, sockaddr in results:
        sock = None
        try:
            sock = socket.socket(family, kind, proto)
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            if sock is not None:
                sock.close()
    raise error or OSError(f"getaddrinfo returned nothing for {host}")


# --- urllib ------------------------------------------------------------------------------


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_create_connection


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_create_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        if not allow_http():
            raise urllib.error.URLError("Only https addresses are allowed (OUTBOUND_ALLOW_HTTP).")
        return self.do_open(GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(GuardedHTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to go to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def guarded_opener() -> urllib.request.OpenerDirector:
    """A urllib opener whose connections check their address at connect time; no proxies
    from the environment and no redirects (a 3xx is returned as an ``HTTPError``)."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _NoRedirects,
        _GuardedHTTPHandler,
        _GuardedHTTPSHandler,
    )


# --- requests ----------------------------------------------------------------------------


class _GuardedNewConn:
    def _new_conn(self) -> socket.socket:
        try:
            return guarded_create_connection(
                (self._dns_host, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc


class _GuardedUrllib3HTTPConnection(_GuardedNewConn, Urllib3HTTPConnection):
    pass


class _GuardedUrllib3HTTPSConnection(_GuardedNewConn, Urllib3HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedUrllib3HTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedUrllib3HTTPSConnection


class GuardedAdapter(requests.adapters.HTTPAdapter):
    """Checks each request's scheme (every redirect hop too) and its address at connect."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }

    def send(self, request, *args, **kwargs):
        try:
            check_scheme(request.url)
        except ValidationError as exc:
            raise requests.exceptions.InvalidURL(exc.messages[0], request=request) from exc
        return super().send(request, *args, **kwargs)


def guard_session(session: requests.Session) -> requests.Session:
    """Mount the guard on ``session`` (any requests.Session, e.g. Authlib's)."""
    session.trust_env = False  # no proxies from the environment
    adapter = GuardedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def guarded_session() -> requests.Session:
    return guard_session(requests.Session())


def refusal(exc: BaseException) -> BlockedAddress | None:
    """The BlockedAddress behind ``exc`` (URLError, requests' ConnectionError), if any."""
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, BlockedAddress):
            return current
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(current.args)
    return None
