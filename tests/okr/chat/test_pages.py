"""The settings page "Chat notifications": admins manage every hook, a team's lead that team's,
others 403, outsiders 404; bad input kept per field; test, turn off, remove; the audit log.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from conftest import client_for
from okr.models import ChatHook, ChatMessage
from tests.support.factories import TeamFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("okr:chat_hooks", args=["acme"])
URL = "https://hooks.slack.com/services/T1/B2/secretsecret9876"


def hook_urls(hook) -> list[tuple[str, str]]:
    code = hook.uuid
    return [
        ("post", reverse("okr:chat_hook_test", args=["acme", code])),
        ("post", reverse("okr:chat_hook_disable", args=["acme", code])),
        ("post", reverse("okr:chat_hook_delete", args=["acme", code])),
    ]


def test_an_admin_adds_an_organisation_hook_shown_masked(cast, queued):
    client = client_for(cast.admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chat notifications" in html and 'aria-current="page"' in html
    response = client.post(
        PAGE, {"kind": "slack", "url": URL, "team": "", "events": ["review.started"]}, follow=True
    )
    assert response.status_code == 200
    hook = ChatHook.objects.get()
    assert (hook.team, hook.kind, hook.events, hook.created_by) == (
        None,
        "slack",
        ["review.started"],
        cast.admin,
    )
    html = response.content.decode()
    assert "secretsecret" not in html and "…9876" in html
    created = AuditEvent.objects.get(action="chat_hook.created")
    assert created.actor == cast.admin and "secret" not in str(created.details)


def test_bad_input_is_kept_with_a_message_per_field(cast):
    response = client_for(cast.admin).post(
        PAGE, {"kind": "irc", "url": "ftp://x.example/hook", "team": "nope", "events": ["zzz"]}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"kind", "url", "team", "events"}
    assert 'value="ftp://x.example/hook"' in response.content.decode()
    assert not ChatHook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://10.0.0.7/hooks",
        "https://169.254.169.254/latest/meta-data",
        "http://93.184.216.34/hooks",  # plain http
        "https://user:pass@93.184.216.34/",
        "https:///nohost",
        "https://a b.example/",
        " ",
        "javascript:alert(1)",
    ],
)
def test_addresses_the_server_must_not_call_are_field_errors(cast, settings, url):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    settings.OUTBOUND_ALLOW_HTTP = False
    response = client_for(cast.admin).post(
        PAGE, {"kind": "teams", "url": url, "events": ["review.started"]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not ChatHook.objects.exists()


def test_a_team_lead_manages_only_their_teams_hooks(cast, make_hook):
    theirs = make_hook(team=cast.team)
    organisation_hook = make_hook("https://hooks.slack.com/services/org")
    client = client_for(cast.lead)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert str(theirs.uuid) in html and str(organisation_hook.uuid) not in html
    assert "The whole organisation" not in html.split("hook-new-heading")[1]
    # Without a team it is the organisation's hook, and another team's is not theirs: the
    # policy refuses both (403), as the API does.
    refused = client.post(PAGE, {"kind": "slack", "url": URL, "events": ["review.started"]})
    assert refused.status_code == 403
    other = TeamFactory(organisation=cast.org, name="Other team")
    data = {"kind": "slack", "url": URL, "team": str(other.uuid), "events": ["review.started"]}
    assert client.post(PAGE, data).status_code == 403
    assert not ChatHook.objects.filter(created_by=cast.lead).exists()
    made = client.post(
        PAGE,
        {"kind": "slack", "url": URL, "team": str(cast.team.uuid), "events": ["review.started"]},
    )
    assert made.status_code == 302
    for method, url in hook_urls(organisation_hook):
        assert getattr(client, method)(url).status_code == 403, url
    assert client.post(hook_urls(theirs)[1][1]).status_code == 302
    theirs.refresh_from_db()
    assert not theirs.active


@pytest.mark.parametrize("who", ["leader", "member"])
def test_others_are_refused(cast, make_hook, who):
    hook = make_hook()
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    for method, url in hook_urls(hook):
        assert getattr(client, method)(url).status_code == 403, url


def test_an_outsider_gets_404_everywhere(cast, make_hook):
    hook = make_hook()
    client = client_for(cast.outsider)
    assert client.get(PAGE).status_code == 404
    for method, url in hook_urls(hook):
        assert getattr(client, method)(url).status_code == 404, url
    # Even the admin of another organisation, through their own organisation's address.
    theirs = reverse("okr:chat_hook_delete", args=["other", hook.uuid])
    assert client.post(theirs).status_code == 404
    assert ChatHook.objects.filter(pk=hook.pk).exists()


def test_test_turn_off_and_remove(cast, make_hook, queued, django_capture_on_commit_callbacks):
    hook = make_hook()
    client = client_for(cast.admin)
    test, off, remove = (url for _method, url in hook_urls(hook))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(test).status_code == 302
        assert client.post(test).status_code == 302  # each test is a new message
    assert ChatMessage.objects.filter(hook=hook, event="test").count() == 2
    assert len(queued) == 2
    page = client.get(PAGE).content.decode()
    assert "A message is on its way." in page
    assert client.post(off).status_code == 302
    assert client.post(off).status_code == 302  # twice: changes nothing
    hook.refresh_from_db()
    assert not hook.active
    assert client.post(remove).status_code == 302
    assert not ChatHook.objects.exists() and not ChatMessage.objects.exists()
    kinds = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert kinds == ["chat_hook.created", "chat_hook.disabled", "chat_hook.deleted"]


def test_the_page_in_swedish(cast, make_hook):
    cast.org.language = "sv"
    cast.org.save(update_fields=["language"])
    make_hook()
    html = client_for(cast.admin).get(PAGE).content.decode()
    assert "Chattaviseringar" in html and "Skicka ett testmeddelande" in html
