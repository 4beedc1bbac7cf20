"""How it connects: cross-team dependencies and the quarterly steps of a yearly key result.

The links between objectives themselves (parent objective or key result,
direct or indirect) live on ``okr.Objective``; this app adds what sits
between teams and between quarters. Every row carries its organisation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from alignment import rules
from okr.models import Cycle, KeyResult, Objective


class Dependency(models.Model):
    """Team A (needing) needs something from team B (delivering) by a date.

    Each side is tied to one of the team's objectives and, optionally, one
    of that objective's key results. Both sides in the same organisation and
    the key result belonging to the objective are checked by
    ``alignment.services.dependency_create``; the database checks the rest.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dependencies"
    )
    needing_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="dependencies_needed"
    )
    needing_objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="dependencies_needed"
    )
    needing_key_result = models.ForeignKey(
        KeyResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependencies_needed",
    )
    delivering_team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="dependencies_delivered"
    )
    delivering_objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="dependencies_delivered"
    )
    delivering_key_result = models.ForeignKey(
        KeyResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependencies_delivered",
    )
    description = models.TextField(_("what is needed"))
    needed_by = models.DateField(_("needed by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependencies_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["needed_by", "id"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(needing_team=F("delivering_team")),
                name="dependency_teams_differ",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "resolved"]), name="dependency_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="dependency_description_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | Q(state="resolved", resolved_at__isnull=False),
                name="dependency_resolved_at_iff_resolved",
            ),
        ]
        indexes = [
            # The dependencies page and the tree: an organisation's dependencies by state and date.
            models.Index(
                fields=["organisation", "state", "needed_by"], name="dependency_org_state_idx"
            ),
        ]

    def __str__(self):
        return f"{self.needing_team} ← {self.delivering_team}: {self.description[:60]}"

    # Reading these needs delivering_objective__cycle and delivering_key_result loaded
    # (the selectors select_related them), or it costs a query each.

    @property
    def delivery_due(self):
        kr = self.delivering_key_result
        return rules.delivery_due(
            kr.due_date if kr is not None else None, self.delivering_objective.cycle.end_date
        )

    @property
    def is_delivered(self) -> bool:
        kr = self.delivering_key_result
        return kr is not None and rules.is_delivered(kr.kind, kr.done, kr.progress)

    @property
    def is_late(self) -> bool:
        """Flagged: still open and what delivers it is due after the date it is needed."""
        return rules.is_late(
            open_=self.state == self.State.OPEN,
            needed_by=self.needed_by,
            due=self.delivery_due,
            delivered=self.is_delivered,
        )


class KeyResultStep(models.Model):
    """A quarterly target of a yearly key result: where it should be (cumulative) at the quarter's end."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_result_steps"
    )
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="steps")
    quarter = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="key_result_steps")
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["quarter__start_date", "id"]
        constraints = [
            # Also the index for "the steps of a key result" (key_result first).
            models.UniqueConstraint(
                fields=["key_result", "quarter"], name="key_result_step_one_per_quarter"
            ),
        ]
        indexes = [
            # The tree: every step of an organisation's key results in a year (by quarter).
            models.Index(fields=["organisation", "quarter"], name="kr_step_org_quarter_idx"),
        ]

    def __str__(self):
        return f"{self.key_result} @ {self.quarter}: {self.target_value}"
