"""Deleting an organisation leaves no row of it in any table, and touches no other's.

Organisation A is the DPAB demo (``tests.support.sweep.demo_world``) with a row added for
each kind the demo does not make; B is a second organisation with rows of its own and a
person in both. Every model with a path to the organisation (``accounts.deletion.tables``,
found from ``django.apps.apps.get_models``) must have a row of A before: a model added
later without one fails here, loudly, until this world makes one. After the deletion A
has no row in any of them, B's rows are the same, and each table lost exactly A's rows.
Run on PostgreSQL, with both ways of deleting (table by table, and Django's collector).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import tokens
from accounts.deletion import services
from accounts.deletion.tables import organisation_tables
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    SsoConfiguration,
    SsoDomain,
    Team,
    User,
    WebhookDelivery,
)
from accounts.webhooks import emit
from accounts.webhooks import services as webhooks
from okr.models import DigestClaim, ReminderClaim, Review
from tests.support.factories import (
    CheckInFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.sweep import demo_world

pytestmark = pytest.mark.django_db


def add_what_the_demo_lacks(org: Organisation, admin: User, tag: str) -> None:
    """A row of each kind the demo does not make (SSO, webhook deliveries, invited teams)."""
    sso = SsoConfiguration.objects.create(
        organisation=org, issuer=f"https://login.{tag}.example", client_id=tag, updated_by=admin
    )
    SsoDomain.objects.create(organisation=org, configuration=sso, domain=f"{tag}.example")
    invitation = InvitationFactory(organisation=org, email=f"invited@{tag}.example")
    invitation.teams.add(Team.objects.filter(organisation=org).first())
    endpoint, _secret = webhooks.endpoint_create(
        organisation=org,
        url=f"https://hooks.{tag}.example/okr",
        events=["member.added"],
        author=admin,
    )
    event = emit(org, "member.added", {"member": tag}, endpoints=[endpoint.pk])
    assert WebhookDelivery.objects.filter(event=event).exists()
    tokens.token_create(user=admin, organisation=org, name=f"{tag} token")
    _add_claims(org, admin)
    _add_chat(org, admin, tag)


def _add_claims(org, admin) -> None:
    """The jobs' claims: a reminder before a review, a day's digest."""
    now = timezone.now()
    review = Review.objects.filter(organisation=org).first() or Review.objects.create(
        organisation=org, date=now.date()
    )
    ReminderClaim.objects.create(
        organisation=org,
        review=review,
        user=admin,
        kind=ReminderClaim.Kind.values[0],
        claim_token=uuid.uuid4(),
        claimed_at=now,
    )
    DigestClaim.objects.create(
        organisation=org, user=admin, day=now.date(), claim_token=uuid.uuid4(), claimed_at=now
    )


def _add_chat(org, admin, tag) -> None:
    """Chat notifications (okr/chat), while that package is being built: its hook and message."""
    if not apps.is_installed("okr") or "chathook" not in apps.all_models["okr"]:
        return
    hook_model = apps.get_model("okr", "ChatHook")
    message_model = apps.get_model("okr", "ChatMessage")
    hook = hook_model.objects.create(
        organisation=org, kind="slack", url_encrypted="x", url_hint=f"hooks.{tag}", created_by=admin
    )
    message_model.objects.create(
        organisation=org,
        hook=hook,
        event="quarter.closed",
        key=f"{tag}:1",
        title=tag,
        payload={},
        next_attempt_at=timezone.now(),
    )


def second_organisation(shared: User) -> Organisation:
    """B: a small organisation with OKRs, a check-in, and ``shared`` as a member."""
    org = OrganisationFactory(slug="b-org", name="B AB")
    admin = UserFactory(email="admin@b.example")
    MembershipFactory(organisation=org, user=admin, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=org, user=shared)
    TeamFactory(organisation=org, name="B-team")
    year, _quarter = year_and_quarter(org)
    kr = metric_kr(strategic_objective(org, year, owner=shared), owner=shared)
    CheckInFactory(key_result=kr, author=shared)
    InitiativeFactory(key_result=kr, owner=admin)
    add_what_the_demo_lacks(org, admin, "b")
    return org


def counts(organisation_id: int) -> dict[str, tuple[int, int]]:
    """Per table: (rows of the organisation, rows in all)."""
    return {
        str(table): (
            table.rows(organisation_id).count(),
            table.model._base_manager.count(),
        )
        for table in organisation_tables()
    }


@pytest.mark.parametrize("method", ["raw", "collector"])
def test_no_row_of_it_remains_in_any_table(method):
    world = demo_world()
    a = world.organisation
    admin = world.users["admin"]
    add_what_the_demo_lacks(a, admin, "a")
    shared = world.users["member"]
    b = second_organisation(shared)
    only_a = set(services.users_only_in(a.pk))
    assert shared.pk not in only_a and admin.pk in only_a

    before_a, before_b = counts(a.pk), counts(b.pk)
    missing = sorted(name for name, (mine, _all) in before_a.items() if mine == 0)
    assert missing == [], (
        f"No row of the deleted organisation in {missing}: make one in this test's world "
        "(add_what_the_demo_lacks) so that the deletion is proven for it too."
    )

    services.organisation_deletion_request(admin, a, a.name)
    due = Organisation.objects.get(pk=a.pk).deletion_due_at
    assert services.organisation_delete_due(due, method=method)[0].organisation_id == a.pk

    after_a, after_b = counts(a.pk), counts(b.pk)
    assert {name: mine for name, (mine, _all) in after_a.items() if mine} == {}
    assert {name: mine for name, (mine, _all) in after_b.items()} == {
        name: mine for name, (mine, _all) in before_b.items()
    }
    dropped = {name: before_a[name][1] - after_a[name][1] for name in before_a}
    assert dropped == {name: mine for name, (mine, _all) in before_a.items()}
    # People of A alone are gone; the person in both, and B's, stay.
    assert not User.objects.filter(pk__in=only_a).exists()
    assert Membership.objects.get(user=shared).organisation_id == b.pk
    assert not Invitation.objects.filter(organisation_id=a.pk).exists()
    assert Organisation.objects.filter(pk=b.pk, deletion_due_at__isnull=True).exists()
    # Nothing was left behind by the deletion itself (a history row, say) after the fact.
    assert services.organisation_delete_due(due + timedelta(days=1)) == []
