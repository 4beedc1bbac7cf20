"""Chat notifications: Slack and Microsoft Teams channels hear about an organisation's events.

``announce(organisation, event, obj, team=None)`` is the one function services call,
inside their transaction. It asks one indexed query (``chat_hook_org_idx``) for the
organisation's active hooks; when none takes the event, that is all it costs. Otherwise
it writes the message, in the organisation's language (``messages``), into the outbox:
one ``ChatMessage`` per (hook, event key), unique, so announcing the same event again
adds nothing. After commit each is queued (``tasks.deliver``); ``delivery`` claims,
posts, retries with backoff. The organisation's hooks take every event; a team's hook
the events about its team (``team``). ``events`` holds the calls of the features.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from okr.models import ChatEvent, ChatHook, ChatMessage

Event = ChatEvent

__all__ = ["Event", "announce", "hooks_for"]


def hooks_for(organisation_id: int, event: str) -> list[tuple[int, int | None, str]]:
    """(pk, team id, kind) of the organisation's active hooks that take ``event`` (1 query)."""
    rows = ChatHook.objects.filter(organisation_id=organisation_id, active=True).values_list(
        "pk", "team_id", "kind", "events"
    )
    return [(pk, team, kind) for pk, team, kind, events in rows if event in (events or [])]


def _organisation(organisation):
    from accounts.models import Organisation

    if isinstance(organisation, Organisation):
        return organisation
    return Organisation.objects.get(pk=organisation)


def announce(
    organisation,
    event: str,
    obj,
    team=None,
    *,
    key: str = "",
    facts: dict | None = None,
    only_team: bool = False,
    hooks: list | None = None,
) -> list[int]:
    """Queue ``event`` about ``obj`` for the organisation's hooks and ``team``'s; the message ids.

    ``key`` names the event (default ``"<event>:<obj.pk>"``): a hook gets one message per
    key, ever. ``facts`` go to the message's text (``messages.render``). ``only_team``:
    not the organisation's hooks (a team's own count). ``hooks``: ``hooks_for``'s answer
    when the caller already asked. Call it inside the service's transaction.
    """
    event = ChatEvent(event)
    organisation_id = getattr(organisation, "pk", organisation)
    rows = hooks_for(organisation_id, event) if hooks is None else hooks
    team_id = getattr(team, "pk", team)
    targets = [
        (pk, kind)
        for pk, hook_team, kind in rows
        if (hook_team is None and not only_team) or (hook_team is not None and hook_team == team_id)
    ]
    if not targets:
        return []
    from okr.chat import messages, tasks

    organisation = _organisation(organisation)
    with translation.override(organisation.language):
        message = messages.render(event, obj, organisation, **(facts or {}))
    key = (key or f"{event}:{obj.pk}")[:200]
    now = timezone.now()
    ChatMessage.objects.bulk_create(
        [
            ChatMessage(
                organisation_id=organisation_id,
                hook_id=pk,
                event=event,
                key=key,
                title=message.title[:300],
                payload=messages.payload(kind, message),
                next_attempt_at=now,
            )
            for pk, kind in targets
        ],
        ignore_conflicts=True,
    )
    ids = list(
        ChatMessage.objects.filter(
            hook_id__in=[pk for pk, _kind in targets], key=key, state=ChatMessage.State.PENDING
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: tasks.queue(ids), robust=True)
    return ids
