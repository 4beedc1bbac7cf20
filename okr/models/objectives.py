"""What: cycles, objectives, key results, check-ins and initiatives of an organisation.

Every row carries its organisation (directly) so that every query for tenant
data can start from the request's organisation with one indexed filter.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Team
from okr.lib import calendar
from okr.lib import progress as progress_maths


class Cycle(models.Model):
    """A (fiscal) year, or one of its four quarters."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")

    class State(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The calendar year in which the fiscal year starts."
    )
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="quarters"
    )
    start_date = models.DateField()
    end_date = models.DateField(help_text="The last day of the cycle (inclusive).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNING)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(kind="year"),
                name="cycle_one_year_per_org",
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"],
                condition=Q(kind="quarter"),
                name="cycle_one_quarter_per_year",
            ),
            models.CheckConstraint(
                condition=(Q(kind="year", quarter__isnull=True, parent__isnull=True))
                | (Q(kind="quarter", quarter__gte=1, quarter__lte=4, parent__isnull=False)),
                name="cycle_kind_quarter_consistent",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lt=F("end_date")), name="cycle_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planning", "active", "closed"]), name="cycle_state_valid"
            ),
        ]
        indexes = [
            # "The cycle that contains today" for an organisation (home page, check-ins).
            models.Index(
                fields=["organisation", "start_date", "end_date"], name="cycle_org_dates_idx"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        # The fiscal year's first month, from this cycle's own start (a quarter starts 3*(q-1) months in).
        first_month = calendar.add_months(self.start_date, -3 * ((self.quarter or 1) - 1)).month
        year = calendar.fiscal_year_label(self.year, first_month)
        return year if self.kind == self.Kind.YEAR else f"Q{self.quarter} {year}"


class Objective(models.Model):
    class Level(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic")
        TEAM = "team", _("Team")
        # A person's own objective under one of their team's OKRs (the organisation's
        # pilot, okr.personal): never counted in the team's numbers, never approved.
        PERSONAL = "personal", _("Personal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        ARCHIVED = "archived", _("Archived")

    class Alignment(models.TextChoices):
        DIRECT = "direct", _("Direct")
        INDIRECT = "indirect", _("Indirect")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="objectives"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_objectives",
    )
    title = models.CharField(_("objective"), max_length=300)
    why = models.TextField(_("why"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    parent_objective = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="child_objectives"
    )
    parent_key_result = models.ForeignKey(
        "KeyResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_objectives",
    )
    alignment = models.CharField(
        _("alignment"), max_length=10, choices=Alignment.choices, default=Alignment.INDIRECT
    )
    order = models.PositiveIntegerField(default=0)
    # An unfinished objective carried to the next quarter (as a draft) points at the original.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    # Optimistic concurrency: a form carries the version it was read at.
    version = models.PositiveIntegerField(default=1)
    # The progress engine's numbers, written on every write that moves them and each new
    # day (okr.objectives.stored): list pages read these instead of every key result.
    stored_progress = models.FloatField(null=True, blank=True, editable=False)
    stored_verdict = models.CharField(max_length=12, blank=True, editable=False)
    stored_numbers = models.TextField(blank=True, editable=False)  # JSON, read when needed
    numbers_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "updated_at",
            "order",
            "stored_progress",
            "stored_verdict",
            "stored_numbers",
            "numbers_on",
        ]
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="strategic", team__isnull=True))
                | Q(level__in=["team", "personal"], team__isnull=False),
                name="objective_team_iff_team_level",
            ),
            models.CheckConstraint(
                condition=Q(parent_objective__isnull=True) | Q(parent_key_result__isnull=True),
                name="objective_one_parent",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["team", "personal"])
                | Q(parent_objective__isnull=True, parent_key_result__isnull=True),
                name="objective_strategic_has_no_parent",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "proposed", "changes_requested", "approved", "archived"]
                ),
                name="objective_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(alignment__in=["direct", "indirect"]), name="objective_alignment_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="objective_title_not_empty"),
        ]
        indexes = [
            # Search (okr.search): WHERE organisation = %s AND (vector(cfg) @@ to_tsquery(cfg,
            # 'pilotk:*') OR vector(simple) @@ ...) ORDER BY ts_rank LIMIT 6 reads GIN indexes
            # okr_objective_search_{swedish,norwegian,english,simple}: made on PostgreSQL only by
            # migration 0010_search (SQLite has no GIN), so they are not listed here.
            # Strategic page and home: an organisation's objectives of a cycle at a level.
            models.Index(
                fields=["organisation", "cycle", "level", "order"], name="objective_org_cycle_idx"
            ),
            # Workshop: a team's objectives in a cycle.
            models.Index(fields=["team", "cycle"], name="objective_team_cycle_idx"),
            # My OKRs and home: a person's personal objectives of a cycle (okr.personal).
            models.Index(
                fields=["owner", "cycle"],
                condition=Q(level="personal"),
                name="objective_personal_owner_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def parent(self):
        return self.parent_key_result or self.parent_objective


class KeyResult(models.Model):
    class Kind(models.TextChoices):
        METRIC = "metric", _("Metric")
        MILESTONE = "milestone", _("Milestone")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Commitment(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        ASPIRATIONAL = "aspirational", _("Aspirational")

    class Rollup(models.TextChoices):
        NONE = progress_maths.ROLLUP_NONE, _("Listed, never added")
        SUM = progress_maths.ROLLUP_SUM, _("Summed into its current value")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_results"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("key result"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.METRIC)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    start_value = models.DecimalField(
        _("start"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    # Empty target = pending ("NPS på X"): no progress until it is set.
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    current_value = models.DecimalField(
        _("current"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    steps_total = models.PositiveSmallIntegerField(_("steps"), null=True, blank=True)
    steps_done = models.PositiveSmallIntegerField(_("steps done"), null=True, blank=True)
    commitment = models.CharField(
        _("commitment"), max_length=12, choices=Commitment.choices, default=Commitment.ASPIRATIONAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_key_results",
    )
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    # How the key results aligned *directly* to this one combine: summed into its current
    # value (counts and amounts of the same unit; DPAB: 4MSEK of 20MSEK), or not at all
    # (rates, percentages, NPS, averages: listed, never added). okr.lib.progress.rollup decides.
    rollup = models.CharField(
        _("direct contributions"), max_length=4, choices=Rollup.choices, default=Rollup.NONE
    )
    order = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    # The latest check-in's confidence and time (denormalised for list pages).
    confidence = models.CharField(max_length=10, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The progress engine's numbers (with the sum of its direct contributions when it sums
    # them), written on every check-in, change and new step and each new day.
    stored_progress = models.FloatField(null=True, blank=True, editable=False)
    stored_verdict = models.CharField(max_length=12, blank=True, editable=False)
    stored_numbers = models.TextField(blank=True, editable=False)  # JSON, read when needed
    numbers_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "updated_at",
            "order",
            "confidence",
            "last_check_in_at",
            "current_value",
            "done",
            "steps_done",
            "stored_progress",
            "stored_verdict",
            "stored_numbers",
            "numbers_on",
        ]
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["metric", "milestone"]), name="kr_kind_valid"
            ),
            models.CheckConstraint(
                # A pending metric ("NPS på X") may lack a baseline too.
                condition=Q(kind="milestone")
                | Q(start_value__isnull=False)
                | Q(target_value__isnull=True),
                name="kr_metric_has_start",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True)
                | Q(start_value__isnull=True)
                | ~Q(target_value=F("start_value")),
                name="kr_target_differs_from_start",
            ),
            models.CheckConstraint(
                condition=Q(steps_total__isnull=True)
                | Q(steps_done__isnull=True)
                | Q(steps_done__lte=F("steps_total")),
                name="kr_steps_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(commitment__in=["committed", "aspirational"]),
                name="kr_commitment_valid",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="kr_weight_positive"),
            models.CheckConstraint(condition=Q(rollup__in=["none", "sum"]), name="kr_rollup_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="kr_title_not_empty"),
        ]
        indexes = [
            # Search (okr.search): WHERE organisation = %s AND (vector(cfg) @@ to_tsquery(cfg,
            # 'pilotk:*') OR vector(simple) @@ ...) ORDER BY ts_rank LIMIT 6 reads GIN indexes
            # okr_keyresult_search_{swedish,norwegian,english,simple}: made on PostgreSQL only by
            # migration 0010_search (SQLite has no GIN), so they are not listed here.
            # My check-ins: every key result an owner has in an organisation.
            models.Index(fields=["organisation", "owner"], name="kr_org_owner_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.kind == self.Kind.METRIC and self.target_value is None

    @property
    def progress(self) -> float | None:
        """Progress from its own stored values, by the engine's formula.

        Pages, the API and exports show ``numbers`` (``okr.objectives.numbers``),
        which also follow a sum of direct contributions and the expected pace.
        """
        return progress_maths.measure(
            kind=self.kind,
            start=self.start_value,
            target=self.target_value,
            current=self.current_value,
            done=self.done,
            steps_done=self.steps_done,
            steps_total=self.steps_total,
        )


class CheckIn(models.Model):
    """One update on a key result. Append-only: a correction is a new check-in."""

    class Confidence(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="check_ins"
    )
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    steps_done = models.PositiveSmallIntegerField(_("steps done"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    created_at = models.DateTimeField(db_index=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__in=["on_track", "at_risk", "off_track"]),
                name="check_in_confidence_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(done__isnull=False)
                | Q(steps_done__isnull=False),
                name="check_in_has_a_value",
            ),
        ]
        indexes = [
            # History chart and "latest check-in" of a key result.
            models.Index(fields=["key_result", "created_at"], name="check_in_kr_time_idx"),
            # Review and reminders: an organisation's check-ins since a date.
            models.Index(fields=["organisation", "created_at"], name="check_in_org_time_idx"),
        ]

    def __str__(self):
        return f"{self.key_result} @ {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Check-ins are append-only: record a new check-in instead.")
        super().save(*args, **kwargs)


class Initiative(models.Model):
    """An activity behind a key result: the work, not the result."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="initiatives"
    )
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("initiative"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["order"])

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]),
                name="initiative_status_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="initiative_title_not_empty"),
        ]
        # Search (okr.search): GIN expression indexes okr_initiative_search_{swedish,norwegian,
        # english,simple} for its title, made on PostgreSQL only by migration 0010_search.

    def __str__(self):
        return self.title


class ObjectiveEvent(models.Model):
    """The status history of an objective: proposed, approved, changes requested (with the comment).

    Changes to an approved team objective or its key results are events too
    (``okr.objectives.approval``): ``changes`` holds each field's value before and after.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        # A material change by someone other than leadership: back to proposed.
        REAPPROVAL = "reapproval", _("Changed after approval: back to leadership")
        # A material change by leadership (or a job): stays approved.
        AMENDED = "amended", _("Changed after approval")
        # Title, why or owner: stays approved.
        TEXT_FIX = "text_fix", _("Edited after approval")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="objective_events"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(max_length=20, choices=Objective.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Objective.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    # [{"object": "objective"|"key_result", "uuid", "title", "field", "before", "after",
    #   "material"}]: values as text, so the record outlives the rows it describes.
    changes = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="objective_events",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["status", "reapproval", "amended", "text_fix"]),
                name="objective_event_kind_valid",
            ),
        ]
        indexes = [
            # The workshop and the approval queue: an objective's latest events.
            models.Index(fields=["objective", "created_at"], name="objective_event_time_idx"),
        ]

    def __str__(self):
        return f"{self.objective}: {self.from_status} → {self.to_status}"


class ParkingLotItem(models.Model):
    """An idea or activity parked in a team's workshop, to be turned into a key result or an initiative."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CONVERTED = "converted", _("Converted")
        DISCARDED = "discarded", _("Discarded")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="parking_lot_items"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="parking_lot_items")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="parking_lot_items")
    text = models.CharField(_("idea"), max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="parking_lot_items",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="parking_lot_text_not_empty"),
            models.CheckConstraint(
                condition=Q(state__in=["open", "converted", "discarded"]),
                name="parking_lot_state_valid",
            ),
        ]
        indexes = [
            # The workshop: a team's open items in a cycle.
            models.Index(fields=["team", "cycle", "state"], name="parking_lot_team_cycle_idx"),
        ]

    def __str__(self):
        return self.text
