"""My check-ins: each person's blank rows are rendered once per person and revision.

Each person still sees only their own key results whoever came first, a check-in
shows on the next request, the next day's verdicts show with nothing written,
each response carries its own CSRF token, and a row that failed keeps what its
person typed.
"""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts import revision
from okr.lib import calendar
from okr.models import CheckIn
from okr.objectives import services
from tests.support.factories import metric_kr, strategic_objective, year_and_quarter

pytestmark = pytest.mark.django_db


def url():
    return reverse("okr:my_check_ins", args=["acme"])


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page(client) -> str:
    response = client.get(url())
    assert response.status_code == 200
    return response.content.decode()


def token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def expected(body: str, kr) -> str:
    return re.search(rf'data-numbers-for="{kr.uuid}"[^>]*data-expected="(\d+)"', body).group(1)


@pytest.fixture
def objective(cast):
    year, _quarter = year_and_quarter(cast.org)
    return strategic_objective(cast.org, year, title="Växa i Norden")


@pytest.mark.parametrize("first", ["member", "lead", "leader"])
def test_each_person_sees_only_their_own_rows_whoever_came_first(cast, objective, first):
    # Two members with the same role and team, and leadership (who may check in on any).
    people = {"member": cast.member, "lead": cast.lead, "leader": cast.leader}
    krs = {
        name: metric_kr(objective, title=f"Nyckelresultat ({name})", owner=user)
        for name, user in people.items()
    }
    clients = {name: signed_in(user) for name, user in people.items()}
    order = [first, *(name for name in people if name != first)]
    pages = {name: page(clients[name]) for name in order}
    for name in people:
        for other in people:
            assert (krs[other].title in pages[name]) == (other == name)
            assert (f'name="{krs[other].uuid}-value"' in pages[name]) == (other == name)
        assert revision.CSRF_PLACEHOLDER not in pages[name]
    assert "You own no key results" in page(signed_in(cast.admin))


def test_each_response_carries_its_own_token_and_the_check_in_shows_at_once(cast, objective):
    kr = metric_kr(objective, title="40 kundmöten", owner=cast.member, target=40)
    first, second = signed_in(cast.member), signed_in(cast.member)
    assert token(page(first)) != token(page(second))  # two sessions, one cached copy
    body = page(second)
    response = second.post(
        url(),
        {
            "csrfmiddlewaretoken": token(body),
            f"{kr.uuid}-value": "20",
            f"{kr.uuid}-confidence": "on_track",
        },
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(key_result=kr).value == Decimal(20)
    body = page(second)
    assert f'data-numbers-for="{kr.uuid}" data-progress="50"' in body
    # A check-in written elsewhere (the key result page, the API) shows too.
    services.check_in_record(
        key_result=kr, author=cast.member, confidence="at_risk", value=Decimal(30)
    )
    assert f'data-numbers-for="{kr.uuid}" data-progress="75"' in page(first)


def test_the_next_day_shows_with_nothing_written(cast, objective, monkeypatch):
    today = calendar.today(cast.org)
    kr = metric_kr(objective, owner=cast.member, target=10, due_date=today + timedelta(days=1))
    client = signed_in(cast.member)
    today_expected = expected(page(client), kr)  # now cached
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(
        hour=12, tzinfo=calendar.zone_of(cast.org)
    )
    monkeypatch.setattr(calendar, "clock", lambda: tomorrow)
    tomorrow_expected = expected(page(client), kr)
    assert tomorrow_expected != today_expected
    revision.bump(cast.org.pk)  # rendered afresh: the same as the cached day's copy
    assert expected(page(client), kr) == tomorrow_expected


def test_a_failed_row_keeps_what_was_typed_and_the_next_page_is_blank(cast, objective):
    kr = metric_kr(objective, title="40 kundmöten", owner=cast.member, target=40)
    other = metric_kr(objective, title="Nöjda kunder", owner=cast.member, target=10)
    client = signed_in(cast.member)
    body = page(client)  # the blank rows are cached
    typed = {
        "csrfmiddlewaretoken": token(body),
        f"{kr.uuid}-value": "tjugo <b>",
        f"{kr.uuid}-note": "Två möten & <i>en</i> demo",
        f"{other.uuid}-value": "5",
        f"{other.uuid}-confidence": "on_track",
    }
    response = client.post(url(), typed)
    assert response.status_code == 200
    failed = response.content.decode()
    assert "Två möten &amp; &lt;i&gt;en&lt;/i&gt; demo" in failed
    assert 'value="tjugo &lt;b&gt;"' in failed
    assert failed.count("has-errors") == 1
    assert revision.CSRF_PLACEHOLDER not in failed
    assert not CheckIn.objects.filter(key_result=kr).exists()
    assert CheckIn.objects.get(key_result=other).value == Decimal(5)  # the valid row is saved
    # What was typed is that response's own: the next page's rows are blank again.
    again = page(client)
    assert "Två möten" not in again and "tjugo" not in again and "has-errors" not in again
    assert f'data-numbers-for="{other.uuid}" data-progress="50"' in again
    # The failed page's own token works for the next try.
    fixed = {
        "csrfmiddlewaretoken": token(failed),
        f"{kr.uuid}-value": "20",
        f"{kr.uuid}-confidence": "at_risk",
    }
    assert client.post(url(), fixed).status_code == 302
    assert CheckIn.objects.get(key_result=kr).value == Decimal(20)


def test_another_person_never_gets_what_someone_typed(cast, objective):
    mine = metric_kr(objective, title="Mitt nyckelresultat", owner=cast.member)
    client = signed_in(cast.member)
    body = page(client)
    client.post(url(), {"csrfmiddlewaretoken": token(body), f"{mine.uuid}-value": "x"})
    assert "Mitt nyckelresultat" not in page(signed_in(cast.lead))
    assert 'value="x"' not in page(client)
