"""The alignment API: dependencies between teams and the alignment tree as nested JSON.

Non-members get 404 everywhere (also with a token made for another organisation),
members without the role 403, bad input 400 with field errors; queries do not grow
with the page size or the organisation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.models import Membership
from alignment import services as alignment_services
from alignment.models import Dependency
from okr.models import Cycle, KeyResult, Objective
from tests.support.api import ApiClient, api, count_queries, session_api, token_api
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    year: Cycle
    quarter: Cycle
    sales: object
    marknad: object
    lead: object  # a plain member who leads Marknad (the delivering team)
    strategic: Objective
    growth: KeyResult  # strategic metric, 20 MSEK
    values: KeyResult  # strategic key result no team supports
    needing: Objective  # Försäljning, direct to growth
    recruit: KeyResult
    delivering: Objective  # Marknad, under the strategic objective itself
    catalogue: KeyResult  # milestone due after the seller needs it
    orphan: Objective
    late: Dependency
    resolved: Dependency
    foreign: Dependency  # in the other organisation
    foreign_objective: Objective


def make_world(cast) -> World:
    org = cast.org
    org.vision = "Snabb och miljövänlig kommunikation"
    org.mission = "Att vara den föredragna partnern"
    org.save()
    year, quarter = year_and_quarter(org)
    sales = TeamFactory(organisation=org, name="Försäljning", order=1)
    marknad = TeamFactory(organisation=org, name="Marknad", order=2)
    lead = UserFactory(email="mats@acme.example", name="Mats")
    MembershipFactory(organisation=org, user=lead, role=Membership.Role.MEMBER)
    TeamMembershipFactory(team=marknad, user=lead, is_lead=True)
    TeamMembershipFactory(team=sales, user=cast.member)
    strategic = ObjectiveFactory(
        organisation=org, cycle=year, title="Kommande år vårt starkaste tillväxtår"
    )
    growth = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        unit="MSEK",
        start_value=Decimal(0),
        target_value=Decimal(20),
        rollup="sum",  # fed by its direct children
    )
    values = KeyResultFactory(objective=strategic, title="Öka värdet av befintliga kunder")
    needing = ObjectiveFactory(
        organisation=org,
        level="team",
        team=sales,
        cycle=quarter,
        title="Aggressiv försäljningstillväxt",
        parent_key_result=growth,
        alignment="direct",
        status="approved",
        owner=cast.member,
    )
    recruit = KeyResultFactory(
        objective=needing,
        title="Fakturering nya kunder 4MSEK",
        unit="MSEK",
        start_value=Decimal(0),
        target_value=Decimal(4),
    )
    CheckInFactory(key_result=recruit, value=Decimal(3), confidence="at_risk")
    delivering = ObjectiveFactory(
        organisation=org,
        level="team",
        team=marknad,
        cycle=quarter,
        title="Leverera det marknadsmaterial som behövs för säljtester i Norge",
        parent_objective=strategic,
        status="approved",
    )
    needed_by = quarter.start_date + timedelta(days=20)
    catalogue = KeyResultFactory(
        objective=delivering,
        title="Produktkatalog på norska",
        kind="milestone",
        due_date=needed_by + timedelta(days=28),
    )
    orphan = ObjectiveFactory(
        organisation=org, level="team", team=marknad, cycle=quarter, title="Ett mål utan förälder"
    )
    late = alignment_services.dependency_create(
        organisation=org,
        needing_objective=needing,
        needing_key_result=recruit,
        delivering_objective=delivering,
        delivering_key_result=catalogue,
        description="Den norska säljaren behöver katalogen på norska.",
        needed_by=needed_by,
        created_by=cast.member,
    )
    resolved = alignment_services.dependency_create(
        organisation=org,
        needing_objective=delivering,
        delivering_objective=needing,
        description="Kundlistor",
        needed_by=needed_by + timedelta(days=60),
    )
    alignment_services.dependency_set_state(dependency=resolved, state="resolved")
    other = cast.other_org
    other_quarter = year_and_quarter(other)[1]
    foreign_objective = ObjectiveFactory(
        organisation=other, level="team", cycle=other_quarter, title="Annat"
    )
    foreign = alignment_services.dependency_create(
        organisation=other,
        needing_objective=foreign_objective,
        delivering_objective=ObjectiveFactory(
            organisation=other, level="team", cycle=other_quarter, title="Levererar"
        ),
        description="Något",
        needed_by=needed_by,
    )
    return World(
        year,
        quarter,
        sales,
        marknad,
        lead,
        strategic,
        growth,
        values,
        needing,
        recruit,
        delivering,
        catalogue,
        orphan,
        late,
        resolved,
        foreign,
        foreign_objective,
    )


@pytest.fixture
def world(cast):
    return make_world(cast)


def urls(w: World) -> list[str]:
    return [
        api("acme", "dependencies/"),
        api("acme", f"dependencies/{w.late.uuid}/"),
        api("acme", "alignment/tree/"),
    ]


# --- Tenancy -------------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["session", "token"])
def test_outsider_gets_404_for_every_endpoint_and_method(cast, world, auth):
    outsider = (
        session_api(cast.outsider)
        if auth == "session"
        else token_api(cast.outsider, cast.other_org)
    )
    failures = []
    for url in urls(world):
        for method in ("get", "post", "patch", "put", "delete"):
            status = getattr(outsider, method)(url).status_code
            if status != 404:
                failures.append((method, url, status))
    assert failures == []
    assert Dependency.objects.filter(organisation=cast.org).count() == 2


def test_token_for_another_organisation_is_404_even_for_a_member_of_both(cast, world):
    MembershipFactory(organisation=cast.other_org, user=cast.member)
    client = token_api(cast.member, cast.other_org)
    assert client.get(api("other", "dependencies/")).status_code == 200
    assert client.get(api("other", "alignment/tree/")).status_code == 200
    for url in urls(world):
        for method in ("get", "post", "patch", "delete"):
            assert getattr(client, method)(url).status_code == 404, (method, url)
    assert session_api(cast.member).get(api("acme", "dependencies/")).status_code == 200


def test_another_organisations_dependency_is_404_whatever_the_method(cast, world):
    admin = session_api(cast.admin)
    for code in (world.foreign.uuid, uuid.uuid4()):
        url = api("acme", f"dependencies/{code}/")
        for method in ("get", "patch", "delete", "post", "put"):
            assert getattr(admin, method)(url).status_code == 404, (method, url)
    assert Dependency.objects.filter(pk=world.foreign.pk, state="open").exists()


def test_anonymous_gets_401(world):
    from django.test import Client

    for url in urls(world):
        response = ApiClient(Client()).get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


# --- Dependencies ----------------------------------------------------------------------------------


def test_list_with_the_late_flag_and_filters(cast, world):
    member = session_api(cast.member)
    listed = member.get(api("acme", "dependencies/")).json()
    assert listed["count"] == 2
    first = listed["results"][0]  # open ones first
    assert first["id"] == str(world.late.uuid)
    assert first["late"] is True and first["delivered"] is False
    assert first["delivery_due"] == world.catalogue.due_date.isoformat()
    assert first["needing_team"] == str(world.sales.uuid)
    assert first["needing_team_name"] == "Försäljning"
    assert first["needing_key_result"] == str(world.recruit.uuid)
    assert first["delivering_objective"] == str(world.delivering.uuid)
    assert first["delivering_key_result_title"] == "Produktkatalog på norska"
    assert first["created_by"] == str(cast.member.uuid)
    assert first["can_manage"] is False  # a plain member of the needing team
    second = listed["results"][1]
    assert second["state"] == "resolved" and second["resolved_at"] is not None
    assert second["needing_key_result"] is None and second["needing_key_result_title"] is None

    def ids(**params):
        response = member.get(api("acme", "dependencies/"), params)
        assert response.status_code == 200, response.content
        return {d["id"] for d in response.json()["results"]}

    late, resolved = str(world.late.uuid), str(world.resolved.uuid)
    assert ids(late="true") == {late}
    assert ids(late="false") == {resolved}
    assert ids(state="resolved") == {resolved}
    assert ids(state="open", late="false") == set()
    assert ids(team=str(world.marknad.uuid)) == {late, resolved}
    assert ids(needing_team=str(world.marknad.uuid)) == {resolved}
    assert ids(delivering_team=str(world.marknad.uuid)) == {late}
    assert ids(team=str(TeamFactory(organisation=cast.other_org).uuid)) == set()
    assert ids(ordering="-needed_by") == {late, resolved}
    # The flag goes once the catalogue is done.
    CheckInFactory(key_result=world.catalogue, done=True)
    assert ids(late="true") == set()
    # The lead of the delivering team manages it.
    lead = session_api(world.lead).get(api("acme", f"dependencies/{world.late.uuid}/")).json()
    assert lead["can_manage"] is True


@pytest.mark.parametrize(
    "params,field",
    [
        ({"state": "closed"}, "state"),
        ({"late": "maybe"}, "late"),
        ({"team": "not-a-uuid"}, "team"),
        ({"team": ""}, "team"),
        ({"ordering": "description"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_list_parameters_are_400_with_the_parameter(cast, world, params, field):
    response = session_api(cast.member).get(api("acme", "dependencies/"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_any_member_adds_a_dependency_with_the_pages_rules(cast, world):
    member = session_api(cast.member)
    body = {
        "needing_key_result": str(world.recruit.uuid),
        "delivering_objective": str(world.delivering.uuid),
        "description": "  Prislista i NOK  ",
        "needed_by": "2026-03-01",
    }
    response = member.post(api("acme", "dependencies/"), body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["needing_objective"] == str(world.needing.uuid)  # from its key result
    assert created["needing_key_result"] == str(world.recruit.uuid)
    assert created["delivering_key_result"] is None
    assert created["description"] == "Prislista i NOK"
    assert created["state"] == "open" and created["created_by"] == str(cast.member.uuid)
    dependency = Dependency.objects.get(uuid=created["id"])
    assert dependency.needing_team == world.sales and dependency.delivering_team == world.marknad


def test_bad_dependencies_are_400_with_the_fields_and_add_nothing(cast, world):
    member = session_api(cast.member)
    url = api("acme", "dependencies/")
    closed_year = CycleFactory(organisation=cast.org, year=world.year.year - 1)
    closed_quarter = closed_year.quarters.get(quarter=1)
    Cycle.objects.filter(pk=closed_quarter.pk).update(state="closed")
    in_closed = ObjectiveFactory(
        organisation=cast.org, level="team", team=world.marknad, cycle=closed_quarter
    )
    archived_kr = KeyResultFactory(objective=world.delivering, title="Gammal")
    KeyResult.objects.filter(pk=archived_kr.pk).update(archived=True)
    good = {
        "needing_objective": str(world.needing.uuid),
        "delivering_objective": str(world.delivering.uuid),
        "description": "Material",
        "needed_by": "2026-03-01",
    }
    cases = [
        ({}, {"needing_objective", "delivering_objective", "description", "needed_by"}),
        ({**good, "description": "   "}, {"description"}),
        ({**good, "description": "x" * 2001}, {"description"}),
        ({**good, "description": 12}, {"description"}),
        ({**good, "needed_by": "15/2"}, {"needed_by"}),
        ({**good, "delivering_objective": str(world.needing.uuid)}, {"delivering_objective"}),
        ({**good, "needing_objective": str(world.strategic.uuid)}, {"needing_objective"}),
        ({**good, "needing_objective": str(world.foreign_objective.uuid)}, {"needing_objective"}),
        ({**good, "needing_objective": "nope"}, {"needing_objective"}),
        ({**good, "delivering_objective": str(in_closed.uuid)}, {"delivering_objective"}),
        (
            {**good, "delivering_key_result": str(archived_kr.uuid)},
            {"delivering_key_result"},
        ),
        (
            {**good, "needing_key_result": str(world.catalogue.uuid)},  # another objective's
            {"needing_key_result"},
        ),
        (
            {k: v for k, v in good.items() if k != "needing_objective"},
            {"needing_objective"},
        ),
    ]
    before = Dependency.objects.count()
    for body, fields in cases:
        response = member.post(url, body)
        assert response.status_code == 400, (body, response.content)
        assert set(response.json()) == fields, (body, response.json())
    assert Dependency.objects.count() == before


def test_resolve_reopen_and_delete_by_leadership_and_the_teams_leads_only(cast, world):
    url = api("acme", f"dependencies/{world.late.uuid}/")
    member = session_api(cast.member)  # in the needing team, not its lead
    assert member.get(url).status_code == 200
    assert member.patch(url, {"state": "resolved"}).status_code == 403
    assert member.delete(url).status_code == 403
    assert member.patch(url, {"state": "nonsense"}).status_code == 403  # the role first
    lead = session_api(world.lead)
    response = lead.patch(url, {"state": "resolved"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "resolved" and response.json()["late"] is False
    assert response.json()["resolved_at"] is not None
    for bad in ({"state": "closed"}, {"state": None}, {}, {"state": 1}):
        response = lead.patch(url, bad)
        assert response.status_code == 400 and set(response.json()) == {"state"}, bad
    leader = session_api(cast.leader)
    response = leader.patch(url, {"state": "open"})
    assert response.json()["state"] == "open" and response.json()["resolved_at"] is None
    assert Dependency.objects.get(pk=world.late.pk).state == "open"
    assert lead.delete(url).status_code == 204
    assert not Dependency.objects.filter(pk=world.late.pk).exists()
    assert lead.get(url).status_code == 404
    # Methods the endpoint does not have.
    other = api("acme", f"dependencies/{world.resolved.uuid}/")
    assert leader.put(other, {"state": "open"}).status_code == 405
    assert leader.post(other).status_code == 405


def test_dependency_queries_do_not_grow_with_the_page_size(cast, world):
    org = cast.org
    for i in range(12):
        team = TeamFactory(organisation=org, name=f"Team {i}")
        TeamMembershipFactory(team=team, user=UserFactory(), is_lead=True)
        objective = ObjectiveFactory(organisation=org, level="team", team=team, cycle=world.quarter)
        kr = KeyResultFactory(objective=objective, kind="milestone", due_date=date(2099, 1, 1))
        alignment_services.dependency_create(
            organisation=org,
            needing_objective=world.needing,
            delivering_objective=objective,
            delivering_key_result=kr,
            description=f"Behov {i}",
            needed_by=world.quarter.start_date,
            created_by=cast.member,  # anyone in the organisation adds a dependency
        )
    for user in (cast.admin, world.lead):  # leadership, and a lead (whose teams are looked up)
        client = token_api(user, org)
        url = api("acme", "dependencies/")
        client.get(url)  # the token's first use records last_used_at
        for params in ({}, {"late": "true"}, {"team": str(world.sales.uuid)}):
            small = count_queries(client, url, {**params, "page_size": 2})
            large = count_queries(client, url, {**params, "page_size": 12})
            assert small == large, (user, params, small, large)
            assert large <= 7, (user, params, large)
            print("dependency list queries:", user.email, params, large)


# --- The tree ---------------------------------------------------------------------------------------


def tree(client, **params):
    response = client.get(api("acme", "alignment/tree/"), params)
    assert response.status_code == 200, response.content
    return response.json()


def team_objective_titles(body) -> set[str]:
    titles = set()
    groups = list(body["orphans"])
    for objective in body["strategic_objectives"]:
        groups += objective["teams"]
        for kr in objective["key_results"]:
            groups += kr["teams"]
    for group in groups:
        titles.update(o["title"] for o in group["objectives"])
    return titles


def test_the_tree_as_nested_json(cast, world):
    body = tree(session_api(cast.member))
    assert body["vision"] == "Snabb och miljövänlig kommunikation"
    assert body["mission"] == "Att vara den föredragna partnern"
    assert body["year"]["id"] == str(world.year.uuid) and body["quarter"] is None
    assert [q["quarter"] for q in body["quarters"]] == [1, 2, 3, 4]
    [strategic] = body["strategic_objectives"]
    assert strategic["id"] == str(world.strategic.uuid)
    assert strategic["url"] == f"http://testserver/acme/objectives/{world.strategic.uuid}/"
    assert strategic["api_url"] == (
        f"http://testserver/api/v1/acme/objectives/{world.strategic.uuid}/"
    )
    assert strategic["covered"] is True
    growth, values = strategic["key_results"]
    assert growth["id"] == str(world.growth.uuid) and growth["covered"] is True
    assert values["covered"] is False
    assert growth["target_value"] == "20" and growth["unit"] == "MSEK"
    assert growth["url"].endswith(f"/acme/key-results/{world.growth.uuid}/")
    # Försäljning's objective hangs under the key result, directly, adding its number.
    [group] = growth["teams"]
    assert group["team"] == str(world.sales.uuid) and group["team_name"] == "Försäljning"
    [selling] = group["objectives"]
    assert selling["id"] == str(world.needing.uuid)
    assert selling["alignment"] == "direct" and selling["status"] == "approved"
    assert selling["cycle"] == str(world.quarter.uuid)
    assert selling["owner"] == str(cast.member.uuid)
    assert selling["confidence"] == "at_risk" and selling["at_risk"] is True
    [invoicing] = selling["key_results"]
    assert invoicing["progress"] == pytest.approx(0.75)
    assert invoicing["contribution"] == {
        "value": "3",
        "into": str(world.growth.uuid),
        "unit": "MSEK",
    }
    assert growth["direct_total"] == "3" and growth["direct_count"] == 1
    # Marknad's objective supports the strategic objective itself (indirectly).
    [marknad] = strategic["teams"]
    assert marknad["objectives"][0]["id"] == str(world.delivering.uuid)
    assert marknad["objectives"][0]["alignment"] == "indirect"
    catalogue = marknad["objectives"][0]["key_results"][0]
    assert catalogue["kind"] == "milestone" and catalogue["contribution"] is None
    # Orphans and what no team supports.
    [orphans] = body["orphans"]
    assert [o["title"] for o in orphans["objectives"]] == ["Ett mål utan förälder"]
    assert orphans["objectives"][0]["orphan_reason"] == "none"
    assert body["uncovered_objectives"] == []
    assert body["uncovered_key_results"] == [
        {
            "id": str(world.values.uuid),
            "title": "Öka värdet av befintliga kunder",
            "objective": str(world.strategic.uuid),
        }
    ]
    # The open dependency, flagged late.
    [dependency] = body["dependencies"]
    assert dependency["id"] == str(world.late.uuid) and dependency["late"] is True
    assert dependency["needing_node"] == str(world.recruit.uuid)
    assert dependency["delivering_team_name"] == "Marknad"


def test_tree_filters_narrow_what_is_shown_not_coverage(cast, world):
    member = session_api(cast.member)
    everything = {
        "Aggressiv försäljningstillväxt",
        "Leverera det marknadsmaterial som behövs för säljtester i Norge",
        "Ett mål utan förälder",
    }
    assert team_objective_titles(tree(member)) == everything
    by_team = tree(member, team=str(world.sales.uuid))
    assert team_objective_titles(by_team) == {"Aggressiv försäljningstillväxt"}
    assert by_team["strategic_objectives"][0]["covered"] is True  # coverage is the period's
    assert team_objective_titles(tree(member, status="draft")) == {"Ett mål utan förälder"}
    at_risk = team_objective_titles(tree(member, at_risk="true"))
    assert "Aggressiv försäljningstillväxt" in at_risk  # its key result is at risk
    assert "Ett mål utan förälder" not in at_risk  # nothing measured, nothing at risk
    assert team_objective_titles(tree(member, owner=str(cast.member.uuid))) == {
        "Aggressiv försäljningstillväxt"
    }
    body = tree(member, quarter=str(world.quarter.quarter), year=str(world.year.year))
    assert body["quarter"]["id"] == str(world.quarter.uuid)
    assert team_objective_titles(body) == everything
    other_quarter = 1 if world.quarter.quarter != 1 else 2
    body = tree(member, quarter=str(other_quarter))
    assert team_objective_titles(body) == set()
    assert {o["id"] for o in body["uncovered_objectives"]} == {str(world.strategic.uuid)}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"year": "1999"}, "year"),
        ({"year": "2090"}, "year"),  # no such year in the organisation
        ({"year": "2026.0"}, "year"),
        ({"quarter": "5"}, "quarter"),
        ({"quarter": ""}, "quarter"),
        ({"team": "x"}, "team"),
        ({"team": ""}, "team"),
        ({"team": str(uuid.uuid4())}, "team"),
        ({"status": "archived"}, "status"),
        ({"at_risk": "on"}, "at_risk"),
        ({"owner": str(uuid.uuid4())}, "owner"),
    ],
)
def test_bad_tree_parameters_are_400_with_the_parameter(cast, world, params, field):
    response = session_api(cast.member).get(api("acme", "alignment/tree/"), params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_tree_team_and_owner_of_another_organisation_are_400(cast, world):
    member = session_api(cast.member)
    other_team = TeamFactory(organisation=cast.other_org)
    response = member.get(
        api("acme", "alignment/tree/"),
        {"team": str(other_team.uuid), "owner": str(cast.outsider.uuid)},
    )
    assert response.status_code == 400 and set(response.json()) == {"team", "owner"}


def test_tree_without_cycles_is_empty(cast):
    body = tree(session_api(cast.member))
    assert body["year"] is None and body["quarters"] == []
    assert body["strategic_objectives"] == [] and body["orphans"] == []
    assert body["uncovered_objectives"] == [] and body["dependencies"] == []


def test_tree_is_read_only(cast, world):
    leader = session_api(cast.leader)
    for method in ("post", "patch", "put", "delete"):
        assert getattr(leader, method)(api("acme", "alignment/tree/")).status_code == 405


def test_tree_queries_do_not_grow_with_the_organisation(cast, world):
    client = token_api(cast.member, cast.org)
    url = api("acme", "alignment/tree/")
    client.get(url)  # the token's first use records last_used_at
    filtered = {"team": str(world.sales.uuid), "at_risk": "true"}
    before = (count_queries(client, url, {}), count_queries(client, url, filtered))
    org = cast.org
    for i in range(12):
        team = TeamFactory(organisation=org, name=f"Växt {i}")
        MembershipFactory(organisation=org, user=UserFactory())
        for _j in range(2):
            objective = ObjectiveFactory(
                organisation=org,
                level="team",
                team=team,
                cycle=world.quarter,
                parent_key_result=world.growth,
                alignment="direct",
                status="approved",
            )
            for k in range(3):
                kr = KeyResultFactory(objective=objective, unit="MSEK")
                CheckInFactory(key_result=kr, value=Decimal(k), confidence="at_risk")
    after = (count_queries(client, url, {}), count_queries(client, url, filtered))
    assert after == before
    assert max(after) <= 12, after
    print("tree queries (plain, filtered):", after)
    assert len(team_objective_titles(tree(client))) == 3 + 24


def test_new_operations_are_documented(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/{org_slug}/dependencies/"]) >= {"get", "post"}
    assert set(paths["/api/v1/{org_slug}/dependencies/{code}/"]) >= {"get", "patch", "delete"}
    assert set(paths["/api/v1/{org_slug}/alignment/tree/"]) >= {"get"}
