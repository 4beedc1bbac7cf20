"""Starting next year: carrying objectives on verbatim, new drafts, publishing, who may, bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import policy
from conftest import client_for
from okr.models import Cycle, KeyResult, Objective, ObjectiveEvent
from okr.years import services
from tests.support.factories import ObjectiveFactory
from tests.support.fuzz import HOSTILE
from tests.support.years import STRATEGIC_TITLE, at_day, year_world

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


@pytest.fixture
def may(cast):
    """A fiscal year from May: 2026/27 is this year, 2027/28 the next."""
    cast.org.fiscal_year_start_month = 5
    cast.org.save()
    with at_day(TODAY):
        yield year_world(cast.org, 2026)


def page(client, from_year=2026):
    return client.get(f"{reverse('okr:next_year', args=['acme'])}?year={from_year}")


def test_carry_on_copies_texts_verbatim_and_resets_targets(cast, may):
    why = "  Så att vi växer,\n  även i Norge. "
    Objective.objects.filter(pk=may.strategic.pk).update(why=why)
    draft = services.objective_carry_on(objective=may.strategic, author=cast.leader)
    assert draft.title == STRATEGIC_TITLE and draft.why == why
    draft.refresh_from_db()
    assert draft.why == why
    assert draft.status == Objective.Status.DRAFT and draft.carried_from == may.strategic
    cycle = draft.cycle
    assert (cycle.kind, cycle.year, cycle.label) == ("year", 2027, "2027/28")
    assert cycle.start_date == date(2027, 5, 1) and cycle.end_date == date(2028, 4, 30)
    assert [q.start_date for q in cycle.quarters.order_by("quarter")][1] == date(2027, 8, 1)
    growth, launch = draft.key_results.order_by("order")
    assert growth.title == "20MSEK försäljning till nya kunder" and growth.unit == "MSEK"
    assert growth.start_value == Decimal(12) and growth.target_value is None  # where it ended
    assert growth.is_pending and growth.commitment == "committed"
    assert launch.kind == "milestone" and launch.title == "Lansera i Norge"
    with pytest.raises(ValidationError):  # once
        services.objective_carry_on(objective=may.strategic, author=cast.leader)


def test_a_draft_is_not_carried_on_nor_a_team_objective(cast, may):
    draft = services.objective_carry_on(objective=may.strategic, author=cast.leader)
    for objective in (draft, may.team_objectives[0, 2]):
        with pytest.raises(ValidationError):
            services.objective_carry_on(objective=objective, author=cast.leader)


def test_start_with_chosen_objectives_then_publish(cast, may):
    other = ObjectiveFactory(organisation=cast.org, cycle=may.year, title="Nöjdare kunder")
    response = client_for(cast.leader).post(
        reverse("okr:year_start", args=["acme"]),
        {"from_year": "2026", "year": "2027", "carry": [str(may.strategic.uuid)]},
    )
    assert response.status_code == 302
    drafts = Objective.objects.filter(cycle__year=2027, level="strategic")
    assert [o.title for o in drafts] == [STRATEGIC_TITLE]
    assert not drafts.filter(carried_from=other).exists()
    body = page(client_for(cast.leader)).content.decode()
    assert "Carries on:" in body and "Carry on into 2027/28" in body  # the other one
    assert "Set a new target" in body and "1 draft, not published yet." in body
    # A new one, with the coach
    response = client_for(cast.leader).post(
        reverse("okr:next_year", args=["acme"]),
        {"from_year": "2026", "title": "Bli bäst på service", "why": "", "owner": ""},
    )
    assert response.status_code == 302
    new = Objective.objects.get(title="Bli bäst på service")
    assert new.status == "draft" and new.cycle.year == 2027
    # Drafts are marked on the strategic page and are not the year's OKRs yet
    strategic = client_for(cast.member).get(reverse("okr:strategic", args=["acme"]) + "?year=2027")
    assert "Draft" in strategic.content.decode()
    response = client_for(cast.leader).post(
        reverse("okr:year_publish", args=["acme"]), {"year": "2027"}
    )
    assert response.status_code == 302
    assert set(drafts.values_list("status", flat=True)) == {"approved"}
    events = ObjectiveEvent.objects.filter(objective__cycle__year=2027)
    assert {(e.from_status, e.to_status, e.author) for e in events} == {
        ("draft", "approved", cast.leader)
    }
    with pytest.raises(ValidationError):  # nothing left to publish
        services.year_publish(organisation=cast.org, year=2027, author=cast.leader)


def test_a_january_year_plans_the_next_calendar_year(cast):
    with at_day(TODAY):
        world = year_world(cast.org, 2026)
        draft = services.objective_carry_on(objective=world.strategic, author=cast.leader)
        body = page(client_for(cast.leader)).content.decode()
    assert draft.cycle.label == "2027" and draft.cycle.start_date == date(2027, 1, 1)
    assert "Strategic OKRs for 2027" in body and "2026: how it went" in body


def test_a_year_that_is_over_is_not_planned(cast, may):
    past = Cycle.objects.create(
        organisation=cast.org,
        kind="year",
        year=2024,
        start_date=date(2024, 5, 1),
        end_date=date(2025, 4, 30),
    )
    old = ObjectiveFactory(organisation=cast.org, cycle=past, title="Gammalt mål")
    with pytest.raises(ValidationError):
        services.objective_carry_on(objective=old, author=cast.leader)
    with pytest.raises(ValidationError):
        services.draft_create(organisation=cast.org, year=2025, title="X", author=cast.leader)


@pytest.mark.parametrize("who", ["member", "lead"])
def test_a_member_may_not_plan(cast, may, who):
    client = client_for(getattr(cast, who))
    assert page(client).status_code == 403
    posts = [
        ("okr:year_start", [], {"from_year": "2026", "year": "2027"}),
        ("okr:year_publish", [], {"year": "2027"}),
        ("okr:objective_carry_on", [may.strategic.uuid], {}),
        ("okr:next_year", [], {"from_year": "2026", "title": "Mitt mål"}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(name, args=["acme", *args]), data).status_code == 403
    with pytest.raises(policy.PolicyError):
        services.year_start(organisation=cast.org, year=2027, author=getattr(cast, who))
    assert not Cycle.objects.filter(organisation=cast.org, year=2027).exists()


def test_outsider_gets_404(cast, may):
    client = client_for(cast.outsider)
    assert page(client).status_code == 404
    for name, args in [
        ("okr:year_start", []),
        ("okr:year_publish", []),
        ("okr:objective_carry_on", [may.strategic.uuid]),
    ]:
        assert client.post(reverse(name, args=["acme", *args]), {}).status_code == 404
    # Another organisation's objective through one's own organisation: 404 too.
    leader = client_for(cast.leader)
    foreign = ObjectiveFactory(organisation=cast.other_org, title="Främmande")
    url = reverse("okr:objective_carry_on", args=["acme", foreign.uuid])
    assert leader.post(url).status_code == 404


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_form_errors_never_500(cast, may, text):
    leader = client_for(cast.leader)
    new = leader.post(
        reverse("okr:next_year", args=["acme"]),
        {"from_year": text, "title": text, "why": text, "owner": text},
    )
    start = leader.post(
        reverse("okr:year_start", args=["acme"]), {"from_year": text, "year": text, "carry": text}
    )
    publish = leader.post(reverse("okr:year_publish", args=["acme"]), {"year": text})
    assert new.status_code in (302, 400)
    assert start.status_code in (302, 400)
    assert publish.status_code == 302
    assert not any("\x00" in title for title in Objective.objects.values_list("title", flat=True))


def test_the_page_costs_a_bounded_number_of_queries(cast, may, django_assert_max_num_queries):
    services.objective_carry_on(objective=may.strategic, author=cast.leader)
    client = client_for(cast.leader)
    page(client)
    with django_assert_max_num_queries(30):
        assert page(client).status_code == 200


def test_key_results_keep_verbatim_titles_too(cast, may):
    KeyResult.objects.filter(objective=may.strategic, kind="milestone").update(
        title="  Lansera i Norge "
    )
    draft = services.objective_carry_on(objective=may.strategic, author=cast.leader)
    assert draft.key_results.get(kind="milestone").title == "  Lansera i Norge "


def test_drafts_stay_out_of_home_tree_and_workshop_until_published(cast, may):
    with at_day(TODAY):
        services.draft_create(
            organisation=cast.org, year=2026, title="Ett utkast i år", author=cast.leader
        )
        member = client_for(cast.member)
        pages = [
            reverse("okr:home", args=["acme"]),
            reverse("alignment:tree", args=["acme"]),
            reverse("okr:team_workshop", args=["acme", may.teams[0].uuid]),
        ]
        before = [member.get(url).content.decode() for url in pages]
        services.year_publish(organisation=cast.org, year=2026, author=cast.leader)
        after = [member.get(url).content.decode() for url in pages]
    assert all("Ett utkast i år" not in body for body in before)
    assert all("Ett utkast i år" in body for body in after[:2])  # published: the year's OKR


def test_the_strategic_page_adds_to_a_drafted_year_as_a_draft(cast, may):
    leader = client_for(cast.leader)
    new = reverse("okr:objective_new", args=["acme"])
    leader.post(new, {"year": "2028", "title": "Ett publicerat mål", "why": "", "owner": ""})
    services.draft_create(organisation=cast.org, year=2027, title="Utkast", author=cast.leader)
    leader.post(new, {"year": "2027", "title": "Ännu ett utkast", "why": "", "owner": ""})
    assert Objective.objects.get(title="Ett publicerat mål").status == "approved"  # as before
    assert Objective.objects.get(title="Ännu ett utkast").status == "draft"
