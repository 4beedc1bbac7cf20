"""The "Delete organisation" settings page and the banner: admins only (others 403,
outsiders 404), a wrong name kept with its message, the banner on every page for
everyone, the undo button for admins only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.deletion import services
from accounts.models import Organisation
from conftest import client_for

pytestmark = pytest.mark.django_db

PAGE = reverse("settings:deletion", args=["acme"])
BANNER = 'id="deletion-banner"'
UNDO = 'name="undo"'


def test_admins_only_outsiders_get_404(cast):
    for method in ("get", "post"):
        assert getattr(client_for(cast.outsider), method)(PAGE).status_code == 404
        for user in (cast.leader, cast.lead, cast.member):
            assert getattr(client_for(user), method)(PAGE, {"name": "Acme AB"}).status_code == 403
    assert not Organisation.objects.get(slug="acme").deletion_pending
    # The other organisation's admin cannot reach Acme's page, nor delete it.
    other = reverse("settings:deletion", args=["other"])
    assert client_for(cast.admin).get(other).status_code == 404


def test_the_page_explains_and_is_in_the_settings_navigation(cast):
    response = client_for(cast.admin).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{PAGE}" aria-current="page"' in html
    assert "People who belong to no other organisation lose their accounts too" in html
    assert "14 days after you ask" in html
    assert "Type Acme AB to confirm" in html
    # The settings' first page links to it too.
    assert (
        PAGE
        in client_for(cast.admin)
        .get(reverse("settings:organisation", args=["acme"]))
        .content.decode()
    )


def test_a_wrong_name_is_refused_with_the_typed_value_kept(cast):
    response = client_for(cast.admin).post(PAGE, {"name": "acme ab"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Type the organisation&#x27;s name exactly as it is written: Acme AB" in html
    assert 'value="acme ab"' in html and 'aria-invalid="true"' in html
    response = client_for(cast.admin).post(PAGE, {"name": ""})
    assert response.status_code == 400
    assert "Type the organisation&#x27;s name to confirm." in response.content.decode()
    assert not Organisation.objects.get(slug="acme").deletion_pending


def test_confirmed_the_banner_is_on_every_page_for_everyone(cast):
    admin = client_for(cast.admin)
    response = admin.post(PAGE, {"name": "Acme AB"}, follow=True)
    html = response.content.decode()
    assert "The organisation will be deleted. Any admin can undo it until then." in html
    assert 'id="deletion-pending"' in html and "Ada Admin asked for it on" in html
    org = Organisation.objects.get(slug="acme")
    assert org.deletion_pending
    day = org.deletion_due_at.astimezone(org.tz)
    date_text = f"This organisation will be deleted on {day.day} {day:%B} {day.year}."
    for user, undo in ((cast.admin, True), (cast.leader, False), (cast.member, False)):
        for url in (reverse("okr:home", args=["acme"]), reverse("okr:strategic", args=["acme"])):
            page = client_for(user).get(url).content.decode()
            assert BANNER in page and date_text in page, (user, url)
            assert "Until then it works as usual." in page
            assert (UNDO in page) is undo, (user, url)
    # Other organisations show nothing.
    other = client_for(cast.outsider).get(reverse("okr:home", args=["other"])).content.decode()
    assert BANNER not in other


def test_undo_from_the_banner(cast):
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB")
    response = client_for(cast.admin).post(PAGE, {"undo": "1"}, follow=True)
    html = response.content.decode()
    assert "The deletion is undone: the organisation stays." in html
    assert BANNER not in html
    assert not Organisation.objects.get(slug="acme").deletion_pending
    # Undoing again says so and changes nothing.
    again = client_for(cast.admin).post(PAGE, {"undo": "1"}, follow=True).content.decode()
    assert "No deletion of this organisation is requested." in again


def test_asking_twice_says_it_is_already_requested(cast):
    services.organisation_deletion_request(cast.admin, cast.org, "Acme AB")
    due = Organisation.objects.get(slug="acme").deletion_due_at
    html = client_for(cast.admin).post(PAGE, {"name": "Acme AB"}, follow=True).content.decode()
    assert "The deletion of this organisation is already requested." in html
    assert Organisation.objects.get(slug="acme").deletion_due_at == due


def test_the_page_in_swedish(cast):
    cast.admin.language = "sv"
    cast.admin.save(update_fields=["language"])
    html = client_for(cast.admin).post(PAGE, {"name": "fel"}).content.decode()
    assert "Skriv organisationens namn exakt som det är skrivet: Acme AB" in html
    assert "Radera organisationen" in html
