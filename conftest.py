"""Shared fixtures: the people every test can use, and the browser.

Every test gets the same cast: an organisation with an admin, a leadership
member, a team lead and a plain member (both in the team "Growth"), and an
outsider who belongs to another organisation only.
"""

import os
import shutil
from dataclasses import dataclass

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable from the same thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    org: object
    admin: object
    leader: object
    lead: object
    member: object
    outsider: object
    other_org: object
    team: object


@pytest.fixture
def cast(db):
    from accounts.models import Membership
    from tests.support.factories import (
        MembershipFactory,
        OrganisationFactory,
        TeamFactory,
        TeamMembershipFactory,
        UserFactory,
    )

    org = OrganisationFactory(slug="acme", name="Acme AB")
    other = OrganisationFactory(slug="other", name="Other AS", language="nb")
    admin = UserFactory(email="admin@acme.example", name="Ada Admin")
    leader = UserFactory(email="leader@acme.example", name="Lea Leader")
    lead = UserFactory(email="lead@acme.example", name="Liam Lead")
    member = UserFactory(email="member@acme.example", name="Max Member")
    outsider = UserFactory(email="outsider@other.example", name="Otto Outsider")
    MembershipFactory(organisation=org, user=admin, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=org, user=leader, role=Membership.Role.LEADERSHIP)
    MembershipFactory(organisation=org, user=lead, role=Membership.Role.MEMBER)
    MembershipFactory(organisation=org, user=member, role=Membership.Role.MEMBER)
    MembershipFactory(organisation=other, user=outsider, role=Membership.Role.ADMIN)
    team = TeamFactory(organisation=org, name="Growth")
    TeamMembershipFactory(team=team, user=lead, is_lead=True)
    TeamMembershipFactory(team=team, user=member)
    return Cast(
        org=org,
        admin=admin,
        leader=leader,
        lead=lead,
        member=member,
        outsider=outsider,
        other_org=other,
        team=team,
    )


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_(cast):
    return client_for(cast.admin)


@pytest.fixture
def leader_client(cast):
    return client_for(cast.leader)


@pytest.fixture
def lead_client(cast):
    return client_for(cast.lead)


@pytest.fixture
def member_client(cast):
    return client_for(cast.member)


@pytest.fixture
def outsider_client(cast):
    return client_for(cast.outsider)


# --- Browser ---------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Browser tests need Debian's chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
