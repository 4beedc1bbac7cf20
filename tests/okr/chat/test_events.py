"""Each event reaches each hook exactly once, in the organisation's language, from the service
that does the thing: a review starting, approvals requested and decided, a key result turning
at risk, a quarter closed, check-in reminders. Team hooks get their team's events only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okr.closing import services as closing
from okr.lib import calendar
from okr.models import ChatMessage
from okr.objectives import services as objectives
from okr.reminders import services as reminders
from okr.reviews import services as reviews
from okr.workshop import services as workshop
from tests.support.factories import (
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    year_and_quarter,
)
from tests.support.reviews import build

pytestmark = pytest.mark.django_db


def speak(org, language):
    org.language = language
    org.save(update_fields=["language"])


def messages(event, hook=None):
    rows = ChatMessage.objects.filter(event=event).order_by("pk")
    return list(rows.filter(hook=hook) if hook is not None else rows)


def expected(language, text, **values):
    with translation.override(language):
        return _(text) % values


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_review_starting_is_told_once_in_the_organisations_language(cast, make_hook, language):
    speak(cast.org, language)
    make_hook()
    day = calendar.today(cast.org) + timedelta(days=3)
    review = reviews.review_create(organisation=cast.org, day=day, user=cast.leader)
    reviews.review_start(organisation=cast.org, day=day, user=cast.leader)  # again: idempotent
    [message] = messages("review.started")
    with translation.override(language):
        title = _("The review of %(date)s has started") % {
            "date": formats.date_format(day, "DATE_FORMAT")
        }
    assert message.title == title
    assert ("has started" in title) == (language == "en")
    link = f"{settings.SITE_URL}/acme/reviews/{review.uuid}/"
    assert f"<{link}|" in message.payload["text"]


@pytest.fixture
def team_world(cast, make_hook):
    quarter = year_and_quarter(cast.org)[1]
    other = TeamFactory(organisation=cast.org, name="Ekonomi")
    hooks = {
        "org": make_hook(),
        "growth": make_hook("https://hooks.slack.com/services/growth", team=cast.team),
        "other": make_hook("https://hooks.slack.com/services/other", team=other),
    }
    return quarter, other, hooks


def draft(org, quarter, team, title):
    objective = ObjectiveFactory(
        organisation=org, cycle=quarter, level="team", team=team, title=title, status="draft"
    )
    KeyResultFactory(objective=objective, title=f"{title} KR", kind="milestone")
    return objective


@pytest.mark.parametrize("language", ["sv", "en"])
def test_approvals_requested_and_decided_reach_the_org_and_the_teams_hooks(
    cast, team_world, language
):
    speak(cast.org, language)
    quarter, _other, hooks = team_world
    objective = draft(cast.org, quarter, cast.team, "Fler kunder i Norge")
    workshop.objective_submit(
        organisation=cast.org, team=cast.team, cycle=quarter, author=cast.lead
    )
    workshop.objective_request_changes(objective=objective, author=cast.leader, comment="Mät det")
    workshop.objective_submit(
        organisation=cast.org, team=cast.team, cycle=quarter, author=cast.lead
    )
    workshop.objective_approve(objective=objective, author=cast.leader)
    for name in ("org", "growth"):
        assert len(messages("approval.requested", hooks[name])) == 2  # two submissions
        sent_back, approved = messages("approval.decided", hooks[name])
        assert sent_back.title == expected(
            language, "Changes requested: %(title)s", title=objective.title
        )
        assert "Mät det" in sent_back.payload["text"]
        assert approved.title == expected(language, "Approved: %(title)s", title=objective.title)
    assert messages("approval.requested", hooks["other"]) == []
    asked = messages("approval.requested", hooks["org"])[0]
    assert asked.title == expected(language, "%(team)s asks for approval", team="Growth")
    assert "“Fler kunder i Norge”" in asked.payload["text"]


def approved_metric(org, quarter, team, owner):
    objective = ObjectiveFactory(
        organisation=org, cycle=quarter, level="team", team=team, status="approved", title="Mål"
    )
    return KeyResultFactory(
        objective=objective,
        title="100 nya kunder",
        owner=owner,
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(100),
    )


def check_in(kr, author, confidence, value):
    return objectives.check_in_record(
        key_result=kr, author=author, confidence=confidence, value=Decimal(value)
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_key_result_turning_at_risk_is_told_once_not_every_check_in(cast, team_world, language):
    speak(cast.org, language)
    quarter, other, hooks = team_world
    kr = approved_metric(cast.org, quarter, cast.team, cast.lead)
    check_in(kr, cast.lead, "on_track", 50)
    assert messages("key_result.at_risk") == []
    check_in(kr, cast.lead, "at_risk", 51)
    check_in(kr, cast.lead, "at_risk", 52)  # still at risk: no news
    assert len(messages("key_result.at_risk", hooks["org"])) == 1
    check_in(kr, cast.lead, "off_track", 52)  # worse: news again
    check_in(kr, cast.lead, "at_risk", 53)  # better, still at risk: no news
    risky, off = messages("key_result.at_risk", hooks["growth"])
    assert risky.title == expected(language, "At risk: %(title)s", title=kr.title)
    assert off.title == expected(language, "Off track: %(title)s", title=kr.title)
    assert len(messages("key_result.at_risk", hooks["org"])) == 2
    assert messages("key_result.at_risk", hooks["other"]) == []
    link = f"{settings.SITE_URL}/acme/key-results/{kr.uuid}/"
    assert link in risky.payload["text"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_quarter_closed_is_told_once_to_the_organisations_hooks(cast, team_world, language):
    speak(cast.org, language)
    quarter, _other, hooks = team_world
    closing.cycle_close(cycle=quarter, force=True, author=cast.leader)
    closing.cycle_close(cycle=quarter, force=True, author=cast.leader)  # closed: nothing
    [message] = messages("quarter.closed")
    assert message.hook == hooks["org"]  # not about one team
    assert message.title == expected(language, "%(quarter)s is closed", quarter=quarter.label)


def test_an_unsubscribed_event_is_not_sent(cast, make_hook):
    hook = make_hook(events=["quarter.closed"])
    day = calendar.today(cast.org) + timedelta(days=3)
    reviews.review_create(organisation=cast.org, day=day, user=cast.leader)
    assert messages("review.started", hook) == []


# As tests/okr/reminders: the review on Monday 2 March 2026, reminders due two days before.
REMINDERS_DUE = datetime(2026, 2, 28, 7, tzinfo=UTC)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_check_in_reminders_are_told_once_per_review_with_each_teams_count(
    cast, make_hook, language
):
    world = build(cast)
    speak(cast.org, language)
    org_hook = make_hook()
    team_hook = make_hook("https://hooks.slack.com/services/marknad", team=world.marknad)
    first = reminders.reminders_sweep(now=REMINDERS_DUE)
    reminders.reminders_sweep(now=REMINDERS_DUE + timedelta(hours=1))  # beat again: nothing
    [everyone] = messages("check_in.reminder", org_hook)
    [marknad] = messages("check_in.reminder", team_hook)
    people = first.claimed
    assert people >= 2
    with translation.override(language):
        assert everyone.title == _("Time to check in")
        assert (
            ngettext(
                "%(count)d person was reminded to check in on their key results before the "
                "review on %(date)s.",
                "%(count)d people were reminded to check in on their key results before the "
                "review on %(date)s.",
                people,
            )
            % {"count": people, "date": formats.date_format(date(2026, 3, 2), "DATE_FORMAT")}
            in everyone.payload["text"]
        )
    assert "Marknad" in marknad.payload["text"] and "Marknad" not in everyone.payload["text"]
    assert f"{settings.SITE_URL}/acme/check-ins/" in everyone.payload["text"]
