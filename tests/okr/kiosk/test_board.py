"""The kitchen board by its secret link: the board, and nothing else of the organisation."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okr.kiosk import selectors, services
from okr.models import BoardLink, Objective
from tests.support.factories import (
    CheckInFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    metric_kr,
    milestone_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def make_link(org, author, label="Köket"):
    return services.board_link_create(organisation=org, author=author, label=label)


def board_url(secret: str) -> str:
    return f"/board/{secret}/"


def populate(org, owner, *, teams: int, objectives_per_team: int = 2, krs: int = 2):
    """A year's strategic OKRs and ``teams`` teams with approved OKRs this quarter."""
    year, quarter = year_and_quarter(org)
    strategic = strategic_objective(org, year, title="Marknadstest i Norge")
    parent = metric_kr(strategic, title="20 nya kunder i Norge", owner=owner, target=20)
    CheckInFactory(key_result=parent, author=owner, value=Decimal(6), confidence="at_risk")
    for t in range(teams):
        team = TeamFactory(organisation=org, name=f"Team {t:03d}")
        for o in range(objectives_per_team):
            objective = ObjectiveFactory(
                organisation=org,
                cycle=quarter,
                level=Objective.Level.TEAM,
                team=team,
                title=f"Mål {t}-{o}",
                status=Objective.Status.APPROVED,
            )
            for k in range(krs):
                kr = metric_kr(objective, title=f"Nyckelresultat {t}-{o}-{k}", owner=owner)
                CheckInFactory(key_result=kr, author=owner, value=Decimal(5), confidence="on_track")
            milestone_kr(objective, title=f"Milstolpe {t}-{o}", owner=owner)
    return year, quarter, strategic, parent


@pytest.fixture
def world(cast):
    cast.org.vision = "Norges och Sveriges mest omtyckta leverantör"
    cast.org.mission = "Vi gör det enkelt att välja rätt"
    cast.org.save(update_fields=["vision", "mission"])
    populate(cast.org, cast.lead, teams=2)
    return cast


def test_the_link_shows_the_board(world):
    _link, secret = make_link(world.org, world.admin)
    response = Client().get(board_url(secret))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Norges och Sveriges mest omtyckta leverantör",
        "Vi gör det enkelt att välja rätt",
        "Marknadstest i Norge",
        "20 nya kunder i Norge",
        "Team 000",
        "Team 001",
        "Mål 1-1",
        "Nyckelresultat 1-1-1",
    ):
        assert expected in text, expected
    # The engine's numbers: 6 of 20 is 30 %; the owner's confidence beside it.
    assert "30\u00a0%" in text
    assert "Risk" in text or "risk" in text  # "I riskzonen" (sv) / at risk
    # One screen per team and one strategic and the vision: what the rotation walks.
    assert text.count("data-screen=") == 4
    assert 'data-rotate-seconds="20"' in text


def test_the_board_shows_no_links_no_forms_and_no_names(world):
    _link, secret = make_link(world.org, world.admin)
    text = Client().get(board_url(secret)).content.decode()
    assert "<a " not in text and "<form" not in text and "<input" not in text
    for person in (world.lead, world.admin, world.member):
        assert person.name not in text and person.email not in text
        assert person.name.split()[0] not in text  # not even first names
    assert "/acme/" not in text and "csrf" not in text.lower()


def test_an_unknown_and_a_revoked_link_get_the_same_404(world):
    link, secret = make_link(world.org, world.admin)
    services.board_link_revoke(link=link, author=world.admin)
    revoked = Client().get(board_url(secret))
    unknown = Client().get(board_url("x" * 43))
    assert revoked.status_code == unknown.status_code == 404

    def normal(response):
        text = response.content.decode().replace(secret, "x" * 43)
        return re.sub(r'(nonce|value|"X-CSRFToken"): ?"[^"]*"|(nonce|value)="[^"]*"', "", text)

    assert normal(revoked) == normal(unknown)
    assert "Marknadstest" not in normal(revoked) and "Acme" not in normal(revoked)
    # The polling of a screen whose link was revoked gets the same 404.
    assert Client().get(board_url(secret), HTTP_HX_REQUEST="true").status_code == 404
    assert revoked["Cache-Control"] == "private, no-store, max-age=0"


@pytest.mark.parametrize("secret", ["", "a", "x" * 500, "%00", "..", "%2e%2e"])
def test_odd_secrets_are_404(world, secret):
    assert Client().get(f"/board/{secret}/").status_code == 404


def test_the_secret_is_stored_only_as_its_hash(world):
    link, secret = make_link(world.org, world.admin)
    assert len(secret) >= 40
    row = BoardLink.objects.get(pk=link.pk)
    assert secret not in {row.secret_hash, row.label, str(row.uuid)}
    assert row.secret_hash == selectors.hash_secret(secret)
    assert selectors.link_for_secret(row.secret_hash) is None  # the hash opens nothing


def test_the_link_signs_no_one_in_and_opens_nothing_else(world):
    _link, secret = make_link(world.org, world.admin)
    client = Client()
    response = client.get(board_url(secret))
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert "_auth_user_id" not in client.session
    # The same client is nobody anywhere else.
    assert client.get("/acme/").status_code == 302
    assert client.get("/acme/settings/kitchen-board/").status_code == 302
    assert client.get("/api/v1/acme/objectives/").status_code in (401, 403)
    # The secret is no API token and no organisation slug.
    api = Client().get("/api/v1/acme/objectives/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401
    assert Client().get(f"/{secret}/").status_code in (302, 404)
    assert Client().get(f"/board/{secret}/settings/").status_code == 404
    assert Client().get(f"/board/{secret}/../acme/").status_code in (302, 404)


def test_headers_private_noindex_and_not_frameable(world):
    _link, secret = make_link(world.org, world.admin)
    response = Client().get(board_url(secret))
    assert response["Cache-Control"] == "private, no-store, max-age=0"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_only_get_and_head(world):
    _link, secret = make_link(world.org, world.admin)
    assert Client().head(board_url(secret)).status_code == 200
    assert Client().post(board_url(secret)).status_code in (403, 405)  # CSRF, or not allowed


@pytest.mark.parametrize(
    ("language", "word"), [("sv", "Nästa avstämning"), ("nb", "Neste gjennomgang")]
)
def test_the_board_is_in_the_organisations_language_not_the_browsers(world, language, word):
    world.org.language = language
    world.org.save(update_fields=["language"])
    _link, secret = make_link(world.org, world.admin)
    response = Client().get(board_url(secret), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == language
    assert f'lang="{language}"' in response.content.decode()
    assert word in response.content.decode()


def test_an_english_organisation_reads_english(world):
    world.org.language = "en"
    world.org.save(update_fields=["language"])
    _link, secret = make_link(world.org, world.admin)
    text = Client().get(board_url(secret), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Next review" in text and "Vision" in text


def test_the_poll_gets_the_screens_only(world):
    _link, secret = make_link(world.org, world.admin)
    response = Client().get(board_url(secret) + "?seconds=5", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text and "data-screen=" in text
    assert response["Cache-Control"] == "private, no-store, max-age=0"


@pytest.mark.parametrize(("asked", "got"), [("5", 5), ("1", 3), ("99999", 600), ("x", 20)])
def test_the_rotation_interval_is_bounded(world, asked, got):
    _link, secret = make_link(world.org, world.admin)
    text = Client().get(board_url(secret), {"seconds": asked}).content.decode()
    assert f'data-rotate-seconds="{got}"' in text


def test_last_seen_is_noted_but_not_on_every_refresh(world):
    link, secret = make_link(world.org, world.admin)
    assert link.last_seen_at is None
    Client().get(board_url(secret))
    link.refresh_from_db()
    first = link.last_seen_at
    assert first is not None
    Client().get(board_url(secret))
    link.refresh_from_db()
    assert link.last_seen_at == first
    BoardLink.objects.filter(pk=link.pk).update(last_seen_at=first - timedelta(hours=1))
    Client().get(board_url(secret))
    link.refresh_from_db()
    assert link.last_seen_at > first - timedelta(minutes=1)


def test_an_organisation_without_cycles_still_shows_its_board(cast):
    _link, secret = make_link(cast.org, cast.admin)
    response = Client().get(board_url(secret))
    assert response.status_code == 200
    assert "data-screen=" in response.content.decode()


def test_another_organisations_link_shows_only_its_own_board(world):
    populate(world.other_org, world.outsider, teams=1)
    ObjectiveFactory(organisation=world.other_org, title="Hemligt mål i Other")
    _link, secret = make_link(world.org, world.admin)
    text = Client().get(board_url(secret)).content.decode()
    assert "Hemligt mål i Other" not in text


def _queries(secret: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(board_url(secret))
    assert response.status_code == 200
    return len(captured)


def test_the_board_costs_the_same_queries_for_a_big_organisation(
    cast, django_assert_max_num_queries
):
    small = cast.org
    populate(small, cast.lead, teams=1, objectives_per_team=1, krs=1)
    big = OrganisationFactory(slug="big", name="Big AB")
    owner = UserFactory()
    MembershipFactory(organisation=big, user=owner)
    admin = UserFactory()
    MembershipFactory(organisation=big, user=admin, role="admin")
    populate(big, owner, teams=12, objectives_per_team=3, krs=3)
    _l1, small_secret = make_link(small, cast.admin)
    _l2, big_secret = make_link(big, admin)
    small_count, big_count = _queries(small_secret), _queries(big_secret)
    assert small_count == big_count
    with django_assert_max_num_queries(9):
        Client().get(board_url(big_secret))
    # The vision, the strategic OKRs and one screen per team (3 objectives fit on one).
    text = Client().get(board_url(big_secret)).content.decode()
    assert text.count("data-screen=") == 1 + 1 + 12


def test_a_team_with_more_objectives_than_fit_gets_more_screens(cast):
    populate(cast.org, cast.lead, teams=1, objectives_per_team=4, krs=1)
    _link, secret = make_link(cast.org, cast.admin)
    text = Client().get(board_url(secret)).content.decode()
    assert text.count('data-screen="') == 1 + 1 + 2
    assert "1 of 2" in text or "1 av 2" in text
