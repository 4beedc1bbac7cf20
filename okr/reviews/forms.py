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


class PickField(forms.ChoiceField):
    """One of a few objects by public id (or nobody); cleans to the object or None.

    The choices are built once per page from rows already loaded, so a page with
    a form for each team asks the database nothing more for them.
    """

    def __init__(self, *, objects=(), label_of=str, empty_label="", **kwargs):
        self.objects = {str(o.uuid): o for o in objects}
        choices = [("", empty_label)] + [(key, label_of(o)) for key, o in self.objects.items()]
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(str(value)) if value else None


def _person(user) -> str:
    return user.name or user.email


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

    owner = PickField(label=_("Who carries it out"))
    due_date = DayField(label=_("Due date"), required=False)
    key_result = PickField(label=_("Key result"))

    def __init__(
        self, *args, teams=(), team_key: str = STRATEGIC, members=(), key_results=(), **kwargs
    ):
        kwargs.setdefault("auto_id", f"entry-{team_key}-%s")
        kwargs.setdefault("initial", {"team": team_key})
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamChoiceField(
            label=_("Team"), teams=teams, widget=forms.HiddenInput
        )
        self.fields["owner"] = PickField(
            label=_("Who carries it out"),
            objects=members,
            label_of=_person,
            empty_label=_("Nobody: a decision only"),
            help_text=_(
                "A decision with someone to carry it out is an action: it shows on their home "
                "page and on the next reviews until it is marked done."
            ),
        )
        self.fields["key_result"] = PickField(
            label=_("Key result"),
            objects=key_results,
            label_of=lambda kr: kr.title,
            empty_label=_("None"),
            help_text=_("Optional: the key result the decision is about."),
        )
