"""Each event type is emitted exactly once by the service that makes it happen, with its payload;
a refused change emits nothing, and an endpoint gets only the events it subscribed to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.models import Membership, WebhookDelivery, WebhookEndpoint, WebhookEvent
from accounts.webhooks import EventType, payload_of
from okr.closing import services as closing
from okr.models import Review
from okr.objectives import services as objectives
from okr.reviews import services as reviews
from okr.workshop import services as workshop
from tests.support.factories import InvitationFactory, metric_kr, year_and_quarter
from tests.support.reviews import at, build

pytestmark = pytest.mark.django_db
ALL = [e for e in EventType.values if e != "ping"]


@pytest.fixture
def endpoint(cast):
    return WebhookEndpoint.objects.create(
        organisation=cast.org, url="https://hooks.example/okr", events=ALL, secret="whsec_x"
    )


def emitted(org) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in WebhookEvent.objects.filter(organisation=org):
        counts[event.type] = counts.get(event.type, 0) + 1
    return counts


def one(org, event_type) -> dict:
    [event] = WebhookEvent.objects.filter(organisation=org, type=event_type)
    assert WebhookDelivery.objects.filter(event=event).count() == 1
    return payload_of(event, org.slug)


def test_every_event_type_exactly_once(cast, endpoint):
    world = build(cast, check_ins=False)
    # build() created objectives before counting starts: only what follows counts.
    WebhookEvent.objects.all().delete()
    year, quarter = year_and_quarter(cast.org)
    created = objectives.objective_create(
        organisation=cast.org,
        cycle=quarter,
        level="team",
        team=cast.team,
        title="Nöjdare kunder",
        author=cast.lead,
    )
    metric_kr(created, title="NPS 40")
    workshop.objective_submit(
        organisation=cast.org, team=cast.team, cycle=quarter, author=cast.lead
    )
    workshop.objective_approve(objective=created, author=cast.leader)
    objectives.check_in_record(
        key_result=world.krs["invoicing"],
        author=world.people["kari"],
        confidence="on_track",
        value=Decimal(2),
        at=at(date(2026, 2, 10)),
    )
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    reviews.review_close(review=review, user=cast.leader, now=at(date(2026, 2, 16), 12))
    reviews.review_close(review=review, user=cast.leader)  # again: nothing new
    closing.cycle_close(cycle=world.q1, today=date(2026, 4, 8), author=cast.leader)
    closing.cycle_close(cycle=world.q1, today=date(2026, 4, 8), author=cast.leader)
    invitation = InvitationFactory(organisation=cast.org, email="outsider@other.example")
    services.invitation_accept(invitation=invitation, user=cast.outsider)
    services.membership_remove(
        membership=Membership.objects.get(organisation=cast.org, user=cast.member),
        author=cast.admin,
    )
    assert emitted(cast.org) == dict.fromkeys(ALL, 1)

    objective = one(cast.org, "objective.created")
    assert objective["organisation"] == "acme" and objective["type"] == "objective.created"
    assert objective["data"]["title"] == "Nöjdare kunder"
    assert objective["data"]["team"]["name"] == "Growth"
    assert one(cast.org, "objective.approved")["data"]["status"] == "approved"
    check_in = one(cast.org, "check_in.recorded")["data"]
    assert (
        check_in["value"] == "2"
        and check_in["key_result"]["title"] == "Fakturering nya kunder 4MSEK"
    )
    assert check_in["key_result"]["progress"] == pytest.approx(0.5)  # the engine's: 2 of 4
    assert one(cast.org, "review.closed")["data"]["date"] == "2026-02-16"
    closed = one(cast.org, "quarter.closed")["data"]
    assert closed["id"] == str(world.q1.uuid) and closed["scores"] > 0
    assert one(cast.org, "member.added")["data"]["user"]["email"] == "outsider@other.example"
    assert one(cast.org, "member.removed")["data"]["role"] == "member"


def test_only_subscribed_events_and_only_active_endpoints(cast, endpoint):
    endpoint.events = ["member.added"]
    endpoint.save()
    WebhookEndpoint.objects.create(
        organisation=cast.org,
        url="https://off.example",
        events=["member.removed"],
        secret="s",
        active=False,
    )
    services.membership_remove(
        membership=Membership.objects.get(organisation=cast.org, user=cast.member),
        author=cast.admin,
    )
    assert emitted(cast.org) == {}


def test_refused_changes_emit_nothing(cast, endpoint):
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            membership=Membership.objects.get(organisation=cast.org, user=cast.admin),
            author=cast.member,
        )
    with pytest.raises(services.ServiceError):
        services.membership_remove(
            membership=Membership.objects.get(organisation=cast.org, user=cast.admin),
            author=cast.admin,
        )
    assert emitted(cast.org) == {}


def test_the_api_description_documents_every_payload(cast):
    from conftest import client_for

    schema = client_for(cast.admin).get("/api/schema/", {"format": "json"}).json()
    hooks = schema["x-webhooks"]
    assert set(hooks) == set(EventType.values)
    body = hooks["check_in.recorded"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["data"]["properties"]["key_result"]
    assert "X-OKR-Signature" in hooks["ping"]["post"]["description"]
