"""An organisation with a row in every table the whole-organisation export writes.

``build_world(org, people)`` adds to the ``cast`` organisation: teams with a
parent, a year and quarter, strategic, team and personal objectives (one
under a key result), key results with weights and steps, check-ins,
initiatives, events and history, a review with teams, key results, notes and
a decision, reminder and digest claims, scores, a retrospective, comments
(a reply, a mention), notifications, SSO settings, an invitation to a team,
audit events, a dependency and quarterly steps.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import audit
from accounts.models import Invitation, Membership, SsoConfiguration, SsoDomain
from alignment.models import Dependency, KeyResultStep
from okr.models import (
    Comment,
    CommentMention,
    DigestClaim,
    Notification,
    Objective,
    ObjectiveEvent,
    ParkingLotItem,
    ReminderClaim,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    ReviewTeam,
    Score,
)
from tests.support.factories import (
    CheckInFactory,
    InitiativeFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    milestone_kr,
    strategic_objective,
    year_and_quarter,
)


def build_world(org, admin, lead, member, *, domain: str = "acme-sso.example") -> dict:
    """Rows of every exported table in ``org``; returns a few of them by name."""
    now = timezone.now()
    org.personal_okrs = True
    org.save(update_fields=["personal_okrs"])
    parent_team = TeamFactory(organisation=org, name="Sales")
    team = TeamFactory(organisation=org, name="Inside sales", parent=parent_team)
    TeamMembershipFactory(team=team, user=lead, is_lead=True)
    former = UserFactory(email="former@acme.example", name="Frida Former")  # no membership now
    year, quarter = year_and_quarter(org)
    strategic = strategic_objective(org, year, owner=admin)
    skr = metric_kr(strategic, owner=admin, weight=Decimal("2"))
    steps_kr = milestone_kr(strategic, title="Five steps", steps_total=5)
    team_objective = ObjectiveFactory(
        organisation=org,
        level=Objective.Level.TEAM,
        cycle=quarter,
        team=team,
        owner=lead,
        parent_key_result=skr,
        alignment=Objective.Alignment.DIRECT,
    )
    tkr = milestone_kr(team_objective, owner=lead)
    mkr = metric_kr(team_objective, title="Calls", owner=member, target=50)
    personal = ObjectiveFactory(
        organisation=org,
        level=Objective.Level.PERSONAL,
        cycle=quarter,
        team=team,
        owner=member,
        parent_key_result=mkr,
    )
    metric_kr(personal, title="My calls", owner=member, target=10)
    check_in = CheckInFactory(key_result=mkr, author=member, value=Decimal("12.5"), note="Hej")
    old = CheckInFactory(key_result=skr, value=Decimal(3))
    type(old).objects.filter(pk=old.pk).update(author=former)  # written before they left
    InitiativeFactory(key_result=mkr, owner=member, title="Call list")
    ObjectiveEvent.objects.create(
        organisation=org,
        objective=team_objective,
        kind=ObjectiveEvent.Kind.STATUS,
        from_status="draft",
        to_status="proposed",
        comment="Ready",
        author=lead,
    )
    ParkingLotItem.objects.create(
        organisation=org, team=team, cycle=quarter, text="Later", author=lead
    )
    review = Review.objects.create(organisation=org, date=now.date(), created_by=admin)
    ReviewTeam.objects.create(organisation=org, review=review, team=team, name=team.name)
    ReviewKeyResult.objects.create(
        organisation=org,
        review=review,
        key_result=mkr,
        objective=team_objective,
        team=team,
        owner=member,
        title=mkr.title,
        objective_title=team_objective.title,
        kind=mkr.kind,
        unit="",
        commitment=mkr.commitment,
        confidence="on_track",
        previous_confidence="",
    )
    decision = ReviewEntry.objects.create(
        organisation=org,
        review=review,
        team=team,
        kind="decision",
        text="Call more",
        author=admin,
        owner=lead,
        due_date=now.date() + timedelta(days=7),
        key_result=mkr,
    )
    ReminderClaim.objects.create(
        organisation=org,
        review=review,
        user=member,
        kind="reminder",
        claim_token=uuid.uuid4(),
        claimed_at=now,
        sent_at=now,
        outcome="sent",
    )
    Score.objects.create(
        organisation=org,
        cycle=quarter,
        key_result=tkr,
        progress=0.7,
        computed=0.7,
        override_reason="",
        computed_at=now,
    )
    RetrospectiveNote.objects.create(
        organisation=org, cycle=quarter, team=team, text="Good", author=lead
    )
    comment = Comment.objects.create(
        organisation=org, author=lead, text="@Max", objective=team_objective
    )
    reply = Comment.objects.create(
        organisation=org, author=member, text="Yes", objective=team_objective, parent=comment
    )
    Comment.objects.create(
        organisation=org, author=member, text="On the check-in", check_in=check_in
    )
    CommentMention.objects.create(organisation=org, comment=comment, user=member)
    digest = DigestClaim.objects.create(
        organisation=org, user=member, day=now.date(), claim_token=uuid.uuid4(), claimed_at=now
    )
    Notification.objects.create(
        organisation=org,
        recipient=member,
        kind="mention",
        actor=lead,
        objective=team_objective,
        comment=comment,
        review=review,
        title="Mentioned",
        excerpt="@Max",
        digest=digest,
        action_uuid=decision.uuid,
    )
    Notification.objects.create(
        organisation=org,
        recipient=lead,
        kind="reply",
        actor=member,
        comment=reply,
        title="Reply",
        excerpt="Yes",
    )
    configuration = SsoConfiguration.objects.create(
        organisation=org,
        issuer="https://idp.example",
        client_id="okr",
        client_secret_encrypted="not-a-real-secret-ciphertext",
        enabled=True,
    )
    SsoDomain.objects.create(organisation=org, configuration=configuration, domain=domain)
    invitation = Invitation.objects.create(
        organisation=org,
        email="new@acme.example",
        role=Membership.Role.MEMBER,
        token_hash=uuid.uuid4().hex * 2,
        invited_by=admin,
        expires_at=now + timedelta(days=14),
    )
    invitation.teams.add(team)
    audit.record(
        org, admin, audit.Kind.SETTINGS_CHANGED, org, details={"name": {"old": "A", "new": "B"}}
    )
    other_team = TeamFactory(organisation=org, name="Marketing")
    other_objective = ObjectiveFactory(
        organisation=org, level=Objective.Level.TEAM, cycle=quarter, team=other_team
    )
    Dependency.objects.create(
        organisation=org,
        needing_team=team,
        needing_objective=team_objective,
        delivering_team=other_team,
        delivering_objective=other_objective,
        description="Leads",
        needed_by=now.date() + timedelta(days=30),
        created_by=lead,
    )
    KeyResultStep.objects.create(
        organisation=org, key_result=skr, quarter=quarter, target_value=Decimal(5)
    )
    return {"team": team, "objective": team_objective, "key_result": mkr, "steps": steps_kr}
