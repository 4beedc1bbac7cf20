"""Objective and key result detail pages: progress, chart, check-ins, initiatives, children, history."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Membership
from conftest import client_for
from okr.lib import calendar
from okr.models import CheckIn, Initiative, KeyResult, Objective
from okr.objectives import services
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.support.html import body

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class World:
    cast: object
    per: object  # a plain member who owns the key results
    lead: object  # a plain member who leads team Marknad
    strategic: Objective
    kr: KeyResult  # strategic metric KR, owned by Per
    team_objective: Objective  # aligned to kr, owned by Per
    milestone: KeyResult  # team milestone KR, owned by Per

    def url(self, name, code, org="acme"):
        return reverse(f"okr:{name}", args=[org, code])


@pytest.fixture
def world(cast):
    cast.org.language = "en"
    cast.org.save()
    per = UserFactory(email="per@acme.example", name="Per Persson")
    lead = UserFactory(email="mats@acme.example", name="Mats Marknad")
    MembershipFactory(organisation=cast.org, user=per, role=Membership.Role.MEMBER)
    MembershipFactory(organisation=cast.org, user=lead, role=Membership.Role.MEMBER)
    marknad = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=marknad, user=lead, is_lead=True)
    TeamMembershipFactory(team=marknad, user=per)
    strategic = ObjectiveFactory(
        organisation=cast.org, title="Marknadstest i Norge", owner=cast.leader
    )
    kr = KeyResultFactory(
        objective=strategic,
        title="10 nya norska kunder innan året är slut",
        owner=per,
        start_value=Decimal(0),
        target_value=Decimal(10),
        unit="kunder",
        commitment="committed",
    )
    team_objective = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=marknad,
        title="Leverera det marknadsmaterial som behövs för säljtester i Norge",
        why="Säljarna i Norge behöver material på norska.",
        owner=per,
        parent_key_result=kr,
        alignment="direct",
        status="approved",
    )
    milestone = KeyResultFactory(
        objective=team_objective,
        title="Lansera översatt hemsida senast 15/2",
        owner=per,
        kind="milestone",
    )
    return World(cast, per, lead, strategic, kr, team_objective, milestone)


@contextmanager
def acting_as(user):
    """Attribute history rows written inside the block to ``user`` (as the middleware does)."""
    request = RequestFactory().get("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


# --- Reading ---------------------------------------------------------------------------


def test_both_pages_render_for_every_member(world):
    c = world.cast
    for user in (c.admin, c.leader, c.member, world.per, world.lead):
        client = client_for(user)
        for url in (
            world.url("key_result_detail", world.kr.uuid),
            world.url("key_result_detail", world.milestone.uuid),
            world.url("objective_detail", world.strategic.uuid),
            world.url("objective_detail", world.team_objective.uuid),
        ):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
    page = body(client_for(c.member).get(world.url("key_result_detail", world.kr.uuid)))
    assert "10 nya norska kunder innan året är slut" in page  # OKR text verbatim
    assert "Marknadstest i Norge" in page
    assert "must reach 100" in page  # committed


def test_pages_render_in_swedish(world):
    world.cast.org.language = "sv"
    world.cast.org.save()
    CheckInFactory(key_result=world.kr, author=world.per, value=Decimal("2.5"))
    client = client_for(world.cast.member)
    for url in (
        world.url("key_result_detail", world.kr.uuid),
        world.url("objective_detail", world.strategic.uuid),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'lang="sv"' in body(response)


def test_outsider_gets_404_for_pages_and_posts_also_via_their_own_organisation(
    world, outsider_client
):
    initiative = InitiativeFactory(key_result=world.kr)
    gets = [("key_result_detail", world.kr.uuid), ("objective_detail", world.strategic.uuid)]
    posts = [
        ("key_result_check_in", world.kr.uuid, {"value": "3", "confidence": "on_track"}),
        ("initiative_new", world.kr.uuid, {"title": "Hack"}),
        ("initiative_status", initiative.uuid, {"status": "done"}),
    ]
    for org in ("acme", "other"):  # "other" is the outsider's own organisation
        for name, code in gets:
            assert outsider_client.get(world.url(name, code, org)).status_code == 404, (org, name)
        for name, code, data in posts:
            assert outsider_client.post(world.url(name, code, org), data).status_code == 404, (
                org,
                name,
            )
    assert not CheckIn.objects.exists()
    assert Initiative.objects.count() == 1
    initiative.refresh_from_db()
    assert initiative.status == "planned"


def test_unknown_or_malformed_code_is_404(world, member_client):
    assert (
        member_client.get("/acme/key-results/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert (
        member_client.get("/acme/objectives/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_key_result_page_shows_facts_progress_and_chart(world, member_client):
    start = timezone.now() - timedelta(days=3)
    CheckInFactory(
        key_result=world.kr, author=world.per, value=Decimal(2), at=start, note="Två kunder i Oslo"
    )
    CheckInFactory(
        key_result=world.kr,
        author=world.per,
        value=Decimal(3),
        confidence="at_risk",
        note="Bergen <b>",
    )
    page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert world.url("objective_detail", world.strategic.uuid) in page  # objective link
    assert "Per Persson" in page
    assert "0\u00a0kunder → 10\u00a0kunder" in page  # {% key_result_target %}
    assert "<svg" in page and 'role="img"' in page and "<title id=" in page
    assert "Check-in history: 10 nya norska kunder innan året är slut" in page
    assert "<desc id=" in page
    # The table: the chart's text alternative, with th scope.
    assert '<th scope="col">Date</th>' in page and '<th scope="row">' in page
    assert "Två kunder i Oslo" in page
    assert "Bergen &lt;b&gt;" in page  # escaped note
    assert "badge-yellow" in page  # at risk
    assert 'style="' not in page and "<script>" not in page


def test_pending_target_is_shown_as_pending(world, member_client):
    pending = KeyResultFactory(
        objective=world.strategic, title="Rullande 3-månaders NPS på X", target_value=None
    )
    CheckInFactory(key_result=pending, value=Decimal(31))
    page = body(member_client.get(world.url("key_result_detail", pending.uuid)))
    assert "target pending" in page
    assert "progress-pending" in page
    assert 'class="chart-expected"' not in page


def test_behind_pace_flag(world, member_client):
    # Milestone not done in a cycle that has run for a while.
    kr = KeyResultFactory(
        objective=world.strategic, start_value=Decimal(0), target_value=Decimal(100)
    )
    year = world.strategic.cycle
    on = year.start_date + (year.end_date - year.start_date) * 3 // 4
    from okr.objectives import selectors_detail

    kr = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
    selectors_detail.key_result_progress(kr, on)
    assert kr.behind is True
    assert float(kr.expected_value) == pytest.approx(kr.expected * 100, abs=0.01)


# --- Check-ins ---------------------------------------------------------------------------


def test_owner_checks_in_and_the_current_value_follows(world):
    client = client_for(world.per)
    url = world.url("key_result_check_in", world.kr.uuid)
    response = client.post(
        url, {"value": "4", "confidence": "at_risk", "note": "Två kunder i Oslo"}
    )
    assert response.status_code == 302
    assert response.url == world.url("key_result_detail", world.kr.uuid) + "#check-in-section"
    check_in = CheckIn.objects.get()
    assert (
        check_in.value == Decimal(4)
        and check_in.author == world.per
        and check_in.confidence == "at_risk"
    )
    world.kr.refresh_from_db()
    assert world.kr.current_value == Decimal(4)
    page = body(client.get(response.url))
    assert 'class="current-value">4\u00a0kunder' in page
    assert "40\u00a0%" in page  # 4 of 10
    assert "badge-yellow" in page and "At risk" in page
    assert "Check-in saved." in page
    assert "Två kunder i Oslo" in page


def test_nordic_number_input_is_accepted(world):
    client = client_for(world.per)
    client.post(
        world.url("key_result_check_in", world.kr.uuid),
        {"value": "1 500,5", "confidence": "on_track"},
    )
    world.kr.refresh_from_db()
    assert world.kr.current_value == Decimal("1500.5")


def test_milestone_check_in(world):
    client = client_for(world.per)
    response = client.post(
        world.url("key_result_check_in", world.milestone.uuid),
        {"done": "on", "confidence": "on_track"},
    )
    assert response.status_code == 302
    world.milestone.refresh_from_db()
    assert world.milestone.done is True
    page = body(client.get(world.url("key_result_detail", world.milestone.uuid)))
    assert "100\u00a0%" in page
    assert 'class="chart chart-milestone"' in page
    # The team objective now shows the milestone's progress.
    page = body(client.get(world.url("objective_detail", world.team_objective.uuid)))
    assert "100\u00a0%" in page


def test_bad_value_keeps_typed_input_with_a_field_error(world):
    client = client_for(world.per)
    url = world.url("key_result_check_in", world.kr.uuid)
    response = client.post(url, {"value": "abc", "confidence": "at_risk", "note": "Skrivet så här"})
    assert response.status_code == 200
    page = body(response)
    assert "<html" in page  # the whole page without JS
    assert 'value="abc"' in page
    assert 'aria-invalid="true"' in page
    assert 'class="errorlist' in page
    assert "Skrivet så här" in page
    assert '<option value="at_risk" selected>' in page
    assert 'class="error-summary"' in page and 'href="#id_value"' in page
    assert not CheckIn.objects.exists()
    # Missing confidence and value: both fields say why, never a 500.
    response = client.post(url, {})
    assert response.status_code == 200
    assert body(response).count('aria-invalid="true"') == 2


def test_htmx_check_in_returns_the_section_fragment(world):
    client = client_for(world.per)
    url = world.url("key_result_check_in", world.kr.uuid)
    response = client.post(url, {"value": "7", "confidence": "on_track"}, **HTMX)
    assert response.status_code == 200
    page = body(response)
    assert "<html" not in page
    assert 'id="progress-heading"' in page and 'id="initiatives-heading"' not in page
    assert "7\u00a0kunder" in page and "<svg" in page
    assert "data-focus-after-swap" in page  # the "saved" notice takes focus
    # An invalid one: the fragment with the typed input, focus on the error summary.
    response = client.post(url, {"value": "sju", "confidence": "on_track"}, **HTMX)
    page = body(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'value="sju"' in page and 'aria-invalid="true"' in page
    # The page itself, asked for by htmx, refreshes the section only.
    page = body(client.get(world.url("key_result_detail", world.kr.uuid), **HTMX))
    assert "<html" not in page and 'id="progress-heading"' in page


def test_plain_member_who_does_not_own_it_sees_no_form_and_gets_403(world, member_client):
    page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert world.url("key_result_check_in", world.kr.uuid) not in page
    assert world.url("initiative_new", world.kr.uuid) not in page
    response = member_client.post(
        world.url("key_result_check_in", world.kr.uuid), {"value": "3", "confidence": "on_track"}
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()
    # Reading the POST url is not allowed either.
    assert member_client.get(world.url("key_result_check_in", world.kr.uuid)).status_code == 405


def test_leadership_and_the_team_lead_may_check_in(world):
    leader = client_for(world.cast.leader)
    assert (
        leader.post(
            world.url("key_result_check_in", world.kr.uuid),
            {"value": "1", "confidence": "on_track"},
        ).status_code
        == 302
    )
    lead = client_for(world.lead)  # leads Marknad: the team objective's key results
    page = body(lead.get(world.url("key_result_detail", world.milestone.uuid)))
    assert world.url("key_result_check_in", world.milestone.uuid) in page
    assert (
        lead.post(
            world.url("key_result_check_in", world.milestone.uuid), {"confidence": "at_risk"}
        ).status_code
        == 302
    )
    # ...but not on the strategic key result (not their team's).
    assert (
        lead.post(
            world.url("key_result_check_in", world.kr.uuid),
            {"value": "1", "confidence": "on_track"},
        ).status_code
        == 403
    )


# --- Initiatives -------------------------------------------------------------------------------


def test_initiative_add_and_status_change(world):
    client = client_for(world.per)
    response = client.post(
        world.url("initiative_new", world.kr.uuid), {"title": "Mässa i Oslo", "owner": world.per.pk}
    )
    assert response.status_code == 302
    assert response.url.endswith("#initiatives")
    initiative = Initiative.objects.get()
    assert (
        initiative.title == "Mässa i Oslo"
        and initiative.owner == world.per
        and initiative.status == "planned"
    )

    response = client.post(
        world.url("initiative_status", initiative.uuid), {"status": "in_progress"}
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "in_progress"
    page = body(client.get(world.url("key_result_detail", world.kr.uuid)))
    assert "Mässa i Oslo" in page
    assert '<option value="in_progress" selected>' in page
    assert f'<label class="visually-hidden" for="status-{initiative.uuid}">' in page


def test_initiative_htmx_fragments_and_bad_input(world):
    client = client_for(world.per)
    url = world.url("initiative_new", world.kr.uuid)
    response = client.post(url, {"title": "Annonser i Aftenposten"}, **HTMX)
    page = body(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="initiatives-heading"' in page and 'id="progress-heading"' not in page
    assert "Annonser i Aftenposten" in page and "Initiative added." in page
    # Empty title: per-field error, nothing saved, never a 500.
    response = client.post(url, {"title": "  ", "owner": "999999"}, **HTMX)
    page = body(response)
    assert response.status_code == 200 and 'aria-invalid="true"' in page
    assert Initiative.objects.count() == 1
    response = client.post(url, {"title": ""})
    assert response.status_code == 200 and "<html" in body(response)
    # Status change via htmx; a made-up status is refused politely.
    initiative = Initiative.objects.get()
    status_url = world.url("initiative_status", initiative.uuid)
    page = body(client.post(status_url, {"status": "done"}, **HTMX))
    assert "<html" not in page and '<option value="done" selected>' in page
    response = client.post(status_url, {"status": "exploded"}, **HTMX)
    assert response.status_code == 200 and "message-error" in body(response)
    initiative.refresh_from_db()
    assert initiative.status == "done"


def test_plain_member_may_not_add_or_change_initiatives(world, member_client):
    initiative = InitiativeFactory(key_result=world.kr)
    page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert initiative.title in page
    assert world.url("initiative_status", initiative.uuid) not in page
    assert (
        member_client.post(world.url("initiative_new", world.kr.uuid), {"title": "x"}).status_code
        == 403
    )
    assert (
        member_client.post(
            world.url("initiative_status", initiative.uuid), {"status": "done"}
        ).status_code
        == 403
    )
    initiative.refresh_from_db()
    assert initiative.status == "planned"


# --- Children and history ------------------------------------------------------------------------


def test_children_are_listed_and_parent_linked(world, member_client):
    archived = ObjectiveFactory(
        organisation=world.cast.org, level="team", title="Gammalt mål", parent_key_result=world.kr
    )
    services.objective_archive(objective=archived)
    ObjectiveFactory(
        organisation=world.cast.org,
        level="team",
        title="Bygg förtroende",
        parent_objective=world.strategic,
    )
    kr_page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert world.url("objective_detail", world.team_objective.uuid) in kr_page
    assert world.team_objective.title in kr_page
    assert "Gammalt mål" not in kr_page

    strategic_page = body(member_client.get(world.url("objective_detail", world.strategic.uuid)))
    assert world.team_objective.title in strategic_page  # through its key result
    assert "Bygg förtroende" in strategic_page  # directly
    assert "Gammalt mål" not in strategic_page
    assert world.url("key_result_detail", world.kr.uuid) in strategic_page  # its key results

    team_page = body(member_client.get(world.url("objective_detail", world.team_objective.uuid)))
    assert world.url("key_result_detail", world.kr.uuid) in team_page  # parent key result
    assert world.url("objective_detail", world.strategic.uuid) in team_page
    assert "directly" in team_page
    assert "Säljarna i Norge behöver material på norska." in team_page
    assert "Marknad" in team_page and "Approved" in team_page


def test_history_shows_an_edit_with_who_and_the_change(world, member_client):
    with acting_as(world.cast.leader):
        services.key_result_update(
            key_result=world.kr, version=world.kr.version, target_value=Decimal(12)
        )
    page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert "History of changes" in page
    assert '<span class="history-field">target</span>: <span class="history-old">10</span>' in page
    assert '<span class="history-new">12</span>' in page
    assert "Lea Leader" in page
    assert "created" in page


def test_objective_history_resolves_owner_names(world, member_client):
    objective = world.team_objective
    with acting_as(world.lead):
        services.objective_update(
            objective=objective,
            version=objective.version,
            owner=world.lead,
            title="Leverera marknadsmaterialet",
        )
    page = body(member_client.get(world.url("objective_detail", objective.uuid)))
    assert '<span class="history-old">Per Persson</span>' in page
    assert '<span class="history-new">Mats Marknad</span>' in page
    assert '<span class="history-new">Leverera marknadsmaterialet</span>' in page


def test_history_shows_at_most_fifty_entries(world, member_client):
    kr = world.kr
    for target in range(11, 66):
        kr = services.key_result_update(
            key_result=kr, version=kr.version, target_value=Decimal(target)
        )
    page = body(member_client.get(world.url("key_result_detail", kr.uuid)))
    assert page.count('class="history-entry"') == 50
    assert '<span class="history-new">65</span>' in page
    assert "Showing the latest 50 changes." in page


# --- Bounded queries ---------------------------------------------------------------------------


def build(world, n):
    """A key result and an objective with ``n`` check-ins, initiatives, edits, children and KRs."""
    org = world.cast.org
    objective = ObjectiveFactory(organisation=org, title=f"Mål med {n}", owner=world.per)
    kr = KeyResultFactory(objective=objective, owner=world.per, unit="%")
    now = timezone.now()
    for i in range(n):
        CheckInFactory(
            key_result=kr,
            author=world.per,
            value=Decimal(i),
            note=f"n{i}",
            at=now - timedelta(days=n - i),
        )
        InitiativeFactory(key_result=kr, owner=world.per)
        kr = services.key_result_update(
            key_result=kr, version=kr.version, target_value=Decimal(200 + i)
        )
        objective = services.objective_update(
            objective=objective, version=objective.version, why=f"why {i}"
        )
        child = ObjectiveFactory(
            organisation=org,
            level="team",
            team=world.team_objective.team,
            parent_key_result=kr,
            status="approved",
        )
        KeyResultFactory(objective=child)
        ObjectiveFactory(
            organisation=org,
            level="team",
            team=world.team_objective.team,
            parent_objective=objective,
        )
        KeyResultFactory(objective=objective)
    return kr, objective


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(world):
    small_kr, small_objective = build(world, 3)
    big_kr, big_objective = build(world, 30)
    for user in (world.per, world.cast.member, world.cast.leader):
        client = client_for(user)
        client.get(world.url("key_result_detail", small_kr.uuid))  # warm the session
        # The key result page's parts are rendered once per revision of the organisation and
        # set of answers (okr.objectives.key_result_page): the first view of a revision reads
        # what they show, the next ones only the key result and the person.
        kr_big_first = count_queries(client, world.url("key_result_detail", big_kr.uuid))
        kr_small = count_queries(client, world.url("key_result_detail", small_kr.uuid))
        kr_big = count_queries(client, world.url("key_result_detail", big_kr.uuid))
        assert kr_big <= kr_big_first and kr_big <= 4, (user, kr_big, kr_big_first)
        # The objective page too (okr.objectives.objective_page): its first view and the next.
        objective_small_first, objective_big_first, objective_small, objective_big = (
            count_queries(client, world.url("objective_detail", objective.uuid))
            for objective in (small_objective, big_objective, small_objective, big_objective)
        )
        assert kr_small == kr_big, user
        assert objective_small_first == objective_big_first, user
        assert objective_small == objective_big <= objective_big_first, user
        assert objective_big <= 4, (user, objective_big, objective_big_first)
        # The key result page (its first view): + its quarterly steps (the engine's expected
        # pace and chart). Aligned team objectives come a page at a time with their stored
        # numbers; + the objective's key results' weights (its share, okr.lib.progress.weights);
        # + the comments (okr.conversation) and, on the key result page, each check-in's count
        # of them.
        assert kr_big_first <= 12 and objective_big_first <= 9, (kr_big_first, objective_big_first)
        print(f"queries for {user}: key result page {kr_big}, objective page {objective_big}")
    page = body(client_for(world.per).get(world.url("key_result_detail", big_kr.uuid)))
    assert page.count('<th scope="row"><time') == 30  # every check-in in the table
    assert page.count('<circle class="chart-point') == 30


def test_cycle_factory_gives_this_year_and_quarter(cast):
    year = CycleFactory(organisation=cast.org)
    quarter = CycleFactory(organisation=cast.org, kind="quarter")
    today = calendar.today(cast.org)
    assert year.kind == "year" and year.start_date <= today <= year.end_date
    assert quarter.parent == year and quarter.start_date <= today <= quarter.end_date
    assert CycleFactory(organisation=cast.org, kind="quarter", quarter=1).quarter == 1


# --- In a real browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_in_in_the_browser_moves_focus_and_passes_axe(world, live_server, page, browser):
    from axe_playwright_python.sync_playwright import Axe

    from tests.support.factories import PASSWORD

    def serious_violations(p):
        violations = Axe().run(p).response["violations"]
        return [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]

    def wait_until(p, script):
        # Not wait_for_function: the page's strict CSP forbids the eval it uses.
        for _attempt in range(100):
            if p.evaluate(script):
                return
            p.wait_for_timeout(50)
        raise AssertionError(script)

    def sign_in(p):
        p.goto(f"{live_server.url}/accounts/login/")
        p.locator("input[name=username]").fill("per@acme.example")
        p.locator("input[name=password]").fill(PASSWORD)
        p.locator("main button[type=submit]").click()
        p.wait_for_load_state()

    CheckInFactory(
        key_result=world.kr,
        author=world.per,
        value=Decimal(2),
        at=timezone.now() - timedelta(days=9),
    )
    InitiativeFactory(key_result=world.kr, owner=world.per, title="Mässa i Oslo")
    sign_in(page)
    url = live_server.url + world.url("key_result_detail", world.kr.uuid)
    page.goto(url)
    assert page.locator("svg.chart title").text_content().startswith("Check-in history")
    assert serious_violations(page) == []

    page.locator("#id_value").fill("abc")
    page.get_by_role("button", name="Save check-in").click()
    wait_until(page, "document.activeElement.classList.contains('error-summary')")
    assert page.locator("#id_value").input_value() == "abc"

    page.locator("#id_value").fill("6")
    page.get_by_role("button", name="Save check-in").click()
    wait_until(page, "document.activeElement.textContent === 'Check-in saved.'")
    assert "6\u00a0kunder" in page.locator(".current-value").inner_text()

    page.get_by_label("Status of “Mässa i Oslo”").select_option("done")
    page.get_by_role("button", name="Change").click()
    wait_until(page, "document.activeElement.matches('#initiatives .message-success')")
    assert "Done" in page.evaluate("document.activeElement.textContent")
    assert serious_violations(page) == []

    phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(phone)
    for address in (url, live_server.url + world.url("objective_detail", world.strategic.uuid)):
        phone.goto(address)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        assert serious_violations(phone) == []
    phone.context.close()
