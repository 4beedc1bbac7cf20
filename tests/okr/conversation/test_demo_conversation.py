"""The demo's conversation: comments with mentions in DPAB's current quarter, loaded once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from okr.models import Comment, CommentMention, Notification

pytestmark = pytest.mark.django_db


def _rows():
    return (
        sorted(Comment.objects.values_list("author__email", "text")),
        sorted(CommentMention.objects.values_list("user__email", flat=True)),
        sorted(Notification.objects.values_list("recipient__email", "kind")),
    )


def test_the_demo_has_comments_with_mentions_and_loads_them_once():
    call_command("load_demo", stdout=StringIO())
    comments, mentioned, notified = _rows()
    assert len(comments) == 4
    assert all(text.strip() for _author, text in comments)
    assert "pernilla@dpab.example" in mentioned and "johan@dpab.example" in mentioned
    assert ("pernilla@dpab.example", "mention") in notified
    assert ("vilma@dpab.example", "mention") in notified  # the reply mentions her
    reply = Comment.objects.get(parent__isnull=False)
    assert reply.author.email == "pernilla@dpab.example"
    assert Comment.objects.filter(check_in__isnull=False).count() == 1
    call_command("load_demo", stdout=StringIO())
    assert _rows() == (comments, mentioned, notified)
