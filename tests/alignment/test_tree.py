"""The alignment tree: the pure builder (coverage, orphans, filters, contributions, steps) and the page
(lazy expand, full expand, filters, HTMX fragments, tenancy, bounded queries)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from alignment import tree as t
from conftest import client_for
from okr.models import KeyResult, Objective
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    UserFactory,
    year_and_quarter,
)
from tests.support.tree import CYCLES, Q1, Q2, YEAR, kr, objective, team

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = date(2026, 2, 15)  # the pure builder's rows come from tests/support/tree.py


TEAMS = [team(1, "Marknad"), team(2, "Försäljning"), team(3, "Produktion"), team(4, "Norge", 2)]


def dpab_rows():
    """Two strategic objectives (one with two KRs) and team objectives in every kind of place."""
    objectives = [
        objective(1, "Kommande år vårt starkaste tillväxtår någonsin", level="strategic"),
        objective(2, "Marknadstest i Norge", level="strategic"),
        # Försäljning, direct to the 20MSEK key result (adds into it).
        objective(
            10,
            "Aggressiv försäljningstillväxt",
            team_id=2,
            parent_kr=100,
            alignment="direct",
            owner=7,
        ),
        # Marknad, indirect to the same key result (never adds).
        objective(11, "Bygg förtroende", team_id=1, parent_kr=100),
        # Marknad, to the Norway objective itself.
        objective(
            12, "Leverera det marknadsmaterial", team_id=1, parent_objective=2, status="proposed"
        ),
        # Produktion, no parent: an orphan.
        objective(13, "Felfri hantering", team_id=3),
        # Norge (a team under Försäljning), its parent is not in this year: an orphan too.
        objective(14, "Norsk pilot", team_id=4, parent_kr=999, alignment="direct"),
        # Q2 objective of Försäljning, direct too.
        objective(15, "Fortsatt tillväxt", team_id=2, cycle=Q2, parent_kr=100, alignment="direct"),
    ]
    key_results = [
        kr(
            100,
            1,
            "20MSEK försäljning till nya kunder",
            unit="MSEK",
            target=D(20),
            current=D(5),
            confidence="on_track",
            sums=True,  # fed by its direct children (a sum of MSEK)
        ),
        kr(101, 1, "Öka värdet av befintliga kunder med 20%", unit="%", target=D(20)),
        kr(200, 2, "10 nya norska kunder", target=D(10), current=D(1)),
        kr(
            300,
            10,
            "Fakturering nya kunder uppgår till 4MSEK",
            unit="msek ",
            target=D(4),
            current=D(3),
            confidence="at_risk",
            owner=8,
        ),
        kr(301, 10, "Möten", unit="st", target=D(40), current=D(20)),
        kr(310, 11, "Leads", unit="MSEK", target=D(100), current=D(50), confidence="on_track"),
        kr(320, 12, "Katalog", kind="milestone", confidence="off_track"),
        kr(330, 13, "Rätt mottagare", target=D(100), current=D(100)),
        kr(340, 14, "Pilot", target=D(1)),
        kr(350, 15, "Q2-fakturering", unit="MSEK", target=D(5), current=D(2)),
    ]
    return objectives, key_results


def build(filters=t.Filters(), steps=(), today=TODAY, objectives=None, key_results=None):  # noqa: B008
    default_objectives, default_krs = dpab_rows()
    return t.build(
        cycles=CYCLES,
        teams=TEAMS,
        objectives=default_objectives if objectives is None else objectives,
        key_results=default_krs if key_results is None else key_results,
        steps=steps,
        today=today,
        filters=filters,
    )


def titles(groups):
    return {o.row.title for g in groups for o in g.objectives}


# --- The pure builder ----------------------------------------------------------------------


def test_team_objectives_hang_under_their_parent_grouped_by_team():
    tree = build()
    growth, norway = tree.strategic
    sales_kr, value_kr = growth.key_results
    assert [g.team.name for g in sales_kr.groups] == ["Marknad", "Försäljning"]  # team order
    assert titles(sales_kr.groups) == {
        "Aggressiv försäljningstillväxt",
        "Bygg förtroende",
        "Fortsatt tillväxt",
    }
    assert value_kr.groups == []
    assert titles(norway.groups) == {"Leverera det marknadsmaterial"}
    assert [g.parent_key for g in norway.groups] == [str(norway.row.uuid)]


def test_orphans_say_why():
    tree = build()
    orphans = {o.row.title: o.orphan_reason for g in tree.orphans for o in g.objectives}
    assert orphans == {"Felfri hantering": "none", "Norsk pilot": "elsewhere"}
    assert [g.parent_key for g in tree.orphans] == ["orphans", "orphans"]


def test_coverage_of_strategic_objectives_and_key_results():
    tree = build()
    assert {n.row.title for n in tree.uncovered_objectives} == set()
    assert {n.row.title for n in tree.uncovered_key_results} == {
        "Öka värdet av befintliga kunder med 20%",
        "10 nya norska kunder",
    }
    # In Q2 only "Fortsatt tillväxt" exists: the Norway objective is uncovered then.
    q2 = build(t.Filters(quarter_ids=frozenset({Q2.id})))
    assert {n.row.title for n in q2.uncovered_objectives} == {"Marknadstest i Norge"}
    assert titles(q2.groups()) == {"Fortsatt tillväxt"}


def test_coverage_ignores_the_other_filters():
    tree = build(t.Filters(team_ids=frozenset({3})))
    assert titles(tree.groups()) == {"Felfri hantering"}
    assert tree.uncovered_ids() == build().uncovered_ids()


def test_direct_same_unit_key_results_add_into_the_strategic_key_result():
    tree = build()
    sales_kr = tree.strategic[0].key_results[0]
    # 3 (Q1, unit "msek " matches "MSEK") + 2 (Q2); the indirect 50 and the "st" KR never add.
    assert sales_kr.direct_total == D(5)
    assert sales_kr.direct_count == 2
    aggressive = next(o for o in tree.team_objectives() if o.row.id == 10)
    invoicing, meetings = aggressive.key_results
    assert invoicing.contribution.value == D(3)
    assert invoicing.contribution.parent_target == D(20)
    assert invoicing.contribution.unit == "MSEK"
    assert meetings.contribution is None
    indirect = next(o for o in tree.team_objectives() if o.row.id == 11)
    assert indirect.key_results[0].contribution is None


def test_contributions_do_not_change_with_filters():
    narrowed = build(t.Filters(quarter_ids=frozenset({Q1.id}), team_ids=frozenset({1})))
    assert narrowed.strategic[0].key_results[0].direct_total == D(5)


def test_filters_by_team_with_sub_teams_status_risk_and_owner():
    sales = t.team_with_descendants(TEAMS, 2)
    assert sales == {2, 4}
    assert titles(build(t.Filters(team_ids=sales)).groups()) == {
        "Aggressiv försäljningstillväxt",
        "Norsk pilot",
        "Fortsatt tillväxt",
    }
    assert titles(build(t.Filters(statuses=frozenset({"proposed"}))).groups()) == {
        "Leverera det marknadsmaterial"
    }
    at_risk = titles(build(t.Filters(at_risk=True)).groups())
    assert "Aggressiv försäljningstillväxt" in at_risk  # a KR at risk
    assert "Leverera det marknadsmaterial" in at_risk  # a KR off track
    assert "Felfri hantering" not in at_risk  # done, on pace
    # The owner of the objective (7) or of one of its key results (8).
    assert titles(build(t.Filters(owner_id=7)).groups()) == {"Aggressiv försäljningstillväxt"}
    assert titles(build(t.Filters(owner_id=8)).groups()) == {"Aggressiv försäljningstillväxt"}
    assert titles(build(t.Filters(owner_id=99)).groups()) == set()


def test_progress_confidence_and_group_summaries():
    tree = build()
    aggressive = next(o for o in tree.team_objectives() if o.row.id == 10)
    assert aggressive.progress == pytest.approx((0.75 + 0.5) / 2)
    assert aggressive.confidence == "at_risk"
    assert aggressive.at_risk
    sales_group = tree.group(str(tree.strategic[0].key_results[0].row.uuid), 2)
    assert [o.row.id for o in sales_group.objectives] == [10, 15]
    assert sales_group.confidence == "at_risk"
    assert sales_group.at_risk_count == 1
    assert tree.group("nowhere", 2) is None
    assert t.worst_confidence(["on_track", "", "off_track", "at_risk"]) == "off_track"
    assert t.worst_confidence([]) == ""


def test_quarterly_steps_set_the_expected_pace_of_a_yearly_key_result():
    steps = [
        t.StepRow(100, Q1.end_date, D(4)),
        t.StepRow(100, Q2.end_date, D(9)),
        t.StepRow(100, date(2026, 9, 30), D(14)),
        t.StepRow(100, YEAR.end_date, D(20)),
    ]
    end_of_q1 = build(steps=steps, today=Q1.end_date)
    sales_kr = end_of_q1.strategic[0].key_results[0]
    assert sales_kr.stepped
    assert sales_kr.expected == pytest.approx(0.2)  # 4 of 20 MSEK, not a quarter of the way
    assert sales_kr.expected_value == pytest.approx(4)
    linear = build(today=Q1.end_date).strategic[0].key_results[0]
    assert not linear.stepped
    assert linear.expected == pytest.approx(89 / 364, abs=0.01)
    # Another key result of the same objective keeps the straight line.
    assert not end_of_q1.strategic[0].key_results[1].stepped


def test_milestones_pending_targets_and_empty_rows():
    objectives = [
        objective(1, "S", level="strategic"),
        objective(10, "T", team_id=1, parent_kr=100),
    ]
    key_results = [kr(100, 1, target=None), kr(300, 10, kind="milestone", done=True)]
    tree = build(objectives=objectives, key_results=key_results)
    assert tree.strategic[0].key_results[0].progress is None
    assert tree.strategic[0].progress is None
    assert next(tree.team_objectives()).progress == 1.0
    empty = t.build(cycles=CYCLES, teams=[], objectives=[], key_results=[], today=TODAY)
    assert empty.strategic == [] and empty.orphans == [] and empty.uncovered_ids() == set()


def test_rows_of_other_cycles_are_ignored():
    stray = objective(20, "Annat år", team_id=1, parent_objective=1)._replace(cycle_id=77)
    objectives, key_results = dpab_rows()
    tree = build(objectives=[*objectives, stray], key_results=key_results)
    assert "Annat år" not in titles(tree.groups())


# --- The page -----------------------------------------------------------------------------------


@dataclass
class World:
    cast: object
    marknad: object
    sales: object
    strategic: Objective
    norway: Objective
    kr: KeyResult
    direct: Objective  # Försäljning, direct to kr
    indirect: Objective  # Marknad, indirect to kr
    norway_child: Objective  # Marknad, to the Norway objective itself
    orphan: Objective  # Marknad, no parent

    def url(self, **params):
        from urllib.parse import urlencode

        base = reverse("alignment:tree", args=["acme"])
        return f"{base}?{urlencode(params, doseq=True)}" if params else base


def make_world(cast, extra_teams=0):
    org = cast.org
    year, quarter = year_and_quarter(org)
    marknad = TeamFactory(organisation=org, name="Marknad", order=1)
    sales = TeamFactory(organisation=org, name="Försäljning", order=2)
    strategic = ObjectiveFactory(organisation=org, title="Kommande år vårt starkaste tillväxtår")
    kr = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        unit="MSEK",
        target_value=D(20),
        rollup="sum",  # fed by its direct children
    )
    KeyResultFactory(objective=strategic, title="Öka värdet av befintliga kunder", unit="%")
    norway = ObjectiveFactory(organisation=org, title="Marknadstest i Norge")
    direct = ObjectiveFactory(
        organisation=org,
        level="team",
        team=sales,
        title="Aggressiv försäljningstillväxt",
        parent_key_result=kr,
        alignment="direct",
        status="approved",
        owner=cast.member,
    )
    invoicing = KeyResultFactory(
        objective=direct,
        title="Fakturering nya kunder uppgår till 4MSEK",
        unit="MSEK",
        target_value=D(4),
    )
    CheckInFactory(key_result=invoicing, value=D(3), confidence="at_risk")
    indirect = ObjectiveFactory(
        organisation=org,
        level="team",
        team=marknad,
        title="Bygg förtroende för DPABs leverans",
        parent_key_result=kr,
        status="approved",
    )
    leads = KeyResultFactory(objective=indirect, title="Generera 100 nya leads", unit="MSEK")
    CheckInFactory(key_result=leads, value=D(100), confidence="on_track")
    norway_child = ObjectiveFactory(
        organisation=org,
        level="team",
        team=marknad,
        title="Leverera det marknadsmaterial som behövs för säljtester i Norge",
        parent_objective=norway,
        status="proposed",
    )
    KeyResultFactory(objective=norway_child, title="Produktkatalog på norska", kind="milestone")
    orphan = ObjectiveFactory(
        organisation=org, level="team", team=marknad, title="Ett mål utan förälder"
    )
    for i in range(extra_teams):
        other = TeamFactory(organisation=org, name=f"Extra {i}")
        for j in range(2):
            objective_ = ObjectiveFactory(
                organisation=org,
                level="team",
                team=other,
                title=f"Extra {i}.{j}",
                parent_key_result=kr if j else None,
                parent_objective=None if j else norway,
                status="approved",
            )
            for k in range(3):
                child = KeyResultFactory(objective=objective_, title=f"Extra {i}.{j}.{k}")
                CheckInFactory(key_result=child, value=D(k), confidence="on_track")
    assert quarter.parent_id == year.id
    return World(
        cast, marknad, sales, strategic, norway, kr, direct, indirect, norway_child, orphan
    )


@pytest.fixture
def world(cast):
    return make_world(cast)


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def group_id(parent, team_):
    return f"g-{parent.uuid}-{team_.uuid}"


def test_collapsed_tree_shows_strategy_and_teams_not_their_objectives(world, member_client):
    page = body(member_client.get(world.url()))
    assert world.cast.org.vision in page and world.cast.org.mission in page
    for title in (world.strategic.title, world.kr.title, world.norway.title):
        assert title in page
    assert f'id="{group_id(world.kr, world.sales)}"' in page
    assert f'id="{group_id(world.norway, world.marknad)}"' in page
    assert world.direct.title not in page  # collapsed to teams
    assert 'aria-expanded="false"' in page and 'aria-expanded="true"' not in page
    # Orphans are always listed in full; uncovered strategic key results too.
    assert world.orphan.title in page
    assert "Öka värdet av befintliga kunder" in page.split('id="uncovered-heading"')[1]
    # A link to the detail page of every node shown.
    assert reverse("okr:key_result_detail", args=["acme", world.kr.uuid]) in page
    assert reverse("okr:objective_detail", args=["acme", world.orphan.uuid]) in page


def test_every_toggle_has_an_href_and_an_hx_get(world, member_client):
    page = body(member_client.get(world.url()))
    anchor = group_id(world.kr, world.sales)
    start = page.index(f'id="{anchor}"')
    toggle = page[start : page.index("</a>", start)]
    assert f'href="/acme/alignment/?expand={world.sales.uuid}#{anchor}"' in toggle
    assert (
        f'hx-get="/acme/alignment/?expand={world.sales.uuid}&amp;under={world.kr.uuid}"' in toggle
    )
    assert f'hx-target="#{anchor}"' in toggle


def test_expand_a_team_without_javascript(world, member_client):
    page = body(member_client.get(world.url(expand=str(world.marknad.uuid))))
    assert world.indirect.title in page and world.norway_child.title in page
    assert world.direct.title not in page  # Försäljning stays collapsed
    assert 'aria-expanded="true"' in page
    # Direct and indirect links are told apart by a class (drawn differently) and a word.
    assert 'class="node team-objective link-indirect"' in page
    assert '<span class="link-kind" title="Supports it indirectly">indirect</span>' in page


def test_full_expand_is_the_print_view(world, member_client):
    page = body(member_client.get(world.url()))
    assert 'href="/acme/alignment/?expand=all"' in page
    full = body(member_client.get(world.url(expand="all")))
    for shown in (world.direct, world.indirect, world.norway_child, world.orphan):
        assert shown.title in full
    assert "Fakturering nya kunder uppgår till 4MSEK" in full
    assert 'class="node team-objective link-direct"' in full
    assert 'aria-expanded="false"' not in full
    assert "contributes 3 of 20\u00a0MSEK" in full
    assert "Sum of direct contributions: 3\u00a0MSEK of 20\u00a0MSEK" in full


def test_lazy_expand_fragment_and_collapse(world, member_client):
    response = member_client.get(
        world.url(expand=str(world.marknad.uuid), under=str(world.norway.uuid)), **HTMX
    )
    fragment = body(response)
    assert "<html" not in fragment and "<main" not in fragment
    assert world.norway_child.title in fragment
    assert world.indirect.title not in fragment  # under another node
    assert 'aria-expanded="true"' in fragment and "data-focus-after-swap" in fragment
    assert "Produktkatalog på norska" in fragment
    closed = body(
        member_client.get(
            world.url(collapse=str(world.marknad.uuid), under=str(world.norway.uuid)), **HTMX
        )
    )
    assert world.norway_child.title not in closed and 'aria-expanded="false"' in closed
    assert "1 objective" in closed


def test_fragment_keeps_filters(world, member_client):
    fragment = body(
        member_client.get(
            world.url(expand=str(world.marknad.uuid), under=str(world.kr.uuid), status="draft"),
            **HTMX,
        )
    )
    assert world.indirect.title not in fragment  # approved, filtered out
    assert "&amp;status=draft" in fragment or "status=draft&amp;" in fragment


def test_fragment_for_an_unknown_or_foreign_team_is_404(world, member_client, cast):
    other_team = TeamFactory(organisation=cast.other_org, name="Marknad")
    for code in (str(uuid.uuid4()), str(other_team.uuid), "not-a-uuid"):
        response = member_client.get(world.url(expand=code, under=str(world.kr.uuid)), **HTMX)
        assert response.status_code == 404


def test_fragment_under_must_be_a_node_id(world, member_client):
    team = str(world.marknad.uuid)
    bad = member_client.get(world.url(expand=team, under='"><script>x</script>'), **HTMX)
    assert bad.status_code == 404
    orphans = body(member_client.get(world.url(expand=team, under="orphans"), **HTMX))
    assert world.orphan.title in orphans


def test_filters_narrow_what_is_shown(world, member_client):
    page = body(member_client.get(world.url(team=str(world.sales.uuid), expand="all")))
    assert world.direct.title in page and world.indirect.title not in page
    assert world.orphan.title not in page
    page = body(member_client.get(world.url(status="proposed", expand="all")))
    assert world.norway_child.title in page and world.direct.title not in page
    page = body(member_client.get(world.url(at_risk="on", expand="all")))
    assert world.direct.title in page and world.indirect.title not in page
    page = body(member_client.get(world.url(owner=str(world.cast.member.uuid), expand="all")))
    assert world.direct.title in page and world.indirect.title not in page
    page = body(member_client.get(world.url(quarter=4 if world.direct.cycle.quarter != 4 else 3)))
    assert world.orphan.title not in page  # another quarter: nothing of this one


def test_bad_filter_values_are_reported_not_a_500(world, member_client):
    page = body(
        member_client.get(
            world.url(year="abc", quarter="9", team="nope", status="gone", owner="x", expand="zz")
        )
    )
    assert 'aria-invalid="true"' in page
    assert world.strategic.title in page  # the tree of this year anyway


def test_filter_form_submit_with_htmx_returns_the_tree_region(world, member_client):
    fragment = body(member_client.get(world.url(team=str(world.sales.uuid)), **HTMX))
    assert "<main" not in fragment and 'id="tree-heading"' in fragment
    assert world.strategic.title in fragment


def test_no_cycles_yet_shows_an_empty_state(cast, member_client):
    page = body(member_client.get(reverse("alignment:tree", args=["acme"])))
    assert "There are no OKRs yet." in page


def test_nav_link(world, member_client):
    page = body(member_client.get(reverse("okr:home", args=["acme"])))
    assert 'href="/acme/alignment/"' in page


def test_outsider_and_anonymous(world, outsider_client, client):
    for url in (world.url(), world.url(expand="all")):
        assert outsider_client.get(url).status_code == 404
        assert client.get(url).status_code == 302
    fragment = world.url(expand=str(world.marknad.uuid), under=str(world.kr.uuid))
    assert outsider_client.get(fragment, **HTMX).status_code == 404
    assert client.get(fragment, **HTMX).status_code == 302
    assert client_for(world.cast.member).post(world.url()).status_code == 405


# --- Bounded queries ----------------------------------------------------------------------------


def count_queries(client, url, **extra):
    cache.clear()  # the page as rendered, not its cached copy (tests/alignment/test_tree_cache.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_organisation(cast):
    small = make_world(cast, extra_teams=1)
    client = client_for(cast.member)
    client.get(small.url())  # warm the session
    urls = {
        "collapsed": (small.url(), {}),
        "one team": (small.url(expand=str(small.marknad.uuid)), {}),
        "all": (small.url(expand="all"), {}),
        "fragment": (small.url(expand=str(small.marknad.uuid), under=str(small.kr.uuid)), HTMX),
    }
    before = {name: count_queries(client, url, **extra) for name, (url, extra) in urls.items()}
    # Grow the same organisation: 12 more teams, 24 team objectives, 72 key results, check-ins.
    org = cast.org
    for i in range(12):
        other = TeamFactory(organisation=org, name=f"Växt {i}")
        MembershipFactory(organisation=org, user=UserFactory(), role=Membership.Role.MEMBER)
        for _j in range(2):
            objective_ = ObjectiveFactory(
                organisation=org,
                level="team",
                team=other,
                parent_key_result=small.kr,
                alignment="direct",
                status="approved",
            )
            for k in range(3):
                child = KeyResultFactory(objective=objective_, unit="MSEK")
                CheckInFactory(key_result=child, value=D(k), confidence="at_risk")
    after = {name: count_queries(client, url, **extra) for name, (url, extra) in urls.items()}
    assert after == before
    assert max(after.values()) <= 12, after
    print("tree queries:", after)


# --- The DPAB demo ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dpab_tree_shows_the_norway_material_under_marknadstest_and_the_late_dependency():
    call_command("load_demo", stdout=StringIO())
    from accounts.models import Team, User
    from okr.lib import calendar

    vilma = client_for(User.objects.get(email="vilma@dpab.example"))
    year = calendar.current_fiscal_year(Team.objects.get(name="Marknad").organisation)
    # This year's: in the fourth quarter next year's strategic OKRs are set too (okr/demo/story.py).
    norway = Objective.objects.get(title="Marknadstest i Norge", cycle__year=year)
    marknad = Team.objects.get(name="Marknad")
    fragment = body(
        vilma.get(
            f"/dpab/alignment/?expand={marknad.uuid}&under={norway.uuid}",
            **HTMX,
        )
    )
    assert "Leverera det marknadsmaterial som behövs för säljtester i Norge" in fragment
    assert "Produktkatalog på norska till tryck senast 15/3" in fragment
    assert 'class="dependency-badge is-late"' in fragment
    page = body(vilma.get("/dpab/alignment/?expand=all"))
    assert "Fakturering nya kunder uppgår till 4MSEK" in page
    assert 'class="contribution"' in page  # "contributes … of 20 MSEK"
    assert "by the quarterly steps" in page or "kvartalsstegen" in page


def test_fast_select_writes_what_django_would():
    from django import forms

    from alignment.forms import FastSelect

    choices = [("", "All"), ("a", "Å & <b>"), ("Team <x>", [("o:1", "Mål 1"), ("k:2", "↳ KR")])]
    fast = FastSelect(choices=choices).render("team", "k:2", {"id": "id_team"})
    assert fast.startswith('<select name="team" id="id_team">')
    assert '<option value="a">Å &amp; &lt;b&gt;</option>' in fast
    assert '<optgroup label="Team &lt;x&gt;">' in fast
    assert '<option value="k:2" selected>↳ KR</option>' in fast
    django_html = forms.Select(choices=choices).render("team", "k:2", {"id": "id_team"})
    assert fast.count("<option") == django_html.count("<option")
    assert fast.count(" selected") == django_html.count(" selected") == 1
