"""The demo's decisions that carry out and its weighted objective, loaded once.

On 20 May 2026 (DPAB's second quarter) the first quarter's hire decision is
Produktion's lead's action, done; the latest review's first decision is an open
action; and Produktion's objective this quarter weighs one key result double.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from okr.models import KeyResult, ReviewEntry

pytestmark = pytest.mark.django_db

HIRE = "Produktion får resurser: vi anställer en leveransansvarig i Q2."


def _rows():
    return sorted(
        ReviewEntry.objects.filter(owner__isnull=False).values_list(
            "text", "owner__email", "due_date", "done_at", "key_result__title"
        )
    )


def test_the_demo_has_an_action_for_the_hire_an_open_one_and_weights():
    call_command("load_demo", "--today", "2026-05-20", stdout=StringIO())
    hire = ReviewEntry.objects.select_related("owner", "review").get(text=HIRE)
    assert hire.owner.email == "pernilla@dpab.example"
    assert hire.due_date is not None and hire.due_date > hire.review.date
    assert hire.done_at is not None and hire.done_by == hire.owner
    assert hire.key_result is not None and hire.key_result.objective.team.name == "Produktion"
    still_open = ReviewEntry.objects.filter(owner__isnull=False, done_at__isnull=True)
    assert still_open.count() == 1
    weights = set(
        KeyResult.objects.filter(
            objective__team__name="Produktion", archived=False, objective__status="approved"
        ).values_list("weight", flat=True)
    )
    assert len(weights) > 1
    rows = _rows()
    call_command("load_demo", "--today", "2026-05-20", stdout=StringIO())
    assert _rows() == rows
