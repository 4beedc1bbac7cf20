"""Direct contributions (a team key result adding into a strategic one) and quarterly steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from alignment import services
from alignment.models import KeyResultStep
from conftest import client_for
from okr.lib import calendar
from okr.models import CheckIn, Cycle, KeyResult
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db
D = Decimal


@dataclass
class World:
    cast: object
    year: Cycle
    quarter: Cycle
    sales: KeyResult  # strategic, 0 -> 20 MSEK, sums its direct children
    invoicing: KeyResult  # Försäljning, direct, MSEK
    upsell: KeyResult  # Försäljning, direct, MSEK (same objective)
    meetings: KeyResult  # Försäljning, direct, "st": another unit
    leads: KeyResult  # Marknad, indirect, MSEK


@pytest.fixture
def world(cast):
    year, quarter = year_and_quarter(cast.org)
    strategic = ObjectiveFactory(
        organisation=cast.org, title="Kommande år vårt starkaste tillväxtår"
    )
    sales = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        unit="MSEK",
        target_value=D(20),
        commitment="committed",
    )
    KeyResult.objects.filter(pk=sales.pk).update(rollup="sum")
    sales.refresh_from_db()
    direct = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=TeamFactory(organisation=cast.org, name="Försäljning"),
        title="Aggressiv försäljningstillväxt",
        parent_key_result=sales,
        alignment="direct",
        status="approved",
    )
    invoicing = KeyResultFactory(
        objective=direct,
        title="Fakturering nya kunder uppgår till 4MSEK",
        unit="MSEK",
        target_value=D(4),
    )
    upsell = KeyResultFactory(objective=direct, title="Nya avtal", unit=" msek", target_value=D(2))
    meetings = KeyResultFactory(
        objective=direct, title="40 kundmöten", unit="st", target_value=D(40)
    )
    indirect = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=TeamFactory(organisation=cast.org, name="Marknad"),
        title="Bygg förtroende",
        parent_key_result=sales,
        alignment="indirect",
        status="approved",
    )
    leads = KeyResultFactory(objective=indirect, title="Pipeline", unit="MSEK", target_value=D(50))
    return World(cast, year, quarter, sales, invoicing, upsell, meetings, leads)


def current(kr):
    kr.refresh_from_db()
    return kr.current_value


def test_a_check_in_on_a_direct_child_sets_the_parent_to_the_sum(world):
    checked_at = timezone.now() - timedelta(hours=1)
    CheckInFactory(key_result=world.invoicing, value=D("2.5"), at=checked_at)
    assert current(world.sales) == D("2.5")
    assert world.sales.last_check_in_at == checked_at
    CheckInFactory(key_result=world.upsell, value=D("1.25"))
    assert current(world.sales) == D("3.75")
    # Nothing was recorded on the strategic key result itself.
    assert not CheckIn.objects.filter(key_result=world.sales).exists()


def test_indirect_links_and_other_units_never_add(world):
    CheckInFactory(key_result=world.invoicing, value=D(1))
    CheckInFactory(key_result=world.leads, value=D(30))  # indirect
    CheckInFactory(key_result=world.meetings, value=D(12))  # "st", not MSEK
    assert current(world.sales) == D(1)


def test_archived_children_leave_the_sum(world):
    CheckInFactory(key_result=world.invoicing, value=D(1))
    CheckInFactory(key_result=world.upsell, value=D(2))
    assert current(world.sales) == D(3)
    KeyResult.objects.filter(pk=world.upsell.pk).update(archived=True)
    CheckInFactory(key_result=world.invoicing, value=D("1.5"))
    assert current(world.sales) == D("1.5")


def test_a_parent_that_keeps_its_own_check_ins_is_left_alone(world):
    KeyResult.objects.filter(pk=world.sales.pk).update(rollup="none")
    CheckInFactory(key_result=world.sales, value=D(7))
    CheckInFactory(key_result=world.invoicing, value=D(3))
    assert current(world.sales) == D(7)


def test_a_check_in_typed_on_a_summing_key_result_goes_back_to_the_sum(world):
    CheckInFactory(key_result=world.invoicing, value=D(3))
    CheckInFactory(key_result=world.sales, value=D(11), confidence="at_risk")
    world.sales.refresh_from_db()
    assert world.sales.current_value == D(3)
    assert world.sales.confidence == "at_risk"  # the confidence stays


def test_recompute_without_values_writes_nothing(world):
    assert services.contribution_recompute(world.sales) is None
    assert current(world.sales) is None
    assert services.contribution_recompute(world.invoicing) is None  # does not sum


def test_an_older_check_in_does_not_move_last_check_in_back(world):
    now = timezone.now()
    CheckInFactory(key_result=world.invoicing, value=D(1), at=now)
    CheckInFactory(key_result=world.upsell, value=D(1), at=now - timedelta(days=3))
    world.sales.refresh_from_db()
    assert world.sales.last_check_in_at == now
    assert world.sales.current_value == D(2)


# --- Pages -------------------------------------------------------------------------------------


def kr_page(client, kr):
    response = client.get(reverse("okr:key_result_detail", args=["acme", kr.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_strategic_key_result_page_shows_the_sum_and_the_team_one_what_it_adds(world, cast):
    CheckInFactory(key_result=world.invoicing, value=D(3))
    client = client_for(cast.member)
    page = kr_page(client, world.sales)
    assert (
        "Sum of direct contributions: 3\u00a0MSEK of 20\u00a0MSEK (from 1 team key result)." in page
    )
    assert "Its current value is the sum of the direct contributions" in page
    assert 'id="quarterly-steps"' in page and "Save steps" not in page  # a member: no form
    page = kr_page(client, world.invoicing)
    assert "Adds into the strategic key result" in page
    assert "contributes 3 of 20\u00a0MSEK" in page
    assert "Adds into" not in kr_page(client, world.leads)  # indirect
    assert "Adds into" not in kr_page(client, world.meetings)  # another unit


def test_the_tree_shows_the_contribution(world, cast):
    CheckInFactory(key_result=world.invoicing, value=D(3))
    page = client_for(cast.member).get(reverse("alignment:tree", args=["acme"]) + "?expand=all")
    html = page.content.decode()
    assert "contributes 3 of 20\u00a0MSEK" in html
    assert "Sum of direct contributions: 3\u00a0MSEK of 20\u00a0MSEK" in html
    assert "Its current value is the sum of the direct contributions." in html


# --- Quarterly steps ------------------------------------------------------------------------


def quarters(world):
    return {q.quarter: q for q in world.year.quarters.all()}


def test_steps_are_set_changed_and_cleared(world):
    q = quarters(world)
    services.key_result_steps_set(key_result=world.sales, targets={q[1]: D(4), q[2]: D(9)})
    assert dict(KeyResultStep.objects.values_list("quarter__quarter", "target_value")) == {
        1: D(4),
        2: D(9),
    }
    services.key_result_steps_set(
        key_result=world.sales, targets={q[1]: None, q[2]: D(10), q[4]: D(20)}
    )
    assert dict(KeyResultStep.objects.values_list("quarter__quarter", "target_value")) == {
        2: D(10),
        4: D(20),
    }
    assert KeyResultStep.objects.first().organisation == world.cast.org


@pytest.mark.parametrize(
    "targets, field",
    [
        ({1: D(21)}, "q1"),  # beyond the target
        ({1: D(-1)}, "q1"),  # before the start
        ({1: D(9), 2: D(4)}, "q2"),  # cumulative: never down for "higher is better"
    ],
)
def test_steps_must_lie_between_start_and_target_and_add_up(world, targets, field):
    q = quarters(world)
    with pytest.raises(ValidationError) as error:
        services.key_result_steps_set(
            key_result=world.sales, targets={q[n]: v for n, v in targets.items()}
        )
    assert field in error.value.message_dict
    assert not KeyResultStep.objects.exists()


def test_decreasing_key_results_step_down(world):
    churn = KeyResultFactory(
        objective=world.sales.objective,
        title="5% churn",
        start_value=D(15),
        target_value=D(5),
        direction="decrease",
        unit="%",
    )
    q = quarters(world)
    services.key_result_steps_set(key_result=churn, targets={q[1]: D(12), q[2]: D(10)})
    with pytest.raises(ValidationError):
        services.key_result_steps_set(key_result=churn, targets={q[1]: D(10), q[2]: D(12)})


def test_only_yearly_metrics_with_a_target_have_steps(world):
    q = quarters(world)
    pending = KeyResultFactory(objective=world.sales.objective, title="NPS på X", target_value=None)
    milestone = KeyResultFactory(objective=world.sales.objective, kind="milestone")
    for kr in (world.invoicing, pending, milestone):
        with pytest.raises(ValidationError):
            services.key_result_steps_set(key_result=kr, targets={q[1]: D(1)})
    assert not KeyResultStep.objects.exists()


def steps_url(kr):
    return reverse("alignment:key_result_steps", args=["acme", kr.uuid])


def test_leadership_sets_steps_and_the_expected_pace_follows_them(world, cast):
    leader = client_for(cast.leader)
    page = kr_page(leader, world.sales)
    assert "Save steps" in page and 'name="q1"' in page
    response = leader.post(steps_url(world.sales), {"q1": "4", "q2": "9", "q3": "14", "q4": "20"})
    assert response.status_code == 302
    assert response.url.endswith("#quarterly-steps")
    page = kr_page(leader, world.sales)
    assert "Expected by today with the steps:" in page
    assert '<td class="number">14\u00a0MSEK</td>' in page
    tree = client_for(cast.member).get(reverse("alignment:tree", args=["acme"])).content.decode()
    assert "by the quarterly steps" in tree


def test_bad_steps_keep_what_was_typed_and_say_what_is_wrong(world, cast):
    leader = client_for(cast.leader)
    response = leader.post(steps_url(world.sales), {"q1": "9", "q2": "4", "q3": "tolv", "q4": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="tolv"' in page and 'aria-invalid="true"' in page
    response = leader.post(steps_url(world.sales), {"q1": "9", "q2": "4"})
    page = response.content.decode()
    assert "enter at least the previous quarter" in page and 'value="4"' in page
    assert not KeyResultStep.objects.exists()


def test_steps_page_access(world, cast, outsider_client):
    assert client_for(cast.member).get(steps_url(world.sales)).status_code == 403
    assert client_for(cast.member).post(steps_url(world.sales), {"q1": "4"}).status_code == 403
    assert outsider_client.get(steps_url(world.sales)).status_code == 404
    assert outsider_client.post(steps_url(world.sales)).status_code == 404
    leader = client_for(cast.leader)
    assert leader.get(steps_url(world.sales)).status_code == 200
    page = leader.get(steps_url(world.invoicing)).content.decode()
    assert "Only a yearly metric key result" in page
    assert leader.post(steps_url(world.invoicing), {"q1": "1"}).status_code == 200
    assert leader.put(steps_url(world.sales)).status_code == 405


def test_stepped_expected_tag(world, cast):
    q = quarters(world)
    services.key_result_steps_set(key_result=world.sales, targets={q[1]: D(4), q[4]: D(20)})
    kr = KeyResult.objects.select_related("objective__cycle").get(pk=world.sales.pk)
    rendered = Template("{% load alignment_tags %}{% stepped_expected kr as e %}{{ e }}").render(
        Context({"kr": kr, "organisation": cast.org})
    )
    expected = float(rendered)
    today = calendar.today(cast.org)
    if today <= q[1].end_date:
        assert expected <= 0.2 + 1e-9
    else:
        assert expected >= 0.2 - 1e-9
