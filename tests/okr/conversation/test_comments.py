"""Comments: mentions notify members only, replies notify the author, the policy, the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import policy
from conftest import client_for
from okr.conversation import services
from okr.models import Comment, CommentMention, Notification
from tests.support.factories import (
    CheckInFactory,
    MembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.fuzz import FORM_CONTENT_TYPE as FORM
from tests.support.fuzz import SURROGATE_BYTES
from tests.support.sweep import encode

pytestmark = pytest.mark.django_db


@pytest.fixture
def okr(cast):
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Växa i Norge")
    kr = metric_kr(objective, title="10 nya kunder", owner=cast.lead, target=10)
    check_in = CheckInFactory(key_result=kr, author=cast.lead, value=3, note="Bra start")
    return objective, kr, check_in


def _notified(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(n.recipient.email for n in rows)


def test_a_mention_notifies_the_member_once(cast, okr):
    objective, _kr, _ci = okr
    comment = services.comment_create(
        target=objective, author=cast.member, text="@Lea Leader och @lead, titta! @Lea Leader"
    )
    assert comment.text == "@Lea Leader och @lead, titta! @Lea Leader"
    assert sorted(CommentMention.objects.values_list("user__email", flat=True)) == [
        "lead@acme.example",
        "leader@acme.example",
    ]
    assert _notified("mention") == ["lead@acme.example", "leader@acme.example"]
    note = Notification.objects.get(recipient=cast.leader)
    assert note.actor == cast.member and note.objective == objective
    assert note.organisation == cast.org and note.title == "Växa i Norge"


def test_an_outsider_is_never_mentioned_nor_notified(cast, okr):
    objective, _kr, _ci = okr
    text = "@Otto Outsider @otto @outsider outsider@other.example @Otto"
    services.comment_create(target=objective, author=cast.member, text=text)
    assert not CommentMention.objects.exists()
    assert not Notification.objects.exists()
    # Nor someone who once was in the organisation's other tenant only.
    MembershipFactory(organisation=cast.org, user=UserFactory(name="Otto Insider"))
    services.comment_create(target=objective, author=cast.member, text="@Otto Outsider")
    assert not Notification.objects.filter(recipient=cast.outsider).exists()


def test_mentioning_yourself_tells_nobody(cast, okr):
    services.comment_create(target=okr[0], author=cast.member, text="note to self @Max Member")
    assert not Notification.objects.exists()


def test_a_reply_notifies_the_author_of_the_comment(cast, okr):
    _objective, kr, _ci = okr
    first = services.comment_create(target=kr, author=cast.lead, text="Vi ligger efter.")
    reply = services.comment_create(target=kr, author=cast.member, text="Jag hjälper", parent=first)
    assert reply.parent == first
    assert _notified("reply") == ["lead@acme.example"]
    # A reply to a reply stays one level deep, and tells the one replied to.
    again = services.comment_create(target=kr, author=cast.leader, text="Bra", parent=reply)
    assert again.parent == first
    assert sorted(_notified("reply")) == ["lead@acme.example", "member@acme.example"]


def test_a_reply_that_mentions_the_author_tells_them_once(cast, okr):
    first = services.comment_create(target=okr[1], author=cast.lead, text="Hur går det?")
    services.comment_create(target=okr[1], author=cast.member, text="@Liam Lead bra", parent=first)
    assert Notification.objects.filter(recipient=cast.lead).count() == 1


def test_a_reply_must_be_in_the_same_thread(cast, okr):
    objective, kr, _ci = okr
    first = services.comment_create(target=objective, author=cast.lead, text="Hej")
    with pytest.raises(ValidationError):
        services.comment_create(target=kr, author=cast.member, text="x", parent=first)


def test_editing_tells_only_the_newly_mentioned(cast, okr):
    comment = services.comment_create(target=okr[2], author=cast.member, text="@Liam Lead")
    services.comment_edit(comment=comment, author=cast.member, text="@Liam Lead @Lea Leader")
    assert _notified("mention") == ["lead@acme.example", "leader@acme.example"]
    comment.refresh_from_db()
    assert comment.edited_at is not None


def test_the_author_edits_and_removes_their_own_admins_remove_any(cast, okr):
    comment = services.comment_create(target=okr[0], author=cast.member, text="@Liam Lead")
    with pytest.raises(policy.PolicyDenied):
        services.comment_edit(comment=comment, author=cast.leader, text="changed")
    with pytest.raises(policy.PolicyDenied):
        services.comment_delete(comment=comment, author=cast.lead)
    services.comment_delete(comment=comment, author=cast.admin)
    comment.refresh_from_db()
    assert comment.deleted and comment.text == ""
    assert not Notification.objects.exists()  # nobody is pointed at a removed comment
    with pytest.raises(policy.StateConflict):
        services.comment_edit(comment=comment, author=cast.member, text="back")


def test_an_outsider_cannot_comment(cast, okr):
    with pytest.raises(policy.PolicyDenied):
        services.comment_create(target=okr[0], author=cast.outsider, text="hej")


@pytest.mark.parametrize(
    "text", ["", "   ", "a\x00b", "\ud800", "x" * (services.COMMENT_MAX_CHARS + 1), None, 5]
)
def test_bad_text_is_a_field_error(cast, okr, text):
    with pytest.raises(ValidationError) as error:
        services.comment_create(target=okr[0], author=cast.member, text=text)
    assert "text" in error.value.message_dict


# --- Pages -------------------------------------------------------------------------------------


def _urls(org, okr):
    objective, kr, check_in = okr
    return {
        "objective": reverse("okr:objective_comments", args=[org.slug, objective.uuid]),
        "kr": reverse("okr:key_result_comments", args=[org.slug, kr.uuid]),
        "check_in": reverse("okr:check_in_comments", args=[org.slug, check_in.uuid]),
    }


@pytest.mark.parametrize("where", ["objective", "kr", "check_in"])
def test_posting_a_comment_by_a_plain_form(cast, okr, where):
    url = _urls(cast.org, okr)[where]
    response = client_for(cast.member).post(url, {"text": "<b>Hej</b> @Liam Lead"})
    assert response.status_code == 302 and response.url.endswith("#comments")
    page = client_for(cast.lead).get(response.url.split("#")[0])
    html = page.content.decode()
    assert "&lt;b&gt;Hej&lt;/b&gt;" in html and "<b>Hej</b>" not in html
    assert '<span class="mention" title="Liam Lead">@Liam Lead</span>' in html
    assert 'class="bell-count" aria-hidden="true">1<' in html


def test_posting_by_htmx_answers_with_the_thread_and_tells_the_bell(cast, okr):
    url = _urls(cast.org, okr)["objective"]
    response = client_for(cast.member).post(url, {"text": "Hej"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notificationsChanged"
    assert "Hej" in response.content.decode() and "<html" not in response.content.decode()


def test_a_lone_surrogate_in_a_form_post_arrives_replaced(cast, okr):
    # Django decodes form posts with replacement characters: stored, never a 500.
    url = _urls(cast.org, okr)["objective"]
    body = encode({"text": b"a" + SURROGATE_BYTES + b"b"})
    assert client_for(cast.member).post(url, body, content_type=FORM).status_code == 302
    assert "\ud800" not in Comment.objects.get().text


@pytest.mark.parametrize("text", ["", "a\x00b", "x" * 100_000])
def test_hostile_text_is_a_form_error(cast, okr, text):
    body = encode({"text": text})
    for url in _urls(cast.org, okr).values():
        response = client_for(cast.member).post(url, body, content_type=FORM)
        assert response.status_code == 400
        assert not Comment.objects.exists()
        htmx = client_for(cast.member).post(url, body, content_type=FORM, HTTP_HX_REQUEST="true")
        assert htmx.status_code == 200 and "error-summary" in htmx.content.decode()


def test_a_reply_by_a_plain_form(cast, okr):
    first = services.comment_create(target=okr[1], author=cast.lead, text="Fråga")
    url = _urls(cast.org, okr)["kr"]
    client_for(cast.member).post(url, {"text": "Svar", "parent": str(first.uuid)})
    assert Comment.objects.get(text="Svar").parent == first


def test_a_parent_from_another_organisation_is_404(cast, okr):
    other_year, _q = year_and_quarter(cast.other_org)
    theirs = strategic_objective(cast.other_org, other_year)
    foreign = services.comment_create(target=theirs, author=cast.outsider, text="x")
    url = _urls(cast.org, okr)["kr"]
    response = client_for(cast.member).post(url, {"text": "Svar", "parent": str(foreign.uuid)})
    assert response.status_code == 404


def test_edit_and_remove_pages(cast, okr):
    comment = services.comment_create(target=okr[0], author=cast.member, text="Först")
    edit = reverse("okr:comment_edit", args=[cast.org.slug, comment.uuid])
    delete = reverse("okr:comment_delete", args=[cast.org.slug, comment.uuid])
    assert client_for(cast.member).get(edit).status_code == 200
    assert client_for(cast.lead).get(edit).status_code == 403
    assert client_for(cast.lead).post(edit, {"text": "Nej"}).status_code == 403
    assert client_for(cast.member).post(edit, {"text": "\x00"}).status_code == 400
    response = client_for(cast.member).post(edit, {"text": "Sedan"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Sedan"
    assert client_for(cast.lead).post(delete).status_code == 403
    assert client_for(cast.member).post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.deleted


def test_a_removed_comment_with_replies_shows_as_removed(cast, okr):
    objective = okr[0]
    first = services.comment_create(target=objective, author=cast.member, text="Hemligt")
    services.comment_create(target=objective, author=cast.lead, text="Svaret", parent=first)
    services.comment_delete(comment=first, author=cast.member)
    page = client_for(cast.leader).get(
        reverse("okr:objective_detail", args=[cast.org.slug, objective.uuid])
    )
    html = page.content.decode()
    assert "Hemligt" not in html and "Comment removed" in html and "Svaret" in html


def test_the_key_result_page_links_each_check_in_to_its_thread(cast, okr):
    _objective, kr, check_in = okr
    services.comment_create(target=check_in, author=cast.member, text="Snyggt")
    page = client_for(cast.member).get(
        reverse("okr:key_result_detail", args=[cast.org.slug, kr.uuid])
    )
    html = page.content.decode()
    assert reverse("okr:check_in_comments", args=[cast.org.slug, check_in.uuid]) in html
    assert "1 comment" in html
    thread = client_for(cast.member).get(_urls(cast.org, okr)["check_in"])
    assert thread.status_code == 200 and "Snyggt" in thread.content.decode()
