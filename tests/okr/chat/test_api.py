"""Chat hooks in the API: add (the URL never shown whole), list, read, test, turn off, remove;
400 with field errors; team leads their teams' hooks; others 403; outsiders 404.
"""

from __future__ import annotations

import pytest

from okr.models import ChatHook, ChatMessage
from tests.support.api import api, session_api, token_api

pytestmark = pytest.mark.django_db
URL = "https://hooks.slack.com/services/T1/B2/secretsecret9876"


def test_an_admin_adds_lists_tests_turns_off_and_removes(cast, queued):
    admin = token_api(cast.admin, cast.org)
    made = admin.post(api("acme", "chat-hooks/"), {"kind": "slack", "url": URL})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["url_masked"] == "https://hooks.slack.com/…9876"
    assert "secret" not in made.content.decode()
    assert body["team"] is None and "review.started" in body["events"]
    listed = admin.get(api("acme", "chat-hooks/")).json()
    assert [h["id"] for h in listed["results"]] == [body["id"]]
    one = api("acme", f"chat-hooks/{body['id']}/")
    assert admin.get(one).json()["kind"] == "slack"
    tested = admin.post(one + "test/")
    assert tested.status_code == 202 and tested.json() == {"queued": 1}
    assert ChatMessage.objects.filter(event="test").count() == 1
    off = admin.post(one + "off/")
    assert off.status_code == 200 and off.json()["active"] is False
    assert admin.delete(one).status_code == 204
    assert admin.get(one).status_code == 404


def test_bad_input_is_400_with_field_errors(cast, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    admin = session_api(cast.admin)
    answer = admin.post(
        api("acme", "chat-hooks/"),
        {"kind": "irc", "url": 7, "team": "nope", "events": ["zzz"]},
    )
    assert answer.status_code == 400
    assert {"kind", "url", "team", "events"} <= set(answer.json())
    private = admin.post(
        api("acme", "chat-hooks/"), {"kind": "teams", "url": "https://10.1.2.3/hook"}
    )
    assert private.status_code == 400 and "url" in private.json()
    stranger = admin.post(
        api("acme", "chat-hooks/"),
        {"kind": "teams", "url": URL, "team": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
    )
    assert stranger.status_code == 400 and "team" in stranger.json()
    assert not ChatHook.objects.exists()


def test_a_team_lead_adds_and_sees_their_teams_hook_only(cast, make_hook):
    make_hook("https://hooks.slack.com/services/org")
    lead = session_api(cast.lead)
    refused = lead.post(api("acme", "chat-hooks/"), {"kind": "slack", "url": URL})
    assert refused.status_code == 403  # the organisation's hook: admins
    made = lead.post(
        api("acme", "chat-hooks/"), {"kind": "slack", "url": URL, "team": str(cast.team.uuid)}
    )
    assert made.status_code == 201 and made.json()["team"] == str(cast.team.uuid)
    listed = lead.get(api("acme", "chat-hooks/")).json()["results"]
    assert [h["id"] for h in listed] == [made.json()["id"]]


@pytest.mark.parametrize("who", ["leader", "member"])
def test_others_get_403(cast, make_hook, who):
    hook = make_hook()
    client = session_api(getattr(cast, who))
    assert client.get(api("acme", "chat-hooks/")).status_code == 403
    assert client.get(api("acme", f"chat-hooks/{hook.uuid}/")).status_code == 403
    assert client.post(api("acme", "chat-hooks/"), {"kind": "slack", "url": URL}).status_code == 403


def test_an_outsider_gets_404(cast, make_hook):
    hook = make_hook()
    outsider = session_api(cast.outsider)
    assert outsider.get(api("acme", "chat-hooks/")).status_code == 404
    assert outsider.delete(api("acme", f"chat-hooks/{hook.uuid}/")).status_code == 404
    assert outsider.get(api("other", f"chat-hooks/{hook.uuid}/")).status_code == 404
    assert ChatHook.objects.filter(pk=hook.pk).exists()
