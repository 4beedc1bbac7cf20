"""Conversation: comments with @mentions on OKRs and check-ins, in-app notifications, digests."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from okr.models.objectives import CheckIn, KeyResult, Objective
from okr.models.reviews import Review

#: One and only one of the three things a comment is about.
_ONE_TARGET = (
    Q(objective__isnull=False, key_result__isnull=True, check_in__isnull=True)
    | Q(objective__isnull=True, key_result__isnull=False, check_in__isnull=True)
    | Q(objective__isnull=True, key_result__isnull=True, check_in__isnull=False)
)


class Comment(models.Model):
    """A member's comment on an objective, a key result or a check-in; replies one level deep.

    ``text`` is kept as written (rendering escapes it). Removing is soft: the row
    stays so replies keep their place; its text is emptied and it shows as removed.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    text = models.TextField(_("comment"))
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    check_in = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommentMention", related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_TARGET, name="comment_exactly_one_target"),
            models.CheckConstraint(
                condition=~Q(text="") | Q(deleted=True), name="comment_text_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="comment_not_its_own_parent",
            ),
        ]
        indexes = [
            # The thread of an objective / key result / check-in page, oldest first.
            models.Index(
                fields=["objective", "created_at"],
                name="comment_objective_idx",
                condition=Q(objective__isnull=False),
            ),
            models.Index(
                fields=["key_result", "created_at"],
                name="comment_key_result_idx",
                condition=Q(key_result__isnull=False),
            ),
            models.Index(
                fields=["check_in", "created_at"],
                name="comment_check_in_idx",
                condition=Q(check_in__isnull=False),
            ),
        ]

    def __str__(self):
        return _("comment removed") if self.deleted else self.text[:60]

    @property
    def target(self):
        return self.objective or self.key_result or self.check_in


class CommentMention(models.Model):
    """A member of the comment's organisation named with ``@`` in it (never anyone else)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Also the index for "who does this comment mention?".
            models.UniqueConstraint(fields=["comment", "user"], name="comment_mention_unique"),
        ]

    def __str__(self):
        return f"@{self.user} in {self.comment_id}"


class Notification(models.Model):
    """Something a person should know about, shown under the bell until they read it."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mentioned you")
        REPLY = "reply", _("Replied to you")
        APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACTION_DUE = "action_due", _("Action due")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What it is about (the link is built when it is shown).
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    check_in = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    #: The action (a review decision) an ``action_due`` is about: one notice per action.
    action_uuid = models.UUIDField(null=True, blank=True)
    title = models.CharField(_("about"), max_length=300, blank=True)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "DigestClaim", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "mention",
                        "reply",
                        "approval_requested",
                        "approved",
                        "changes_requested",
                        "action_due",
                    ]
                ),
                name="notification_kind_valid",
            ),
            # A comment tells a person once (an edit that adds a mention tells only the new one).
            models.UniqueConstraint(
                fields=["comment", "recipient"],
                condition=Q(comment__isnull=False),
                name="notification_once_per_comment",
            ),
            # The daily "action due" job claims by inserting: a rerun inserts nothing.
            models.UniqueConstraint(
                fields=["action_uuid", "recipient"],
                condition=Q(action_uuid__isnull=False),
                name="notification_once_per_action",
            ),
        ]
        indexes = [
            # The bell: COUNT(*) WHERE recipient = ? AND organisation = ? AND read_at IS NULL.
            models.Index(
                fields=["recipient", "organisation"],
                name="notification_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            # The list: WHERE recipient = ? AND organisation = ? ORDER BY created_at DESC.
            models.Index(
                fields=["recipient", "organisation", "-created_at"], name="notification_list_idx"
            ),
            # The digest: unread and not in a digest yet, per organisation.
            models.Index(
                fields=["organisation", "recipient"],
                name="notification_undigested_idx",
                condition=Q(read_at__isnull=True, digest__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"[:80]


class DigestClaim(models.Model):
    """One digest e-mail to one person of one organisation for one day, claimed before sending.

    The unique (organisation, user, day) makes a second digest the same day
    impossible; the notifications it lists point at it, so none is listed twice.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claim_token = models.UUIDField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also the index for "has this person had today's digest?".
            models.UniqueConstraint(
                fields=["organisation", "user", "day"], name="digest_once_a_day"
            ),
        ]
        indexes = [
            # The sweep: claims not sent yet (a sender that died).
            models.Index(
                fields=["claimed_at"],
                name="digest_unsent_idx",
                condition=Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"digest {self.day} for {self.user_id}"
