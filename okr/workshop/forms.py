"""Forms of the team workshop and the approval queue.

The parent picker offers only the strategic objectives of the quarter's
year and their key results (already loaded by the page, ``krs`` from
``okr.workshop.rows``: no query); any other value, such as another
organisation's id, is a form error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.models import Objective
from okr.objectives.forms import ObjectiveForm

PARENT_OBJECTIVE, PARENT_KEY_RESULT = "objective", "key_result"


def parent_token(objective: Objective) -> str:
    if objective.parent_key_result_id:
        return f"{PARENT_KEY_RESULT}:{objective.parent_key_result.uuid}"
    if objective.parent_objective_id:
        return f"{PARENT_OBJECTIVE}:{objective.parent_objective.uuid}"
    return ""


class WorkshopObjectiveForm(ObjectiveForm):
    """A team objective: text, owner, and the strategic objective or key result it supports."""

    parent = forms.ChoiceField(
        label=_("Supports"),
        required=False,
        help_text=_("The strategic objective or key result this objective helps reach."),
        error_messages={
            "invalid_choice": _(
                "Choose a strategic objective or one of its key results of this year."
            )
        },
    )
    alignment = forms.ChoiceField(
        label=_("How"),
        choices=[
            (Objective.Alignment.DIRECT, _("Directly: our result adds to its number")),
            (Objective.Alignment.INDIRECT, _("Indirectly: we enable or support it")),
        ],
        initial=Objective.Alignment.INDIRECT,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisation, strategic: list[Objective], **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.parents = {}
        choices = [("", _("Not linked yet"))]
        for objective in strategic:
            token = f"{PARENT_OBJECTIVE}:{objective.uuid}"
            self.parents[token] = (objective, None)
            group = [(token, _("Objective: %(title)s") % {"title": objective.title})]
            for kr in objective.krs:
                kr_token = f"{PARENT_KEY_RESULT}:{kr.uuid}"
                self.parents[kr_token] = (None, kr)
                group.append((kr_token, _("Key result: %(title)s") % {"title": kr.title}))
            choices.append((objective.title, group))
        self.fields["parent"].choices = choices

    def clean_parent(self):
        token = self.cleaned_data.get("parent") or ""
        return self.parents.get(token, (None, None))

    def service_fields(self) -> dict:
        data = self.cleaned_data
        parent_objective, parent_key_result = data["parent"]
        return {
            "title": data["title"],
            "why": data["why"],
            "owner": data["owner"],
            "parent_objective": parent_objective,
            "parent_key_result": parent_key_result,
            "alignment": data["alignment"] or Objective.Alignment.INDIRECT,
        }

    @classmethod
    def initial_for(cls, objective: Objective) -> dict:
        return {
            **ObjectiveForm.initial_for(objective),
            "parent": parent_token(objective),
            "alignment": objective.alignment,
        }


class ParkingLotForm(Form):
    text = forms.CharField(
        label=_("Idea or activity"),
        max_length=300,
        help_text=_("Park it here and turn it into a key result or an initiative later."),
    )


class ToKeyResultForm(Form):
    """Turn a parked idea into a key result of one of the team's objectives."""

    title = forms.CharField(label=_("Key result"), max_length=300)
    objective = forms.ChoiceField(
        label=_("Objective"),
        error_messages={"invalid_choice": _("Choose one of the team's objectives.")},
    )

    def __init__(self, *args, objectives: list[Objective], **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = {str(o.uuid): o for o in objectives}
        self.fields["objective"].choices = [(str(o.uuid), o.title) for o in objectives]

    def clean_objective(self):
        return self.objectives[self.cleaned_data["objective"]]


class ToInitiativeForm(Form):
    """Turn a parked activity into an initiative behind one of the team's key results."""

    title = forms.CharField(label=_("Initiative"), max_length=300)
    key_result = forms.ChoiceField(
        label=_("Key result"),
        error_messages={"invalid_choice": _("Choose one of the team's key results.")},
    )

    def __init__(self, *args, objectives: list[Objective], **kwargs):
        super().__init__(*args, **kwargs)
        self.key_results = {}
        choices = []
        for objective in objectives:
            group = []
            for kr in objective.krs:
                self.key_results[str(kr.uuid)] = kr
                group.append((str(kr.uuid), kr.title))
            if group:
                choices.append((objective.title, group))
        self.fields["key_result"].choices = choices

    def clean_key_result(self):
        return self.key_results[self.cleaned_data["key_result"]]


class RequestChangesForm(Form):
    comment = forms.CharField(
        label=_("What should change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The team sees this comment on the objective in its workshop."),
    )
