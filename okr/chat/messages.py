"""What a chat message says, in the organisation's language, and its Slack or Teams body.

``render`` is called inside ``translation.override(organisation.language)`` by
``okr.chat.announce``: the text is written once, into the outbox, so every retry posts
the same body. Links are absolute (``SITE_URL``, as in the e-mails).
Slack takes ``{"text": ...}`` in its mrkdwn (``<url|label>`` links; ``&``, ``<`` and
``>`` escaped); Teams a MessageCard with a title, the text and an "open" button.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okr.models import ChatEvent, ChatHook


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    url: str
    link_label: str


def absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _reminder(review, organisation, count: int = 0, team: str = "") -> tuple[str, str, str]:
    day = _day(review.date)
    if team:
        text = ngettext(
            "%(count)d person in %(team)s was reminded to check in on their key results "
            "before the review on %(date)s.",
            "%(count)d people in %(team)s were reminded to check in on their key results "
            "before the review on %(date)s.",
            count,
        ) % {"count": count, "team": team, "date": day}
    else:
        text = ngettext(
            "%(count)d person was reminded to check in on their key results before the "
            "review on %(date)s.",
            "%(count)d people were reminded to check in on their key results before the "
            "review on %(date)s.",
            count,
        ) % {"count": count, "date": day}
    return _("Time to check in"), text, absolute("okr:my_check_ins", organisation.slug)


def _review(review, organisation) -> tuple[str, str, str]:
    title = _("The review of %(date)s has started") % {"date": _day(review.date)}
    text = _("See what moved since the last review, what is at risk, and the decisions.")
    return title, text, absolute("okr:review", organisation.slug, review.uuid)


def _approval_requested(objective, organisation, titles=(), team: str = ""):
    titles = list(titles) or [objective.title]
    title = _("%(team)s asks for approval") % {"team": team or _("A team")}
    text = ngettext(
        "%(count)d objective waits for leadership: %(titles)s",
        "%(count)d objectives wait for leadership: %(titles)s",
        len(titles),
    ) % {"count": len(titles), "titles": "; ".join(f"“{t}”" for t in titles)}
    return title, text, absolute("okr:approvals", organisation.slug)


def _approval_decided(objective, organisation, approved=True, comment="", team: str = ""):
    team = team or _("the team")
    if approved:
        title = _("Approved: %(title)s") % {"title": objective.title}
        text = _("Leadership approved this objective of %(team)s.") % {"team": team}
    else:
        title = _("Changes requested: %(title)s") % {"title": objective.title}
        text = _("Leadership asked %(team)s to change this objective: %(comment)s") % {
            "team": team,
            "comment": comment,
        }
    return title, text, absolute("okr:objective_detail", organisation.slug, objective.uuid)


def _at_risk(kr, organisation, verdict: str = "at_risk", objective: str = ""):
    if verdict == "off_track":
        title = _("Off track: %(title)s") % {"title": kr.title}
        text = _("After the latest check-in this key result of “%(objective)s” is off track.")
    else:
        title = _("At risk: %(title)s") % {"title": kr.title}
        text = _("After the latest check-in this key result of “%(objective)s” is at risk.")
    text = text % {"objective": objective}
    return title, text, absolute("okr:key_result_detail", organisation.slug, kr.uuid)


def _quarter_closed(cycle, organisation, scores: int = 0):
    title = _("%(quarter)s is closed") % {"quarter": cycle.label}
    text = _("Its scores are frozen: see how the quarter went and what to carry over.")
    return title, text, absolute("okr:quarter_close", organisation.slug)


def _test(hook, organisation):
    title = _("Test message from %(organisation)s") % {"organisation": organisation.name}
    text = _("Chat notifications about your OKRs will reach this channel.")
    return title, text, absolute("okr:chat_hooks", organisation.slug)


RENDERERS = {
    ChatEvent.CHECK_IN_REMINDER: _reminder,
    ChatEvent.REVIEW_STARTED: _review,
    ChatEvent.APPROVAL_REQUESTED: _approval_requested,
    ChatEvent.APPROVAL_DECIDED: _approval_decided,
    ChatEvent.KEY_RESULT_AT_RISK: _at_risk,
    ChatEvent.QUARTER_CLOSED: _quarter_closed,
    ChatEvent.TEST: _test,
}


def render(event: str, obj, organisation, **facts) -> Message:
    """The message of ``event`` about ``obj`` in the active language."""
    title, text, url = RENDERERS[ChatEvent(event)](obj, organisation, **facts)
    return Message(title, text, url, _("Open in OKR"))


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(kind: str, message: Message) -> dict:
    """The JSON body for a hook of ``kind`` (Slack or Teams)."""
    if kind == ChatHook.Kind.TEAMS:
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": message.title,
            "themeColor": "1F6F5C",
            "title": message.title,
            "text": message.text,
            "potentialAction": [
                {
                    "@type": "OpenUri",
                    "name": message.link_label,
                    "targets": [{"os": "default", "uri": message.url}],
                }
            ],
        }
    url = message.url.replace("|", "%7C").replace(">", "%3E")
    text = f"*{_slack_escape(message.title)}*\n{_slack_escape(message.text)}"
    return {"text": f"{text}\n<{url}|{_slack_escape(message.link_label)}>"}
