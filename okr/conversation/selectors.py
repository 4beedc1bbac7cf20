"""Reads of the conversation: a thread of comments, the bell's count and the notification list.

Each takes the organisation (or a target inside it) first; the queries are bounded
whatever the number of comments: a thread is two queries (comments with authors,
then their mentions), the bell one indexed COUNT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.urls import reverse

from accounts import policy
from accounts.models import Organisation
from accounts.policy import Action
from okr.conversation import mentions
from okr.models import CheckIn, Comment, CommentMention, KeyResult, Notification, Objective

NOTIFICATIONS_PER_PAGE = 25
#: The newest comments a thread shows at once (older ones behind "show all").
THREAD_LIMIT = 200


@dataclass
class Thread:
    target: object
    comments: list[Comment]  # top level, oldest first; each with ``.thread_replies``
    total: int = 0
    truncated: bool = False
    can_comment: bool = False
    extra: dict = field(default_factory=dict)


def _target_filter(target) -> dict:
    if isinstance(target, Objective):
        return {"objective": target}
    if isinstance(target, KeyResult):
        return {"key_result": target}
    if isinstance(target, CheckIn):
        return {"check_in": target}
    raise TypeError(f"No thread for {target!r}")


def thread_url(organisation, target) -> str:
    """Where a thread is read: the object's page (a check-in: its own thread page)."""
    if isinstance(target, Objective):
        url = reverse("okr:objective_detail", args=[organisation.slug, target.uuid])
    elif isinstance(target, KeyResult):
        url = reverse("okr:key_result_detail", args=[organisation.slug, target.uuid])
    else:
        url = reverse("okr:check_in_comments", args=[organisation.slug, target.uuid])
    return f"{url}#comments"


def post_url(organisation, target) -> str:
    name = {
        Objective: "okr:objective_comments",
        KeyResult: "okr:key_result_comments",
        CheckIn: "okr:check_in_comments",
    }[type(target)]
    return reverse(name, args=[organisation.slug, target.uuid])


def _decorate(comment: Comment, membership) -> None:
    people = [
        mentions.Member(m.user_id, m.user.name, m.user.email)
        for m in comment.mentions.all()  # prefetched
    ]
    comment.html = "" if comment.deleted else mentions.render(comment.text, people)
    comment.can_edit = not comment.deleted and policy.can(membership, Action.COMMENT_EDIT, comment)
    comment.can_delete = not comment.deleted and policy.can(
        membership, Action.COMMENT_DELETE, comment
    )


def thread_of(target, membership) -> Thread:
    """The comments on ``target`` as a thread: top-level ones with their replies, oldest first."""
    rows = list(
        Comment.objects.filter(**_target_filter(target))
        .select_related("author")
        .prefetch_related(
            Prefetch("mentions", queryset=CommentMention.objects.select_related("user"))
        )
        .order_by("-created_at", "-id")[: THREAD_LIMIT + 1]
    )
    truncated = len(rows) > THREAD_LIMIT
    rows = rows[:THREAD_LIMIT]
    rows.reverse()
    by_id = {c.pk: c for c in rows}
    top: list[Comment] = []
    for comment in rows:
        comment.thread_replies = []
        _decorate(comment, membership)
    for comment in rows:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.thread_replies.append(comment)
        elif comment.parent_id is None or comment.parent_id not in by_id:
            top.append(comment)
    # A removed comment without replies says nothing: leave it out.
    top = [c for c in top if not (c.deleted and not c.thread_replies)]
    return Thread(
        target=target,
        comments=top,
        total=sum(1 + len(c.thread_replies) for c in top),
        truncated=truncated,
        can_comment=policy.can(membership, Action.COMMENT_CREATE),
    )


# --- Notifications -------------------------------------------------------------------------


def unread_count(organisation: Organisation, user) -> int:
    # notification_unread_idx
    return Notification.objects.filter(
        organisation=organisation, recipient=user, read_at__isnull=True
    ).count()


def notifications_page(organisation: Organisation, user, number) -> Page:
    queryset = (
        Notification.objects.filter(organisation=organisation, recipient=user)
        .select_related("actor", "objective", "key_result", "check_in", "review")
        .order_by("-created_at", "-id")
    )
    return Paginator(queryset, NOTIFICATIONS_PER_PAGE).get_page(number)


def target_url(notification: Notification, organisation: Organisation) -> str:
    """The page a notification is about, built when it is shown."""
    slug = organisation.slug
    kind = notification.kind
    if kind == Notification.Kind.APPROVAL_REQUESTED:
        return reverse("okr:approvals", args=[slug])
    if kind == Notification.Kind.ACTION_DUE and notification.review_id:
        return reverse("okr:review", args=[slug, notification.review.uuid])
    anchor = "#comments" if notification.comment_id else ""
    if notification.check_in_id:
        return reverse("okr:check_in_comments", args=[slug, notification.check_in.uuid]) + anchor
    if notification.key_result_id:
        return reverse("okr:key_result_detail", args=[slug, notification.key_result.uuid]) + anchor
    if notification.objective_id:
        return reverse("okr:objective_detail", args=[slug, notification.objective.uuid]) + anchor
    return reverse("okr:notifications", args=[slug])
