"""Reviews, reminders and scores: the biweekly status review with its frozen snapshot,
the claims that make check-in reminders go out exactly once, and quarter-end scores.

Re-exported by okr/models/__init__.py, so these are models of the ``okr`` app.
Every row carries its organisation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team

__all__ = [
    "ReminderClaim",
    "RetrospectiveNote",
    "Review",
    "ReviewEntry",
    "ReviewKeyResult",
    "ReviewTeam",
    "Score",
]


class Review(models.Model):
    """One review meeting of an organisation, on a date.

    A scheduled date has no row until leadership starts the review (or the
    reminder job needs one to claim e-mails against). A row whose
    ``moved_from`` is set replaces that scheduled date; a row without it on a
    date off the cadence is an added review. Closing freezes the snapshot
    (``ReviewKeyResult`` and ``ReviewTeam`` rows) and the period reviewed.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(_("date"))
    moved_from = models.DateField(_("moved from"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # Frozen when the review is closed: the previous review's date and the moment the period began.
    previous_date = models.DateField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            # Also the index for "the review on this date" and the organisation's schedule overrides.
            models.UniqueConstraint(fields=["organisation", "date"], name="review_one_per_day"),
            models.UniqueConstraint(
                fields=["organisation", "moved_from"],
                condition=Q(moved_from__isnull=False),
                name="review_scheduled_date_moved_once",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "closed"]), name="review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
                name="review_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(moved_from__isnull=True) | ~Q(moved_from=models.F("date")),
                name="review_moved_to_another_day",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} review {self.date:%Y-%m-%d}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class ReviewTeam(models.Model):
    """A team's summary in a closed review (``team`` None: the strategic OKRs)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team_rows")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True)
    order = models.PositiveIntegerField(default=0)
    progress = models.FloatField(null=True, blank=True)
    previous_progress = models.FloatField(null=True, blank=True)
    key_results = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    off_track = models.PositiveIntegerField(default=0)
    without_check_in = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            # Also the index for "the teams of a review" (the review page of a closed review).
            models.UniqueConstraint(fields=["review", "team"], name="review_team_unique"),
            models.UniqueConstraint(
                fields=["review"], condition=Q(team__isnull=True), name="review_one_strategic_row"
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=1),
                name="review_team_progress_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.name}"


class ReviewKeyResult(models.Model):
    """A key result as it stood when a review was closed (and at the review before)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="key_result_rows")
    key_result = models.ForeignKey("okr.KeyResult", on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey("okr.Objective", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300)
    objective_title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10)
    unit = models.CharField(max_length=30, blank=True)
    commitment = models.CharField(max_length=12, blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    order = models.PositiveIntegerField(default=0)
    progress = models.FloatField(null=True, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    done = models.BooleanField(null=True, blank=True)
    confidence = models.CharField(max_length=10, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    previous_progress = models.FloatField(null=True, blank=True)
    previous_confidence = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            # Also the index for "the snapshot of a review" (review page, next review's baseline).
            models.UniqueConstraint(fields=["review", "key_result"], name="review_kr_unique"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=1),
                name="review_kr_progress_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.title}"


class ReviewEntry(models.Model):
    """A decision or a note leadership recorded for a team in a review.

    A decision with an ``owner`` is an action someone carries out: it may have a
    ``due_date`` and a ``key_result`` it is about, and stays open (on the owner's
    home page and on the next reviews) until it is marked done (``done_at``).
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        NOTE = "note", _("Note")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="entries")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A decision someone carries out (okr.reviews.decisions): who, by when, about which key result.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    key_result = models.ForeignKey(
        "okr.KeyResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_entries",
        verbose_name=_("key result"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["decision", "note"]), name="review_entry_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="review_entry_text_not_empty"),
            # Only a decision is carried out: a note has no owner, due date, key result or done.
            models.CheckConstraint(
                condition=Q(kind="decision")
                | Q(
                    owner__isnull=True,
                    due_date__isnull=True,
                    key_result__isnull=True,
                    done_at__isnull=True,
                ),
                name="review_entry_action_is_decision",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=False) | Q(done_by__isnull=True),
                name="review_entry_done_by_when_done",
            ),
        ]
        indexes = [
            # The review page: a review's decisions and notes in order.
            models.Index(fields=["review", "created_at"], name="review_entry_time_idx"),
            # The home page: a person's open actions by due date.
            models.Index(
                fields=["owner", "due_date"],
                condition=Q(done_at__isnull=True, owner__isnull=False),
                name="review_entry_open_owner_idx",
            ),
            # The review page: the organisation's open actions from earlier reviews.
            models.Index(
                fields=["organisation", "due_date"],
                condition=Q(owner__isnull=False),
                name="review_entry_actions_idx",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class ReminderClaim(models.Model):
    """One e-mail to one person for one review: claimed in the database before it is sent.

    The unique (review, user, kind) makes a second claim impossible, so two
    runs never both send. ``claim_token`` says which run owns the claim;
    ``sent_at`` is stamped right after the e-mail left. A claim whose sender
    died (``sent_at`` empty and ``claimed_at`` older than the lease) is taken
    over by the next sweep: at most once in normal operation, at least once
    after a crash (a sender killed between sending and stamping sends twice).
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Check-in reminder")
        ESCALATION = "escalation", _("Team summary for the lead")

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing to remind of")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reminder_claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_claims"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    claim_token = models.UUIDField()
    claimed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "kind"], name="reminder_once_per_person_review"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["reminder", "escalation"]), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True, outcome="")
                | Q(sent_at__isnull=False, outcome__in=["sent", "skipped"]),
                name="reminder_outcome_iff_sent",
            ),
        ]
        indexes = [
            # The sweep: unsent claims whose lease ran out.
            models.Index(
                fields=["claimed_at"],
                condition=Q(sent_at__isnull=True),
                name="reminder_unsent_idx",
            ),
            # A run's claims: the batch of claims one sweep owns.
            models.Index(fields=["claim_token"], name="reminder_token_idx"),
            # "My check-ins": when was I last reminded in this organisation.
            models.Index(fields=["user", "organisation", "sent_at"], name="reminder_user_idx"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.user} for {self.review}"


class Score(models.Model):
    """The frozen quarter-end (or year-end) score of a key result or an objective.

    ``computed`` is what the close computed (kept forever); leadership may set
    ``override`` with a reason. One score per key result and per objective.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("okr.Cycle", on_delete=models.CASCADE, related_name="scores")
    objective = models.ForeignKey(
        "okr.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    key_result = models.ForeignKey(
        "okr.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    # The raw progress at the end of the cycle (None: nothing measurable, e.g. a pending target).
    progress = models.FloatField(null=True, blank=True)
    computed = models.FloatField(_("score"), null=True, blank=True)
    override = models.FloatField(_("override"), null=True, blank=True)
    override_reason = models.TextField(_("reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=False, key_result__isnull=True)
                | Q(objective__isnull=True, key_result__isnull=False),
                name="score_of_objective_xor_key_result",
            ),
            models.UniqueConstraint(
                fields=["key_result"],
                condition=Q(key_result__isnull=False),
                name="score_one_per_key_result",
            ),
            models.UniqueConstraint(
                fields=["objective"],
                condition=Q(objective__isnull=False),
                name="score_one_per_objective",
            ),
            models.CheckConstraint(
                condition=Q(computed__isnull=True) | Q(computed__gte=0, computed__lte=1),
                name="score_computed_0_1",
            ),
            models.CheckConstraint(
                condition=Q(override__isnull=True) | Q(override__gte=0, override__lte=1),
                name="score_override_0_1",
            ),
            models.CheckConstraint(
                condition=Q(override__isnull=True) | ~Q(override_reason=""),
                name="score_override_has_reason",
            ),
        ]
        indexes = [
            # The quarter close page: every score of a cycle.
            models.Index(fields=["cycle"], name="score_cycle_idx"),
        ]

    def __str__(self):
        return f"{self.key_result or self.objective}: {self.value}"

    @property
    def value(self) -> float | None:
        return self.override if self.override is not None else self.computed


class RetrospectiveNote(models.Model):
    """What a team learnt in a quarter (``team`` None: the strategic OKRs / leadership)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("okr.Cycle", on_delete=models.CASCADE, related_name="retrospective")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="retrospective_text_not_empty"),
        ]
        indexes = [
            # The quarter close page: a cycle's notes in order.
            models.Index(fields=["cycle", "created_at"], name="retrospective_cycle_idx"),
        ]

    def __str__(self):
        return self.text[:60]
