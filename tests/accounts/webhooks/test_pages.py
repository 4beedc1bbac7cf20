"""The webhook settings pages: admins only (member 403, outsider 404), the secret shown once,
hostile addresses refused with form errors, the test event, the delivery log, delete.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from accounts.webhooks import services as hooks
from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False  # as in production


@pytest.fixture
def endpoint(cast):
    made, _secret = hooks.endpoint_create(
        organisation=cast.org,
        url="https://hooks.example/okr",
        events=["member.added"],
        author=cast.admin,
    )
    return made


def urls(endpoint) -> list[tuple[str, str]]:
    code = endpoint.uuid
    return [
        ("get", reverse("settings:webhooks", args=["acme"])),
        ("get", reverse("settings:webhook", args=["acme", code])),
        ("post", reverse("settings:webhook_rotate", args=["acme", code])),
        ("post", reverse("settings:webhook_test", args=["acme", code])),
        ("post", reverse("settings:webhook_delete", args=["acme", code])),
    ]


def test_admins_only(cast, endpoint):
    for method, url in urls(endpoint):
        assert getattr(client_for(cast.outsider), method)(url).status_code == 404, url
        for user in (cast.leader, cast.member):
            assert getattr(client_for(user), method)(url).status_code == 403, url
    # Another organisation's endpoint is not found, even by its admin.
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk, secret=endpoint.secret).exists()
    theirs = reverse("settings:webhook", args=["other", endpoint.uuid])
    assert client_for(cast.outsider).get(theirs).status_code == 404


def test_adding_shows_the_secret_once(cast):
    client = client_for(cast.admin)
    response = client.post(
        reverse("settings:webhooks", args=["acme"]),
        {"url": "https://hooks.example/a", "events": ["member.added", "quarter.closed"]},
    )
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get(organisation=cast.org)
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == ["quarter.closed", "member.added"] or set(endpoint.events) == {
        "quarter.closed",
        "member.added",
    }
    again = client.get(reverse("settings:webhook", args=["acme", endpoint.uuid]))
    assert again.status_code == 200 and endpoint.secret not in again.content.decode()
    created = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_CREATED)
    assert created.actor == cast.admin and "secret" not in str(created.details)


def test_rotating_shows_the_new_secret_once(cast, endpoint):
    old = endpoint.secret
    response = client_for(cast.admin).post(
        reverse("settings:webhook_rotate", args=["acme", endpoint.uuid])
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in response.content.decode()


HOSTILE = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://hooks.example/okr",  # not https
    "http://localhost:8000/hooks",  # only while developing
    "https://localhost/hooks",
    "https://127.0.0.1/hooks",
    "https://10.0.0.7/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://user:pass@hooks.example/",
    "https://hooks.example/\x00",
    "https://hooks.example:99999999/",
    "https://" + "a" * 10_000 + ".example/",
    "https:///nohost",
    " ",
    "ftp://hooks.example/",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_addresses_are_form_errors(cast, url):
    response = client_for(cast.admin).post(
        reverse("settings:webhooks", args=["acme"]), {"url": url, "events": ["member.added"]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", [*HOSTILE, "https://hooks.example/\ud800", None, 42])
def test_the_service_refuses_them_too(cast, url):
    with pytest.raises(ValidationError) as refused:
        hooks.endpoint_create(
            organisation=cast.org, url=url, events=["member.added"], author=cast.admin
        )
    assert refused.value.message_dict["url"]


@pytest.mark.parametrize("events", [[], ["nope"], ["ping"], ["member.added", "x" * 10_000]])
def test_events_must_be_known(cast, events):
    response = client_for(cast.admin).post(
        reverse("settings:webhooks", args=["acme"]),
        {"url": "https://hooks.example/a", "events": events},
    )
    assert response.status_code == 400 and response.context["form"].errors["events"]


def test_editing_and_turning_off(cast, endpoint):
    client = client_for(cast.admin)
    url = reverse("settings:webhook", args=["acme", endpoint.uuid])
    response = client.post(url, {"url": "https://hooks.example/new", "events": ["member.removed"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        "https://hooks.example/new",
        ["member.removed"],
        False,
    )
    changed = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_CHANGED)
    assert changed.details["active"] == {"old": True, "new": False}
    bad = client.post(url, {"url": "javascript:x", "events": ["member.removed"]})
    assert bad.status_code == 400 and bad.context["form"].errors["url"]


def test_test_event_and_the_delivery_log(cast, endpoint, django_assert_max_num_queries):
    client = client_for(cast.admin)
    for _ in range(3):
        client.post(reverse("settings:webhook_test", args=["acme", endpoint.uuid]))
    assert WebhookDelivery.objects.filter(endpoint=endpoint, event__type="ping").count() == 3
    url = reverse("settings:webhook", args=["acme", endpoint.uuid])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('<th scope="row">ping</th>') == 3


def test_delete(cast, endpoint):
    response = client_for(cast.admin).post(
        reverse("settings:webhook_delete", args=["acme", endpoint.uuid])
    )
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    deleted = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_DELETED)
    assert deleted.target_label == "https://hooks.example/okr"


def test_the_list_page_runs_a_bounded_number_of_queries(
    cast, endpoint, django_assert_max_num_queries
):
    client = client_for(cast.admin)
    client.get(reverse("settings:webhooks", args=["acme"]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("settings:webhooks", args=["acme"]))
    assert "https://hooks.example/okr" in response.content.decode()
