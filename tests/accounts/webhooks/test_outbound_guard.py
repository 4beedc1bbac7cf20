"""Webhooks and the outbound guard (accounts/outbound.py): endpoints on a private network are
form errors when saved, and refused again at send time (DNS rebinding), nothing posted.

The tests' receivers listen on 127.0.0.1, which the test settings allow; these tests turn
that off (``OUTBOUND_ALLOW_PRIVATE=False``), as in production.
"""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts import outbound, services
from accounts.models import Membership, WebhookDelivery, WebhookEndpoint
from accounts.webhooks import delivery, tasks
from accounts.webhooks import services as hooks
from conftest import client_for
from tests.support.html import marked_invalid, text_of
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State
PRIVATE = override_settings(OUTBOUND_ALLOW_PRIVATE=False)
LIST = reverse("settings:webhooks", args=["acme"])


@pytest.fixture(autouse=True)
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True  # the receiver is on http://127.0.0.1
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


def resolving(monkeypatch, address: str) -> None:
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 443))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@PRIVATE
@pytest.mark.parametrize("url", ["http://169.254.169.254/", "https://10.0.0.1/"])
def test_the_page_refuses_a_private_address_as_a_field_error(cast, url):
    response = client_for(cast.admin).post(LIST, {"url": url, "events": ["member.added"]})
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    page = text_of(response)
    assert marked_invalid(page, "url")
    assert f'value="{url}"' in page  # the typed value is kept
    assert not WebhookEndpoint.objects.exists()


@PRIVATE
@pytest.mark.parametrize("address", ["10.9.8.7", "127.0.0.1", "169.254.169.254"])
def test_a_host_name_resolving_privately_is_refused(cast, monkeypatch, address):
    resolving(monkeypatch, address)
    response = client_for(cast.admin).post(
        LIST, {"url": "https://hooks.acme.example/okr", "events": ["member.added"]}
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["url"]
    assert "hooks.acme.example" in error and address in error
    with pytest.raises(ValidationError) as refused:
        hooks.endpoint_create(
            organisation=cast.org,
            url="https://hooks.acme.example/okr",
            events=["member.added"],
            author=cast.admin,
        )
    assert refused.value.message_dict["url"]


@PRIVATE
def test_editing_an_endpoint_to_a_private_address_is_refused(cast, monkeypatch):
    resolving(monkeypatch, "93.184.215.14")
    endpoint, _secret = hooks.endpoint_create(
        organisation=cast.org,
        url="https://hooks.acme.example/okr",
        events=["member.added"],
        author=cast.admin,
    )
    url = reverse("settings:webhook", args=["acme", endpoint.uuid])
    data = {"url": "https://10.0.0.1/", "events": ["member.added"], "active": "on"}
    response = client_for(cast.admin).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert 'value="https://10.0.0.1/"' in text_of(response)
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.acme.example/okr"


@pytest.mark.parametrize("address", ["127.0.0.1", "::ffff:127.0.0.1"])
def test_delivery_refuses_a_host_rebound_to_a_private_address(
    cast, monkeypatch, django_capture_on_commit_callbacks, address
):
    """Saved while the name said public; at send time it says 127.0.0.1: nothing is posted,
    the attempt fails with the reason and is retried later like any other failure."""
    receiver = Receiver()
    try:
        port = receiver.server.server_address[1]
        queued = []
        monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: queued.extend(ids))
        with PRIVATE:
            resolving(monkeypatch, "93.184.215.14")
            endpoint, receiver.secret = hooks.endpoint_create(
                organisation=cast.org,
                url=f"https://rebind.acme.example:{port}/hooks",
                events=["member.removed"],
                author=cast.admin,
            )
            membership = Membership.objects.get(organisation=cast.org, user=cast.member)
            with django_capture_on_commit_callbacks(execute=True):
                services.membership_remove(membership=membership, author=cast.admin)
            resolving(monkeypatch, address)  # the rebinding
            done = delivery.attempt(queued[0])
        assert done.state == State.PENDING and done.last_status is None
        assert "BlockedAddress" in done.last_error and "127.0.0.1" in done.last_error
        assert receiver.posts == []
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 1
    finally:
        receiver.close()


def test_delivery_posts_to_the_receiver_when_private_is_allowed(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    """The same guarded opener, allowed (as in development and the tests): delivered."""
    receiver = Receiver()
    try:
        queued = []
        monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: queued.extend(ids))
        endpoint, receiver.secret = hooks.endpoint_create(
            organisation=cast.org, url=receiver.url, events=["member.removed"], author=cast.admin
        )
        membership = Membership.objects.get(organisation=cast.org, user=cast.member)
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_remove(membership=membership, author=cast.admin)
        assert delivery.attempt(queued[0]).state == State.DELIVERED
        [post] = receiver.posts
        assert post.verified
    finally:
        receiver.close()


def test_the_sender_uses_the_guarded_opener():
    handlers = {type(handler).__name__ for handler in delivery._OPENER.handlers}
    assert {"_GuardedHTTPHandler", "_GuardedHTTPSHandler", "_NoRedirects"} <= handlers
    assert outbound.refusal(OSError()) is None
