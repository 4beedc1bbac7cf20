"""Deleting an organisation, the services: the typed name, admins only, the undo, the other
admins told in their language, the deletion claimed once and never before it is due."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts import policy
from accounts.deletion import services
from accounts.models import AuditEvent, Membership, Organisation, User
from tests.support.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(cast):
    """Two more admins of Acme: one reads Norwegian, one Swedish (Acme's language: English)."""
    nb = UserFactory(email="nora@acme.example", name="Nora", language="nb")
    sv = UserFactory(email="sven@acme.example", name="Sven", language="sv")
    for user in (nb, sv):
        MembershipFactory(organisation=cast.org, user=user, role=Membership.Role.ADMIN)
    return nb, sv


def test_a_wrong_name_is_refused_and_nothing_changes(cast):
    for typed in ("", "acme ab", "Acme", "Acme AB!", "Other AS"):
        with pytest.raises(ValidationError) as refused:
            services.organisation_deletion_request(cast.admin, cast.org, typed)
        assert refused.value.message_dict["name"] == [
            "Type the organisation's name exactly as it is written: Acme AB"
        ]
    cast.org.refresh_from_db()
    assert not cast.org.deletion_pending
    assert not AuditEvent.objects.filter(action__startswith="organisation.deletion").exists()


def test_only_admins_may_ask_or_undo(cast):
    for user in (cast.leader, cast.lead, cast.member, cast.outsider):
        with pytest.raises(policy.PolicyDenied):
            services.organisation_deletion_request(user, cast.org, "Acme AB")
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB")
    for user in (cast.leader, cast.member, cast.outsider):
        with pytest.raises(policy.PolicyDenied):
            services.organisation_deletion_cancel(user, cast.org)
    assert Organisation.objects.get(pk=cast.org.pk).deletion_pending


def test_asking_sets_the_grace_period_and_records_it(cast, settings):
    settings.ORGANISATION_DELETION_GRACE_DAYS = 10
    now = timezone.now()
    services.organisation_deletion_request(cast.admin, cast.org, "  Acme AB ", now=now)
    org = Organisation.objects.get(pk=cast.org.pk)
    assert org.deletion_requested_at == now
    assert org.deletion_due_at == now + timedelta(days=10)
    assert org.deletion_requested_by_id == cast.admin.pk
    event = AuditEvent.objects.get(organisation=org)
    assert event.action == AuditEvent.Kind.ORGANISATION_DELETION_REQUESTED
    assert event.actor == cast.admin and event.details["grace_days"] == 10
    # Asking twice is a conflict, not a second grace period.
    with pytest.raises(services.DeletionConflict) as conflict:
        services.organisation_deletion_request(cast.admin, org, "Acme AB")
    assert conflict.value.code == "deletion_pending"
    assert Organisation.objects.get(pk=org.pk).deletion_due_at == now + timedelta(days=10)


def test_any_admin_undoes_it(cast, admins):
    nb, _en = admins
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB")
    services.organisation_deletion_cancel(nb, cast.org)
    org = Organisation.objects.get(pk=cast.org.pk)
    assert not org.deletion_pending
    assert org.deletion_requested_at is None and org.deletion_requested_by_id is None
    actions = list(
        AuditEvent.objects.filter(organisation=org).order_by("id").values_list("action", "actor")
    )
    assert actions == [
        (AuditEvent.Kind.ORGANISATION_DELETION_REQUESTED, cast.admin.pk),
        (AuditEvent.Kind.ORGANISATION_DELETION_CANCELLED, nb.pk),
    ]
    with pytest.raises(services.DeletionConflict) as conflict:
        services.organisation_deletion_cancel(nb, org)
    assert conflict.value.code == "no_deletion_pending"
    # Undone, it is never deleted.
    assert services.organisation_delete_due(timezone.now() + timedelta(days=400)) == []
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_the_other_admins_are_told_in_their_language(
    cast, admins, django_capture_on_commit_callbacks
):
    nb, sv = admins
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_deletion_request(nb, cast.org, "Acme AB")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {cast.admin.email, sv.email}  # not the admin who asked
    english = by_address[cast.admin.email]  # no language of his own: the organisation's
    assert english.subject == "Acme AB is to be deleted"
    assert "Nora <nora@acme.example> asked for Acme AB to be deleted" in english.body
    assert "/acme/settings/delete/" in english.body
    assert by_address[sv.email].subject == "Acme AB ska raderas"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_deletion_cancel(sv, cast.org)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {cast.admin.email, nb.email}  # not the admin who undid it
    assert by_address[nb.email].subject == "Acme AB blir ikke slettet"
    assert by_address[cast.admin.email].subject == "Acme AB will not be deleted"


def test_not_deleted_before_it_is_due(cast):
    now = timezone.now()
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB", now=now)
    due = now + timedelta(days=services.grace_days())
    assert services.organisation_delete_due(due - timedelta(seconds=1)) == []
    assert Organisation.objects.filter(pk=cast.org.pk).exists()
    done = services.organisation_delete_due(due)
    assert [d.organisation_id for d in done] == [cast.org.pk]
    assert not Organisation.objects.filter(pk=cast.org.pk).exists()
    assert services.organisation_delete_due(due) == []  # run again: nothing left to do


def test_people_of_no_other_organisation_go_the_others_stay(cast):
    both = UserFactory(email="both@acme.example")
    MembershipFactory(organisation=cast.org, user=both)
    MembershipFactory(organisation=cast.other_org, user=both)
    staff = UserFactory(email="ops@acme.example", is_staff=True)
    MembershipFactory(organisation=cast.org, user=staff)
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB")
    services.organisation_delete_due(timezone.now() + timedelta(days=services.grace_days()))
    left = set(User.objects.values_list("email", flat=True))
    assert left == {"both@acme.example", "ops@acme.example", "outsider@other.example"}
    assert Membership.objects.filter(user=both).get().organisation == cast.other_org


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_delete_it_once():
    """Two threads (two database connections) run the job at the same moment: one claims
    and deletes, the other's claim waits for that commit and then finds nothing."""
    org = OrganisationFactory(slug="twice", name="Twice AB")
    admin = UserFactory(email="admin@twice.example")
    MembershipFactory(organisation=org, user=admin, role=Membership.Role.ADMIN)
    services.organisation_deletion_request(admin, org, "Twice AB")
    later = timezone.now() + timedelta(days=services.grace_days())
    start, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            start.wait()
            results.append(services.organisation_delete_due(later))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(len(found) for found in results) == [0, 1]
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not User.objects.filter(email="admin@twice.example").exists()
