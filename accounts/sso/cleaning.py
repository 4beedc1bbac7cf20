"""What the SSO settings accept, for the page and the API alike. Pure, like ``accounts.cleaning``.

The issuer is an https URL (plain http only for this machine: ``localhost``,
``127.0.0.1``, ``[::1]``, for development and the tests' provider); the domains
are e-mail domains, written one a line or separated by commas or spaces.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from accounts.cleaning import Refused, check_text, shown

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_DOMAINS = 50

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_SEPARATORS = re.compile(r"[\s,;]+")


#: The API's exact rules, the same in its OpenAPI schema (``SsoWriteSerializer.schema_rules``)
#: and in the checks below, so the schema says precisely what the API takes. The pages
#: are kinder (they trim spaces, take an upper-case or international domain).
ISSUER_PATTERN = (
    r"^(https://[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
    r"|http://(localhost|127\.0\.0\.1))"
    r"(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(/[A-Za-z0-9._~-]+)*/?$"
)
CLIENT_ID_PATTERN = r"^[!-~]+$"
SECRET_PATTERN = r"^[^\u0000-\u001f\u007f]*$"
DOMAIN_PATTERN = r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$"
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _(text: str) -> str:
    return text


def matching(value: str, pattern: str, message: str) -> str:
    """``value`` if ``pattern`` (one of the patterns above) matches it, else :class:`Refused`.

    Matched as Python (and JSON Schema tools written in it) reads the pattern: its ``$``
    also matches before one last newline, which is then dropped.
    """
    if not isinstance(value, str) or not re.search(pattern, value):
        raise Refused(message)
    return value[:-1] if value.endswith("\n") else value


def check_issuer(value: str) -> str:
    """The issuer URL without a trailing slash, or :class:`Refused`."""
    check_text(value, max_length=500)
    url = value.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        raise Refused(
            _("Enter the provider's issuer URL, like https://login.example.com.")
        ) from None
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment:
        raise Refused(_("Enter the provider's issuer URL, like https://login.example.com."))
    if parts.username or parts.password:
        raise Refused(_("The issuer URL cannot contain a user name or password."))
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise Refused(_("The issuer URL must start with https://."), "https")
    return url


ISSUER_MESSAGE = _("Enter the provider's issuer URL, like https://login.example.com.")
CLIENT_ID_MESSAGE = _("The client id is letters, digits and punctuation, without spaces.")
SECRET_MESSAGE = _("The client secret cannot contain control characters (line breaks, tabs).")
DOMAIN_MESSAGE = _("Write each domain like example.com.")


def check_client_id(value: str) -> str:
    check_text(value, max_length=255)
    value = value.strip()
    if not value:
        raise Refused(_("Enter the client id the provider gave you."), "required")
    return matching(value, CLIENT_ID_PATTERN, CLIENT_ID_MESSAGE)


def check_client_secret(value: str) -> str:
    """The secret as given (not trimmed: it is compared byte for byte), without one last newline."""
    check_text(value, max_length=1000)
    value = value[:-1] if value.endswith("\n") else value
    if _CONTROL.search(value):
        raise Refused(SECRET_MESSAGE)
    return value


def check_domain(value: str) -> str:
    """One e-mail domain in lower case (``example.com``), or :class:`Refused`."""
    domain = value.strip().lower().lstrip("@").rstrip(".")
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        ascii_domain = ""
    if len(ascii_domain) > 253 or not _DOMAIN.match(ascii_domain):
        raise Refused(
            _("“%(value)s” is not an e-mail domain like example.com."),
            "domain",
            value=shown(value),
        )
    return ascii_domain


def check_domains(value) -> list[str]:
    """The domains of ``value`` (a list, or text one a line / comma-separated), sorted, unique."""
    if isinstance(value, str):
        check_text(value, max_length=5000)
        items = [item for item in _SEPARATORS.split(value) if item]
    elif isinstance(value, list | tuple):
        items = []
        for item in value:
            if not isinstance(item, str):
                raise Refused(_("Write each domain as text, like example.com."), "domain")
            check_text(item, max_length=253)
            items.append(item)
    else:
        raise Refused(_("Write each domain as text, like example.com."), "domain")
    domains = sorted({check_domain(item) for item in items})
    if len(domains) > MAX_DOMAINS:
        raise Refused(
            _("Name at most %(limit)d domains (this has %(count)d)."),
            "max_length",
            limit=MAX_DOMAINS,
            count=len(domains),
        )
    return domains


def email_domain(email: str) -> str:
    """The lower-case domain of an e-mail address ("" without one)."""
    _local, at, domain = (email or "").strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""
