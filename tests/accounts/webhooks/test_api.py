"""Signed webhooks in the API: add, list, read, change, rotate, test, the delivery log, delete;
the secret shown once (made, rotated) and the old one dead after a rotation; hostile values
400 with field errors and nothing written; admins only (others 403), outsiders 404.
"""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from accounts.webhooks import delivery, tasks
from accounts.webhooks import services as hooks
from tests.support.api import api, session_api, token_api
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db
URL = "https://hooks.example/okr"


@pytest.fixture(autouse=True)
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False  # as in production


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids queued after commit, instead of the broker."""
    found = []
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: found.extend(ids))
    return found


@pytest.fixture
def endpoint(cast):
    made, _secret = hooks.endpoint_create(
        organisation=cast.org, url=URL, events=["member.added"], author=cast.admin
    )
    return made


def urls(code) -> list[tuple[str, str]]:
    one = api("acme", f"webhooks/{code}/")
    return [
        ("get", api("acme", "webhooks/")),
        ("post", api("acme", "webhooks/")),
        ("get", one),
        ("patch", one),
        ("delete", one),
        ("post", one + "rotate/"),
        ("post", one + "test/"),
        ("get", one + "deliveries/"),
    ]


def rows() -> list:
    return list(
        WebhookEndpoint.objects.order_by("pk").values_list(
            "url", "events", "description", "active", "secret"
        )
    )


def test_an_admin_adds_lists_reads_changes_and_deletes(cast):
    admin = token_api(cast.admin, cast.org)
    made = admin.post(
        api("acme", "webhooks/"),
        {"url": URL, "events": ["quarter.closed", "member.added"], "description": " Intranät "},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    endpoint = WebhookEndpoint.objects.get(uuid=body["id"])
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_")
    assert body["url"] == URL and body["description"] == "Intranät" and body["active"] is True
    assert set(body["events"]) == {"quarter.closed", "member.added"}
    assert body["created_by"] == str(cast.admin.uuid)
    listed = admin.get(api("acme", "webhooks/")).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]] and listed["count"] == 1
    one = api("acme", f"webhooks/{body['id']}/")
    changed = admin.patch(one, {"events": ["member.removed"], "active": False})
    assert changed.status_code == 200, changed.content
    assert changed.json()["events"] == ["member.removed"] and changed.json()["active"] is False
    assert changed.json()["url"] == URL  # left out: unchanged
    audit = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_CHANGED)
    assert audit.actor == cast.admin and audit.details["active"] == {"old": True, "new": False}
    assert admin.delete(one).status_code == 204
    assert admin.get(one).status_code == 404
    assert not WebhookEndpoint.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Kind.WEBHOOK_DELETED).count() == 1


def test_turning_it_on_again_clears_the_failures(cast, endpoint):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, consecutive_failures=15, disabled_at="2026-03-02T09:30:00Z"
    )
    admin = session_api(cast.admin)
    one = api("acme", f"webhooks/{endpoint.uuid}/")
    off = admin.get(one).json()
    assert off["consecutive_failures"] == 15 and off["disabled_at"] is not None
    on = admin.patch(one, {"active": True})
    assert on.status_code == 200
    assert on.json()["consecutive_failures"] == 0 and on.json()["disabled_at"] is None


def test_the_secret_is_shown_once(cast):
    admin = token_api(cast.admin, cast.org)
    made = admin.post(api("acme", "webhooks/"), {"url": URL, "events": ["member.added"]})
    secret = made.json()["secret"]
    code = made.json()["id"]
    for answer in (
        admin.get(api("acme", "webhooks/")),
        admin.get(api("acme", f"webhooks/{code}/")),
        admin.patch(api("acme", f"webhooks/{code}/"), {"description": "Nytt namn"}),
    ):
        assert answer.status_code == 200
        assert secret not in answer.content.decode() and "secret" not in answer.json()
    created = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_CREATED)
    assert secret not in str(created.details)


def test_rotating_shows_the_new_secret_once_and_the_old_one_stops_signing(
    cast, settings, queued, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True  # the receiver is on 127.0.0.1
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    receiver = Receiver()
    try:
        admin = session_api(cast.admin)
        made = admin.post(api("acme", "webhooks/"), {"url": receiver.url, "events": ["ping"]})
        assert made.status_code == 400 and "events" in made.json()  # not a subscription
        made = admin.post(
            api("acme", "webhooks/"), {"url": receiver.url, "events": ["review.closed"]}
        )
        old, one = made.json()["secret"], api("acme", f"webhooks/{made.json()['id']}/")
        rotated = admin.post(one + "rotate/")
        assert rotated.status_code == 200, rotated.content
        new = rotated.json()["secret"]
        assert new.startswith("whsec_") and new != old
        assert rotated.json()["secret_rotated_at"] is not None
        assert WebhookEndpoint.objects.get().secret == new
        assert new not in admin.get(one).content.decode()
        assert AuditEvent.objects.filter(action=AuditEvent.Kind.WEBHOOK_SECRET_ROTATED).count() == 1
        for secret, verified in ((old, False), (new, True)):
            receiver.secret = secret
            with django_capture_on_commit_callbacks(execute=True):
                assert admin.post(one + "test/").status_code == 202
            delivery.attempt(queued[-1])
            assert receiver.posts[-1].verified is verified
    finally:
        receiver.close()


def test_the_test_event_is_queued_and_the_log_is_newest_first(
    cast, endpoint, queued, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    admin = token_api(cast.admin, cast.org)
    one = api("acme", f"webhooks/{endpoint.uuid}/")
    sent = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = admin.post(one + "test/")
        assert answer.status_code == 202, answer.content
        sent.append(answer.json())
    assert [d["type"] for d in sent] == ["ping"] * 3
    assert {d["state"] for d in sent} == {"pending"} and sent[0]["attempts"] == 0
    assert [WebhookDelivery.objects.get(pk=pk).uuid for pk in queued] == [
        WebhookEndpoint.objects.get().deliveries.get(uuid=d["id"]).uuid for d in sent
    ]
    admin.get(one + "deliveries/")
    with django_assert_max_num_queries(8):
        log = admin.get(one + "deliveries/").json()
    assert log["count"] == 3
    assert [d["id"] for d in log["results"]] == [d["id"] for d in reversed(sent)]
    paged = admin.get(one + "deliveries/", {"page_size": 2, "page": 2}).json()
    assert [d["id"] for d in paged["results"]] == [sent[0]["id"]]
    assert admin.get(one + "deliveries/", {"page_size": "x"}).status_code == 400
    # Another endpoint's log is its own.
    other, _secret = hooks.endpoint_create(
        organisation=cast.org, url=URL + "/2", events=["member.added"], author=cast.admin
    )
    assert admin.get(api("acme", f"webhooks/{other.uuid}/deliveries/")).json()["count"] == 0


HOSTILE_URLS = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://hooks.example/okr",  # not https
    "http://localhost:8000/hooks",  # only while developing
    "https://localhost/hooks",
    "https://127.0.0.1/hooks",
    "https://10.0.0.7/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/hooks",
    "https://user:pass@hooks.example/",
    "https://hooks.example/\x00",
    "https://hooks.example/\ud800",
    "https://hooks.example:99999999/",
    "https://" + "a" * 10_000 + ".example/",
    "https:///nohost",
    " ",
    "",
    "ftp://hooks.example/",
    None,
    42,
    ["https://hooks.example/"],
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_addresses_are_400_and_write_nothing(cast, endpoint, url):
    admin = token_api(cast.admin, cast.org)
    before, audited = rows(), AuditEvent.objects.count()
    made = admin.post(api("acme", "webhooks/"), {"url": url, "events": ["member.added"]})
    assert made.status_code == 400 and made.json()["url"], made.content
    changed = admin.patch(api("acme", f"webhooks/{endpoint.uuid}/"), {"url": url})
    assert changed.status_code == 400 and changed.json()["url"], changed.content
    assert rows() == before and AuditEvent.objects.count() == audited


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": URL, "events": []}, "events"),
        ({"url": URL, "events": ["nope"]}, "events"),
        ({"url": URL, "events": ["ping"]}, "events"),
        ({"url": URL, "events": "member.added"}, "events"),
        ({"url": URL, "events": [7]}, "events"),
        ({"url": URL, "events": ["member.added", "x" * 10_000]}, "events"),
        ({"url": URL}, "events"),
        ({"events": ["member.added"]}, "url"),
        ({"url": URL, "events": ["member.added"], "description": "x" * 201}, "description"),
        ({"url": URL, "events": ["member.added"], "description": "a\x00b"}, "description"),
        ({"url": URL, "events": ["member.added"], "description": 7}, "description"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_writes_nothing(cast, endpoint, body, field):
    admin = token_api(cast.admin, cast.org)
    before, audited = rows(), AuditEvent.objects.count()
    made = admin.post(api("acme", "webhooks/"), body)
    assert made.status_code == 400 and field in made.json(), made.content
    if field in body:  # the same value alone in a change (a field left out is unchanged)
        changed = admin.patch(api("acme", f"webhooks/{endpoint.uuid}/"), {field: body[field]})
        assert changed.status_code == 400 and field in changed.json(), changed.content
    assert rows() == before and AuditEvent.objects.count() == audited


@pytest.mark.parametrize("active", ["yes", 1, None, []])
def test_active_is_a_json_boolean(cast, endpoint, active):
    answer = session_api(cast.admin).patch(
        api("acme", f"webhooks/{endpoint.uuid}/"), {"active": active}
    )
    assert answer.status_code == 400 and "active" in answer.json()
    assert WebhookEndpoint.objects.get().active is True


@pytest.mark.parametrize("who", ["leader", "lead", "member"])
def test_other_members_get_403_and_change_nothing(cast, endpoint, queued, who):
    client = session_api(getattr(cast, who))
    before, audited = rows(), AuditEvent.objects.count()
    for method, url in urls(endpoint.uuid):
        if method in ("post", "patch"):
            answer = getattr(client, method)(url, {"url": URL + "/x", "events": ["member.added"]})
        else:
            answer = getattr(client, method)(url)
        assert answer.status_code == 403, (method, url, answer.status_code)
        assert "whsec_" not in answer.content.decode()
    assert rows() == before and AuditEvent.objects.count() == audited
    assert not WebhookDelivery.objects.exists() and queued == []


def test_an_outsider_gets_404_on_every_url(cast, endpoint, queued):
    outsider = session_api(cast.outsider)
    before = rows()
    for method, url in urls(endpoint.uuid):
        assert getattr(outsider, method)(url).status_code == 404, (method, url)
    # Their own organisation (where they are admin) does not find Acme's endpoint either.
    for method, url in urls(endpoint.uuid)[2:]:
        url = url.replace("/api/v1/acme/", "/api/v1/other/")
        assert getattr(outsider, method)(url).status_code == 404, (method, url)
    assert rows() == before and not WebhookDelivery.objects.exists()


def test_the_list_runs_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    for n in range(5):
        hooks.endpoint_create(
            organisation=cast.org, url=f"{URL}/{n}", events=["member.added"], author=cast.admin
        )
    admin = token_api(cast.admin, cast.org)
    admin.get(api("acme", "webhooks/"))
    with django_assert_max_num_queries(8):
        listed = admin.get(api("acme", "webhooks/")).json()
    assert listed["count"] == 5
    assert [e["url"] for e in listed["results"]] == [f"{URL}/{n}" for n in range(5)]
