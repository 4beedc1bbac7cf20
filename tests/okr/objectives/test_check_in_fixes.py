"""Two fixes on the pages where key results are written and checked in on.

* The coach's pending-target hint ("Målvärdet är inte satt än") reads the title ("NPS på X"):
  once the target is set it is gone, on the saved card and in the form, in every place.
* A first check-in pre-selects no confidence: the owner says it (my check-ins and the key
  result page); later check-ins start from the owner's last one.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import CheckIn
from okr.workshop import services as services_workshop
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NPS = "Rullande 3-månaders NPS på X"
PENDING = 'data-code="kr_pending_target"'


def url(name, *args):
    return reverse(f"okr:{name}", args=["acme", *args])


def body(response) -> str:
    return response.content.decode()


class Place:
    """Leadership's strategic NPS key result and a team's copy of it, both with the target set."""

    def __init__(self, cast):
        self.cast = cast
        self.year, self.quarter = year_and_quarter(cast.org)
        self.strategic = strategic_objective(cast.org, self.year, title="Nöjda kunder")
        self.nps = metric_kr(self.strategic, title=NPS, start=20, target=45, unit="NPS")
        self.pending = KeyResultFactory(
            objective=self.strategic,
            title="Churn på X procent",
            start_value=None,
            target_value=None,
            unit="%",
        )
        self.team, self.lead = cast.team, cast.lead
        self.objective = services_workshop.workshop_objective_create(
            organisation=cast.org,
            team=self.team,
            cycle=self.quarter,
            title="Kunder som stannar",
            author=self.lead,
        )
        self.team_nps = metric_kr(
            self.objective, title="NPS på X i Norge", start=10, target=30, unit="NPS"
        )
        self.team_pending = KeyResultFactory(
            objective=self.objective,
            title="Svarstid på X timmar",
            start_value=None,
            target_value=None,
        )


@pytest.fixture
def place(cast):
    return Place(cast)


def card(html: str, title: str) -> str:
    start = html.index(title)
    return html[start : html.index("</article>", start)]


def test_the_strategic_page_drops_the_hint_once_the_target_is_set(place):
    html = body(client_for(place.cast.leader).get(url("strategic")))
    assert PENDING not in card(html, NPS)
    assert PENDING in card(html, "Churn på X procent")  # still pending: the hint stays


def test_the_workshop_drops_the_hint_once_the_target_is_set(place):
    page = reverse("okr:team_workshop", args=["acme", place.team.uuid])
    html = body(client_for(place.lead).get(f"{page}?quarter={place.quarter.uuid}"))
    assert PENDING not in card(html, "NPS på X i Norge")
    assert PENDING in card(html, "Svarstid på X timmar")


def test_the_edit_forms_drop_the_hint_once_the_target_is_set(place):
    leader = client_for(place.cast.leader)
    form = body(leader.get(url("key_result_edit", place.nps.uuid), **HTMX))
    assert PENDING not in form
    form = body(
        client_for(place.lead).get(url("workshop_key_result_edit", place.team_nps.uuid), **HTMX)
    )
    assert PENDING not in form
    form = body(leader.get(url("key_result_edit", place.pending.uuid), **HTMX))
    assert PENDING in form


def test_the_live_coach_reads_the_target_field(place):
    client = client_for(place.lead)
    typed = {"kind": "key_result", "title": NPS, "start_value": "20"}
    assert PENDING in body(client.post(url("coach"), {**typed, "target_value": ""}, **HTMX))
    assert PENDING not in body(client.post(url("coach"), {**typed, "target_value": "45"}, **HTMX))


# --- Confidence on a first check-in --------------------------------------------------------------


def confidence_select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{re.escape(name)}"[^>]*>.*?</select>', html, re.S)
    assert match, name
    return match.group(0)


def selected_values(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def test_my_check_ins_preselects_no_confidence_on_a_first_check_in(place):
    owner = place.cast.member
    first = metric_kr(place.objective, title="Första mätningen", owner=owner, start=0, target=10)
    again = metric_kr(place.objective, title="Andra mätningen", owner=owner, start=0, target=10)
    CheckInFactory(key_result=again, author=owner, value=Decimal(2), confidence="at_risk")
    html = body(client_for(owner).get(url("my_check_ins")))
    fresh = confidence_select(html, f"{first.uuid}-confidence")
    assert [v for v in selected_values(fresh) if v] == []
    assert '<option value=""' in fresh  # a blank choice to start from
    later = confidence_select(html, f"{again.uuid}-confidence")
    assert selected_values(later) == ["at_risk"]  # the owner's last confidence


def test_my_check_ins_asks_for_a_confidence_instead_of_assuming_on_track(place):
    owner = place.cast.member
    first = metric_kr(place.objective, title="Första mätningen", owner=owner, start=0, target=10)
    response = client_for(owner).post(
        url("my_check_ins"),
        {f"{first.uuid}-value": "3", f"{first.uuid}-confidence": "", f"{first.uuid}-note": ""},
    )
    assert response.status_code == 200
    assert not CheckIn.objects.filter(key_result=first).exists()
    assert "This row was not saved" in body(response)


def test_the_key_result_page_preselects_no_confidence_on_a_first_check_in(place):
    owner = place.cast.member
    first = metric_kr(place.objective, title="Första mätningen", owner=owner, start=0, target=10)
    html = body(client_for(owner).get(url("key_result_detail", first.uuid)))
    select = confidence_select(html, "confidence")
    assert [v for v in selected_values(select) if v] == []
    # Without a blank choice the browser shows the first one ("On track") as chosen.
    assert '<option value=""' in select
    CheckInFactory(key_result=first, author=owner, value=Decimal(1), confidence="off_track")
    html = body(client_for(owner).get(url("key_result_detail", first.uuid)))
    assert selected_values(confidence_select(html, "confidence")) == ["off_track"]
