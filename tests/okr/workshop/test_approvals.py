"""Leadership's approval queue: proposed team OKRs beside their parents, flags, approve, ask for changes."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.revision import CSRF_PLACEHOLDER
from alignment import services as alignment_services
from conftest import client_for
from okr.models import Objective, ObjectiveEvent
from okr.workshop import selectors as selectors_workshop
from okr.workshop import services as services_workshop
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GROWTH = "Kommande år vårt starkaste tillväxtår någonsin"
EXPERIENCE = "Leverera branschens bästa upplevelse"
SALES = "20MSEK försäljning till nya kunder"
CHURN = "5% churn"
NPS = "Rullande 3-månaders NPS på X"


class Queue:
    def __init__(self, cast):
        self.cast = cast
        self.org = cast.org
        self.year, self.quarter = year_and_quarter(cast.org)
        self.growth = strategic_objective(cast.org, self.year, title=GROWTH)
        self.sales = metric_kr(self.growth, title=SALES)
        self.experience = strategic_objective(cast.org, self.year, title=EXPERIENCE)
        self.churn = metric_kr(
            self.experience, title=CHURN, start=15, target=5, direction="decrease"
        )
        self.nps = metric_kr(self.experience, title=NPS, start=0, target=None)
        self.sales_team = TeamFactory(organisation=cast.org, name="Försäljning")
        self.production = TeamFactory(organisation=cast.org, name="Produktion")
        self.lead = UserFactory(email="pernilla@acme.example", name="Pernilla Lead")
        MembershipFactory(organisation=cast.org, user=self.lead)
        TeamMembershipFactory(team=self.production, user=self.lead, is_lead=True)
        self.seller = UserFactory(email="fredrika@acme.example", name="Fredrika Lead")
        MembershipFactory(organisation=cast.org, user=self.seller)
        TeamMembershipFactory(team=self.sales_team, user=self.seller, is_lead=True)

    def proposed(self, team, title, **fields):
        """Drafted and submitted by the team's lead, or leadership for a team without one."""
        leads = {self.production.pk: self.lead, self.sales_team.pk: self.seller}
        lead = leads.get(team.pk, self.cast.leader)
        objective = services_workshop.workshop_objective_create(
            organisation=self.org,
            team=team,
            cycle=self.quarter,
            title=title,
            author=lead,
            **fields,
        )
        metric_kr(objective, title=f"{title}: resultat")
        services_workshop.objective_submit(
            organisation=self.org, team=team, cycle=self.quarter, author=lead
        )
        objective.refresh_from_db()
        return objective


@pytest.fixture
def q(cast):
    return Queue(cast)


def url(name, code=None):
    return reverse(f"okr:{name}", args=["acme"] if code is None else ["acme", code])


def test_queue_groups_proposed_sets_by_team_beside_their_parents(q):
    aggressive = q.proposed(
        q.sales_team,
        "Aggressiv försäljningstillväxt",
        parent_key_result=q.sales,
        alignment="direct",
    )
    flawless = q.proposed(q.production, "Felfri hantering", parent_key_result=q.churn)
    orphan = q.proposed(q.production, "Ett mål utan förälder")
    draft = services_workshop.workshop_objective_create(
        organisation=q.org,
        team=q.production,
        cycle=q.quarter,
        title="Fortfarande utkast",
        author=None,
    )
    response = client_for(q.cast.leader).get(url("approvals"))
    assert response.status_code == 200
    html = body(response)
    assert q.quarter.label in html
    assert html.index("Försäljning") < html.index("Produktion")  # grouped by team, in team order
    for objective in (aggressive, flawless, orphan):
        assert f'id="approval-{objective.uuid}"' in html
    assert draft.title not in html
    # Each beside its parent, with the parent's text.
    assert SALES in html and CHURN in html and f"of “{GROWTH}”" in html
    # Flags: the orphan, and strategic OKRs nobody supports this quarter.
    assert "1 proposed objective is not linked to a strategic objective or key result." in html
    uncovered = html[html.index("uncovered-list") :]
    uncovered = uncovered[: uncovered.index("</ul>")]
    assert NPS in uncovered
    assert SALES not in uncovered and CHURN not in uncovered
    assert GROWTH not in uncovered.split("Key result")[0]  # the objective itself is supported
    assert "1 still in the workshop" in html
    assert url("approval_approve", aggressive.uuid) in html
    assert url("approval_request_changes", aggressive.uuid) in html
    assert url("approval_team", q.production.uuid) in html


def test_nothing_waiting(q):
    html = body(client_for(q.cast.leader).get(url("approvals")))
    assert "Nothing waits for approval" in html


def test_approve_one_objective(q):
    objective = q.proposed(q.production, "Felfri hantering", parent_key_result=q.churn)
    client = client_for(q.cast.leader)
    response = client.post(url("approval_approve", objective.uuid), **HTMX)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "Approved: Felfri hantering" in html
    assert url("approval_approve", objective.uuid) not in html  # decided: no more buttons
    objective.refresh_from_db()
    assert objective.status == "approved"
    event = objective.events.order_by("created_at", "id").last()
    assert (event.from_status, event.to_status, event.author) == (
        "proposed",
        "approved",
        q.cast.leader,
    )
    # Approving again: the policy's 409 with a clear message, and nothing changes.
    response = client.post(url("approval_approve", objective.uuid))
    assert response.status_code == 409
    assert "The objective is approved now" in body(response)
    response = client.post(url("approval_approve", objective.uuid), **HTMX)
    assert response.status_code == 409 and "The objective is approved now" in body(response)
    assert objective.events.count() == 3


def test_approve_the_whole_team_set(q):
    one = q.proposed(q.production, "Felfri hantering", parent_key_result=q.churn)
    two = q.proposed(
        q.production, "Överträffa våra kunders förväntningar", parent_objective=q.experience
    )
    other = q.proposed(q.sales_team, "Aggressiv försäljningstillväxt", parent_key_result=q.sales)
    client = client_for(q.cast.leader)
    response = client.post(
        url("approval_team", q.production.uuid), {"quarter": str(q.quarter.uuid)}
    )
    assert response.status_code == 302
    assert "Approved 2 objectives of Produktion." in body(client.get(response.url))
    statuses = dict(Objective.objects.filter(level="team").values_list("title", "status"))
    assert statuses[one.title] == statuses[two.title] == "approved"
    assert statuses[other.title] == "proposed"


def test_request_changes_with_a_comment_the_team_sees(q):
    objective = q.proposed(q.production, "Överträffa våra kunders förväntningar")
    client = client_for(q.cast.leader)
    # No comment: the form says why, keeps the page, changes nothing.
    for extra in ({}, HTMX):
        response = client.post(
            url("approval_request_changes", objective.uuid), {"comment": "  "}, **extra
        )
        assert response.status_code == 200
        assert "This field is required." in body(response)
    objective.refresh_from_db()
    assert objective.status == "proposed"
    comment = "Vilket strategiskt mål stöder det här? Koppla det till NPS-resultatet."
    response = client.post(
        url("approval_request_changes", objective.uuid), {"comment": comment}, **HTMX
    )
    assert response.status_code == 200 and "Changes requested" in body(response)
    objective.refresh_from_db()
    assert objective.status == "changes_requested"
    event = objective.events.order_by("created_at", "id").last()
    assert (event.to_status, event.comment, event.author) == (
        "changes_requested",
        comment,
        q.cast.leader,
    )
    # The team sees the comment on the card in its workshop, and may edit and submit again.
    workshop = reverse("okr:team_workshop", args=["acme", q.production.uuid])
    html = body(client_for(q.lead).get(f"{workshop}?quarter={q.quarter.uuid}"))
    assert "Leadership asked for changes" in html and comment in html
    assert reverse("okr:workshop_objective_edit", args=["acme", objective.uuid]) in html
    assert "Submit 1 objective for approval" in html
    # The status history is kept and shown on the objective.
    assert "Status history (3 changes)" in html
    assert html.count("history-entry") >= 3
    services_workshop.objective_submit(
        organisation=q.org, team=q.production, cycle=q.quarter, author=q.lead
    )
    services_workshop.objective_approve(objective=objective, author=q.cast.admin)
    assert list(
        objective.events.order_by("created_at", "id").values_list("to_status", flat=True)
    ) == [
        "draft",
        "proposed",
        "changes_requested",
        "proposed",
        "approved",
    ]
    html = body(client_for(q.lead).get(f"{workshop}?quarter={q.quarter.uuid}"))
    assert "Leadership asked for changes" not in html  # the comment belonged to that round
    assert "Status history (5 changes)" in html and comment in html


def test_services_refuse_transitions_that_do_not_fit(q):
    objective = services_workshop.workshop_objective_create(
        organisation=q.org, team=q.production, cycle=q.quarter, title="Utkast", author=None
    )
    with pytest.raises(ValidationError):
        services_workshop.objective_approve(objective=objective, author=None)
    with pytest.raises(ValidationError):
        services_workshop.objective_request_changes(objective=objective, author=None, comment="x")
    with pytest.raises(ValidationError):
        services_workshop.objective_approve(objective=q.growth, author=None)
    foreign_team = TeamFactory(organisation=q.cast.other_org)
    with pytest.raises(ValidationError):
        services_workshop.objective_submit(
            organisation=q.org, team=foreign_team, cycle=q.quarter, author=None
        )
    objective.refresh_from_db()
    assert objective.status == "draft" and objective.events.count() == 1


def test_members_get_403_and_outsiders_404(q):
    objective = q.proposed(q.production, "Felfri hantering")
    for client, status in ((client_for(q.cast.member), 403), (client_for(q.lead), 403)):
        assert client.get(url("approvals")).status_code == status
        for target in (
            url("approval_approve", objective.uuid),
            url("approval_request_changes", objective.uuid),
            url("approval_team", q.production.uuid),
        ):
            assert (
                client.post(target, {"comment": "x", "quarter": str(q.quarter.uuid)}).status_code
                == status
            )
    outsider = client_for(q.cast.outsider)
    assert outsider.get(url("approvals")).status_code == 404
    assert outsider.post(url("approval_approve", objective.uuid)).status_code == 404
    objective.refresh_from_db()
    assert objective.status == "proposed"
    # The nav shows "Approvals" to leadership only.
    assert url("approvals") in body(client_for(q.cast.leader).get(url("home")))
    assert url("approvals") not in body(client_for(q.cast.member).get(url("home")))


def test_approvals_query_count_does_not_grow(q, monkeypatch, django_assert_max_num_queries):
    # Everything on one page here: the queries must not grow with what a page shows.
    monkeypatch.setattr(selectors_workshop, "QUEUE_OBJECTIVES_PER_PAGE", 100)

    def grow(teams, each):
        for _ in range(teams):
            team = TeamFactory(organisation=q.org)
            for i in range(each):
                objective = q.proposed(team, f"Mål {team.pk}.{i}", parent_key_result=q.sales)
                services_workshop.objective_request_changes(
                    objective=objective, author=q.cast.leader, comment="Ändra"
                )
                services_workshop.objective_submit(
                    organisation=q.org, team=team, cycle=q.quarter, author=q.cast.leader
                )

    grow(1, 2)
    client = client_for(q.cast.leader)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("approvals")).status_code == 200
    grow(4, 4)
    next_year = q.year.quarters.exclude(pk=q.quarter.pk).first()
    other = services_workshop.workshop_objective_create(
        organisation=q.org, team=q.production, cycle=next_year, title="Annat kvartal", author=None
    )
    services_workshop.objective_submit(
        organisation=q.org, team=q.production, cycle=next_year, author=None
    )
    with django_assert_max_num_queries(len(small)):
        response = client.get(url("approvals"))
    assert response.status_code == 200
    assert body(response).count('class="queue-item"') == 2 + 16 + 1
    assert other.title in body(response)
    assert ObjectiveEvent.objects.count() > 50
    # Session, user, membership; the queue's counts; the page's objectives, key results and
    # events; the strategic OKRs and theirs; the coverage links; the open dependencies.
    assert len(small) <= 11, [q["sql"] for q in small]


def test_a_long_queue_comes_a_few_teams_at_a_time(q, monkeypatch, django_assert_max_num_queries):
    per_page = 10
    monkeypatch.setattr(selectors_workshop, "QUEUE_OBJECTIVES_PER_PAGE", per_page)
    teams = [TeamFactory(organisation=q.org, name=f"Lag {i:02}") for i in range(per_page + 3)]
    for team in teams:
        q.proposed(team, f"Mål för {team.name}", parent_key_result=q.sales)
    orphan = q.proposed(teams[-1], "Utan förälder")  # the last team's set, on the last page
    client = client_for(q.cast.leader)
    with django_assert_max_num_queries(11):
        first = body(client.get(url("approvals")))
    assert first.count('class="queue-item"') == per_page
    assert "Mål för Lag 00" in first and "Mål för Lag 12" not in first
    assert 'href="?page=2"' in first and 'hx-get="?page=2"' in first  # htmx, and a plain link
    # The flags are about the whole quarter, whatever the page.
    assert "1 proposed objective is not linked" in first
    with django_assert_max_num_queries(11):
        second = body(client.get(url("approvals") + "?page=2"))
    assert second.count('class="queue-item"') == 3 + 1
    assert "Mål för Lag 12" in second and orphan.title in second
    assert 'href="?page=1"' in second and "?page=3" not in second
    # A page beyond the end is the last one; nonsense is the first.
    assert "Mål för Lag 12" in body(client.get(url("approvals") + "?page=99"))
    assert "Mål för Lag 00" in body(client.get(url("approvals") + "?page=x"))
    # A refused comment re-renders the page that shows the objective, with the error.
    response = client.post(url("approval_request_changes", orphan.uuid), {"comment": ""})
    assert response.status_code == 200
    assert orphan.title in body(response) and "Mål för Lag 00" not in body(response)
    # Approving from the last page leaves every set on one page again.
    for objective in Objective.objects.filter(team__in=teams[:4], status="proposed"):
        services_workshop.objective_approve(objective=objective, author=q.cast.leader)
    page = body(client.get(url("approvals")))
    assert 'href="?page=2"' not in page and orphan.title in page


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def queue_of(html: str) -> str:
    """The queue itself, without the tokens (the page around it has a nonce per response)."""
    return TOKEN.sub("", html[html.index('id="approval-queue"') :])


def strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_queue_is_rendered_once_per_revision_and_a_decision_shows_at_once(
    q, django_assert_max_num_queries
):
    first = q.proposed(q.production, "Felfri hantering", parent_key_result=q.churn)
    second = q.proposed(q.sales_team, "Aggressiv försäljningstillväxt", parent_key_result=q.sales)
    alignment_services.dependency_create(
        organisation=q.org,
        needing_objective=first,
        delivering_objective=second,
        description="Prislistan först",
        needed_by=q.quarter.end_date,
        created_by=q.lead,
    )
    # Two people with the same standing (leadership, no teams) share one rendered queue.
    other_leader = UserFactory(email="lena@acme.example")
    MembershipFactory(organisation=q.org, user=other_leader, role="leadership")
    leader, other = strict_client(q.cast.leader), strict_client(other_leader)
    cold = leader.get(url("approvals")).content.decode()
    assert "Prislistan först" in cold
    with django_assert_max_num_queries(4):  # session, user, membership, the person's teams
        warm = other.get(url("approvals")).content.decode()
    assert CSRF_PLACEHOLDER not in warm
    assert queue_of(warm) == queue_of(cold)
    # The other leader's token, from the copy rendered for the first, works for them.
    token = TOKEN.findall(warm)[0]
    response = other.post(url("approval_approve", first.uuid), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    # The decision shows at once, for both.
    for client in (leader, other):
        html = client.get(url("approvals")).content.decode()
        assert f'id="approval-{first.uuid}"' not in html
        assert f'id="approval-{second.uuid}"' in html
    # The dependency controls send people back to the address they asked for.
    paged = leader.get(url("approvals") + "?page=1").content.decode()
    assert 'name="next" value="/acme/approvals/?page=1' in paged
    assert (
        'name="next" value="/acme/approvals/?page=1'
        not in leader.get(url("approvals")).content.decode()
    )
