"""The guard on outbound requests to admin-typed URLs (accounts/outbound.py): SSRF.

Pure: addresses, schemes, credentials, IPv6 and IPv4 carried in IPv6, names that do not
resolve. Host names resolve through a patched ``socket.getaddrinfo`` (no network); the
send-time guard is tried against real sockets on 127.0.0.1, which it must refuse.
"""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.error
import urllib.request

import pytest
import requests
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from accounts import outbound

PUBLIC = "93.184.215.14"
STRICT = override_settings(OUTBOUND_ALLOW_PRIVATE=False, OUTBOUND_ALLOW_HTTP=False)

FORBIDDEN = [
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space (carrier NAT)
    "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "fec0::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 around 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 around 169.254.169.254
    "fe80::1%lo",
    "not an address",
]
ALLOWED = ["8.8.8.8", PUBLIC, "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


def resolving(monkeypatch, *addresses: str, fail: bool = False) -> list:
    """Every host name resolves to ``addresses`` (or not at all); the names asked are kept."""
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if fail:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (
                family[6 if ":" in address else 4],
                socket.SOCK_STREAM,
                6,
                "",
                (address, port or 0, 0, 0) if ":" in address else (address, port or 0),
            )
            for address in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def code_of(url: str) -> str | None:
    try:
        outbound.check_url(url)
    except ValidationError as exc:
        return exc.error_list[0].code
    return None


@pytest.mark.parametrize("address", FORBIDDEN)
def test_non_public_addresses_are_forbidden(address):
    assert outbound.forbidden_address(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert not outbound.forbidden_address(address)


@STRICT
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]:8443/hook",
        "https://[::ffff:169.254.169.254]/",
        "https://[fe80::1]/",
        "https://[fd00::5]/",
        "https://0.0.0.0/",
    ],
)
def test_literal_private_addresses_are_refused_without_dns(url, monkeypatch):
    asked = resolving(monkeypatch, PUBLIC)
    assert code_of(url) == "private_address"
    assert asked == []


@STRICT
def test_scheme_must_be_https(monkeypatch):
    resolving(monkeypatch, PUBLIC)
    for url in (
        "http://hooks.example/",
        "ftp://hooks.example/",
        "file:///etc/passwd",
        "gopher://x",
    ):
        assert code_of(url) == "scheme", url
    assert code_of("https://hooks.example/") is None
    with override_settings(OUTBOUND_ALLOW_HTTP=True):
        assert code_of("http://hooks.example/") is None
        assert code_of("ftp://hooks.example/") == "scheme"


@STRICT
def test_credentials_in_the_url_are_refused(monkeypatch):
    resolving(monkeypatch, PUBLIC)
    for url in (
        "https://user:pw@hooks.example/",
        "https://user@hooks.example/",
        "https://:pw@h.x/",
    ):
        assert code_of(url) == "credentials", url


@STRICT
def test_malformed_urls_are_invalid(monkeypatch):
    resolving(monkeypatch, PUBLIC)
    for url in ("https://", "https:///path", "https://hooks.example:99999/", "not a url", ""):
        assert code_of(url) in {"invalid", "scheme"}, url


@STRICT
def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch):
    asked = resolving(monkeypatch, PUBLIC, "10.1.2.3")
    with pytest.raises(ValidationError) as raised:
        outbound.check_url("https://Hooks.Example:8443/okr")
    assert raised.value.error_list[0].code == "private_address"
    assert "10.1.2.3" in raised.value.messages[0] and "hooks.example" in raised.value.messages[0]
    assert asked == ["hooks.example"]


@STRICT
@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:169.254.169.254", "fe80::1"])
def test_a_name_resolving_privately_is_refused(monkeypatch, address):
    resolving(monkeypatch, address)
    assert code_of("https://localhost.example/") == "private_address"


@STRICT
def test_a_name_resolving_publicly_is_allowed(monkeypatch):
    resolving(monkeypatch, PUBLIC, "2606:4700:4700::1111")
    outbound.check_url("https://hooks.example/okr?x=1")


@STRICT
def test_a_name_that_does_not_resolve_is_refused(monkeypatch):
    resolving(monkeypatch, fail=True)
    with pytest.raises(ValidationError) as raised:
        outbound.check_url("https://nowhere.invalid/")
    assert raised.value.error_list[0].code == "unresolvable"
    assert "nowhere.invalid" in raised.value.messages[0]
    resolving(monkeypatch)  # resolves to nothing at all
    assert code_of("https://nowhere.invalid/") == "unresolvable"


@STRICT
def test_numeric_host_spellings_are_resolved_and_refused(monkeypatch):
    # 2130706433 and 0x7f.1 are 127.0.0.1 to the resolver: they go through getaddrinfo.
    resolving(monkeypatch, "127.0.0.1")
    assert code_of("https://2130706433/") == "private_address"
    assert code_of("https://0x7f.1/") == "private_address"


@override_settings(OUTBOUND_ALLOW_PRIVATE=True, OUTBOUND_ALLOW_HTTP=True)
def test_allowing_private_skips_the_address_checks_but_not_the_rest(monkeypatch):
    asked = resolving(monkeypatch, fail=True)
    outbound.check_url("http://127.0.0.1:8000/hook")
    outbound.check_url("https://idp.invalid/")
    assert asked == []
    assert code_of("https://user:pw@127.0.0.1/") == "credentials"
    assert code_of("ftp://127.0.0.1/") == "scheme"


@STRICT
def test_messages_are_translated():
    with translation.override("sv"):
        try:
            outbound.check_url("https://10.0.0.1/")
        except ValidationError as exc:
            swedish = exc.messages[0]
    assert "10.0.0.1" in swedish
    assert swedish != str(outbound.MESSAGES["private_literal"]) % {"address": "10.0.0.1"}


# --- At send time: the connection checks the address it connects to ----------------------


class _Hello(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/away":
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.end_headers()
            return
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    do_POST = do_GET


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    httpd.hits = 0
    httpd.redirect_to = ""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_allowed_private_connections_go_through(server):
    with override_settings(OUTBOUND_ALLOW_PRIVATE=True, OUTBOUND_ALLOW_HTTP=True):
        url = f"http://127.0.0.1:{server.server_port}/"
        with outbound.guarded_opener().open(url, timeout=5) as response:
            assert response.status == 200 and response.read() == b"hello"
        with outbound.guarded_session() as session:
            assert session.get(url, timeout=5).text == "hello"
    assert server.hits == 2


@override_settings(OUTBOUND_ALLOW_PRIVATE=False, OUTBOUND_ALLOW_HTTP=True)
def test_a_name_rebound_to_loopback_is_refused_at_connect(server, monkeypatch):
    """Public when saved, 127.0.0.1 when sent (DNS rebinding): refused, nothing sent."""
    resolving(monkeypatch, PUBLIC)
    url = f"http://rebind.example:{server.server_port}/"
    outbound.check_url(url)  # as the form saw it
    resolving(monkeypatch, "127.0.0.1")
    with pytest.raises(urllib.error.URLError) as raised:
        outbound.guarded_opener().open(url, timeout=5)
    assert outbound.refusal(raised.value).address == "127.0.0.1"
    with pytest.raises(requests.ConnectionError) as raised, outbound.guarded_session() as session:
        session.get(url, timeout=5)
    blocked = outbound.refusal(raised.value)
    assert blocked is not None and blocked.host == "rebind.example"
    assert server.hits == 0


@override_settings(OUTBOUND_ALLOW_PRIVATE=False, OUTBOUND_ALLOW_HTTP=True)
def test_one_private_address_among_public_ones_refuses_the_connection(server, monkeypatch):
    resolving(monkeypatch, PUBLIC, "127.0.0.1")
    with pytest.raises(outbound.BlockedAddress):
        outbound.guarded_create_connection(("mixed.example", server.server_port), 5)
    assert server.hits == 0


@override_settings(OUTBOUND_ALLOW_PRIVATE=False, OUTBOUND_ALLOW_HTTP=True)
def test_each_redirect_hop_is_checked(server, monkeypatch):
    """A redirect from an allowed address to a forbidden one is refused at the second hop."""
    monkeypatch.setattr(outbound, "forbidden_address", lambda address: str(address) == "127.0.0.2")
    server.redirect_to = f"http://127.0.0.2:{server.server_port}/"
    with pytest.raises(requests.ConnectionError) as raised, outbound.guarded_session() as session:
        session.get(f"http://127.0.0.1:{server.server_port}/away", timeout=5)
    assert outbound.refusal(raised.value).address == "127.0.0.2"
    assert server.hits == 0


@STRICT
def test_plain_http_is_refused_at_send_time_when_not_allowed(server):
    url = f"http://127.0.0.1:{server.server_port}/"
    with pytest.raises(urllib.error.URLError):
        outbound.guarded_opener().open(url, timeout=5)
    with pytest.raises(requests.exceptions.InvalidURL), outbound.guarded_session() as session:
        session.get(url, timeout=5)
    assert server.hits == 0


def test_the_guarded_clients_ignore_proxy_settings(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    assert outbound.guarded_session().trust_env is False
    handlers = outbound.guarded_opener().handlers
    # urllib's default ProxyHandler (reading HTTPS_PROXY) is replaced by an empty one,
    # which has nothing to handle: no handler of the opener goes through a proxy.
    assert not any(isinstance(h, urllib.request.ProxyHandler) for h in handlers)
