"""Writes of the conversation: comments (with their mentions) and the notifications they send.

Every member may comment (everyone reads every OKR); the author edits and
removes their own, admins remove any (``accounts.policy``). A comment's
mentions resolve only to members of its organisation; each mentioned member,
and the author of the comment replied to, gets one notification per comment.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import policy
from accounts.cleaning import Refused, check_text
from accounts.fields import message
from accounts.models import Membership, Organisation, User
from accounts.policy import Action
from okr.conversation import delivery, mentions
from okr.models import CheckIn, Comment, CommentMention, KeyResult, Notification, Objective

COMMENT_MAX_CHARS = 5000
#: An empty comment, in the same words on the page and in the API (their required/blank).
TEXT_REQUIRED = gettext_lazy("Write a comment.")
EXCERPT_CHARS = 280

Target = Objective | KeyResult | CheckIn


def members_of(organisation: Organisation) -> list[mentions.Member]:
    """The people a comment in ``organisation`` may mention: its members, and only them."""
    rows = Membership.objects.filter(organisation=organisation).values_list(
        "user_id", "user__name", "user__email"
    )
    return [mentions.Member(user_id, name, email) for user_id, name, email in rows]


def clean_text(text) -> str:
    if not isinstance(text, str):
        raise ValidationError({"text": str(TEXT_REQUIRED)})
    try:
        check_text(text, max_length=COMMENT_MAX_CHARS)
    except Refused as refused:
        raise ValidationError({"text": message(refused)}) from None
    if not text.strip():
        raise ValidationError({"text": str(TEXT_REQUIRED)})
    return text.strip()


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1] + "…"


def target_title(target: Target) -> str:
    if isinstance(target, CheckIn):
        return target.key_result.title
    return target.title


def _target_fields(target: Target) -> dict:
    if isinstance(target, Objective):
        return {"objective": target}
    if isinstance(target, KeyResult):
        return {"key_result": target}
    if isinstance(target, CheckIn):
        return {"check_in": target}
    raise TypeError(f"Cannot comment on {target!r}")


def _notify_comment(comment: Comment, user_ids: list[int], kind: str, target: Target) -> None:
    rows = [
        Notification(
            organisation_id=comment.organisation_id,
            recipient_id=user_id,
            kind=kind,
            actor_id=comment.author_id,
            comment=comment,
            title=target_title(target)[:300],
            excerpt=excerpt(comment.text),
            **_target_fields(target),
        )
        for user_id in user_ids
        if user_id != comment.author_id
    ]
    # One per comment and person: an edit that adds a mention tells only the new one.
    delivery.deliver(rows, ignore_conflicts=True)


def _mention(comment: Comment, members: list[mentions.Member]) -> list[int]:
    """Store the comment's mentions (members only); returns the ids newly mentioned."""
    found = mentions.mentioned_ids(comment.text, members)
    before = set(CommentMention.objects.filter(comment=comment).values_list("user_id", flat=True))
    CommentMention.objects.filter(comment=comment).exclude(user_id__in=found).delete()
    CommentMention.objects.bulk_create(
        [
            CommentMention(organisation_id=comment.organisation_id, comment=comment, user_id=u)
            for u in found
            if u not in before
        ]
    )
    return [u for u in found if u not in before]


@transaction.atomic
def comment_create(*, target: Target, author: User, text, parent: Comment | None = None) -> Comment:
    """``author`` comments on ``target`` (a reply when ``parent`` is given)."""
    organisation = target.organisation
    policy.enforce(author, Action.COMMENT_CREATE, organisation=organisation)
    text = clean_text(text)
    fields = _target_fields(target)
    if parent is not None:
        if parent.organisation_id != organisation.pk or parent.target != target:
            raise ValidationError({"parent": _("Reply to a comment in this conversation.")})
        if parent.deleted:
            raise ValidationError({"parent": _("That comment was removed.")})
    replied_to = parent
    if parent is not None:
        parent = parent.parent or parent  # replies stay one level deep
    comment = Comment.objects.create(
        organisation=organisation, author=author, text=text, parent=parent, **fields
    )
    new = _mention(comment, members_of(organisation))
    if replied_to is not None and replied_to.author_id and replied_to.author_id not in new:
        _notify_comment(comment, [replied_to.author_id], Notification.Kind.REPLY, target)
    _notify_comment(comment, new, Notification.Kind.MENTION, target)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, author: User, text) -> Comment:
    """The author changes their comment; members newly mentioned are told."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    policy.enforce(author, Action.COMMENT_EDIT, comment)
    comment.text = clean_text(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    new = _mention(comment, members_of(comment.organisation))
    _notify_comment(comment, new, Notification.Kind.MENTION, comment.target)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, author: User) -> Comment:
    """Remove a comment (soft: it shows as removed; its replies stay)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    policy.enforce(author, Action.COMMENT_DELETE, comment)
    comment.deleted = True
    comment.deleted_at = timezone.now()
    comment.text = ""
    comment.save(update_fields=["deleted", "deleted_at", "text"])
    CommentMention.objects.filter(comment=comment).delete()
    # Nobody is pointed at a comment that is gone.
    unread = Notification.objects.filter(comment=comment, read_at__isnull=True)
    told = list(unread.values_list("recipient_id", flat=True))
    unread.delete()
    delivery.recount(comment.organisation_id, told)
    return comment


# --- Reading notifications -----------------------------------------------------------------


def notification_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise ValidationError({"notification": _("That is not your notification.")})
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        delivery.recount(notification.organisation_id, [user.pk])
    return notification


def notifications_read_all(*, organisation: Organisation, user: User) -> int:
    marked = Notification.objects.filter(
        organisation=organisation, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    delivery.recount(organisation.pk, [user.pk])
    return marked
