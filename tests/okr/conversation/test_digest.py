"""The e-mail digest: once a day at most, only what is unread, in the person's language, off."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from conftest import client_for
from okr.conversation import digest, services
from okr.models import DigestClaim, Notification
from tests.support.factories import strategic_objective, year_and_quarter

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(hour, day=0):
    base = datetime.now(STOCKHOLM).replace(hour=hour, minute=10, second=0, microsecond=0)
    return base + timedelta(days=day)


@pytest.fixture
def objective(cast):
    year, _q = year_and_quarter(cast.org)
    return strategic_objective(cast.org, year, title="Växa i Norge")


def mention(cast, objective, text="@Max Member titta här", author=None):
    return services.comment_create(target=objective, author=author or cast.lead, text=text)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_nothing_before_the_morning(cast, objective):
    mention(cast, objective)
    assert digest.digests_sweep(now=at(5)).claimed == 0
    assert mail.outbox == []


def test_one_digest_a_day_and_a_rerun_sends_nothing(cast, objective):
    mention(cast, objective)
    first = digest.digests_sweep(now=at(8))
    assert first.sent == 1 and len(to("member@acme.example")) == 1
    message = to("member@acme.example")[0]
    assert "Växa i Norge" in message.body and "titta här" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Rerun, beat firing twice, and a new notification later the same day: nothing more.
    assert digest.digests_sweep(now=at(8)).sent == 0
    mention(cast, objective, "@Max Member en till")
    assert digest.digests_sweep(now=at(20)).sent == 0
    assert len(mail.outbox) == 1
    # Tomorrow: only what came since the last digest.
    assert digest.digests_sweep(now=at(8, day=1)).sent == 1
    second = to("member@acme.example")[1]
    assert "en till" in second.body and "titta här" not in second.body
    assert DigestClaim.objects.count() == 2


def test_read_notifications_are_not_mailed(cast, objective):
    mention(cast, objective)
    services.notifications_read_all(organisation=cast.org, user=cast.member)
    assert digest.digests_sweep(now=at(8)).claimed == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("user_language", "org_language", "expected"),
    [
        ("", "sv", "oläst avisering"),
        ("nb", "sv", "ulest varsel"),
        ("en", "sv", "unread notification"),
        ("", "nb", "ulest varsel"),
    ],
)
def test_in_the_recipients_language(cast, objective, user_language, org_language, expected):
    cast.org.language = org_language
    cast.org.save()
    cast.member.language = user_language
    cast.member.save()
    mention(cast, objective)
    digest.digests_sweep(now=at(8))
    message = to("member@acme.example")[0]
    assert expected in message.subject.lower(), message.subject


def test_turned_off_in_the_profile(cast, objective):
    client = client_for(cast.member)
    page = client.get(reverse("accounts:profile"))
    assert 'name="email_digest"' in page.text
    client.post(reverse("accounts:profile"), {"name": "Max Member", "language": ""})
    cast.member.refresh_from_db()
    assert cast.member.email_digest is False  # an unticked box
    mention(cast, objective)
    assert digest.digests_sweep(now=at(8)).sent == 0 and mail.outbox == []


def test_the_signed_link_turns_it_off_in_one_click(cast, objective, client):
    mention(cast, objective)
    digest.digests_sweep(now=at(8))
    token = digest.unsubscribe_token(cast.member)
    url = reverse("conversation_unsubscribe", args=[token])
    assert url in to("member@acme.example")[0].body
    page = client.get(url)
    assert page.status_code == 200
    cast.member.refresh_from_db()
    assert cast.member.email_digest  # a link scanner's GET changes nothing
    assert client.post(url).status_code == 200  # the button, or the mail program (RFC 8058)
    cast.member.refresh_from_db()
    assert not cast.member.email_digest
    mention(cast, objective, "@Max Member igen")
    assert digest.digests_sweep(now=at(8, day=1)).sent == 0


@pytest.mark.parametrize("token", ["x", "a" * 400, "eyJ1IjoiMSJ9:1:bad", "\x00"])
def test_a_forged_link_is_404(client, db, token):
    url = reverse("conversation_unsubscribe", args=["placeholder"]).replace("placeholder", token)
    assert client.get(url).status_code in (404, 400)


def test_a_sender_that_died_is_taken_over_and_sends_once(cast, objective, monkeypatch):
    mention(cast, objective)

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(digest.emails, "send", broken)
    assert digest.digests_sweep(now=at(8)).failed == 1
    monkeypatch.undo()
    assert digest.digests_sweep(now=at(8)).sent == 0  # still inside the lease
    assert digest.digests_sweep(now=at(9)).sent == 1
    assert digest.digests_sweep(now=at(10)).sent == 0
    assert len(mail.outbox) == 1


def test_the_task_is_thin(cast, objective, monkeypatch):
    from okr.conversation import tasks

    mention(cast, objective)
    monkeypatch.setattr(digest.calendar, "clock", lambda: at(8))
    assert tasks.send_digests.apply().get()["sent"] == 1
    assert tasks.send_digests.apply().get()["sent"] == 0
    assert Notification.objects.get().digest is not None
