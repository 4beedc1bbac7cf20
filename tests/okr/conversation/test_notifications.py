"""Notifications: approval hooks, actions due, the bell and the list, and their query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.conversation import notify, services
from okr.lib import calendar
from okr.models import Notification, Objective, Review, ReviewEntry
from okr.workshop import services as workshop
from tests.support.factories import (
    MembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def proposal(cast, django_capture_on_commit_callbacks):
    year, quarter = year_and_quarter(cast.org)
    parent = strategic_objective(cast.org, year)
    objective = workshop.workshop_objective_create(
        organisation=cast.org,
        team=cast.team,
        cycle=quarter,
        title="Fler nöjda kunder i Norge",
        author=cast.lead,
        parent_objective=parent,
        owner=cast.member,
    )
    metric_kr(objective, title="NPS 40", owner=cast.member, target=40)
    with django_capture_on_commit_callbacks(execute=True):
        workshop.objective_submit(
            organisation=cast.org, team=cast.team, cycle=quarter, author=cast.lead
        )
    return objective


def test_proposing_tells_leadership_once_for_the_set(cast, proposal):
    assert _kinds(cast.leader) == ["approval_requested"]
    assert _kinds(cast.admin) == ["approval_requested"]  # admins are leadership too
    assert _kinds(cast.lead) == [] and _kinds(cast.member) == []
    note = Notification.objects.get(recipient=cast.leader)
    assert note.actor == cast.lead and note.title == "Growth"
    page = client_for(cast.leader).get(reverse("okr:notifications", args=[cast.org.slug]))
    assert reverse("okr:notification_open", args=[cast.org.slug, note.uuid]) in page.text
    url = reverse("okr:notification_open", args=[cast.org.slug, note.uuid])
    opened = client_for(cast.leader).get(url)  # the digest's link: a GET writes nothing
    assert opened.url == reverse("okr:approvals", args=[cast.org.slug])
    note.refresh_from_db()
    assert note.read_at is None
    opened = client_for(cast.leader).post(url)  # the list's button marks it read
    assert opened.url == reverse("okr:approvals", args=[cast.org.slug])
    note.refresh_from_db()
    assert note.read_at is not None


def test_approving_tells_the_lead_and_the_owner(cast, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workshop.objective_approve(objective=proposal, author=cast.leader, comment="Bra!")
    assert _kinds(cast.lead) == ["approved"] and _kinds(cast.member) == ["approved"]
    note = Notification.objects.get(recipient=cast.member)
    assert note.excerpt == "Bra!" and note.objective == proposal


def test_asking_for_changes_tells_the_lead_and_the_owner(
    cast, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workshop.objective_request_changes(
            objective=proposal, author=cast.leader, comment="Mät något annat"
        )
    assert _kinds(cast.lead) == ["changes_requested"]
    assert _kinds(cast.member) == ["changes_requested"]
    assert Objective.objects.get(pk=proposal.pk).status == "changes_requested"


def test_a_refused_approval_tells_nobody(cast, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        workshop.objective_approve(objective=proposal, author=cast.member)
    assert _kinds(cast.lead) == []


# --- Actions due ---------------------------------------------------------------------------


def _action(cast, owner, due, **extra):
    review, _new = Review.objects.get_or_create(
        organisation=cast.org, date=calendar.today(cast.org)
    )
    return ReviewEntry.objects.create(
        organisation=cast.org,
        review=review,
        kind=ReviewEntry.Kind.DECISION,
        text="Rekrytera en produktionsplanerare",
        owner=owner,
        due_date=due,
        **extra,
    )


def test_an_action_due_today_tells_its_owner_once(cast):
    today = calendar.today(cast.org)
    entry = _action(cast, cast.member, today)
    _action(cast, cast.lead, today + timedelta(days=1))  # not yet
    assert notify.actions_due(cast.org, today) == 1
    assert notify.actions_due(cast.org, today) == 0  # a rerun tells nobody again
    note = Notification.objects.get()
    assert note.recipient == cast.member and note.kind == "action_due"
    assert note.action_uuid == entry.uuid
    url = reverse("okr:notification_open", args=[cast.org.slug, note.uuid])
    assert client_for(cast.member).get(url).url == reverse(
        "okr:review", args=[cast.org.slug, entry.review.uuid]
    )


def test_a_done_action_or_an_owner_who_left_is_not_told(cast):
    today = calendar.today(cast.org)
    _action(cast, cast.member, today, done_at=calendar.clock())
    _action(cast, cast.outsider, today)  # not a member (any more)
    assert notify.actions_due(cast.org, today) == 0


def test_the_daily_task_runs_every_organisation(cast):
    from okr.conversation import tasks

    _action(cast, cast.member, calendar.today(cast.org))
    assert tasks.notify_actions_due.apply().get() == {"told": 1}
    assert tasks.notify_actions_due.apply().get() == {"told": 0}


# --- The bell and the list -----------------------------------------------------------------


def _mentions(cast, count):
    year, _q = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    for i in range(count):
        services.comment_create(target=objective, author=cast.lead, text=f"@Max Member {i}")
    return objective


def test_the_bell_counts_unread_and_the_list_marks_read(cast):
    _mentions(cast, 3)
    client = client_for(cast.member)
    home = client.get(reverse("okr:home", args=[cast.org.slug]))
    assert 'class="bell-count" aria-hidden="true">3<' in home.text
    assert "3 unread" in home.text
    note = Notification.objects.filter(recipient=cast.member).first()
    client.post(reverse("okr:notification_read", args=[cast.org.slug, note.uuid]))
    bell = client.get(
        reverse("okr:notification_bell", args=[cast.org.slug]), HTTP_HX_REQUEST="true"
    )
    assert 'aria-hidden="true">2<' in bell.text and "<html" not in bell.text
    client.post(reverse("okr:notifications_read_all", args=[cast.org.slug]))
    home = client.get(reverse("okr:home", args=[cast.org.slug]))
    assert "bell-count" not in home.text
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_someone_elses_notification_is_404(cast):
    _mentions(cast, 1)
    note = Notification.objects.get()
    for name in ("okr:notification_open", "okr:notification_read"):
        url = reverse(name, args=[cast.org.slug, note.uuid])
        client = client_for(cast.leader)
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)
    assert Notification.objects.get().read_at is None


def test_the_bell_is_per_organisation(cast):
    _mentions(cast, 2)
    MembershipFactory(organisation=cast.other_org, user=cast.member)
    page = client_for(cast.member).get(reverse("okr:home", args=[cast.other_org.slug]))
    assert "bell-count" not in page.text


def test_the_list_is_paged(cast):
    _mentions(cast, 30)
    client = client_for(cast.member)
    url = reverse("okr:notifications", args=[cast.org.slug])
    first = client.get(url)
    assert first.text.count('class="notification ') == 25
    second = client.get(url + "?page=2")
    assert second.text.count('class="notification ') == 5
    assert client.get(url + "?page=x%00").status_code == 200


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_costs_the_same_queries_however_many(cast, count, django_assert_max_num_queries):
    _mentions(cast, count)
    client = client_for(cast.member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("okr:notifications", args=[cast.org.slug])).status_code == 200


@pytest.mark.parametrize("count", [0, 60])
def test_the_bell_costs_no_query_on_any_page(cast, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _mentions(cast, count)
    client = client_for(cast.member)
    url = reverse("okr:my_check_ins", args=[cast.org.slug])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert ('class="bell-count"' in page.text) == bool(count)
    assert [q for q in queries.captured_queries if "okr_notification" in q["sql"]] == []


def test_the_bells_number_follows_every_change(cast):
    from accounts.models import Membership

    def bell(user):
        return Membership.objects.get(organisation=cast.org, user=user).unread_notifications

    year, _q = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    first = services.comment_create(target=objective, author=cast.lead, text="@Max Member")
    services.comment_create(target=objective, author=cast.leader, text="@Max Member igen")
    assert bell(cast.member) == 2 and bell(cast.lead) == 0
    services.comment_create(target=objective, author=cast.member, text="ja", parent=first)
    assert bell(cast.lead) == 1  # the reply
    services.comment_delete(comment=first, author=cast.lead)
    assert bell(cast.member) == 1  # a removed comment points nobody at it
    note = Notification.objects.get(recipient=cast.member)
    services.notification_read(notification=note, user=cast.member)
    assert bell(cast.member) == 0
    services.notifications_read_all(organisation=cast.org, user=cast.lead)
    assert bell(cast.lead) == 0
    today = calendar.today(cast.org)
    _action(cast, cast.member, today)
    notify.actions_due(cast.org, today)
    notify.actions_due(cast.org, today)
    assert bell(cast.member) == 1


def test_the_leadership_count_stays_bounded_with_many_members(cast):
    for i in range(5):
        MembershipFactory(
            organisation=cast.org,
            user=UserFactory(email=f"l{i}@acme.example"),
            role=Membership.Role.LEADERSHIP,
        )
    assert len(notify._leadership_ids(cast.org.pk)) == 7


def test_a_material_change_that_sends_it_back_asks_leadership_again(
    cast, proposal, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from okr.objectives import services as objectives

    with django_capture_on_commit_callbacks(execute=True):
        workshop.objective_approve(objective=proposal, author=cast.leader)
    Notification.objects.all().delete()
    kr = proposal.key_results.get()
    with django_capture_on_commit_callbacks(execute=True):
        objectives.key_result_update(
            key_result=kr, version=kr.version, author=cast.member, target_value=Decimal(50)
        )
    assert Objective.objects.get(pk=proposal.pk).status == "proposed"
    assert _kinds(cast.leader) == ["approval_requested"]
    assert _kinds(cast.member) == []  # who changed it is not told


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Kommentarer", "Aviseringar", "nämnde dig"]),
        ("nb", ["Kommentarer", "Varsler", "nevnte deg"]),
        ("en", ["Comments", "Notifications", "mentioned you"]),
    ],
)
def test_the_pages_in_each_language(cast, language, words):
    cast.org.language = language
    cast.org.save()
    objective = _mentions(cast, 1)
    client = client_for(cast.member)
    detail = client.get(reverse("okr:objective_detail", args=[cast.org.slug, objective.uuid]))
    listing = client.get(reverse("okr:notifications", args=[cast.org.slug]))
    assert words[0] in detail.text
    assert words[1] in listing.text and words[2] in listing.text
