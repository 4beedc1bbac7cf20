"""Every covered change records exactly one audit event, with its actor, target and details;
a refused or failed change records nothing (the event is written in the change's transaction).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services, tokens
from accounts.models import AuditEvent, Invitation, Membership
from conftest import client_for
from okr.closing import services as closing
from okr.models import Score
from okr.workshop import services as workshop
from tests.support.factories import (
    InvitationFactory,
    TeamFactory,
    TeamMembershipFactory,
    metric_kr,
    year_and_quarter,
)
from tests.support.reviews import build

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


def only(org, action) -> AuditEvent:
    events = list(AuditEvent.objects.filter(organisation=org, action=action))
    assert len(events) == 1, events
    return events[0]


def none_of(org, action=None):
    events = AuditEvent.objects.filter(organisation=org)
    if action:
        events = events.filter(action=action)
    assert not events.exists(), list(events)


def membership(org, user) -> Membership:
    return Membership.objects.get(organisation=org, user=user)


# --- Roles and removals ---------------------------------------------------------------------


def test_a_role_change_records_the_old_and_new_role(cast):
    m = membership(cast.org, cast.member)
    services.membership_set_role(membership=m, role="leadership", author=cast.admin)
    event = only(cast.org, Kind.MEMBER_ROLE_CHANGED)
    assert event.actor == cast.admin
    assert event.actor_label == "Ada Admin <admin@acme.example>"
    assert (event.target_type, event.target_id) == ("membership", str(m.uuid))
    assert event.target_label == "Max Member <member@acme.example>"
    assert event.details == {"old": "member", "new": "leadership"}


def test_the_same_role_again_records_nothing(cast):
    m = membership(cast.org, cast.member)
    services.membership_set_role(membership=m, role="member", author=cast.admin)
    none_of(cast.org)


def test_refused_role_changes_record_nothing(cast):
    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            membership=membership(cast.org, cast.admin), role="member", author=cast.member
        )
    with pytest.raises(services.ServiceError):  # the last admin
        services.membership_set_role(
            membership=membership(cast.org, cast.admin), role="member", author=cast.admin
        )
    none_of(cast.org)


def test_a_removal_records_the_person_and_their_revoked_tokens(
    cast, django_capture_on_commit_callbacks
):
    tokens.token_create(user=cast.member, organisation=cast.org, name="cli")
    m = membership(cast.org, cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_remove(membership=m, author=cast.admin)
    event = only(cast.org, Kind.MEMBER_REMOVED)
    assert (event.actor, event.target_id) == (cast.admin, str(m.uuid))
    assert event.details == {"role": "member", "tokens_revoked": 1}


def test_removing_the_last_admin_records_nothing(cast):
    with pytest.raises(services.ServiceError):
        services.membership_remove(membership=membership(cast.org, cast.admin), author=cast.admin)
    none_of(cast.org, Kind.MEMBER_REMOVED)


# --- Invitations ----------------------------------------------------------------------------


def test_an_invitation_sent_resent_revoked(cast, mailoutbox):
    invitation, _token = services.invitation_create(
        organisation=cast.org,
        invited_by=cast.admin,
        email="new@acme.example",
        role="leadership",
        teams=[cast.team],
    )
    sent = only(cast.org, Kind.INVITATION_SENT)
    assert sent.target_label == "new@acme.example"
    assert sent.details == {"email": "new@acme.example", "role": "leadership", "teams": ["Growth"]}
    services.invitation_resend(invitation=invitation, author=cast.admin)
    assert only(cast.org, Kind.INVITATION_RESENT).target_id == str(invitation.uuid)
    services.invitation_revoke(invitation=invitation, author=cast.admin)
    with pytest.raises(services.ServiceError):
        services.invitation_revoke(invitation=invitation, author=cast.admin)  # twice: refused
    assert only(cast.org, Kind.INVITATION_REVOKED).actor == cast.admin


def test_a_refused_invitation_records_nothing(cast):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            organisation=cast.org, invited_by=cast.member, email="x@acme.example", role="member"
        )
    with pytest.raises(services.ServiceError):
        services.invitation_create(
            organisation=cast.org,
            invited_by=cast.admin,
            email="member@acme.example",
            role="member",
        )
    none_of(cast.org)


def test_an_accepted_invitation_names_the_new_member(cast):
    invitation = InvitationFactory(organisation=cast.org, email="outsider@other.example")
    services.invitation_accept(invitation=invitation, user=cast.outsider)
    event = only(cast.org, Kind.INVITATION_ACCEPTED)
    assert event.actor == cast.outsider
    assert event.details == {"role": "member", "new_member": True}
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == cast.outsider


# --- Settings and tokens --------------------------------------------------------------------


def test_settings_changes_record_each_changed_setting(cast):
    services.organisation_update(
        organisation=cast.org,
        data={"name": "Acme Group", "vision": cast.org.vision, "review_every_weeks": 3},
        author=cast.admin,
    )
    event = only(cast.org, Kind.SETTINGS_CHANGED)
    assert event.details == {
        "name": {"old": "Acme AB", "new": "Acme Group"},
        "review_every_weeks": {"old": 2, "new": 3},
    }
    services.organisation_update(organisation=cast.org, data={"name": "Acme Group"}, author=None)
    assert AuditEvent.objects.filter(action=Kind.SETTINGS_CHANGED).count() == 1  # no change


def test_refused_or_invalid_settings_record_nothing(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=cast.org, data={"name": "Hijack"}, author=cast.member
        )
    with pytest.raises(ValidationError):
        services.organisation_update(
            organisation=cast.org, data={"review_every_weeks": 99}, author=cast.admin
        )
    none_of(cast.org)


def test_the_settings_page_records_one_event(cast):
    client = client_for(cast.admin)
    url = reverse("settings:organisation", args=["acme"])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"name": "Acme Nord", "reminders_enabled": "on" if cast.org.reminders_enabled else ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    assert only(cast.org, Kind.SETTINGS_CHANGED).details["name"] == {
        "old": "Acme AB",
        "new": "Acme Nord",
    }


def test_tokens_made_and_revoked(cast):
    token, _raw = tokens.token_create(user=cast.member, organisation=cast.org, name="laptop")
    made = only(cast.org, Kind.TOKEN_CREATED)
    assert (made.actor, made.target_label, made.details["prefix"]) == (
        cast.member,
        "laptop",
        token.prefix,
    )
    tokens.token_revoke(token=token, author=cast.member)
    tokens.token_revoke(token=token, author=cast.member)  # twice: changes nothing
    assert only(cast.org, Kind.TOKEN_REVOKED).target_id == str(token.uuid)


def test_a_refused_token_revoke_records_nothing(cast):
    token, _raw = tokens.token_create(user=cast.member, organisation=cast.org, name="laptop")
    with pytest.raises(PermissionDenied):
        tokens.token_revoke(token=token, author=cast.admin)  # only one's own
    none_of(cast.org, Kind.TOKEN_REVOKED)


# --- Approvals, scores, quarter close, exports -------------------------------------------------


def _proposed(cast, title):
    _year, quarter = year_and_quarter(cast.org)
    objective = workshop.workshop_objective_create(
        organisation=cast.org, team=cast.team, cycle=quarter, title=title, author=cast.lead
    )
    metric_kr(objective, title=f"{title}: resultat")
    workshop.objective_submit(
        organisation=cast.org, team=cast.team, cycle=quarter, author=cast.lead
    )
    objective.refresh_from_db()
    return objective


def test_approving_and_requesting_changes(cast):
    first, second = _proposed(cast, "Nöjdare kunder"), _proposed(cast, "Fler kunder")
    workshop.objective_approve(objective=first, author=cast.leader, comment=" Bra! ")
    approved = only(cast.org, Kind.OBJECTIVE_APPROVED)
    assert (approved.actor, approved.target_type, approved.target_label) == (
        cast.leader,
        "objective",
        "Nöjdare kunder",
    )
    assert approved.details == {"team": "Growth", "comment": "Bra!"}
    workshop.objective_request_changes(objective=second, author=cast.leader, comment="Mätbart?")
    asked = only(cast.org, Kind.OBJECTIVE_CHANGES_REQUESTED)
    assert asked.details["comment"] == "Mätbart?"


def test_refused_approvals_record_nothing(cast):
    objective = _proposed(cast, "Nöjdare kunder")
    with pytest.raises(PermissionDenied):
        workshop.objective_approve(objective=objective, author=cast.member)
    with pytest.raises(ValidationError):
        workshop.objective_request_changes(objective=objective, author=cast.leader, comment="")
    workshop.objective_approve(objective=objective, author=cast.leader)
    with pytest.raises(PermissionDenied):  # not proposed any more: a conflict
        workshop.objective_approve(objective=objective, author=cast.leader)
    assert AuditEvent.objects.filter(organisation=cast.org).count() == 1


def test_quarter_close_and_score_override(cast):
    world = build(cast)
    closing.cycle_close(cycle=world.q1, today=date(2026, 4, 8), author=cast.leader)
    closing.cycle_close(cycle=world.q1, today=date(2026, 4, 8), author=cast.leader)  # again
    closed = only(cast.org, Kind.QUARTER_CLOSED)
    assert (closed.actor, closed.target_id) == (cast.leader, str(world.q1.uuid))
    assert closed.details["scores"] > 0
    score = Score.objects.get(key_result=world.krs["invoicing"])
    closing.score_override(score=score, value="0.8", reason="Stor affär i mars", user=cast.leader)
    override = only(cast.org, Kind.SCORE_OVERRIDDEN)
    assert override.target_id == str(world.krs["invoicing"].uuid)
    assert override.details["new"] == 0.8 and override.details["reason"] == "Stor affär i mars"
    with pytest.raises(ValidationError):
        closing.score_override(score=score, value="7", reason="x", user=cast.leader)
    with pytest.raises(PermissionDenied):
        closing.score_override(score=score, value="0.1", reason="x", user=cast.member)
    assert AuditEvent.objects.filter(action=Kind.SCORE_OVERRIDDEN).count() == 1


def test_the_nightly_close_is_recorded_as_the_system(cast):
    world = build(cast)
    closing.cycle_close(cycle=world.q1, today=date(2026, 4, 8))
    event = only(cast.org, Kind.QUARTER_CLOSED)
    assert event.actor is None and event.actor_label == ""


def test_an_export_download_is_recorded_once_and_a_refused_one_not(cast):
    response = client_for(cast.leader).get(reverse("okr:export_okrs_csv", args=["acme"]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = only(cast.org, Kind.EXPORT_DOWNLOADED)
    assert event.actor == cast.leader and event.details == {"export": "okrs", "format": "csv"}
    assert (
        client_for(cast.member).get(reverse("okr:export_okrs_csv", args=["acme"])).status_code
        == 403
    )
    assert AuditEvent.objects.filter(action=Kind.EXPORT_DOWNLOADED).count() == 1


def test_another_organisations_changes_stay_in_its_own_log(cast):
    team = TeamFactory(organisation=cast.other_org)
    TeamMembershipFactory(team=team, user=cast.outsider)
    services.organisation_update(
        organisation=cast.other_org, data={"name": "Other"}, author=cast.outsider
    )
    assert only(cast.other_org, Kind.SETTINGS_CHANGED).actor == cast.outsider
    none_of(cast.org)
