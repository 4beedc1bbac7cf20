"""The workshop page rendered cheaply is the same page: its cards from stamps
(``okr.workshop.cards``) are the cards the template renders one by one, its rows and its
body kept per revision (``okr.workshop.rows``, ``okr.workshop.page``) are fresh after
every write, and each person sees their own controls (and posts with their own token)
whoever opened the page before them."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts import revision
from alignment import services as alignment_services
from conftest import client_for
from okr.models import KeyResult, Objective, ParkingLotItem
from okr.objectives import services
from okr.workshop import cards
from okr.workshop import services as services_workshop
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    milestone_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db

# Markup, quotes and the stamps' own mark characters in a title are text like any other.
TRICKY = 'Nå <b>fler</b> & "nöjda" kunder \ue000kr.title\ue001'


class Quarter:
    """Growth's quarter with a card of every kind: parents, history, comments, weights."""

    def __init__(self, cast):
        self.cast = cast
        org, team, lead = cast.org, cast.team, cast.lead
        self.year, self.quarter = year_and_quarter(org)
        growth = strategic_objective(org, self.year, title="Tillväxt <i>nu</i>")
        self.sales = metric_kr(growth, title="Försäljning & marginal")

        def create(title, **fields):
            return services_workshop.workshop_objective_create(
                organisation=org, team=team, cycle=self.quarter, title=title, author=lead, **fields
            )

        proposed = create("Bli kundernas förstahandsval", parent_objective=growth)
        metric_kr(proposed, title="NPS från 20 till 45", start=20, target=45, unit="NPS")
        sent_back = create("Öka intäkterna med 20 MSEK", owner=cast.member)
        metric_kr(sent_back, title="Skriva fem blogginlägg", target=5, unit="st")
        services_workshop.objective_submit(
            organisation=org, team=team, cycle=self.quarter, author=lead
        )
        sent_back.refresh_from_db()
        services_workshop.objective_request_changes(
            objective=sent_back, author=cast.leader, comment="Mer <mätbart>,\ntack & hej"
        )
        self.draft = create(
            TRICKY,
            owner=lead,
            why='Rad ett\nRad <två> & "tre"',
            parent_key_result=self.sales,
            alignment="direct",
        )
        self.weighted = metric_kr(
            self.draft, title="Nå 1000 beslutsfattare", owner=cast.member, weight=3
        )
        metric_kr(self.draft, title=TRICKY, target=None, commitment="committed")
        milestone_kr(self.draft, title="Lansera sajten", due_date=date(2026, 2, 15))
        services.initiative_create(key_result=self.weighted, title="Webbinarier <live>")
        services.initiative_create(key_result=self.weighted, title="Mässa & mingel")
        create("Tom", owner=None)

    def page(self, user) -> str:
        url = reverse("okr:team_workshop", args=["acme", self.cast.team.uuid])
        response = client_for(user).get(f"{url}?quarter={self.quarter.uuid}")
        assert response.status_code == 200
        return body(response)


@pytest.fixture
def quarter(cast):
    return Quarter(cast)


def _comparable(html: str) -> str:
    """The page without what differs between two requests (tokens) or only in whitespace."""
    html = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("who", ["lead", "member", "leader", "admin"])
def test_cards_from_stamps_are_the_cards_the_template_renders(quarter, monkeypatch, who):
    user = getattr(quarter.cast, who)
    filled = []
    fill = cards._fill
    monkeypatch.setattr(cards, "_fill", lambda *args: filled.append(fill(*args)) or filled[-1])
    stamped = quarter.page(user)
    assert stamped.count('class="kr-slot"') == 5
    assert len(filled) == 4 + 5 and all(filled)  # every card and key result from a stamp
    monkeypatch.setattr(cards, "stamp", lambda *args: None)
    revision.bump(quarter.cast.org.pk)  # rendered again, not the kept body
    assert _comparable(stamped) == _comparable(quarter.page(user))


@pytest.mark.parametrize(
    ("view", "krs"), [("workshop_objective_edit", 2), ("workshop_key_result_new", 5)]
)
def test_a_card_open_for_editing_renders_normally_among_stamped_ones(
    quarter, monkeypatch, view, krs
):
    """Without JavaScript, Edit and Add key result open the form in the whole page."""
    client = client_for(quarter.cast.lead)
    url = reverse(f"okr:{view}", args=["acme", quarter.draft.uuid])
    stamped = body(client.get(url))
    assert f'action="{url}"' in stamped and stamped.count('class="kr-slot"') == krs
    monkeypatch.setattr(cards, "stamp", lambda *args: None)
    assert _comparable(stamped) == _comparable(body(client.get(url)))


def test_texts_are_escaped_once_and_marks_stay_text(quarter):
    html = quarter.page(quarter.cast.lead)
    assert (
        "<b>fler</b>" not in html and "Nå &lt;b&gt;fler&lt;/b&gt; &amp; &quot;nöjda&quot;" in html
    )
    assert "\ue000kr.title\ue001" in html  # shown as typed, not filled in
    assert "Rad ett<br>Rad &lt;två&gt; &amp; &quot;tre&quot;" in html
    assert "Webbinarier &lt;live&gt;; Mässa &amp; mingel" in html
    assert "Mer &lt;mätbart&gt;,<br>tack &amp; hej" in html  # leadership's comment
    assert "&amp;amp;" not in html


def test_a_write_through_a_service_shows_on_the_next_page(quarter):
    lead = quarter.cast.lead
    before = quarter.page(lead)  # the rows are kept now
    assert "Nå 1000 beslutsfattare" in before
    kr = quarter.weighted
    services.key_result_update(
        key_result=kr, version=kr.version, author=lead, title="Nå 2000 beslutsfattare"
    )
    services.objective_update(
        objective=quarter.draft, version=quarter.draft.version, author=lead, title="Ny rubrik"
    )
    html = quarter.page(lead)
    assert "Nå 2000 beslutsfattare" in html and "Nå 1000 beslutsfattare" not in html
    tricky = "Nå &lt;b&gt;fler&lt;/b&gt;"  # still a key result's title, no longer the card's
    assert "Ny rubrik" in html and 0 < html.count(tricky) < before.count(tricky)
    services.key_result_archive(key_result=KeyResult.objects.get(pk=kr.pk), author=lead)
    assert "Nå 2000 beslutsfattare" not in quarter.page(lead)
    services.initiative_create(key_result=quarter.sales, title="Strategiskt initiativ")
    first = quarter.draft.key_results.filter(archived=False).first()
    services.initiative_create(key_result=first, title="Nytt initiativ")
    assert "Nytt initiativ" in quarter.page(lead)


def test_each_person_sees_their_own_controls_whoever_came_first(quarter):
    cast = quarter.cast
    edit_draft = reverse("okr:workshop_objective_edit", args=["acme", quarter.draft.uuid])
    archive_kr = reverse("okr:workshop_key_result_archive", args=["acme", quarter.weighted.uuid])
    outsider_of_team = UserFactory(email="reader@acme.example")  # reads the workshop
    MembershipFactory(organisation=cast.org, user=outsider_of_team)
    for _round in range(2):
        lead = quarter.page(cast.lead)
        assert edit_draft in lead and archive_kr in lead and "coach-hint" in lead
        reader = quarter.page(outsider_of_team)
        assert edit_draft not in reader and archive_kr not in reader
        assert "coach-hint" not in reader and "data-reorder-item" not in reader
        # Proposed objectives: leadership may still edit them, the team may not.
        leader, member = quarter.page(cast.leader), quarter.page(cast.member)
        proposed = Objective.objects.get(team=cast.team, status="proposed")
        edit_proposed = reverse("okr:workshop_objective_edit", args=["acme", proposed.uuid])
        assert edit_proposed in leader and edit_proposed not in member


def test_the_status_history_follows_new_events_and_names(quarter):
    cast = quarter.cast
    html = quarter.page(cast.member)
    assert "Status history (1 change)" in html and "Liam Lead" in html
    cast.lead.name = "Liam Ledare"
    cast.lead.save()
    services_workshop.objective_submit(
        organisation=cast.org, team=cast.team, cycle=quarter.quarter, author=cast.leader
    )
    html = quarter.page(cast.member)
    assert "Liam Ledare" in html and "Liam Lead<" not in html and "Liam Lead " not in html
    assert "Status history (2 changes)" in html and "Lea Leader" in html


# --- The body kept per revision and standing --------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _strict(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _reader(org, email: str):
    """A member of the organisation in no team."""
    user = UserFactory(email=email)
    MembershipFactory(organisation=org, user=user)
    return user


def _workshop_raw(html: str) -> str:
    """The page's body (the page around it names the person)."""
    return html[html.index('<div class="workshop strategic">') : html.index("</main>")]


def _workshop(html: str) -> str:
    return _comparable(_workshop_raw(html))


def test_a_kept_body_is_shared_by_the_same_standing_with_each_ones_token(
    quarter, django_assert_max_num_queries
):
    """Two members of the team who own nothing in it share one rendered body; each posts
    with their own token, and what they write shows at once."""
    cast = quarter.cast
    first, second = _reader(cast.org, "maja@acme.example"), _reader(cast.org, "mio@acme.example")
    for person in (first, second):
        TeamMembershipFactory(team=cast.team, user=person)
    cold = quarter.page(first)
    page = reverse("okr:team_workshop", args=["acme", cast.team.uuid])
    page = f"{page}?quarter={quarter.quarter.uuid}"
    client = _strict(second)
    with django_assert_max_num_queries(5):  # session, user, membership, team, the person's teams
        warm = client.get(page).content.decode()
    assert revision.CSRF_PLACEHOLDER not in warm and "\ue000csrf" not in warm
    assert _workshop(warm) == _workshop(cold)
    tokens = TOKEN.findall(_workshop_raw(warm))
    assert tokens and not set(tokens) & set(TOKEN.findall(cold))
    response = client.post(
        reverse("okr:workshop_parking_add", args=["acme", cast.team.uuid]),
        {"csrfmiddlewaretoken": tokens[-1], "quarter": str(quarter.quarter.uuid), "text": "Pod"},
    )
    assert response.status_code == 302
    assert "Pod" in quarter.page(first)  # the write shows at once


def test_an_owner_sees_what_an_owner_may_whoever_came_first(quarter):
    """Owning an objective lets a person outside the team draft it: the same standing as
    another reader, yet other controls."""
    cast = quarter.cast
    owner, other = _reader(cast.org, "olle@acme.example"), _reader(cast.org, "ossian@acme.example")
    draft = Objective.objects.get(pk=quarter.draft.pk)
    draft.owner = owner
    draft.save()
    edit = reverse("okr:workshop_objective_edit", args=["acme", draft.uuid])
    for first, second in ((owner, other), (other, owner)):
        revision.bump(cast.org.pk)
        pages = {first: quarter.page(first), second: quarter.page(second)}
        assert edit in pages[owner] and edit not in pages[other]


def test_the_dependency_controls_follow_the_whole_standing(quarter):
    """Leading the other team of a dependency lets a person manage it on this workshop."""
    cast = quarter.cast
    other_team = TeamFactory(organisation=cast.org, name="Sälj")
    other_lead, other_member = (
        _reader(cast.org, "sara@acme.example"),
        _reader(cast.org, "sam@acme.example"),
    )
    TeamMembershipFactory(team=other_team, user=other_lead, is_lead=True)
    TeamMembershipFactory(team=other_team, user=other_member)
    delivering = services_workshop.workshop_objective_create(
        organisation=cast.org,
        team=other_team,
        cycle=quarter.quarter,
        title="Prislista",
        author=None,
    )
    alignment_services.dependency_create(
        organisation=cast.org,
        needing_objective=Objective.objects.get(pk=quarter.draft.pk),
        delivering_objective=delivering,
        description="Prislistan först",
        needed_by=quarter.quarter.end_date,
        created_by=cast.lead,
    )
    for first, second in ((other_lead, other_member), (other_member, other_lead)):
        revision.bump(cast.org.pk)
        pages = {first: quarter.page(first), second: quarter.page(second)}
        assert "Prislistan först" in pages[other_member]
        assert "Mark resolved" in pages[other_lead] and "Mark resolved" not in pages[other_member]


def test_the_parking_lot_and_a_new_team_member_show_at_once(quarter):
    cast = quarter.cast
    reader = _reader(cast.org, "rut@acme.example")
    before = quarter.page(reader)
    assert "Nothing parked." in before and "Park it" not in before
    item = services_workshop.parking_lot_add(
        organisation=cast.org, team=cast.team, cycle=quarter.quarter, text="Idé", author=cast.lead
    )
    html = quarter.page(reader)
    assert "Idé" in html and "Nothing parked." not in html
    services_workshop.parking_lot_discard(item=item, author=cast.lead)  # an update(), no signal
    assert ParkingLotItem.objects.get(pk=item.pk).state == "discarded"
    assert "Discarded" in quarter.page(reader)
    TeamMembershipFactory(team=cast.team, user=reader)
    assert "Park it" in quarter.page(reader)
