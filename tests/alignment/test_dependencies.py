"""Cross-team dependencies: the rules, the service, the flag, the pages and where they are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts import policy
from accounts.models import Membership
from accounts.policy import Action
from alignment import rules, services
from alignment.models import Dependency
from conftest import client_for
from okr.models import KeyResult, Objective
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

# --- Rules (pure) ---------------------------------------------------------------------------


def test_delivery_due_is_the_key_result_deadline_else_the_cycle_end():
    assert rules.delivery_due(date(2026, 3, 15), date(2026, 3, 31)) == date(2026, 3, 15)
    assert rules.delivery_due(None, date(2026, 3, 31)) == date(2026, 3, 31)


def test_late_when_open_undelivered_and_due_after_it_is_needed():
    needed, due = date(2026, 2, 15), date(2026, 3, 15)
    assert rules.is_late(open_=True, needed_by=needed, due=due, delivered=False)
    assert not rules.is_late(open_=False, needed_by=needed, due=due, delivered=False)
    assert not rules.is_late(open_=True, needed_by=needed, due=due, delivered=True)
    assert not rules.is_late(open_=True, needed_by=needed, due=needed, delivered=False)
    assert not rules.is_late(open_=True, needed_by=due, due=needed, delivered=False)


def test_delivered_is_a_done_milestone_or_a_metric_at_target():
    assert rules.is_delivered("milestone", True, None)
    assert not rules.is_delivered("milestone", False, 1.0)
    assert rules.is_delivered("metric", False, 1.0)
    assert not rules.is_delivered("metric", False, 0.99)
    assert not rules.is_delivered("metric", False, None)


def test_who_manages_a_dependency():
    """The policy's rule: leadership and the leads of either team."""
    dependency = SimpleNamespace(needing_team_id=1, delivering_team_id=2)
    may = Action.DEPENDENCY_MANAGE
    assert policy.can(policy.Actor(1, "leadership"), may, dependency)
    assert policy.can(policy.Actor(2, "member", frozenset({1}), frozenset({1})), may, dependency)
    assert policy.can(policy.Actor(3, "member", frozenset({2}), frozenset({2})), may, dependency)
    assert not policy.can(policy.Actor(4, "member", frozenset({1})), may, dependency)
    assert not policy.can(
        policy.Actor(5, "member", frozenset({3}), frozenset({3})), may, dependency
    )


# --- A world like DPAB's ----------------------------------------------------------------------


@dataclass
class World:
    cast: object
    lead: object  # plain member, lead of Marknad
    sales: object
    marknad: object
    needing: Objective
    recruit: KeyResult
    delivering: Objective
    catalogue: KeyResult  # milestone, due four weeks after the seller starts
    needed_by: date

    def create(self, **extra):
        fields = {
            "organisation": self.cast.org,
            "needing_objective": self.needing,
            "needing_key_result": self.recruit,
            "delivering_objective": self.delivering,
            "delivering_key_result": self.catalogue,
            "description": "Den norska säljaren behöver katalogen på norska.",
            "needed_by": self.needed_by,
            "created_by": self.cast.member,
        }
        return services.dependency_create(**(fields | extra))


@pytest.fixture
def world(cast):
    _year, quarter = year_and_quarter(cast.org)
    lead = UserFactory(email="mats@acme.example", name="Mats")
    MembershipFactory(organisation=cast.org, user=lead, role=Membership.Role.MEMBER)
    sales = TeamFactory(organisation=cast.org, name="Försäljning")
    marknad = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=marknad, user=lead, is_lead=True)
    needing = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=sales,
        cycle=quarter,
        title="Stå rustade för framtida ökad tillväxttakt",
        status="approved",
    )
    recruit = KeyResultFactory(objective=needing, title="Rekrytera 2 norska säljare", unit="st")
    delivering = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=marknad,
        cycle=quarter,
        title="Leverera det marknadsmaterial som behövs för säljtester i Norge",
        status="approved",
    )
    needed_by = quarter.start_date + timedelta(days=45)
    catalogue = KeyResultFactory(
        objective=delivering,
        title="Produktkatalog på norska till tryck senast 15/3",
        kind="milestone",
        due_date=needed_by + timedelta(days=28),
    )
    return World(cast, lead, sales, marknad, needing, recruit, delivering, catalogue, needed_by)


def url(name, *args):
    return reverse(f"alignment:{name}", args=["acme", *args])


# --- Service and model ----------------------------------------------------------------------------


def test_create_takes_the_teams_from_the_objectives_and_flags_it_late(world):
    dep = world.create()
    assert (dep.needing_team, dep.delivering_team) == (world.sales, world.marknad)
    assert dep.state == "open" and dep.created_by == world.cast.member
    dep = Dependency.objects.select_related(
        "delivering_objective__cycle", "delivering_key_result"
    ).get(pk=dep.pk)
    assert dep.delivery_due == world.catalogue.due_date
    assert dep.is_late


def test_not_late_when_due_in_time_delivered_or_resolved(world):
    KeyResult.objects.filter(pk=world.catalogue.pk).update(due_date=world.needed_by)
    assert not Dependency.objects.get(pk=world.create().pk).is_late
    KeyResult.objects.filter(pk=world.catalogue.pk).update(
        due_date=world.needed_by + timedelta(days=1)
    )
    dep = world.create()
    assert Dependency.objects.get(pk=dep.pk).is_late
    CheckInFactory(key_result=world.catalogue, done=True)
    assert not Dependency.objects.get(pk=dep.pk).is_late
    KeyResult.objects.filter(pk=world.catalogue.pk).update(done=False)
    services.dependency_set_state(dependency=dep, state="resolved")
    assert dep.resolved_at is not None and not Dependency.objects.get(pk=dep.pk).is_late


def test_an_objective_without_a_key_result_is_due_at_the_end_of_its_quarter(world):
    dep = world.create(delivering_key_result=None, needing_key_result=None)
    dep = Dependency.objects.get(pk=dep.pk)
    assert dep.delivery_due == world.delivering.cycle.end_date
    assert dep.is_late  # the quarter ends after the seller starts
    assert not world.create(
        delivering_key_result=None, needed_by=world.delivering.cycle.end_date
    ).is_late


@pytest.mark.parametrize(
    "change, field",
    [
        ({"delivering_objective": "same team"}, "delivering"),
        ({"needing_objective": "strategic"}, "needing"),
        ({"delivering_key_result": "wrong objective"}, "delivering"),
        ({"needing_objective": "other organisation"}, "needing"),
        ({"description": "   "}, "description"),
        ({"needed_by": None}, "needed_by"),
    ],
)
def test_create_rejects_what_does_not_fit(world, cast, change, field):
    name, what = next(iter(change.items()))
    if what == "same team":
        value = ObjectiveFactory(organisation=cast.org, level="team", team=world.sales)
        extra = {name: value, "delivering_key_result": None}
    elif what == "strategic":
        extra = {name: ObjectiveFactory(organisation=cast.org), "needing_key_result": None}
    elif what == "wrong objective":
        extra = {name: world.recruit}
    elif what == "other organisation":
        foreign = ObjectiveFactory(
            organisation=cast.other_org,
            level="team",
            team=TeamFactory(organisation=cast.other_org),
        )
        extra = {name: foreign, "needing_key_result": None}
    else:
        extra = {name: what}
    with pytest.raises(ValidationError) as error:
        world.create(**extra)
    assert field in error.value.message_dict
    assert not Dependency.objects.exists()


def test_the_database_refuses_a_team_depending_on_itself(world):
    dep = world.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Dependency.objects.filter(pk=dep.pk).update(delivering_team=world.sales)


# --- The dependencies page ----------------------------------------------------------------------


def test_anyone_in_the_organisation_adds_a_dependency(world, member_client):
    page = member_client.get(url("dependencies")).content.decode()
    # The form lists every objective of the organisation: it comes when asked for.
    assert 'href="?add=1#dependency-new"' in page and 'hx-get="?add=1"' in page
    assert f'value="o:{world.needing.uuid}"' not in page
    page = member_client.get(url("dependencies") + "?add=1").content.decode()
    assert f'value="k:{world.recruit.uuid}"' in page and f'value="o:{world.needing.uuid}"' in page
    response = member_client.post(
        url("dependencies"),
        {
            "needing": f"k:{world.recruit.uuid}",
            "delivering": f"k:{world.catalogue.uuid}",
            "description": "Katalogen på norska",
            "needed_by": world.needed_by.isoformat(),
        },
    )
    dep = Dependency.objects.get()
    assert response.status_code == 302
    assert response.url == f"{url('dependencies')}#dependency-{dep.uuid}"
    assert (dep.needing_key_result, dep.delivering_objective) == (world.recruit, world.delivering)
    assert dep.created_by == world.cast.member
    page = member_client.get(url("dependencies")).content.decode()
    assert "Katalogen på norska" in page and "⚠" in page and "1 dependency is late." in page
    assert "Mark resolved" not in page  # a plain member who leads neither team


def test_bad_input_keeps_what_was_typed_with_field_errors(world, member_client):
    response = member_client.post(
        url("dependencies"),
        {
            "needing": f"o:{world.needing.uuid}",
            "delivering": f"o:{world.needing.uuid}",
            "description": "Något viktigt på norska",
            "needed_by": "inte ett datum",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Något viktigt på norska" in page
    assert page.count('aria-invalid="true"') >= 1
    assert "The dependency was not added." in page
    response = member_client.post(
        url("dependencies"),
        {
            "needing": f"o:{world.needing.uuid}",
            "delivering": f"o:{world.needing.uuid}",
            "description": "Samma team",
            "needed_by": world.needed_by.isoformat(),
        },
    )
    assert "a team does not depend on itself" in response.content.decode()
    response = member_client.post(url("dependencies"), {"needing": "o:nope", "delivering": "x"})
    assert response.status_code == 200
    assert not Dependency.objects.exists()


def test_the_list_pages_and_filters_by_state(world, member_client):
    deps = [world.create(description=f"Behov {i:02d}") for i in range(53)]
    services.dependency_set_state(dependency=deps[0], state="resolved")
    page = member_client.get(url("dependencies")).content.decode()
    assert page.count('class="dependency') - page.count('class="dependency-') == 50
    assert "Page 1 of 2" in page and 'rel="next"' in page
    second = member_client.get(f"{url('dependencies')}?page=2").content.decode()
    assert "Behov 00" in second  # the resolved one comes last
    resolved = member_client.get(f"{url('dependencies')}?state=resolved").content.decode()
    assert "Behov 00" in resolved and "Behov 01" not in resolved
    assert "52 dependencies are late." in page
    bad = member_client.get(f"{url('dependencies')}?state=nope&page=x")
    assert bad.status_code == 200


def test_the_form_can_start_from_an_objective(world, member_client):
    page = member_client.get(f"{url('dependencies')}?needing=o:{world.needing.uuid}")
    assert f'<option value="o:{world.needing.uuid}" selected>' in page.content.decode()


def test_leads_of_either_team_and_leadership_resolve_reopen_and_delete(world, cast):
    dep = world.create()
    member = client_for(cast.member)
    assert member.post(url("dependency_state", dep.uuid), {"state": "resolved"}).status_code == 403
    assert member.post(url("dependency_delete", dep.uuid)).status_code == 403
    lead = client_for(world.lead)  # leads Marknad, the delivering team
    back = reverse("okr:objective_detail", args=["acme", world.delivering.uuid])
    response = lead.post(url("dependency_state", dep.uuid), {"state": "resolved", "next": back})
    assert response.status_code == 302 and response.url == back
    dep.refresh_from_db()
    assert dep.state == "resolved"
    response = lead.post(
        url("dependency_state", dep.uuid), {"state": "open", "next": "https://evil.example/"}
    )
    assert response.url == f"{url('dependencies')}#dependency-{dep.uuid}"
    dep.refresh_from_db()
    assert dep.state == "open" and dep.resolved_at is None
    assert lead.post(url("dependency_state", dep.uuid), {"state": "bogus"}).status_code == 302
    dep.refresh_from_db()
    assert dep.state == "open"
    leader = client_for(cast.leader)
    assert leader.post(url("dependency_delete", dep.uuid)).status_code == 302
    assert not Dependency.objects.exists()


def test_outsiders_and_other_organisations_ids_get_404(world, cast, outsider_client):
    dep = world.create()
    for path in (url("dependencies"), url("dependency_state", dep.uuid)):
        assert outsider_client.get(path).status_code == 404
        assert outsider_client.post(path).status_code == 404
    assert outsider_client.post(url("dependency_delete", dep.uuid)).status_code == 404
    admin = client_for(cast.admin)
    foreign = reverse(
        "alignment:dependency_delete", args=["acme", "00000000-0000-0000-0000-000000000001"]
    )
    assert admin.post(foreign).status_code == 404
    other_admin = client_for(cast.outsider)
    assert (
        other_admin.post(
            reverse("alignment:dependency_state", args=["other", dep.uuid]), {"state": "resolved"}
        ).status_code
        == 404
    )
    assert member_state(dep) == "open"


def member_state(dep):
    dep.refresh_from_db()
    return dep.state


# --- Where dependencies show up ----------------------------------------------------------------


def test_both_objective_pages_and_both_key_result_pages_show_it_flagged(world, member_client):
    world.create()
    for path in (
        reverse("okr:objective_detail", args=["acme", world.needing.uuid]),
        reverse("okr:objective_detail", args=["acme", world.delivering.uuid]),
        reverse("okr:key_result_detail", args=["acme", world.recruit.uuid]),
        reverse("okr:key_result_detail", args=["acme", world.catalogue.uuid]),
    ):
        page = member_client.get(path).content.decode()
        assert "Dependencies on other teams" in page, path
        assert "Den norska säljaren behöver katalogen på norska." in page, path
        assert 'class="dependency-flag"' in page, path
    other = KeyResultFactory(objective=world.needing, title="10 säljare utbildade")
    page = member_client.get(reverse("okr:key_result_detail", args=["acme", other.uuid]))
    assert "No dependencies on other teams." in page.content.decode()


def test_tag_for_a_team_and_compact_list_for_the_approval_queue(world, cast):
    world.create()
    request = RequestFactory().get("/acme/workshop/")
    request.user = cast.leader
    membership = Membership.objects.get(user=cast.leader)
    context = {
        "organisation": cast.org,
        "membership": membership,
        "request": request,
        "team": world.marknad,
        "objective": world.needing,
        "lonely": ObjectiveFactory(organisation=cast.org, level="team", team=world.sales),
    }
    html = Template("{% load alignment_tags %}{% dependencies_for team %}").render(Context(context))
    assert "Försäljning" in html and "Mark resolved" in html and "<h2" in html
    compact = Template("{% load alignment_tags %}{% dependencies_for objective compact=True %}")
    html = compact.render(Context(context))
    assert "<h2" not in html and 'class="dependency-list"' in html
    empty = Template("{% load alignment_tags %}{% dependencies_for lonely compact=True %}")
    assert empty.render(Context(context)).strip() == ""
    # The list template on its own, given a list (the workshop includes it like this).
    plain = Template('{% include "alignment/includes/dependencies.html" %}').render(
        Context({**context, "dependencies": list(world.marknad.dependencies_delivered.all())})
    )
    assert "Den norska säljaren" in plain and "dependency-flag" in plain


def test_the_tree_flags_it_on_the_delivering_key_result_and_lists_it(world, member_client, cast):
    strategic = ObjectiveFactory(organisation=cast.org, title="Marknadstest i Norge")
    Objective.objects.filter(pk=world.delivering.pk).update(parent_objective=strategic)
    world.create()
    page = member_client.get(f"{url('tree')}?expand=all").content.decode()
    start = page.index(f'href="/acme/key-results/{world.catalogue.uuid}/"')
    node = page[start : page.index("</li>", start)]
    assert 'class="dependency-badge is-late"' in node and "Försäljning needs this by" in node
    assert "Open dependencies between teams" in page and "1 dependency is late" in page
    collapsed = member_client.get(url("tree")).content.decode()
    assert "Late dependency" in collapsed  # on the collapsed Marknad group


def test_a_metric_delivering_key_result_at_target_is_delivered(world, member_client):
    metric = KeyResultFactory(
        objective=world.delivering, title="Material klart", target_value=Decimal(10)
    )
    dep = world.create(delivering_key_result=metric)
    assert Dependency.objects.get(pk=dep.pk).is_late  # due at the end of the quarter
    CheckInFactory(key_result=metric, value=Decimal(10))
    assert not Dependency.objects.get(pk=dep.pk).is_late


def test_the_dpab_demo_has_the_flagged_norway_dependency_and_quarterly_steps():
    from io import StringIO

    from django.core.management import call_command

    from alignment.models import KeyResultStep

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent: still one
    dep = Dependency.objects.select_related(
        "needing_team", "delivering_team", "delivering_objective__cycle", "delivering_key_result"
    ).get()
    assert (dep.needing_team.name, dep.delivering_team.name) == ("Försäljning", "Marknad")
    assert dep.needing_key_result.title == "Rekrytera 2 norska säljare"
    assert dep.needing_objective.title == "Stå rustade för framtida ökad tillväxttakt"
    assert dep.delivering_key_result.title == "Produktkatalog på norska till tryck senast 15/3"
    assert (dep.needed_by.month, dep.needed_by.day) == (2, 15)
    assert dep.needed_by.year == dep.delivering_objective.cycle.year
    assert dep.is_late
    steps = KeyResultStep.objects.filter(key_result__title="20MSEK försäljning till nya kunder")
    assert list(steps.order_by("quarter__quarter").values_list("target_value", flat=True)) == [
        Decimal(4),
        Decimal(9),
        Decimal(14),
        Decimal(20),
    ]


def test_strategic_pages_have_no_dependency_section(world, member_client, cast):
    strategic = ObjectiveFactory(organisation=cast.org, title="Marknadstest i Norge")
    kr = KeyResultFactory(objective=strategic, title="10 nya norska kunder")
    for path in (
        reverse("okr:objective_detail", args=["acme", strategic.uuid]),
        reverse("okr:key_result_detail", args=["acme", kr.uuid]),
    ):
        page = member_client.get(path).content.decode()
        assert "Dependencies on other teams" not in page, path
