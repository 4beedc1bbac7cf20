"""Decisions that carry out: an owner, a due date and a key result; open until marked done.

The review page records them, the owner's home page and every later review show
the open ones, the print shows them, and only the owner or leadership marks one
done (also after the review closed). Reads are bounded whatever the number.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import client_for
from okr.models import Review, ReviewEntry
from okr.reviews import decisions
from okr.reviews import services as svc
from tests.support.factories import KeyResultFactory, UserFactory, strategic_objective
from tests.support.factories import year_and_quarter as year_quarter
from tests.support.fuzz import HOSTILE, SURROGATE_BYTES
from tests.support.html import body
from tests.support.reviews import build

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD = date(2026, 2, 2), date(2026, 2, 16), date(2026, 3, 2)
HIRE = "Produktionen anställer en person till"


def url(name, *args, query=""):
    return reverse(f"okr:{name}", args=["acme", *args]) + query


@pytest.fixture
def world(cast):
    w = build(cast)
    w.per = w.people["per"]
    for person in w.people.values():  # the pages below are read in English
        person.language = "en"
        person.save(update_fields=["language"])
    w.first = Review.objects.create(organisation=cast.org, date=FIRST)
    return w


def decide(w, *, owner=None, due=None, kr=None, text=HIRE, review=None, kind="decision"):
    return svc.review_entry_add(
        review=review or w.first,
        team=w.sales,
        kind=kind,
        text=text,
        author=None,
        owner=owner,
        due_date=due,
        key_result=kr,
    )


def post_entry(client, review, **fields):
    data = {"team": fields.pop("team"), "kind": "decision", "text": HIRE, **fields}
    return client.post(url("review_entry_new", review.uuid), data)


# --- Recording a decision on the review page --------------------------------------------------


def test_leadership_records_a_decision_with_owner_due_date_and_key_result(cast, world):
    client = client_for(cast.leader)
    page = body(client.get(url("review", world.first.uuid)))
    assert 'name="owner"' in page and 'name="due_date"' in page and 'name="key_result"' in page
    assert world.per.name in page and world.krs["invoicing"].title in page
    response = post_entry(
        client,
        world.first,
        team=str(world.sales.uuid),
        owner=str(world.per.uuid),
        due_date="2026-02-27",
        key_result=str(world.krs["invoicing"].uuid),
    )
    assert response.status_code == 302
    entry = ReviewEntry.objects.get()
    assert (entry.owner, entry.due_date, entry.key_result) == (
        world.per,
        date(2026, 2, 27),
        world.krs["invoicing"],
    )
    assert entry.done_at is None and entry.author == cast.leader
    page = body(client.get(url("review", world.first.uuid)))
    assert "Owner: Per Persson" in page and 'datetime="2026-02-27"' in page
    assert url("key_result_detail", world.krs["invoicing"].uuid) in page
    assert url("review_action_done", entry.uuid) in page  # leadership may mark it done


def test_a_decision_without_an_owner_stays_a_decision_only(cast, world):
    client = client_for(cast.leader)
    post_entry(client, world.first, team=str(world.sales.uuid), owner="")
    entry = ReviewEntry.objects.get()
    assert entry.owner is None
    assert decisions.open_actions_of(cast.org, cast.leader) == []
    assert decisions.earlier_actions(cast.org, SECOND) == []


def test_a_note_has_no_owner_nor_due_date(cast, world):
    response = post_entry(
        client_for(cast.leader),
        world.first,
        team=str(world.sales.uuid),
        kind="note",
        owner=str(world.per.uuid),
    )
    assert response.status_code == 200
    assert "Only a decision has an owner" in body(response)
    assert not ReviewEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owner", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ("key_result", "not-a-uuid"),
        ("due_date", "1999-12-31"),
        ("due_date", "2101-01-01"),
        ("due_date", "2026-02-30"),
    ],
)
def test_bad_choices_are_form_errors(cast, world, field, value):
    response = post_entry(
        client_for(cast.leader), world.first, team=str(world.sales.uuid), **{field: value}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body(response)
    assert not ReviewEntry.objects.exists()


def test_the_services_check_owner_key_result_and_day(cast, world):
    foreign_kr = KeyResultFactory(
        objective=strategic_objective(cast.other_org, year_quarter(cast.other_org)[0])
    )
    for kwargs, field in [
        ({"owner": cast.outsider}, "owner"),
        ({"owner": UserFactory()}, "owner"),
        ({"kr": foreign_kr}, "key_result"),
        ({"due": date(1999, 12, 31)}, "due_date"),
        ({"owner": world.per, "kind": "note"}, "kind"),
    ]:
        with pytest.raises(ValidationError) as refused:
            decide(world, **kwargs)
        assert field in refused.value.message_dict, kwargs
    assert not ReviewEntry.objects.exists()


def test_hostile_input_is_a_form_error_never_a_500(cast, world):
    client = client_for(cast.leader)
    for value in [*HOSTILE, SURROGATE_BYTES.decode("utf-8", "surrogateescape")]:
        for field in ("owner", "due_date", "key_result", "text"):
            try:
                response = post_entry(
                    client, world.first, team=str(world.sales.uuid), **{field: value}
                )
            except UnicodeEncodeError:
                continue  # the test client cannot send it; the form fuzzers send the bytes
            assert response.status_code in (200, 302, 400), (field, value[:20])
    assert not ReviewEntry.objects.exclude(text=HIRE).exclude(kind="decision").exists()
    assert all(e.owner is None for e in ReviewEntry.objects.all())


# --- Marking done ----------------------------------------------------------------------------------


def test_the_owner_marks_done_also_after_the_review_closed(cast, world):
    entry = decide(world, owner=world.per, due=date(2026, 2, 27))
    svc.review_close(review=world.first, user=cast.leader)
    response = client_for(world.per).post(url("review_action_done", entry.uuid), {"done": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.done_at is not None and entry.done_by == world.per
    first_done = entry.done_at
    client_for(world.per).post(url("review_action_done", entry.uuid), {"done": "1"})
    entry.refresh_from_db()
    assert entry.done_at == first_done  # done twice keeps the first moment
    client_for(cast.leader).post(url("review_action_done", entry.uuid), {"done": "0"})
    entry.refresh_from_db()
    assert entry.done_at is None and entry.done_by is None


def test_only_the_owner_and_leadership_mark_done(cast, world):
    entry = decide(world, owner=world.per)
    for user in (cast.member, cast.lead, world.people["kari"]):
        response = client_for(user).post(url("review_action_done", entry.uuid), {"done": "1"})
        assert response.status_code == 403, user
    with pytest.raises(PermissionDenied):
        svc.action_mark_done(entry=entry, done=True, user=cast.member)
    entry.refresh_from_db()
    assert entry.done_at is None
    assert client_for(cast.leader).post(url("review_action_done", entry.uuid)).status_code == 302
    entry.refresh_from_db()
    assert entry.done_by == cast.leader


def test_a_note_or_a_decision_without_owner_is_not_marked_done(cast, world):
    note = decide(world, kind="note", text="Bara en anteckning")
    response = client_for(cast.leader).post(url("review_action_done", note.uuid), follow=True)
    assert "Only a decision with an owner" in body(response)
    note.refresh_from_db()
    assert note.done_at is None


def test_outsiders_get_404_and_get_is_not_allowed(cast, world):
    entry = decide(world, owner=world.per)
    outsider = client_for(cast.outsider)
    assert outsider.post(url("review_action_done", entry.uuid)).status_code == 404
    assert outsider.get(url("review", world.first.uuid)).status_code == 404
    foreign = reverse("okr:review_action_done", args=["other", entry.uuid])
    assert client_for(cast.admin).post(foreign).status_code == 404
    assert client_for(world.per).get(url("review_action_done", entry.uuid)).status_code == 405
    entry.refresh_from_db()
    assert entry.done_at is None


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "/other/", "👍"])
def test_the_way_back_stays_in_the_organisation(cast, world, back):
    entry = decide(world, owner=world.per)
    response = client_for(world.per).post(url("review_action_done", entry.uuid), {"next": back})
    assert response.status_code == 302
    assert response.url == url("review", world.first.uuid)


# --- Where open actions show --------------------------------------------------------------------


def test_the_owners_home_page_lists_open_actions_until_done(cast, world):
    overdue = decide(world, owner=world.per, due=date(2026, 2, 27), kr=world.krs["leads"])
    later = decide(world, owner=world.per, due=date(2099, 1, 1), text="Boka mässan")
    decide(world, owner=world.people["kari"], text="Kari ringer kunden")
    home = reverse("okr:home", args=["acme"])
    page = body(client_for(world.per).get(home))
    assert "My actions from reviews" in page
    assert page.index(HIRE) < page.index("Boka mässan")  # the earliest due first
    assert "Kari ringer kunden" not in page
    assert page.count("Overdue") == 1
    assert url("review", world.first.uuid) in page
    assert url("key_result_detail", world.krs["leads"].uuid) in page
    assert url("review_action_done", overdue.uuid) in page
    client_for(world.per).post(url("review_action_done", overdue.uuid), {"next": home})
    page = body(client_for(world.per).get(home))
    assert HIRE not in page and "Boka mässan" in page
    svc.action_mark_done(entry=later, done=True, user=world.per)
    assert "My actions from reviews" not in body(client_for(world.per).get(home))


def test_the_next_review_shows_earlier_open_actions_until_done(cast, world):
    entry = decide(world, owner=world.per, due=date(2026, 2, 27))
    decide(world, owner=world.per, text="Klart redan")  # done below
    svc.action_mark_done(
        entry=ReviewEntry.objects.get(text="Klart redan"), done=True, user=world.per
    )
    svc.review_close(review=world.first, user=cast.leader)
    # The next review is scheduled, without a row yet: shown from the schedule.
    preview = body(client_for(cast.member).get(url("reviews", query=f"?date={SECOND}")))
    assert "Open actions from earlier reviews" in preview
    assert HIRE in preview and "Klart redan" not in preview
    assert "Owner: Per Persson" in preview and "Overdue" in preview
    assert url("review_action_done", entry.uuid) not in preview  # a member may not
    # The review it was decided in does not list it as earlier.
    own = body(client_for(cast.member).get(url("review", world.first.uuid)))
    assert own.count(HIRE) == 1
    second = Review.objects.create(organisation=cast.org, date=SECOND)
    svc.review_close(review=second, user=cast.leader, now=datetime(2026, 2, 16, 12, tzinfo=UTC))
    svc.action_mark_done(entry=entry, done=True, user=world.per)
    # Done now: gone from the reviews to come, kept (done since) in the closed one.
    third = body(client_for(cast.member).get(url("reviews", query=f"?date={THIRD}")))
    assert HIRE not in third
    closed = body(client_for(cast.member).get(url("review", second.uuid)))
    assert HIRE in closed and "Done since" in closed


def test_the_print_shows_decisions_with_owner_and_due_date_and_open_actions(cast, world):
    decide(world, owner=world.per, due=date(2026, 2, 27))
    second = Review.objects.create(organisation=cast.org, date=SECOND)
    decide(world, owner=world.people["kari"], due=date(2026, 3, 13), review=second, text="Ny")
    page = body(client_for(cast.leader).get(url("review", second.uuid)))
    section = page[page.index('class="review-section review-actions"') :]
    section = section[: section.index("</section>")]
    assert "no-print" not in section.split(">")[0] and HIRE in section
    assert "Owner: Kari Nordmann" in page and 'datetime="2026-03-13"' in page
    for form in page.split('class="inline-form action-done-form')[1:]:
        assert form.startswith(" no-print")
    with open("static/css/app.css", encoding="utf-8") as css:
        assert ".action-facts" in css.read()


# --- Bounded reads -------------------------------------------------------------------------------


def _many(world, n):
    for i in range(n):
        decide(
            world,
            owner=world.per,
            due=date(2026, 2, 1 + i % 28),
            kr=world.krs["leads"] if i % 2 else None,
            text=f"Åtgärd {i}",
        )


def test_home_and_review_pages_run_a_fixed_number_of_queries(
    cast, world, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = reverse("okr:home", args=["acme"])
    client = client_for(world.per)
    leader = client_for(cast.leader)
    second = Review.objects.create(organisation=cast.org, date=SECOND)

    def counts():
        client.get(home)
        leader.get(url("review", second.uuid))
        with CaptureQueriesContext(connection) as on_home:
            assert client.get(home).status_code == 200
        with CaptureQueriesContext(connection) as on_review:
            assert leader.get(url("review", second.uuid)).status_code == 200
        return len(on_home), len(on_review)

    _many(world, 2)
    few = counts()
    _many(world, 40)
    many = counts()
    assert few == many, (few, many)
    assert body(client.get(home)).count('<li class="action') == 42


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("sv", "Mina åtgärder från avstämningar", "Markera som klar"),
        ("nb", "Mine tiltak fra gjennomganger", "Merk som ferdig"),
        ("en", "My actions from reviews", "Mark done"),
    ],
)
def test_the_home_block_in_each_language(cast, world, language, heading, button):
    decide(world, owner=world.per, due=date(2026, 2, 27))
    world.per.language = language
    world.per.save(update_fields=["language"])
    page = body(client_for(world.per).get(reverse("okr:home", args=["acme"])))
    assert heading in page and button in page
