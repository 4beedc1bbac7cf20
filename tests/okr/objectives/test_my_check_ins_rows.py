"""My check-ins writes each row's inputs as Django's ``form.as_div`` would, at a fixed cost.

The page writes a blank row's inputs once per shape of row (kind, unit, steps, starting
values) and gives each row its own prefix; a row with input or errors is written from its
own form. Either way every row holds exactly what ``CheckInForm(...).as_div()`` holds.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import revision
from conftest import client_for
from okr.models import CheckIn
from okr.objectives.forms import CheckInForm
from okr.objectives.views import _initial
from tests.support.factories import (
    CheckInFactory,
    metric_kr,
    milestone_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db


def url():
    return reverse("okr:my_check_ins", args=["acme"])


def row_fields(html: str, kr) -> str:
    """The inputs of the key result's row (the check-in-fields div of its fieldset)."""
    start = html.index(f'id="kr-{kr.uuid}"')
    start = html.index('<div class="check-in-fields">', start) + len(
        '<div class="check-in-fields">'
    )
    return html[start : html.index("</fieldset>", start)].rsplit("</div>", 1)[0]


@pytest.fixture
def rows(cast):
    """Key results of every shape, some of the same shape, owned by the member."""
    owner = cast.member
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    krs = [
        metric_kr(objective, title="Kunder <1>", owner=owner, unit="st"),
        metric_kr(objective, title="Kunder 2", owner=owner, unit="st"),
        metric_kr(objective, title="Kunder 3", owner=owner, unit="st"),
        metric_kr(objective, title="NPS", owner=owner, unit=""),
        metric_kr(objective, title="Intäkt", owner=owner, unit="MSEK & <mer>"),
        milestone_kr(objective, title="Lansering", owner=owner),
        milestone_kr(objective, title="Steg för steg", owner=owner, steps_total=4),
    ]
    CheckInFactory(key_result=krs[1], author=owner, value=Decimal(2), confidence="at_risk")
    CheckInFactory(key_result=krs[6], author=owner, steps_done=2, confidence="off_track")
    return owner, krs


def test_every_blank_row_is_what_its_form_writes(rows):
    owner, krs = rows
    html = body(client_for(owner).get(url()))
    for kr in krs:
        kr.refresh_from_db()
        form = CheckInForm(key_result=kr, prefix=str(kr.uuid), initial=_initial(kr))
        assert row_fields(html, kr) == str(form.as_div()), kr.title


def test_rows_with_input_keep_it_and_the_others_stay_blank(rows):
    owner, krs = rows
    typed = {
        f"{krs[0].uuid}-value": "x<",
        f"{krs[0].uuid}-note": "Hej & <b>då</b>",
        f"{krs[6].uuid}-steps_done": "9",
        f"{krs[6].uuid}-confidence": "on_track",
    }
    response = client_for(owner).post(url(), typed)
    assert response.status_code == 200
    assert not CheckIn.objects.filter(key_result=krs[0]).exists()
    html = body(response)
    for kr in (krs[0], krs[6]):
        form = CheckInForm(typed, key_result=kr, prefix=str(kr.uuid), initial=_initial(kr))
        assert not form.is_valid()
        assert row_fields(html, kr) == str(form.as_div()), kr.title
        assert "aria-invalid" in row_fields(html, kr)
    assert html.count("has-errors") == 2
    blank = CheckInForm(key_result=krs[2], prefix=str(krs[2].uuid), initial=_initial(krs[2]))
    assert row_fields(html, krs[2]) == str(blank.as_div())


def test_the_page_costs_the_same_queries_for_few_rows_and_many(cast):
    owner = cast.member
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    client = client_for(owner)
    metric_kr(objective, title="Första", owner=owner)
    client.get(url())  # the session is warm

    def count() -> int:
        revision.bump(cast.org.pk)  # the rows rendered afresh, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url()).status_code == 200
        return len(queries)

    few = count()
    for i in range(12):
        metric_kr(objective, title=f"Nyckelresultat {i}", owner=owner, unit=["st", "%", ""][i % 3])
        milestone_kr(objective, title=f"Milstolpe {i}", owner=owner, steps_total=i % 3 or None)
    assert count() == few
