"""The SSO tests' provider: a real OpenID Connect issuer process on 127.0.0.1 (one per module)."""

import pytest

from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider


@pytest.fixture(scope="module")
def oidc():
    provider = OidcProvider()
    yield provider
    provider.stop()


@pytest.fixture
def sso_org(cast, oidc):
    """Acme signs in acme.example through the provider (not required)."""
    from accounts.sso import services

    oidc.set(email="new@acme.example")
    services.sso_configure(
        organisation=cast.org,
        author=None,
        issuer=oidc.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        domains=["acme.example"],
        enabled=True,
        require_sso=False,
    )
    return cast.org


@pytest.fixture(autouse=True)
def _provider_behaves(oidc):
    """Each test starts with a provider that behaves (a test sets ``mode`` to misbehave)."""
    oidc.set(email="new@acme.example")
