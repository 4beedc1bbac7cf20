"""Approved stays approved: a material change to an approved team objective or key result
(target, kind, direction, commitment, parent) by anyone but leadership sends it back to
leadership; text fixes stay approved and are recorded; leadership's own changes are
recorded as "changed after approval". The same rule on the workshop page and the API.
"""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import KeyResult, Objective, ObjectiveEvent
from okr.objectives import services
from okr.workshop import services as services_workshop
from tests.support.factories import (
    TeamFactory,
    TeamMembershipFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PILOTS = "5 signerade norska pilotkunder"


class Norway:
    """The team's approved objective with Per's committed key result "5 signerade norska pilotkunder".

    Per is ``cast.member`` (in the cast's team, owner of the key result, not its lead);
    ``cast.lead`` leads the team.
    """

    def __init__(self, cast):
        self.cast = cast
        self.org = cast.org
        self.year, self.quarter = year_and_quarter(cast.org)
        self.strategic = strategic_objective(cast.org, self.year, title="Marknadstest i Norge")
        self.sales = metric_kr(self.strategic, title="20MSEK försäljning till nya kunder")
        self.other_parent = strategic_objective(
            cast.org, self.year, title="Leverera branschens bästa upplevelse"
        )
        self.team = cast.team
        self.lead = cast.lead
        self.per = cast.member
        self.objective = services_workshop.workshop_objective_create(
            organisation=self.org,
            team=self.team,
            cycle=self.quarter,
            title="Etablera oss i Norge",
            author=self.lead,
            owner=self.lead,
            parent_objective=self.strategic,
        )
        self.pilots = metric_kr(
            self.objective,
            title=PILOTS,
            owner=self.per,
            start=0,
            target=5,
            unit="kunder",
            commitment="committed",
        )
        services_workshop.objective_submit(
            organisation=self.org, team=self.team, cycle=self.quarter, author=self.lead
        )
        self.objective.refresh_from_db()
        services_workshop.objective_approve(objective=self.objective, author=cast.leader)
        self.refresh()

    def refresh(self):
        self.objective.refresh_from_db()
        self.pilots.refresh_from_db()

    def workshop(self):
        url = reverse("okr:team_workshop", args=["acme", self.team.uuid])
        return f"{url}?quarter={self.quarter.uuid}"

    def kr_form(self, **overrides):
        kr = self.pilots
        data = {
            "title": kr.title,
            "kind": kr.kind,
            "unit": kr.unit,
            "direction": kr.direction,
            "start_value": "0",
            "target_value": "5",
            "due_date": "",
            "steps_total": "",
            "commitment": kr.commitment,
            "owner": str(kr.owner_id),
            "version": str(kr.version),
        }
        data.update(overrides)
        return data

    def objective_form(self, **overrides):
        objective = self.objective
        data = {
            "quarter": str(self.quarter.uuid),
            "title": objective.title,
            "why": objective.why,
            "owner": str(objective.owner_id),
            "parent": f"objective:{self.strategic.uuid}",
            "alignment": objective.alignment,
            "version": str(objective.version),
        }
        data.update(overrides)
        return data

    def events(self):
        return list(self.objective.events.order_by("created_at", "id"))


@pytest.fixture
def n(cast):
    return Norway(cast)


def url(name, code):
    return reverse(f"okr:{name}", args=["acme", code])


def body(response) -> str:
    return response.content.decode()


def change(event, field):
    return next(c for c in event.changes if c["field"] == field)


# --- The rule on the workshop page --------------------------------------------------------------


def test_a_members_target_change_sends_the_approved_objective_back_to_leadership(n):
    assert n.objective.status == Objective.Status.APPROVED
    response = client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(target_value="2")
    )
    assert response.status_code == 302
    n.refresh()
    assert n.pilots.target_value == Decimal(2)  # the change is kept...
    assert n.objective.status == Objective.Status.PROPOSED  # ...and waits for leadership again
    event = n.events()[-1]
    assert (event.from_status, event.to_status, event.author) == ("approved", "proposed", n.per)
    assert event.kind == ObjectiveEvent.Kind.REAPPROVAL
    target = change(event, "target_value")
    assert (target["before"], target["after"]) == ("5", "2")
    assert target["object"] == "key_result" and target["title"] == PILOTS


def test_the_approval_queue_shows_the_change_as_before_and_after(n):
    client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(target_value="2")
    )
    html = body(client_for(n.cast.leader).get(reverse("okr:approvals", args=["acme"])))
    start = html.index(f'id="approval-{n.objective.uuid}"')
    item = html[start : html.index('class="actions queue-actions"', start)]
    assert "Changed after approval" in item
    assert re.search(r'<del class="change-before">[^<]*\b5\b', item), item
    assert re.search(r'<ins class="change-after">[^<]*\b2\b', item), item
    assert PILOTS in item and "Target" in item
    # Leadership approves the changed set again: approved, and the queue is empty.
    client_for(n.cast.leader).post(url("approval_approve", n.objective.uuid))
    n.refresh()
    assert n.objective.status == Objective.Status.APPROVED


def test_owner_and_lead_see_that_it_awaits_approval(n):
    client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(target_value="2")
    )
    for person in (n.per, n.lead):
        html = body(client_for(person).get(n.workshop()))
        assert "awaits approval again" in html, person
        detail = body(client_for(person).get(url("objective_detail", n.objective.uuid)))
        assert "awaits approval again" in detail, person


def test_the_htmx_save_answers_with_the_card_now_proposed(n):
    response = client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(commitment="aspirational"), **HTMX
    )
    assert response.status_code == 200
    html = body(response)
    assert "awaits approval again" in html
    n.refresh()
    assert n.objective.status == Objective.Status.PROPOSED


@pytest.mark.parametrize(
    ("field", "value", "before", "after"),
    [
        ("direction", "decrease", "increase", "decrease"),
        ("commitment", "aspirational", "committed", "aspirational"),
    ],
)
def test_direction_and_commitment_are_material_too(n, field, value, before, after):
    data = n.kr_form(**{field: value})
    if field == "direction":
        data |= {"start_value": "5", "target_value": "0"}
    response = client_for(n.lead).post(url("workshop_key_result_edit", n.pilots.uuid), data)
    assert response.status_code == 302
    n.refresh()
    assert n.objective.status == Objective.Status.PROPOSED
    recorded = change(n.events()[-1], field)
    assert (recorded["before"], recorded["after"]) == (before, after)


def test_kind_is_material(n):
    response = client_for(n.lead).post(
        url("workshop_key_result_edit", n.pilots.uuid),
        n.kr_form(kind="milestone", start_value="", target_value="", due_date="2026-12-15"),
    )
    assert response.status_code == 302
    n.refresh()
    assert n.pilots.kind == KeyResult.Kind.MILESTONE
    assert n.objective.status == Objective.Status.PROPOSED
    assert change(n.events()[-1], "kind")["after"] == "milestone"


def test_the_leads_parent_change_sends_it_back(n):
    response = client_for(n.lead).post(
        url("workshop_objective_edit", n.objective.uuid),
        n.objective_form(parent=f"objective:{n.other_parent.uuid}"),
    )
    assert response.status_code == 302
    n.refresh()
    assert n.objective.parent_objective == n.other_parent
    assert n.objective.status == Objective.Status.PROPOSED
    parent = change(n.events()[-1], "parent")
    assert (parent["before"], parent["after"]) == (
        "Marknadstest i Norge",
        "Leverera branschens bästa upplevelse",
    )


def test_a_text_fix_stays_approved_and_is_recorded(n):
    response = client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid),
        n.kr_form(title="5 signerade norska pilotkunder (avtal)"),
    )
    assert response.status_code == 302
    n.refresh()
    assert n.objective.status == Objective.Status.APPROVED
    event = n.events()[-1]
    assert (event.from_status, event.to_status, event.kind) == (
        "approved",
        "approved",
        ObjectiveEvent.Kind.TEXT_FIX,
    )
    title = change(event, "title")
    assert (title["before"], title["after"]) == (PILOTS, "5 signerade norska pilotkunder (avtal)")
    # A save that changes nothing records nothing.
    count = len(n.events())
    client_for(n.per).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(title=n.pilots.title)
    )
    assert len(n.events()) == count


def test_leaderships_own_change_stays_approved_and_reads_changed_after_approval(n):
    response = client_for(n.cast.leader).post(
        url("workshop_key_result_edit", n.pilots.uuid), n.kr_form(target_value="3")
    )
    assert response.status_code == 302
    n.refresh()
    assert n.objective.status == Objective.Status.APPROVED
    event = n.events()[-1]
    assert (event.from_status, event.to_status, event.author) == (
        "approved",
        "approved",
        n.cast.leader,
    )
    assert event.kind == ObjectiveEvent.Kind.AMENDED
    assert (change(event, "target_value")["before"], change(event, "target_value")["after"]) == (
        "5",
        "3",
    )
    html = body(client_for(n.lead).get(n.workshop()))
    assert "Changed after approval" in html
    assert "awaits approval again" not in html


def test_drafts_change_freely_without_events(cast):
    _year, quarter = year_and_quarter(cast.org)
    team = TeamFactory(organisation=cast.org)
    TeamMembershipFactory(team=team, user=cast.member)
    draft = services_workshop.workshop_objective_create(
        organisation=cast.org, team=team, cycle=quarter, title="Utkast", author=cast.member
    )
    kr = metric_kr(draft, title="10 kunder", start=0, target=10, owner=cast.member)
    services.key_result_update(
        key_result=kr, version=kr.version, author=cast.member, target_value=Decimal(8)
    )
    draft.refresh_from_db()
    assert draft.status == Objective.Status.DRAFT
    assert draft.events.count() == 1  # only "created as a draft"


# --- The same rule through the API --------------------------------------------------------------


def patch(user, path, data):
    return client_for(user).patch(
        f"/api/v1/acme/{path}", data=json.dumps(data), content_type="application/json"
    )


def test_the_api_applies_the_same_rule(n):
    response = patch(
        n.per, f"key-results/{n.pilots.uuid}/", {"version": n.pilots.version, "target_value": "2"}
    )
    assert response.status_code == 200, response.content
    n.refresh()
    assert n.objective.status == Objective.Status.PROPOSED
    event = n.events()[-1]
    assert event.kind == ObjectiveEvent.Kind.REAPPROVAL and event.author == n.per
    assert (change(event, "target_value")["before"], change(event, "target_value")["after"]) == (
        "5",
        "2",
    )


def test_the_api_parent_change_by_the_lead_sends_it_back(n):
    response = patch(
        n.lead,
        f"objectives/{n.objective.uuid}/",
        {"version": n.objective.version, "parent_objective": str(n.other_parent.uuid)},
    )
    assert response.status_code == 200, response.content
    n.refresh()
    assert n.objective.status == Objective.Status.PROPOSED
    assert n.events()[-1].kind == ObjectiveEvent.Kind.REAPPROVAL


def test_the_api_text_fix_stays_approved(n):
    response = patch(
        n.lead,
        f"objectives/{n.objective.uuid}/",
        {"version": n.objective.version, "why": "Norge är vår första exportmarknad"},
    )
    assert response.status_code == 200, response.content
    n.refresh()
    assert n.objective.status == Objective.Status.APPROVED
    assert n.events()[-1].kind == ObjectiveEvent.Kind.TEXT_FIX


def test_the_api_leadership_change_stays_approved(n):
    response = patch(
        n.cast.leader,
        f"key-results/{n.pilots.uuid}/",
        {"version": n.pilots.version, "commitment": "aspirational"},
    )
    assert response.status_code == 200, response.content
    n.refresh()
    assert n.objective.status == Objective.Status.APPROVED
    assert n.events()[-1].kind == ObjectiveEvent.Kind.AMENDED
