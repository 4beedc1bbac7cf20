"""The team workshop: drafting a quarter's OKRs as cards, parent picker, coach, parking lot, submit."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from okr import coach
from okr.models import Cycle, Initiative, KeyResult, Objective, ObjectiveEvent, ParkingLotItem
from okr.objectives import services
from okr.workshop import selectors as queries
from okr.workshop import services as services_workshop
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GROWTH = "Kommande år vårt starkaste tillväxtår någonsin"
SALES = "20MSEK försäljning till nya kunder"


class Setup:
    """A team (Marknad) with a lead and a member, a reader outside the team, this year's strategy."""

    def __init__(self, cast):
        self.cast = cast
        self.org = cast.org
        self.year, self.quarter = year_and_quarter(cast.org)
        self.growth = strategic_objective(cast.org, self.year, title=GROWTH)
        self.sales = metric_kr(self.growth, title=SALES)
        self.team = TeamFactory(organisation=cast.org, name="Marknad")
        self.lead = UserFactory(email="mats@acme.example", name="Mats Lead")
        MembershipFactory(organisation=cast.org, user=self.lead)
        TeamMembershipFactory(team=self.team, user=self.lead, is_lead=True)
        TeamMembershipFactory(team=self.team, user=cast.member)
        self.reader = UserFactory(email="reader@acme.example", name="Rita Reader")
        MembershipFactory(organisation=cast.org, user=self.reader)

    def objective(self, title="Stärk relationen till våra befintliga kunder", **fields):
        return services_workshop.workshop_objective_create(
            organisation=self.org,
            team=self.team,
            cycle=self.quarter,
            title=title,
            author=self.lead,
            **fields,
        )

    def page(self, **query):
        query.setdefault("quarter", self.quarter.uuid)
        url = reverse("okr:team_workshop", args=["acme", self.team.uuid])
        return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


@pytest.fixture
def ws(cast):
    return Setup(cast)


def url(name, code=None, org="acme"):
    return reverse(f"okr:{name}", args=[org] if code is None else [org, code])


def objective_data(ws, **overrides):
    data = {
        "quarter": str(ws.quarter.uuid),
        "title": "Bygg förtroende för DPABs leverans",
        "why": "",
        "owner": "",
        "parent": f"key_result:{ws.sales.uuid}",
        "alignment": "indirect",
        "version": "",
    }
    data.update(overrides)
    return data


def kr_data(**overrides):
    data = {
        "title": "Nå 1000 beslutsfattare med vårt budskap",
        "kind": "metric",
        "unit": "st",
        "direction": "increase",
        "start_value": "0",
        "target_value": "1000",
        "due_date": "",
        "steps_total": "",
        "commitment": "aspirational",
        "owner": "",
        "version": "",
    }
    data.update(overrides)
    return data


# --- reading -------------------------------------------------------------------------------------


def test_team_member_sees_the_workshop_with_strategy_and_editing(ws):
    objective = ws.objective(parent_key_result=ws.sales, alignment="direct")
    metric_kr(objective, title="Skriva fem blogginlägg", target=5, unit="st")
    response = client_for(ws.cast.member).get(ws.page())
    assert response.status_code == 200
    html = body(response)
    assert "Stärk relationen till våra befintliga kunder" in html
    # The strategy beside the drafts: vision, mission and this year's strategic OKRs.
    assert ws.org.vision in html and ws.org.mission in html
    assert GROWTH in html and SALES in html
    # The parent's text is on the card.
    assert "Supports" in html and f"key result of “{GROWTH}”" in html
    # Editing: forms, the live coach (okr:coach), saved hints, the parking lot.
    assert url("workshop_objective_new", ws.team.uuid) in html
    assert url("workshop_objective_edit", objective.uuid) in html
    assert f'hx-post="{url("coach")}"' in html
    assert 'data-code="kr_activity"' in html
    assert url("workshop_parking_add", ws.team.uuid) in html
    assert 'name="parent"' in html
    # A plain member may not submit.
    assert url("workshop_submit", ws.team.uuid) not in html
    assert reverse("okr:workshop", args=["acme"]) in html  # nav link


def test_other_members_read_only(ws):
    objective = ws.objective()
    kr = metric_kr(objective, title="Skicka 3 nyhetsbrev")
    response = client_for(ws.reader).get(ws.page())
    assert response.status_code == 200
    html = body(response)
    assert "Stärk relationen till våra befintliga kunder" in html and "Skicka 3 nyhetsbrev" in html
    assert "You are reading Marknad" in html
    for name, code in [
        ("workshop_objective_new", ws.team.uuid),
        ("workshop_objective_edit", objective.uuid),
        ("workshop_key_result_edit", kr.uuid),
        ("workshop_parking_add", ws.team.uuid),
        ("workshop_submit", ws.team.uuid),
    ]:
        assert url(name, code) not in html
    assert "coach-hint" not in html


def test_readers_get_403_for_every_write(ws):
    objective = ws.objective()
    kr = metric_kr(objective)
    item = services_workshop.parking_lot_add(
        organisation=ws.org, team=ws.team, cycle=ws.quarter, text="Idé", author=ws.lead
    )
    client = client_for(ws.reader)
    data = {**objective_data(ws), **kr_data(), "direction": "up", "into": "key_result"}
    for target in [
        url("workshop_objective_new", ws.team.uuid),
        url("workshop_objective_edit", objective.uuid),
        url("workshop_objective_move", objective.uuid),
        url("workshop_objective_archive", objective.uuid),
        url("workshop_key_result_new", objective.uuid),
        url("workshop_key_result_edit", kr.uuid),
        url("workshop_key_result_move", kr.uuid),
        url("workshop_key_result_archive", kr.uuid),
        url("workshop_parking_add", ws.team.uuid),
        url("workshop_parking_convert", item.uuid),
        url("workshop_parking_discard", item.uuid),
        url("workshop_submit", ws.team.uuid),
    ]:
        assert client.post(target, data).status_code == 403, target
        assert client.post(target, data, **HTMX).status_code == 403, target
    objective.refresh_from_db()
    item.refresh_from_db()
    assert objective.title == "Stärk relationen till våra befintliga kunder"
    assert objective.status == "draft" and item.state == "open"
    assert Objective.objects.filter(level="team").count() == 1


def all_new_urls(ws, objective, kr, item):
    return [
        url("workshop"),
        url("team_workshop", ws.team.uuid),
        url("workshop_objective_new", ws.team.uuid),
        url("workshop_submit", ws.team.uuid),
        url("workshop_parking_add", ws.team.uuid),
        url("workshop_objective_edit", objective.uuid),
        url("workshop_objective_move", objective.uuid),
        url("workshop_objective_archive", objective.uuid),
        url("workshop_key_result_new", objective.uuid),
        url("workshop_key_result_edit", kr.uuid),
        url("workshop_key_result_move", kr.uuid),
        url("workshop_key_result_archive", kr.uuid),
        url("workshop_parking_convert", item.uuid),
        url("workshop_parking_discard", item.uuid),
        url("presentation"),
        url("approvals"),
        url("approval_approve", objective.uuid),
        url("approval_request_changes", objective.uuid),
        url("approval_team", ws.team.uuid),
    ]


def test_outsider_gets_404_on_every_new_url(ws):
    objective = ws.objective()
    kr = metric_kr(objective)
    item = services_workshop.parking_lot_add(
        organisation=ws.org, team=ws.team, cycle=ws.quarter, text="Idé", author=ws.lead
    )
    client = client_for(ws.cast.outsider)
    for target in all_new_urls(ws, objective, kr, item):
        assert client.get(target).status_code == 404, target
        assert client.post(target, {"direction": "up", "comment": "x"}).status_code == 404, target
        assert client.post(target, {"direction": "up"}, **HTMX).status_code == 404, target
    objective.refresh_from_db()
    assert objective.status == "draft"


def test_another_organisations_ids_are_404(ws):
    other_team = TeamFactory(organisation=ws.cast.other_org)
    other_year, other_quarter = year_and_quarter(ws.cast.other_org)
    theirs = services_workshop.workshop_objective_create(
        organisation=ws.cast.other_org,
        team=other_team,
        cycle=other_quarter,
        title="Deras mål",
        author=None,
    )
    their_kr = metric_kr(theirs, title="Deras resultat")
    their_item = services_workshop.parking_lot_add(
        organisation=ws.cast.other_org, team=other_team, cycle=other_quarter, text="x", author=None
    )
    client = client_for(ws.cast.leader)
    for target in all_new_urls(ws, theirs, their_kr, their_item):
        if str(ws.team.uuid) in target or target.endswith(
            ("/workshop/", "/kick-off/", "/approvals/")
        ):
            continue
        assert client.get(target).status_code == 404, target
        assert client.post(target, {"direction": "up", "comment": "x"}).status_code == 404, target
    assert client.get(url("team_workshop", other_team.uuid)).status_code == 404
    # A quarter of another organisation in the query string is not found either.
    assert client.get(ws.page(quarter=other_quarter.uuid)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Deras mål" and theirs.status == "draft"


def test_index_lists_own_teams_first_and_all_teams(ws):
    TeamFactory(organisation=ws.org, name="Aaa Produktion")
    ws.objective()
    html = body(client_for(ws.cast.member).get(url("workshop")))
    assert "Your teams" in html and "Other teams" in html
    assert html.index("Marknad") < html.index("Aaa Produktion")
    assert url("team_workshop", ws.team.uuid) in html
    html = body(client_for(ws.reader).get(url("workshop")))
    assert "Your teams" not in html and "Marknad" in html and "Aaa Produktion" in html


def test_reading_never_writes_and_the_first_post_creates_the_year(cast):
    team = TeamFactory(organisation=cast.org)
    TeamMembershipFactory(team=team, user=cast.member)
    client = client_for(cast.member)
    base = url("team_workshop", team.uuid)
    for query in ["", "?quarter=nonsense", "?quarter=2031-Q2", "?quarter=1999-Q9"]:
        response = client.get(base + query)
        assert response.status_code == 200, query
        assert "empty-state" in body(response)
    assert Cycle.objects.count() == 0
    assert 'value="2031-Q2" selected' in body(client.get(base + "?quarter=2031-Q2"))
    # Bad input writes nothing either: the form says why and keeps the quarter.
    response = client.post(
        url("workshop_objective_new", team.uuid), {"quarter": "2031-Q2", "title": " "}, **HTMX
    )
    assert response.status_code == 200 and "This field is required." in body(response)
    assert 'name="quarter" value="2031-Q2"' in body(response)
    client.post(url("workshop_submit", team.uuid), {"quarter": "2031-Q2"})  # member: 403
    assert Cycle.objects.count() == 0
    response = client.post(
        url("workshop_objective_new", team.uuid),
        {"quarter": "2031-Q2", "title": "Kraftigt ökad synlighet", "alignment": "indirect"},
    )
    assert response.status_code == 302
    objective = Objective.objects.get(title="Kraftigt ökad synlighet")
    assert (objective.cycle.year, objective.cycle.quarter, objective.status) == (2031, 2, "draft")
    assert objective.level == "team" and objective.team == team
    assert response.url.endswith(f"?quarter={objective.cycle.uuid}#objective-{objective.uuid}")
    assert list(objective.events.values_list("from_status", "to_status")) == [("", "draft")]


def test_default_quarter_is_current_or_next_when_planning_started(cast):
    org = cast.org  # fiscal year starts in January
    choice = queries.choose_quarter(org, None, today=date(2026, 5, 10))
    assert choice.selected.key == (2026, 2) and choice.selected.cycle is None
    assert [o.key for o in choice.options] == [(2026, q) for q in range(1, 5)] + [
        (2027, q) for q in range(1, 5)
    ]
    # Two weeks before the quarter ends, the workshop plans the next one.
    assert queries.choose_quarter(org, None, today=date(2026, 6, 20)).selected.key == (2026, 3)
    # A team objective in the next quarter means planning has started.
    year = services.cycle_year_get_or_create(organisation=org, year=2026)
    q3 = year.quarters.get(quarter=3)
    services.objective_create(
        organisation=org, cycle=q3, level="team", team=TeamFactory(organisation=org), title="Nästa"
    )
    choice = queries.choose_quarter(org, None, today=date(2026, 5, 10))
    assert choice.selected.key == (2026, 3) and choice.selected.cycle == q3
    assert choice.selected.token == str(q3.uuid)
    assert queries.choose_quarter(org, "2026-Q1", today=date(2026, 5, 10)).selected.key == (2026, 1)


# --- parent picker -----------------------------------------------------------------------------------


def test_parent_picker_offers_only_this_years_strategic_okrs_of_the_organisation(ws):
    next_year = services.cycle_year_get_or_create(organisation=ws.org, year=ws.year.year + 1)
    later = strategic_objective(ws.org, next_year, title="Nästa års mål")
    other_year, _q = year_and_quarter(ws.cast.other_org)
    foreign = strategic_objective(ws.cast.other_org, other_year, title="Främmande mål")
    foreign_kr = metric_kr(foreign, title="Främmande resultat")
    html = body(client_for(ws.cast.member).get(ws.page()))
    assert f'value="objective:{ws.growth.uuid}"' in html
    assert f'value="key_result:{ws.sales.uuid}"' in html
    assert f"Key result: {SALES}" in html
    assert str(later.uuid) not in html and "Främmande" not in html

    client = client_for(ws.cast.member)
    for bad in (
        f"key_result:{foreign_kr.uuid}",
        f"objective:{foreign.uuid}",
        f"objective:{later.uuid}",
        "objective:not-a-uuid",
        "nonsense",
    ):
        for extra in ({}, HTMX):
            response = client.post(
                url("workshop_objective_new", ws.team.uuid),
                objective_data(ws, title="Mitt mål", parent=bad),
                **extra,
            )
            assert response.status_code == 200, bad
            html = body(response)
            assert "Choose a strategic objective or one of its key results of this year." in html
            assert 'value="Mitt mål"' in html  # what was typed is kept
    assert not Objective.objects.filter(title="Mitt mål").exists()


def test_create_objective_with_a_parent_in_place(ws):
    client = client_for(ws.cast.member)
    response = client.post(
        url("workshop_objective_new", ws.team.uuid),
        objective_data(ws, parent=f"objective:{ws.growth.uuid}", alignment="direct"),
        **HTMX,
    )
    assert response.status_code == 200
    html = body(response)
    objective = Objective.objects.get(title="Bygg förtroende för DPABs leverans")
    assert "<html" not in html
    assert "Objective added: Bygg förtroende för DPABs leverans" in html
    assert 'hx-swap-oob="beforeend:#objective-list"' in html and GROWTH in html
    assert 'id="set-hints" hx-swap-oob="innerHTML"' in html
    assert (objective.parent_objective, objective.alignment, objective.status) == (
        ws.growth,
        "direct",
        "draft",
    )
    assert objective.team == ws.team and objective.cycle == ws.quarter
    event = objective.events.get()
    assert (event.to_status, event.author) == ("draft", ws.cast.member)


def test_edit_objective_changes_the_parent(ws):
    objective = ws.objective(parent_objective=ws.growth)
    client = client_for(ws.cast.member)
    form = client.get(url("workshop_objective_edit", objective.uuid), **HTMX)
    assert form.status_code == 200
    assert f'<option value="objective:{ws.growth.uuid}" selected' in body(form)
    response = client.post(
        url("workshop_objective_edit", objective.uuid),
        objective_data(ws, title="Ny titel", parent=f"key_result:{ws.sales.uuid}", version=1),
        **HTMX,
    )
    assert response.status_code == 200 and "Ny titel" in body(response)
    objective.refresh_from_db()
    assert (objective.title, objective.parent_key_result, objective.parent_objective) == (
        "Ny titel",
        ws.sales,
        None,
    )
    # Without JavaScript: the page with the form in place, then a redirect.
    page = client.get(url("workshop_objective_edit", objective.uuid))
    assert page.status_code == 200 and 'value="Ny titel"' in body(page) and "<html" in body(page)


# --- coach -------------------------------------------------------------------------------------------


def test_coach_hints_for_an_activity_from_the_workshop_key_result_form(ws):
    ws.org.language = "sv"
    ws.org.save()
    objective = ws.objective()
    client = client_for(ws.cast.member)
    form = body(client.get(url("workshop_key_result_new", objective.uuid), **HTMX))
    hints_id = f"kr-new-{objective.uuid}-hints"
    assert f'hx-post="{url("coach")}"' in form
    assert f'hx-target="#{hints_id}"' in form and 'hx-trigger="input changed delay:400ms"' in form
    assert f'id="{hints_id}"' in form and 'aria-live="polite"' in form
    # What htmx sends as the team types: the form's fields plus kind=key_result (hx-vals wins).
    response = client.post(
        url("coach"), {**kr_data(title="Skriva fem blogginlägg"), "kind": "key_result"}, **HTMX
    )
    assert response.status_code == 200
    assert 'data-code="kr_activity"' in body(response)
    message = coach.message("kr_activity", "sv")
    assert message.split(".")[0] in body(response)
    # A hint is advice: the key result saves anyway.
    response = client.post(
        url("workshop_key_result_new", objective.uuid),
        kr_data(title="Skriva fem blogginlägg", target_value="5"),
    )
    assert response.status_code == 302
    assert objective.key_results.filter(title="Skriva fem blogginlägg").exists()


def test_set_level_hints(ws):
    for i in range(5):
        objective = ws.objective(title=f"Mål nummer {i}", parent_objective=ws.growth)
        metric_kr(objective, title=f"Resultat {i}a")
        metric_kr(objective, title=f"Resultat {i}b")
    orphan_free = body(client_for(ws.cast.member).get(ws.page()))
    assert 'data-code="too_many_objectives"' in orphan_free
    assert "You have 5 objectives" in orphan_free
    assert 'data-code="objective_without_parent"' not in orphan_free
    ws.objective(title="Ett mål utan förälder")
    html = body(client_for(ws.cast.member).get(ws.page()))
    assert 'data-code="objective_without_parent"' in html
    assert 'data-code="too_few_key_results"' in html
    assert "Not linked to a strategic objective" in html


def test_few_objectives_hint(ws):
    ws.objective(parent_objective=ws.growth)
    html = body(client_for(ws.cast.member).get(ws.page()))
    assert 'data-code="too_few_objectives"' in html


# --- parking lot ------------------------------------------------------------------------------


def test_parking_lot_add_convert_and_discard(ws):
    objective = ws.objective(parent_objective=ws.growth)
    target_kr = metric_kr(objective, title="Nå 1000 beslutsfattare med vårt budskap", target=1000)
    client = client_for(ws.cast.member)
    response = client.post(
        url("workshop_parking_add", ws.team.uuid),
        {"quarter": str(ws.quarter.uuid), "text": "Skriva fem blogginlägg"},
        **HTMX,
    )
    assert response.status_code == 200 and "Parked: Skriva fem blogginlägg" in body(response)
    client.post(
        url("workshop_parking_add", ws.team.uuid),
        {"quarter": str(ws.quarter.uuid), "text": "Ha en monter på Postmässan"},
    )
    client.post(
        url("workshop_parking_add", ws.team.uuid),
        {"quarter": str(ws.quarter.uuid), "text": "Podcast"},
    )
    blog, fair, podcast = ParkingLotItem.objects.order_by("id")
    assert blog.author == ws.cast.member and blog.team == ws.team and blog.cycle == ws.quarter
    html = body(client.get(ws.page()))
    assert "Turn into a key result" in html and "Turn into an initiative" in html
    assert f'hx-target="#park-{blog.uuid}-kr-hints"' in html  # live coach on the new title

    # Into a key result of the chosen objective, rewritten into a result.
    response = client.post(
        url("workshop_parking_convert", fair.uuid),
        {"into": "key_result", "objective": str(objective.uuid), "title": "200 leads från mässor"},
        **HTMX,
    )
    assert response.status_code == 200
    html = body(response)
    assert "Now a key result: 200 leads från mässor" in html
    assert f'id="kr-list-{objective.uuid}" hx-swap-oob="innerHTML"' in html
    kr = objective.key_results.get(title="200 leads från mässor")
    assert kr.is_pending
    fair.refresh_from_db()
    assert fair.state == "converted"

    # Into an initiative behind a key result (without JavaScript).
    response = client.post(
        url("workshop_parking_convert", blog.uuid),
        {
            "into": "initiative",
            "key_result": str(target_kr.uuid),
            "title": "Skriva fem blogginlägg",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#parking-lot")
    assert Initiative.objects.get(title="Skriva fem blogginlägg").key_result == target_kr
    blog.refresh_from_db()
    assert blog.state == "converted"
    # Converting again: the idea was taken care of, a clear message and no duplicate.
    response = client.post(
        url("workshop_parking_convert", blog.uuid),
        {"into": "initiative", "key_result": str(target_kr.uuid), "title": "Igen"},
        **HTMX,
    )
    assert response.status_code == 200 and "Someone already took care of this idea" in body(
        response
    )
    assert not Initiative.objects.filter(title="Igen").exists()

    # Discard.
    response = client.post(url("workshop_parking_discard", podcast.uuid), **HTMX)
    assert response.status_code == 200 and "Discarded: Podcast" in body(response)
    podcast.refresh_from_db()
    assert podcast.state == "discarded"
    html = body(client.get(ws.page()))
    assert "3 ideas taken care of" in html


def test_parking_lot_bad_input_keeps_text(ws):
    objective = ws.objective()
    other_team_objective = services_workshop.workshop_objective_create(
        organisation=ws.org,
        team=TeamFactory(organisation=ws.org),
        cycle=ws.quarter,
        title="Annat lags mål",
        author=None,
    )
    item = services_workshop.parking_lot_add(
        organisation=ws.org, team=ws.team, cycle=ws.quarter, text="Idé", author=None
    )
    client = client_for(ws.cast.member)
    response = client.post(
        url("workshop_parking_add", ws.team.uuid), {"quarter": str(ws.quarter.uuid), "text": "  "}
    )
    assert response.status_code == 200 and "This field is required." in body(response)
    for extra in ({}, HTMX):
        response = client.post(
            url("workshop_parking_convert", item.uuid),
            {
                "into": "key_result",
                "objective": str(other_team_objective.uuid),
                "title": "Min text",
            },
            **extra,
        )
        assert response.status_code == 200
        html = body(response)
        assert "Choose one of the team&#x27;s objectives." in html and 'value="Min text"' in html
    assert (
        client.post(url("workshop_parking_convert", item.uuid), {"into": "poem"}).status_code == 400
    )
    item.refresh_from_db()
    assert item.state == "open" and not objective.key_results.exists()


# --- reorder --------------------------------------------------------------------------------------


def titles(ws):
    return list(
        Objective.objects.filter(team=ws.team, cycle=ws.quarter)
        .order_by("order")
        .values_list("title", flat=True)
    )


def test_reorder_objectives_by_buttons_and_by_drag(ws):
    first, second, third = (ws.objective(title=t) for t in ("Ett", "Två", "Tre"))
    client = client_for(ws.cast.member)
    response = client.post(url("workshop_objective_move", third.uuid), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and html.index(">Tre<") < html.index(">Två<")
    assert f'id="objective-{third.uuid}-up" data-focus-after-swap' in html
    assert titles(ws) == ["Ett", "Tre", "Två"]
    # Drag and drop posts the position the card was dropped at (1-based).
    response = client.post(url("workshop_objective_move", first.uuid), {"position": "3"})
    assert response.status_code == 302
    assert titles(ws) == ["Tre", "Två", "Ett"]
    client.post(url("workshop_objective_move", first.uuid), {"position": "1"}, **HTMX)
    assert titles(ws) == ["Ett", "Tre", "Två"]
    assert (
        client.post(url("workshop_objective_move", first.uuid), {"position": "x"}).status_code
        == 400
    )
    assert (
        client.post(url("workshop_objective_move", first.uuid), {"direction": "x"}).status_code
        == 400
    )
    assert client.get(url("workshop_objective_move", first.uuid)).status_code == 405
    # The page carries the drag-and-drop hooks and the small static script.
    html = body(client.get(ws.page()))
    assert (
        "data-reorder-list" in html
        and f'data-reorder-item="reorder-objective-{first.uuid}"' in html
    )
    assert 'src="/static/js/reorder.js"' in html


def test_reorder_key_results(ws):
    objective = ws.objective()
    a = metric_kr(objective, title="Första")
    metric_kr(objective, title="Andra")
    c = metric_kr(objective, title="Tredje")
    client = client_for(ws.cast.member)
    response = client.post(url("workshop_key_result_move", a.uuid), {"direction": "down"}, **HTMX)
    assert response.status_code == 200
    html = body(response)
    assert html.index(">Andra<") < html.index(">Första<")
    client.post(url("workshop_key_result_move", c.uuid), {"position": "1"})
    assert [kr.title for kr in objective.key_results.order_by("order")] == [
        "Tredje",
        "Andra",
        "Första",
    ]


# --- concurrent edits ---------------------------------------------------------------------------------


def test_stale_objective_edit_keeps_my_text_and_overwrites_nothing(ws):
    objective = ws.objective()
    services.objective_update(objective=objective, version=1, title="Någon annans titel")
    client = client_for(ws.cast.member)
    for extra in ({}, HTMX):
        response = client.post(
            url("workshop_objective_edit", objective.uuid),
            objective_data(ws, title="Min titel åäö", why="Mitt skäl", version=1),
            **extra,
        )
        assert response.status_code == 200
        html = body(response)
        assert "Someone else saved this objective while you were editing" in html
        assert 'value="Min titel åäö"' in html and "Mitt skäl" in html
        assert "Någon annans titel" in html
        assert 'name="version" value="2"' in html
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Någon annans titel", 2)


def test_stale_key_result_edit_overwrites_nothing(ws):
    kr = metric_kr(ws.objective())
    services.key_result_update(key_result=kr, version=1, title="Någon annans resultat")
    response = client_for(ws.cast.member).post(
        url("workshop_key_result_edit", kr.uuid), kr_data(title="Mitt resultat", version=1), **HTMX
    )
    assert response.status_code == 200
    html = body(response)
    assert "Someone else saved this key result while you were editing" in html
    assert 'value="Mitt resultat"' in html and "Någon annans resultat" in html
    kr.refresh_from_db()
    assert kr.title == "Någon annans resultat"


def test_two_people_adding_cards_keep_both(ws):
    one, two = client_for(ws.cast.member), client_for(ws.lead)
    one.post(url("workshop_objective_new", ws.team.uuid), objective_data(ws, title="Mitt kort"))
    two.post(url("workshop_objective_new", ws.team.uuid), objective_data(ws, title="Ditt kort"))
    assert sorted(titles(ws)) == ["Ditt kort", "Mitt kort"]
    objective = Objective.objects.get(title="Mitt kort")
    one.post(url("workshop_key_result_new", objective.uuid), kr_data(title="Mitt resultat"))
    two.post(url("workshop_key_result_new", objective.uuid), kr_data(title="Ditt resultat"))
    assert objective.key_results.count() == 2


# --- submit -----------------------------------------------------------------------------------------


def test_lead_submits_the_set_and_it_becomes_read_only(ws):
    draft = ws.objective(title="Utkast", parent_objective=ws.growth)
    kr = metric_kr(draft)
    other_quarter = ws.year.quarters.exclude(pk=ws.quarter.pk).first()
    elsewhere = services_workshop.workshop_objective_create(
        organisation=ws.org, team=ws.team, cycle=other_quarter, title="Annat kvartal", author=None
    )
    member = client_for(ws.cast.member)
    assert (
        member.post(url("workshop_submit", ws.team.uuid), {"quarter": ws.quarter.uuid}).status_code
        == 403
    )
    lead = client_for(ws.lead)
    html = body(lead.get(ws.page()))
    assert "Submit 1 objective for approval" in html
    response = lead.post(url("workshop_submit", ws.team.uuid), {"quarter": str(ws.quarter.uuid)})
    assert response.status_code == 302
    draft.refresh_from_db()
    elsewhere.refresh_from_db()
    assert draft.status == "proposed" and elsewhere.status == "draft"
    event = draft.events.order_by("created_at", "id").last()
    assert (event.from_status, event.to_status, event.author) == ("draft", "proposed", ws.lead)
    html = body(lead.get(response.url))
    assert "1 objective proposed to leadership." in html
    assert "read-only until leadership approves it or asks for changes" in html
    assert url("workshop_objective_edit", draft.uuid) not in html
    assert url("workshop_key_result_new", draft.uuid) not in html
    # A form opened before the submit does not save now (the policy's 409); the text is kept.
    response = member.post(
        url("workshop_objective_edit", draft.uuid),
        objective_data(ws, title="Sen ändring", version=1),
        **HTMX,
    )
    assert response.status_code == 409
    assert "read-only until leadership approves it" in body(response)
    assert 'value="Sen ändring"' in body(response)
    assert member.post(url("workshop_key_result_new", draft.uuid), kr_data()).status_code == 409
    response = member.post(url("workshop_key_result_edit", kr.uuid), kr_data(version=1))
    assert response.status_code == 409 and "read-only until leadership" in body(response)
    kr.refresh_from_db()
    assert kr.title != kr_data()["title"]
    draft.refresh_from_db()
    assert draft.title == "Utkast"
    # Submitting again has nothing to do.
    response = lead.post(url("workshop_submit", ws.team.uuid), {"quarter": str(ws.quarter.uuid)})
    assert "Nothing to submit" in body(lead.get(response.url))
    # Leadership may submit too.
    ws.objective(title="Nytt utkast")
    client_for(ws.cast.leader).post(
        url("workshop_submit", ws.team.uuid), {"quarter": str(ws.quarter.uuid)}
    )
    assert Objective.objects.get(title="Nytt utkast").status == "proposed"


def test_archive_a_draft(ws):
    objective = ws.objective(title="Bort med det")
    client = client_for(ws.cast.member)
    response = client.post(url("workshop_objective_archive", objective.uuid), **HTMX)
    assert response.status_code == 200 and "Archived: Bort med det" in body(response)
    objective.refresh_from_db()
    assert objective.status == "archived"
    assert client.get(url("workshop_objective_edit", objective.uuid)).status_code == 404


# --- query counts -------------------------------------------------------------------------------------


def _grow(ws, objectives, krs_each, items):
    for i in range(objectives):
        objective = ws.objective(title=f"Mål {i}", parent_key_result=ws.sales, owner=ws.lead)
        for k in range(krs_each):
            kr = metric_kr(objective, title=f"Resultat {i}.{k}", owner=ws.cast.member)
            services.initiative_create(key_result=kr, title=f"Initiativ {i}.{k}")
        services_workshop.objective_submit(
            organisation=ws.org, team=ws.team, cycle=ws.quarter, author=ws.lead
        )
    for i in range(items):
        services_workshop.parking_lot_add(
            organisation=ws.org, team=ws.team, cycle=ws.quarter, text=f"Idé {i}", author=ws.lead
        )
    for i in range(objectives):
        strategic = strategic_objective(ws.org, ws.year, title=f"Strategi {len(titles(ws))}-{i}")
        metric_kr(strategic, title=f"Strategiskt resultat {i}")


def test_workshop_query_count_does_not_grow(ws, django_assert_max_num_queries):
    _grow(ws, 2, 2, 2)
    counts = {}
    for who in ("member", "reader"):
        client = client_for(ws.cast.member if who == "member" else ws.reader)
        with CaptureQueriesContext(connection) as small:
            assert client.get(ws.page()).status_code == 200
        counts[who] = len(small)
    _grow(ws, 8, 5, 10)
    for who in ("member", "reader"):
        client = client_for(ws.cast.member if who == "member" else ws.reader)
        with django_assert_max_num_queries(counts[who]):
            response = client.get(ws.page())
        assert response.status_code == 200
        assert body(response).count('class="kr-slot"') == 2 * 2 + 8 * 5
    assert counts["member"] <= 12, counts
    print("workshop queries:", counts)


def test_index_and_presentation_query_counts(ws, django_assert_max_num_queries):
    _grow(ws, 1, 1, 0)
    client = client_for(ws.cast.member)
    counts = {}
    for name in ("workshop", "presentation"):
        with CaptureQueriesContext(connection) as small:
            assert (
                client.get(url(name) + ("?all=1" if name == "presentation" else "")).status_code
                == 200
            )
        counts[name] = len(small)
    for _ in range(5):
        TeamFactory(organisation=ws.org)
    _grow(ws, 6, 3, 0)
    for name in ("workshop", "presentation"):
        with django_assert_max_num_queries(counts[name]):
            response = client.get(url(name) + ("?all=1" if name == "presentation" else ""))
        assert response.status_code == 200


# --- presentation -----------------------------------------------------------------------------------


def test_presentation_one_objective_per_screen(ws):
    second = strategic_objective(ws.org, ws.year, title="Leverera branschens bästa upplevelse")
    metric_kr(second, title="5% churn", start=15, target=5, unit="%", direction="decrease")
    client = client_for(ws.reader)
    base = url("presentation")
    html = body(client.get(base))
    assert ws.org.vision in html and ws.org.mission in html
    assert GROWTH not in html
    assert 'accesskey="n"' in html and f'href="{base}?year={ws.year.year}&amp;slide=1"' in html
    assert "Slide 1 of 4" in html and 'src="/static/js/presentation.js"' in html
    html = body(client.get(f"{base}?slide=1"))
    assert GROWTH in html and SALES in html and "Leverera branschens" not in html
    assert "<h1" in html and 'accesskey="p"' in html
    html = body(client.get(f"{base}?slide=2"))
    assert "Leverera branschens bästa upplevelse" in html and "5% churn" in html
    html = body(client.get(f"{base}?slide=3"))
    assert "Now: the team workshops" in html and 'accesskey="n"' not in html
    html = body(client.get(f"{base}?all=1"))
    assert GROWTH in html and "Leverera branschens" in html and ws.org.vision in html
    for bad in ("?slide=99", "?slide=x", "?year=abc", "?year=1800"):
        assert client.get(base + bad).status_code == 200
    html = body(client.get(f"{base}?year=2031"))
    assert "Slide 1 of 2" in html


def test_key_result_target_decimal_is_kept(ws):
    objective = ws.objective()
    client_for(ws.cast.member).post(
        url("workshop_key_result_new", objective.uuid),
        kr_data(
            title="Merförsäljning om 1,5MSEK", start_value="0", target_value="1,5", unit="MSEK"
        ),
    )
    kr = KeyResult.objects.get(title="Merförsäljning om 1,5MSEK")
    assert kr.target_value == Decimal("1.5")
    assert ObjectiveEvent.objects.filter(objective=objective).count() == 1
