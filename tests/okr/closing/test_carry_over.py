"""Carry-over lands in an open or coming quarter that the person chooses, never in the past.

The default is the current quarter when the closed quarter lies further back (closing Q1 in
December carries into Q4), else the next quarter (closing Q1 in April carries into Q2).
"""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from okr.closing import services as closing
from okr.models import Cycle, Objective
from okr.objectives import services
from tests.support.reviews import build

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 6)
APRIL = date(2026, 4, 8)


def frozen(day: date):
    """The clock at 10:00 UTC on ``day`` (every surface reads ``django.utils.timezone.now``)."""
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def quarter(world, year, q):
    return services.cycle_year_get_or_create(organisation=world.org, year=year).quarters.get(
        quarter=q
    )


def close_page(world):
    return reverse("okr:quarter_close", args=["acme"]) + f"?cycle={world.q1.uuid}"


def carry_url(objective):
    return reverse("okr:objective_carry", args=["acme", objective.uuid])


# --- The service -----------------------------------------------------------------------------


def test_closing_a_past_quarter_carries_into_the_current_one_by_default(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    draft = closing.objective_carry(objective=w.objectives["norway"], today=DECEMBER)
    assert (draft.cycle.year, draft.cycle.quarter) == (2026, 4)
    assert draft.status == Objective.Status.DRAFT and draft.carried_from == w.objectives["norway"]


def test_closing_the_quarter_that_just_ended_carries_into_the_next_by_default(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    draft = closing.objective_carry(objective=w.objectives["norway"], today=APRIL)
    assert (draft.cycle.year, draft.cycle.quarter) == (2026, 2)


def test_the_person_chooses_a_coming_quarter(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    into = quarter(w, 2027, 1)
    draft = closing.objective_carry(objective=w.objectives["norway"], into=into, today=DECEMBER)
    assert draft.cycle == into
    # Another year: last year's strategic parent does not come along.
    assert draft.parent_objective is None


@pytest.mark.parametrize(("year", "q"), [(2026, 2), (2026, 3), (2026, 1)])
def test_a_past_quarter_or_the_closed_one_itself_is_refused(cast, year, q):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    with pytest.raises(ValidationError, match="open or coming quarter"):
        closing.objective_carry(
            objective=w.objectives["norway"], into=quarter(w, year, q), today=DECEMBER
        )
    assert not Objective.objects.filter(carried_from=w.objectives["norway"]).exists()


def test_a_closed_quarter_is_refused_even_when_it_is_current(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    q2 = quarter(w, 2026, 2)
    Cycle.objects.filter(pk=q2.pk).update(state=Cycle.State.CLOSED)
    q2.refresh_from_db()
    with pytest.raises(ValidationError, match="open or coming quarter"):
        closing.objective_carry(objective=w.objectives["norway"], into=q2, today=APRIL)


def test_another_organisations_quarter_is_refused(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    foreign = services.cycle_year_get_or_create(organisation=cast.other_org, year=2027)
    with pytest.raises(ValidationError):
        closing.objective_carry(
            objective=w.objectives["norway"],
            into=foreign.quarters.get(quarter=1),
            today=DECEMBER,
        )


# --- The page ---------------------------------------------------------------------------------


def test_the_close_page_offers_open_and_coming_quarters_with_the_default_chosen(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    with frozen(DECEMBER):
        html = client_for(cast.leader).get(close_page(w)).content.decode()
    form = html[html.index(carry_url(w.objectives["norway"])) :]
    form = form[: form.index("</form>")]
    assert 'name="into"' in form
    assert '<option value="2026-Q4" selected>' in form
    assert 'value="2027-Q1"' in form
    assert 'value="2026-Q2"' not in form and 'value="2026-Q3"' not in form


def test_carrying_from_the_page_lands_where_the_person_chose(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    client = client_for(cast.leader)
    with frozen(DECEMBER):
        response = client.post(carry_url(w.objectives["norway"]), {"into": "2027-Q1"})
        assert response.status_code == 302
        draft = Objective.objects.get(carried_from=w.objectives["norway"])
        assert (draft.cycle.year, draft.cycle.quarter) == (2027, 1)
        html = client.get(close_page(w)).content.decode()
    assert "Carried to Q1 2027" in html


def test_carrying_from_the_page_without_a_choice_takes_the_default(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    with frozen(DECEMBER):
        response = client_for(cast.leader).post(carry_url(w.objectives["norway"]))
    assert response.status_code == 302
    draft = Objective.objects.get(carried_from=w.objectives["norway"])
    assert (draft.cycle.year, draft.cycle.quarter) == (2026, 4)


def test_a_past_quarter_from_the_page_is_refused_with_a_message(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=APRIL)
    client = client_for(cast.leader)
    with frozen(DECEMBER):
        for choice in ("2026-Q2", "not-a-quarter"):
            response = client.post(carry_url(w.objectives["norway"]), {"into": choice}, follow=True)
            assert response.status_code == 200
            assert "open or coming quarter" in response.content.decode()
    assert not Objective.objects.filter(carried_from=w.objectives["norway"]).exists()
