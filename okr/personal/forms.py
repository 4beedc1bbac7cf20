"""The forms of the My OKRs page: a personal objective under a team's OKR, and its key results."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from okr.objectives.forms import KeyResultForm, ObjectiveForm
from okr.personal.selectors import Parents


class PersonalObjectiveForm(ObjectiveForm):
    """Title and why (the coach on the title) and the team objective or key result it sits under."""

    parent = forms.CharField(  # a token ("o:<uuid>", "k:<uuid>"), looked up in ``clean_parent``
        widget=forms.Select,
        max_length=40,
        label=_("Under"),
        help_text=_("One of your team's objectives or key results this quarter."),
    )

    def __init__(self, *args, organisation, parents: Parents, lookup=None, **kwargs):
        """``lookup(token)``: the parent a posted token names (default: among ``parents``)."""
        super().__init__(*args, organisation=organisation, **kwargs)
        del self.fields["owner"]  # always the person who writes it
        self.parents = parents
        self.lookup = lookup or parents.find
        self.fields["parent"].widget.choices = [("", _("Choose…")), *parents.choices()]
        self.order_fields(["title", "parent", "why"])

    def clean_parent(self):
        objective, kr = self.lookup(self.cleaned_data["parent"])
        if objective is None and kr is None:
            raise forms.ValidationError(_("Choose one of your team's objectives or key results."))
        return objective, kr


class PersonalKeyResultForm(KeyResultForm):
    """A key result of one's own: no owner to choose (its objective's), never summing."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, rollup=False, **kwargs)
        del self.fields["owner"]
