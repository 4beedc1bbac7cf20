"""Forms of the review pages: they parse and explain; ``okr.reviews.services`` decides.

``TeamChoiceField`` (a team or the strategic OKRs) is shared with the close page's forms.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.models import ReviewEntry
from okr.objectives.forms import DayField

STRATEGIC = "strategic"


class ReviewDateForm(Form):
    """Start a scheduled review, add one on another day, or move a scheduled one (``moved_from``)."""

    date = DayField(label=_("Date"))
    moved_from = DayField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prefix_id: str = "review-new", **kwargs):
        # The prefix may come from the posted day ("move-2026-03-02"): keep only what an
        # HTML id takes, so a "%" in it cannot break the id's format string.
        prefix_id = re.sub(r"[^0-9A-Za-z_-]", "", prefix_id)[:60] or "review-new"
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)


class ReviewMoveForm(Form):
    date = DayField(label=_("New date"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review-move-%s")
        super().__init__(*args, **kwargs)


class TeamChoiceField(forms.ChoiceField):
    """A team of the review (by public id) or the strategic OKRs; cleans to a Team or None."""

    def __init__(self, *, teams=(), **kwargs):
        self.teams = {str(t.uuid): t for t in teams}
        choices = [(key, t.name) for key, t in self.teams.items()]
        choices.append((STRATEGIC, _("Strategic OKRs")))
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.teams.get(str(value)) if value != STRATEGIC else None


class ReviewEntryForm(Form):
    team = TeamChoiceField(label=_("Team"), widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ReviewEntry.Kind.choices,
        initial=ReviewEntry.Kind.DECISION,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Decision or note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, teams=(), team_key: str = STRATEGIC, **kwargs):
        kwargs.setdefault("auto_id", f"entry-{team_key}-%s")
        kwargs.setdefault("initial", {"team": team_key})
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamChoiceField(
            label=_("Team"), teams=teams, widget=forms.HiddenInput
        )
