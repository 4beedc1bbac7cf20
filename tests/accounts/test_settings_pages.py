"""The admin settings pages: organisation, teams, members, invitations (access, forms, HTMX, queries)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Invitation, Membership, Organisation, Team, TeamMembership
from conftest import client_for
from tests.support.factories import (
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.support.html import body, marked_invalid

HX = {"HTTP_HX_REQUEST": "true"}
PAGES = ["organisation", "teams", "members", "invitations"]


def url(name, *args, org="acme"):
    return reverse(f"settings:{name}", args=[org, *args])


@pytest.fixture
def admin(cast):
    return client_for(cast.admin)


def object_urls(cast, org="acme", owner=None):
    """Every object URL of the settings, with ids of objects that belong to ``owner`` (default: acme)."""
    owner = owner or cast.org
    team = TeamFactory(organisation=owner)
    membership = Membership.objects.filter(organisation=owner).first()
    invitation = InvitationFactory(organisation=owner)
    return [
        ("get", url("team", team.uuid, org=org)),
        ("post", url("team", team.uuid, org=org)),
        ("post", url("team_delete", team.uuid, org=org)),
        ("post", url("member_role", membership.uuid, org=org)),
        ("post", url("member_remove", membership.uuid, org=org)),
        ("post", url("invitation_resend", invitation.uuid, org=org)),
        ("post", url("invitation_revoke", invitation.uuid, org=org)),
    ]


def page_urls(org="acme"):
    return [("get", url(name, org=org)) for name in PAGES] + [
        ("post", url("organisation", org=org)),
        ("post", url("teams", org=org)),
        ("post", url("invitations", org=org)),
    ]


# --- Access ----------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_settings_page_renders_for_admin_with_sub_navigation(admin, name):
    response = admin.get(url(name))
    assert response.status_code == 200
    html = body(response)
    assert "<html" in html
    nav = re.search(r'<nav class="settings-nav" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(
        1
    )
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', nav)
    assert current == [url(name)]


def test_settings_organisation_name_is_the_organisation_page():
    assert reverse("settings:organisation", args=["acme"]) == "/acme/settings/"


@pytest.mark.parametrize("who", ["leader", "member"])
def test_leader_and_member_get_403_everywhere(cast, who):
    client = client_for(getattr(cast, who))
    addresses = page_urls() + object_urls(cast)
    before = (Team.objects.count(), Invitation.objects.count(), Membership.objects.count())
    for method, address in addresses:
        response = getattr(client, method)(
            address, {"name": "Hack", "email": "x@example.org", "role": "admin"}
        )
        assert response.status_code == 403, (method, address)
    assert (Team.objects.count(), Invitation.objects.count(), Membership.objects.count()) == before
    assert not Membership.objects.filter(user=getattr(cast, who), role="admin").exists()


def test_outsider_gets_404_everywhere_even_with_their_own_ids(cast):
    client = client_for(cast.outsider)
    # acme's ids, and the outsider's own organisation's ids, under /acme/.
    addresses = page_urls() + object_urls(cast) + object_urls(cast, owner=cast.other_org)
    for method, address in addresses:
        assert getattr(client, method)(address).status_code == 404, (method, address)


def test_admin_gets_404_for_ids_of_another_organisation(cast, admin):
    for method, address in object_urls(cast, owner=cast.other_org):
        assert getattr(admin, method)(address).status_code == 404, (method, address)
    # And nothing of the other organisation changed.
    assert Team.objects.filter(organisation=cast.other_org).count() == 1
    assert Invitation.objects.get(organisation=cast.other_org).revoked_at is None
    assert Membership.objects.filter(organisation=cast.other_org).count() == 1


def test_unknown_ids_give_404(admin):
    unknown = "00000000-0000-0000-0000-000000000000"
    assert admin.get(url("team", unknown)).status_code == 404
    assert admin.post(url("member_role", unknown), {"role": "member"}).status_code == 404


def test_anonymous_visitor_is_sent_to_login_everywhere(client, cast):
    for method, address in page_urls() + object_urls(cast):
        response = getattr(client, method)(address)
        assert response.status_code == 302, (method, address)
        assert response.url.startswith(reverse("accounts:login") + "?next=")


def test_get_never_changes_state(cast, admin):
    team = TeamFactory(organisation=cast.org)
    invitation = InvitationFactory(organisation=cast.org)
    membership = Membership.objects.get(organisation=cast.org, user=cast.member)
    for address in [
        url("team_delete", team.uuid),
        url("member_remove", membership.uuid),
        url("member_role", membership.uuid),
        url("invitation_revoke", invitation.uuid),
        url("invitation_resend", invitation.uuid),
    ]:
        assert admin.get(address).status_code == 405
    assert Team.objects.filter(pk=team.pk).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Organisation ----------------------------------------------------------

ORG_FORM = {
    "name": "Acme Nordic AB",
    "vision": "Pappersfri post åt alla",
    "mission": "Att vara «den» partnern",
    "language": "nb",
    "timezone": "Europe/Oslo",
    "country": "no",
    "fiscal_year_start_month": "7",
    "review_every_weeks": "3",
    "review_weekday": "2",
    "reminders_enabled": "",
}


def test_organisation_settings_are_saved_but_not_the_address(cast, admin):
    response = admin.post(url("organisation"), {**ORG_FORM, "slug": "hijacked"})
    assert response.status_code == 302
    assert response.url == url("organisation")
    org = Organisation.objects.get(pk=cast.org.pk)
    assert org.slug == "acme"
    assert (org.name, org.vision, org.mission) == (
        "Acme Nordic AB",
        "Pappersfri post åt alla",
        "Att vara «den» partnern",
    )
    assert (org.language, org.timezone, org.country) == ("nb", "Europe/Oslo", "NO")
    assert (org.fiscal_year_start_month, org.review_every_weeks, org.review_weekday) == (7, 3, 2)
    assert org.reminders_enabled is False
    follow = admin.get(response.url)
    assert 'class="message message-success"' in body(follow)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("review_every_weeks", "0"),
        ("review_every_weeks", "99"),
        ("review_every_weeks", "two"),
        ("timezone", "Mars/Olympus_Mons"),
        ("language", "de"),
        ("country", "Sweden"),
        ("fiscal_year_start_month", "13"),
        ("name", ""),
    ],
)
def test_organisation_bad_input_keeps_what_was_typed_with_a_field_error(cast, admin, field, value):
    data = {**ORG_FORM, field: value}
    response = admin.post(url("organisation"), data)
    assert response.status_code == 200
    html = body(response)
    assert "<html" in html
    # The invalid field is marked and explained, the other fields keep what was typed.
    assert marked_invalid(html, field)
    assert 'class="errorlist' in html
    assert 'value="Acme Nordic AB"' in html or field == "name"
    assert "Pappersfri post åt alla" in html
    if field in {"review_every_weeks", "country"}:
        assert f'value="{value}"' in html
    org = Organisation.objects.get(pk=cast.org.pk)
    assert org.name == "Acme AB" and org.review_every_weeks == 2
    # The page's own header still shows the saved name, not the typed one.
    assert '<a class="brand" href="/acme/">Acme AB</a>' in html


def test_organisation_htmx_save_returns_only_the_form(cast, admin):
    data = {**ORG_FORM, "name": "Acme AB", "language": cast.org.language, "review_every_weeks": "4"}
    response = admin.post(url("organisation"), data, **HX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "<form" in html
    assert 'id="settings-status"' in html and "hx-swap-oob" in html
    assert Organisation.objects.get(pk=cast.org.pk).review_every_weeks == 4


def test_organisation_htmx_bad_input_returns_the_form_with_errors(cast, admin):
    response = admin.post(url("organisation"), {**ORG_FORM, "review_every_weeks": "0"}, **HX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html
    assert 'aria-invalid="true"' in html and 'value="0"' in html


def test_organisation_htmx_rename_reloads_the_page(cast, admin):
    response = admin.post(url("organisation"), ORG_FORM, **HX)
    assert response.status_code == 200
    assert response.headers["HX-Refresh"] == "true"


# --- Teams -----------------------------------------------------------------


def test_team_create_and_duplicate_name_is_a_field_error(cast, admin):
    response = admin.post(url("teams"), {"name": "  Marknad  ", "parent": ""})
    assert response.status_code == 302
    team = Team.objects.exclude(pk=cast.team.pk).get(organisation=cast.org)
    assert team.name == "Marknad" and team.parent is None

    response = admin.post(url("teams"), {"name": "MARKNAD", "parent": ""})
    assert response.status_code == 200
    html = body(response)
    assert 'value="MARKNAD"' in html
    assert marked_invalid(html, "name")
    assert "already a team with this name" in html
    assert Team.objects.filter(organisation=cast.org).exclude(pk=cast.team.pk).count() == 1


def test_same_team_name_is_fine_in_another_organisation(cast, admin):
    TeamFactory(organisation=cast.other_org, name="Marknad")
    assert admin.post(url("teams"), {"name": "marknad"}).status_code == 302
    assert Team.objects.filter(organisation=cast.org, name="marknad").exists()


def test_team_create_with_parent_and_htmx_fragment(cast, admin):
    parent = TeamFactory(organisation=cast.org, name="Försäljning")
    response = admin.post(url("teams"), {"name": "Norr", "parent": str(parent.uuid)}, **HX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html
    # The fresh form, the list out of band (with the new team), and the message.
    assert 'id="teams-list" hx-swap-oob="innerHTML"' in html
    assert "Norr" in html and "data-focus-after-swap" in html
    assert "was created" in html
    assert Team.objects.get(name="Norr").parent == parent


def test_team_create_refuses_parent_of_another_organisation(cast, admin):
    foreign = TeamFactory(organisation=cast.other_org)
    response = admin.post(url("teams"), {"name": "Norr", "parent": str(foreign.uuid)})
    assert response.status_code == 200
    assert marked_invalid(body(response), "parent")
    assert not Team.objects.filter(name="Norr").exists()


def test_team_htmx_create_with_errors_returns_only_the_form(cast, admin):
    response = admin.post(url("teams"), {"name": ""}, **HX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "<form" in html and 'aria-invalid="true"' in html
    assert 'id="teams-list"' not in html


def test_team_edit_form_opens_in_place(cast, admin):
    team = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=team, user=cast.leader, is_lead=True)
    response = admin.get(url("team", team.uuid), **HX)
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'value="Marknad"' in html
    assert re.search(rf'name="leads" value="{cast.leader.uuid}"[^>]*checked', html)
    # Without JS the same URL is a whole page with the form in the team's row.
    page = admin.get(url("team", team.uuid))
    assert "<html" in body(page) and 'class="row-editing"' in body(page)


def team_form(team, **changes):
    data = {
        "name": team.name,
        "parent": str(team.parent.uuid) if team.parent else "",
        "leads": [],
        "members": [],
    }
    data.update(changes)
    return data


def test_team_rename_parent_leads_and_members(cast, admin):
    sales = TeamFactory(organisation=cast.org, name="Försäljning")
    team = TeamFactory(organisation=cast.org, name="Sälj")
    TeamMembershipFactory(team=team, user=cast.admin)
    data = team_form(
        team,
        name="Sälj Norr",
        parent=str(sales.uuid),
        leads=[str(cast.leader.uuid)],
        members=[str(cast.member.uuid)],
    )
    response = admin.post(url("team", team.uuid), data)
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Sälj Norr" and team.parent == sales
    people = {tm.user: tm.is_lead for tm in TeamMembership.objects.filter(team=team)}
    assert people == {cast.leader: True, cast.member: False}


def test_team_update_by_htmx_returns_the_list(cast, admin):
    team = TeamFactory(organisation=cast.org, name="Sälj")
    response = admin.post(url("team", team.uuid), team_form(team, name="Säljet"), **HX)
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert "Säljet" in html and "<table" in html and "was saved" in html
    assert 'class="row-editing"' not in html


def test_team_cycle_and_own_parent_are_refused(cast, admin):
    top = TeamFactory(organisation=cast.org, name="Top")
    middle = TeamFactory(organisation=cast.org, name="Middle", parent=top)
    bottom = TeamFactory(organisation=cast.org, name="Bottom", parent=middle)
    for parent in (bottom, middle, top):
        response = admin.post(url("team", top.uuid), team_form(top, parent=str(parent.uuid)))
        assert response.status_code == 200
        html = body(response)
        assert marked_invalid(html, "parent"), parent
    top.refresh_from_db()
    assert top.parent is None
    # The same rule in the service, for callers that skip the form.
    with pytest.raises(services.ServiceError, match="team_cycle"):
        services.team_update(team=top, name="Top", parent=bottom)


def test_team_rename_to_existing_name_is_a_field_error(cast, admin):
    TeamFactory(organisation=cast.org, name="Produktion")
    team = TeamFactory(organisation=cast.org, name="Marknad")
    response = admin.post(url("team", team.uuid), team_form(team, name="produktion"), **HX)
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'value="produktion"' in html and 'aria-invalid="true"' in html
    team.refresh_from_db()
    assert team.name == "Marknad"
    # Changing only the case of its own name is fine.
    assert admin.post(url("team", team.uuid), team_form(team, name="MARKNAD")).status_code == 302


def test_team_people_must_be_members_of_the_organisation(cast, admin):
    team = TeamFactory(organisation=cast.org)
    response = admin.post(
        url("team", team.uuid), team_form(team, members=[str(cast.outsider.uuid)])
    )
    assert response.status_code == 200
    assert marked_invalid(body(response), "members")
    assert not TeamMembership.objects.filter(team=team).exists()
    with pytest.raises(services.ServiceError, match="not_member"):
        services.team_set_people(team=team, leads=[cast.outsider], members=[])


def test_team_delete_moves_sub_teams_up(cast, admin):
    top = TeamFactory(organisation=cast.org, name="Top")
    middle = TeamFactory(organisation=cast.org, name="Middle", parent=top)
    bottom = TeamFactory(organisation=cast.org, name="Bottom", parent=middle)
    TeamMembershipFactory(team=middle, user=cast.member)
    page = body(admin.get(url("teams")))
    assert f'action="{url("team_delete", middle.uuid)}"' in page
    assert 'data-confirm="Delete the team Middle?' in page
    response = admin.post(url("team_delete", middle.uuid))
    assert response.status_code == 302
    assert not Team.objects.filter(pk=middle.pk).exists()
    bottom.refresh_from_db()
    assert bottom.parent == top
    # The cast's member stays in the cast's team "Growth" only.
    assert not TeamMembership.objects.filter(user=cast.member).exclude(team=cast.team).exists()
    assert "was deleted" in body(admin.get(response.url))


def test_teams_page_shows_tree_order(cast, admin):
    top = TeamFactory(organisation=cast.org, name="B top")
    TeamFactory(organisation=cast.org, name="A other")
    TeamFactory(organisation=cast.org, name="Z child", parent=top)
    html = body(admin.get(url("teams")))
    names = re.findall(r'<th scope="row" class="depth-(\d)">([^<]+)</th>', html)
    # "Growth" is the cast's team.
    assert names == [("0", "A other"), ("0", "B top"), ("1", "Z child"), ("0", "Growth")]


# --- Members ---------------------------------------------------------------


def membership_of(cast, user):
    return Membership.objects.get(organisation=cast.org, user=user)


def test_members_page_lists_people_with_roles_and_teams(cast, admin):
    team = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=team, user=cast.leader, is_lead=True)
    foreign = TeamFactory(organisation=cast.other_org, name="Hemligt")
    TeamMembershipFactory(team=foreign, user=cast.leader)
    html = body(admin.get(url("members")))
    for person in ("Ada Admin", "Lea Leader", "Max Member"):
        assert person in html
    assert "Otto Outsider" not in html
    assert "Marknad (lead)" in html and "Hemligt" not in html
    assert '<div class="table-wrap">' in html and '<th scope="col">' in html


def test_role_change(cast, admin):
    membership = membership_of(cast, cast.member)
    response = admin.post(url("member_role", membership.uuid), {"role": "leadership"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "leadership"
    assert "now has the role" in body(admin.get(response.url))


def test_role_change_by_htmx_returns_the_list(cast, admin):
    membership = membership_of(cast, cast.leader)
    response = admin.post(url("member_role", membership.uuid), {"role": "admin"}, **HX)
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert "<table" in html and "now has the role" in html
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_unknown_role_is_refused(cast, admin):
    membership = membership_of(cast, cast.member)
    response = admin.post(url("member_role", membership.uuid), {"role": "owner"}, **HX)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body(response)
    membership.refresh_from_db()
    assert membership.role == "member"


def test_last_admin_cannot_be_demoted_or_removed(cast, admin):
    membership = membership_of(cast, cast.admin)
    response = admin.post(url("member_role", membership.uuid), {"role": "member"}, **HX)
    html = body(response)
    assert "only admin" in html
    assert f'id="role-{membership.uuid}" name="role" aria-invalid="true"' in html
    response = admin.post(url("member_remove", membership.uuid), follow=True)
    assert "only admin" in body(response)
    membership.refresh_from_db()
    assert membership.role == "admin"
    with pytest.raises(services.ServiceError, match="last_admin"):
        services.membership_set_role(membership=membership, role="leadership")
    with pytest.raises(services.ServiceError, match="last_admin"):
        services.membership_remove(membership=membership)


def test_an_admin_can_step_down_when_there_is_another(cast, admin):
    Membership.objects.filter(organisation=cast.org, user=cast.leader).update(role="admin")
    own = membership_of(cast, cast.admin)
    response = admin.post(url("member_role", own.uuid), {"role": "member"}, **HX)
    # No longer an admin: the browser is sent to the organisation's home page.
    assert response.headers["HX-Redirect"] == "/acme/"
    own.refresh_from_db()
    assert own.role == "member"
    assert admin.get(url("members")).status_code == 403


def test_remove_member_also_from_teams(cast, admin):
    team = TeamFactory(organisation=cast.org)
    TeamMembershipFactory(team=team, user=cast.member)
    foreign = TeamFactory(organisation=cast.other_org)
    MembershipFactory(organisation=cast.other_org, user=cast.member)
    TeamMembershipFactory(team=foreign, user=cast.member)
    membership = membership_of(cast, cast.member)
    html = body(admin.get(url("members")))
    assert f'action="{url("member_remove", membership.uuid)}"' in html and "data-confirm=" in html
    response = admin.post(url("member_remove", membership.uuid))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not TeamMembership.objects.filter(team=team, user=cast.member).exists()
    # Their place in the other organisation is untouched.
    assert TeamMembership.objects.filter(team=foreign, user=cast.member).exists()
    assert client_for(cast.member).get("/acme/").status_code == 404


# --- Invitations -----------------------------------------------------------


def test_send_invitation_mail_and_link_works(
    cast, admin, client, django_capture_on_commit_callbacks
):
    team = TeamFactory(organisation=cast.org, name="Marknad")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("invitations"),
            {"email": "Nora@New.example", "role": "leadership", "teams": [str(team.uuid)]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=cast.org)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "nora@new.example",
        "leadership",
        cast.admin,
    )
    assert list(invitation.teams.all()) == [team]
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nora@new.example"]
    link = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Join Acme AB" in body(page)
    listing = body(admin.get(url("invitations")))
    assert "nora@new.example" in listing and "Open" in listing


def test_send_invitation_by_htmx(cast, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("invitations"), {"email": "nora@new.example", "role": "member"}, **HX
        )
    html = body(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="invitations-list" hx-swap-oob="innerHTML"' in html and "nora@new.example" in html
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not an address", "role": "member"}, "email"),
        ({"email": "MEMBER@acme.example", "role": "member"}, "email"),
        ({"email": "nora@new.example", "role": "owner"}, "role"),
    ],
)
def test_send_invitation_bad_input(cast, admin, data, field):
    response = admin.post(url("invitations"), data)
    assert response.status_code == 200
    html = body(response)
    assert marked_invalid(html, field)
    assert f'value="{data["email"]}"' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_to_a_team_of_another_organisation_is_refused(cast, admin):
    foreign = TeamFactory(organisation=cast.other_org)
    response = admin.post(
        url("invitations"),
        {"email": "n@new.example", "role": "member", "teams": [str(foreign.uuid)]},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_resend_and_revoke(cast, admin, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_token = services.invitation_create(
            organisation=cast.org, invited_by=cast.admin, email="nora@new.example", role="member"
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("invitation_resend", invitation.uuid), **HX)
    assert response.status_code == 200 and "<html" not in body(response)
    assert "earlier link no longer works" in body(response)
    assert len(mail.outbox) == 2
    assert client.get(reverse("accounts:invitation", args=[old_token])).status_code == 404
    new_link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[1].body).group(1)
    assert client.get(new_link).status_code == 200

    listing = body(admin.get(url("invitations")))
    assert 'data-confirm="Withdraw the invitation to nora@new.example?' in listing
    response = admin.post(url("invitation_revoke", invitation.uuid))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    assert client.get(new_link).status_code == 410
    # A withdrawn invitation cannot be sent again.
    response = admin.post(url("invitation_resend", invitation.uuid), follow=True)
    assert "has been withdrawn" in body(response)
    assert len(mail.outbox) == 2


def test_invitation_states_are_listed(cast, admin):
    from django.utils import timezone

    now = timezone.now()
    InvitationFactory(organisation=cast.org, email="open@x.example")
    InvitationFactory(
        organisation=cast.org, email="gone@x.example", expires_at=now - timezone.timedelta(days=1)
    )
    InvitationFactory(organisation=cast.org, email="no@x.example", revoked_at=now)
    InvitationFactory(
        organisation=cast.org, email="yes@x.example", accepted_at=now, accepted_by=cast.member
    )
    html = body(admin.get(url("invitations")))
    for state in ("Open", "Expired", "Withdrawn", "Accepted"):
        assert f">{state}</span>" in html
    # Resend and withdraw only for invitations that were never used.
    assert html.count("Send again<span") == 2


def test_expired_invitation_can_be_sent_again(cast, admin, django_capture_on_commit_callbacks):
    from django.utils import timezone

    invitation = InvitationFactory(
        organisation=cast.org, expires_at=timezone.now() - timezone.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url("invitation_resend", invitation.uuid))
    invitation.refresh_from_db()
    assert invitation.state == "open"
    assert len(mail.outbox) == 1


# --- HTMX fragments and queries --------------------------------------------


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("organisation", "<form"),
        ("teams", "<table"),
        ("members", "<table"),
        ("invitations", "<table"),
    ],
)
def test_htmx_get_returns_only_the_fragment(cast, admin, name, marker):
    TeamFactory(organisation=cast.org)
    InvitationFactory(organisation=cast.org)
    response = admin.get(url(name), **HX)
    html = body(response)
    assert response.status_code == 200
    assert "<html" not in html and 'class="settings-nav"' not in html
    assert marker in html


def add_people_and_teams(org, count):
    for i in range(count):
        user = UserFactory()
        MembershipFactory(organisation=org, user=user)
        team = TeamFactory(organisation=org, parent=Team.objects.filter(organisation=org).first())
        TeamMembershipFactory(team=team, user=user, is_lead=i % 2 == 0)
        invitation = InvitationFactory(organisation=org)
        invitation.teams.add(team)


@pytest.mark.parametrize("name", ["members", "teams", "invitations"])
def test_query_count_does_not_grow_with_the_organisation(
    cast, admin, django_assert_max_num_queries, name
):
    add_people_and_teams(cast.org, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert admin.get(url(name)).status_code == 200
    add_people_and_teams(cast.org, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin.get(url(name))
    assert response.status_code == 200
    assert len(small.captured_queries) <= 10


def test_team_edit_query_count_does_not_grow(cast, admin, django_assert_max_num_queries):
    add_people_and_teams(cast.org, 30)
    team = Team.objects.filter(organisation=cast.org).last()
    with django_assert_max_num_queries(10):
        assert admin.get(url("team", team.uuid), **HX).status_code == 200


# --- In a browser: the HTMX wiring, focus and confirmation ----------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_place_editing_in_a_browser(page, live_server, cast):
    from tests.support.factories import PASSWORD

    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    top = TeamFactory(organisation=cast.org, name="Top")
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("input[name=username]", "admin@acme.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(live_server.url + url("teams"))

    # Create in place: the list updates, the form empties and keeps the focus.
    page.fill("#new-team-name", "Marknad")
    page.click("#team-create button[type=submit]")
    page.wait_for_selector("#teams-list th:has-text('Marknad')")
    assert page.input_value("#new-team-name") == ""
    assert focused_id(page, "new-team-name") == "new-team-name"
    assert page.inner_text("#settings-status")
    # A duplicate name: the field is marked and focused.
    page.fill("#new-team-name", "MARKNAD")
    page.click("#team-create button[type=submit]")
    page.wait_for_selector("#new-team-name[aria-invalid=true]")
    assert focused_id(page, "new-team-name") == "new-team-name"

    # Edit in place, and a cycle is refused on the parent field.
    team = Team.objects.get(name="Marknad")
    page.click(f"#team-{team.uuid} a.button")
    page.wait_for_selector(f"#team-{team.uuid}.row-editing")
    page.select_option(f"#team-{team.uuid}-parent", str(top.uuid))
    page.check(f"#team-{team.uuid}-leads_0")
    page.click(f"#team-{team.uuid} button[type=submit]")
    page.wait_for_selector(f"#team-{team.uuid}:not(.row-editing)")
    team.refresh_from_db()
    assert team.parent == top and team.team_memberships.get().is_lead
    page.click(f"#team-{top.uuid} a.button")
    page.wait_for_selector(f"#team-{top.uuid}.row-editing")
    page.select_option(f"#team-{top.uuid}-parent", str(team.uuid))
    page.click(f"#team-{top.uuid} button[type=submit]")
    page.wait_for_selector(f"#team-{top.uuid}-parent[aria-invalid=true]")
    assert focused_id(page, f"team-{top.uuid}-parent") == f"team-{top.uuid}-parent"

    # Delete asks first; saying no keeps the team.
    page.goto(live_server.url + url("teams"))
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(f"#team-{team.uuid} button.danger")
    page.wait_for_timeout(500)
    assert Team.objects.filter(pk=team.pk).exists()

    # Change a role in place.
    page.goto(live_server.url + url("members"))
    membership = Membership.objects.get(organisation=cast.org, user=cast.member)
    page.select_option(f"#role-{membership.uuid}", "leadership")
    page.click(f"#member-{membership.uuid} button.secondary")
    page.wait_for_selector("#settings-status p.message-success")
    membership.refresh_from_db()
    assert membership.role == "leadership"
    assert problems == []


def focused_id(page, expected: str) -> str:
    """The focused element's id, once focus has moved there (htmx focuses after its settle step)."""
    for _ in range(40):
        current = page.evaluate("document.activeElement && document.activeElement.id")
        if current == expected:
            break
        page.wait_for_timeout(50)
    return current
