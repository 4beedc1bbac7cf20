"""The reviews list is rendered once per revision of the organisation, day, language and role:
a new or moved review shows at once, leadership keeps its forms with its own CSRF token, a
member never gets them, and the next day moves the list on without a write."""

import re
from datetime import datetime, timedelta

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from okr.lib import calendar
from okr.reviews import services as svc

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get(reverse("okr:reviews", args=["acme"]))
    assert response.status_code == 200
    return response.content.decode()


def upcoming(body: str) -> list[str]:
    return re.findall(r'<tr id="review-(\d{4}-\d\d-\d\d)">', body)


def test_a_new_review_and_a_moved_one_show_at_once(cast, leader_client, member_client):
    before = upcoming(page(member_client))
    assert before and "Not started" in page(member_client)  # cached now
    day = datetime.fromisoformat(before[0]).date()
    svc.review_create(
        organisation=cast.org, day=day + timedelta(days=1), user=cast.leader, moved_from=day
    )
    after = upcoming(page(member_client))
    assert (day + timedelta(days=1)).isoformat() in after and day.isoformat() not in after


def test_leadership_gets_its_forms_with_its_own_token_and_members_none(
    cast, leader_client, lead_client, member_client
):
    leader_page, again = page(leader_client), page(leader_client)
    assert "Add a review on another day" in leader_page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again))
    # The placeholder is replaced by this session's token (masked anew, the same secret).
    assert "\ue000" not in again and len({_unmask_cipher_token(t) for t in tokens}) == 1
    new = reverse("okr:review_new", args=["acme"])
    assert f'action="{new}"' in again
    member, lead = page(member_client), page(lead_client)
    assert "Add a review on another day" not in member and f'action="{new}"' not in member
    assert "Add a review on another day" not in lead and f'action="{new}"' not in lead


def test_the_list_is_in_the_readers_language(cast, member_client):
    assert "Upcoming" in page(member_client)
    cast.member.language = "sv"
    cast.member.save(update_fields=["language"])
    assert "Kommande" in page(member_client)


def test_the_next_day_moves_the_list_on_without_a_write(cast, member_client, monkeypatch):
    first = upcoming(page(member_client))[0]
    later = datetime.fromisoformat(first).replace(hour=12, tzinfo=calendar.zone_of(cast.org))
    monkeypatch.setattr(calendar, "clock", lambda: later + timedelta(days=1))
    assert first not in upcoming(page(member_client))


def test_a_bad_form_keeps_what_was_typed(cast, leader_client):
    page(leader_client)  # the list is cached
    response = leader_client.post(reverse("okr:review_new", args=["acme"]), {"date": "31.02.2027"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="31.02.2027"' in body and 'aria-invalid="true"' in body
