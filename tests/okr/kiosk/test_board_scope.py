"""The board's secret opens the board of its organisation, and nothing beyond the board.

Issue 14's "Done means": the secret link gives nothing beyond the board, a revoked link
gives 404. test_board.py covers the board itself; these cover what else a secret might
be mistaken for (another organisation's revoked link, a link's public id or stored
hash, an API token) and what else of the organisation might leak onto the screen
(drafts, personal OKRs, comments, decisions, check-in notes, people, the links' names).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts import tokens
from okr.conversation import services as conversation
from okr.kiosk import services
from okr.models import Objective, Review, ReviewEntry
from tests.okr.kiosk.test_board import board_url, make_link, populate
from tests.support.factories import (
    CheckInFactory,
    InvitationFactory,
    ObjectiveFactory,
    metric_kr,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def test_only_a_live_secret_opens_a_board(cast):
    populate(cast.org, cast.lead, teams=1)
    populate(cast.other_org, cast.outsider, teams=1)
    link, secret = make_link(cast.org, cast.admin)
    foreign, foreign_secret = make_link(cast.other_org, cast.outsider, label="Kantina")
    services.board_link_revoke(link=foreign, author=cast.outsider)
    _token, raw_token = tokens.token_create(user=cast.admin, organisation=cast.org, name="x")
    assert Client().get(board_url(secret)).status_code == 200
    for wrong in (foreign_secret, str(link.uuid), link.secret_hash, raw_token, secret.upper()):
        response = Client().get(board_url(wrong))
        assert response.status_code == 404, wrong
        assert "Marknadstest" not in response.content.decode()
    # Signed in elsewhere changes nothing: the revoked link is 404 for its own admin too.
    assert Client().get(board_url(foreign_secret)).status_code == 404
    own_admin = Client()
    own_admin.force_login(cast.outsider)
    assert own_admin.get(board_url(foreign_secret)).status_code == 404


def test_the_board_shows_nothing_beyond_the_board(cast):
    org = cast.org
    populate(org, cast.lead, teams=1)
    _year, quarter = year_and_quarter(org)
    team_objective = Objective.objects.get(organisation=org, title="Mål 0-0")
    kr = team_objective.key_results.first()
    growth = ObjectiveFactory(
        organisation=org,
        cycle=quarter,
        level=Objective.Level.TEAM,
        team=cast.team,
        title="Växa i Norge",
        status=Objective.Status.APPROVED,
    )
    secrets = {
        "a draft": ObjectiveFactory(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team=cast.team,
            title="Hemligt utkast",
            status=Objective.Status.DRAFT,
        ).title,
        "an archived objective": ObjectiveFactory(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team=cast.team,
            title="Arkiverat mål",
            status=Objective.Status.ARCHIVED,
        ).title,
        "a personal objective": ObjectiveFactory(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.PERSONAL,
            team=cast.team,
            owner=cast.member,
            title="Mitt eget mål",
            parent_objective=growth,
            status=Objective.Status.APPROVED,
        ).title,
        "a comment": conversation.comment_create(
            target=team_objective, author=cast.lead, text="Hemlig kommentar om budgeten"
        ).text,
        "a decision": ReviewEntry.objects.create(
            organisation=org,
            review=Review.objects.create(organisation=org, date=quarter.start_date),
            kind=ReviewEntry.Kind.DECISION,
            text="Hemligt beslut om rekrytering",
            author=cast.leader,
            owner=cast.member,
            key_result=kr,
        ).text,
        "a check-in note": CheckInFactory(
            key_result=kr, author=cast.lead, value=Decimal(6), note="Hemlig anteckning"
        ).note,
        "an invitation": InvitationFactory(organisation=org, email="ny@acme.example").email,
    }
    metric_kr(ObjectiveFactory(organisation=cast.other_org, title="Annans mål"), title="Annat")
    _link, secret = make_link(org, cast.admin, label="Styrelserummet")
    secrets["the link's name"] = "Styrelserummet"
    full = Client().get(board_url(secret)).content.decode()
    poll = Client().get(board_url(secret), HTTP_HX_REQUEST="true").content.decode()
    assert "Mål 0-0" in full and "Växa i Norge" in poll  # the board itself
    for what, text in secrets.items():
        assert text not in full and text not in poll, what
    assert "Annans mål" not in full
    for person in (cast.admin, cast.leader, cast.lead, cast.member):
        assert person.email not in full and person.name not in full
