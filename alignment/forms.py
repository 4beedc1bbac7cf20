"""Forms of the alignment pages: tree filters, a new dependency, quarterly steps."""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.models import KeyResult, Objective
from okr.objectives.forms import DayField, NumberField, format_number


class FastSelect(forms.Select):
    """A ``<select>`` whose options are written in Python.

    Django renders every ``<option>`` through a template of its own; with the
    200 teams or the 10,000 objectives and key results of a large
    organisation that alone takes from a hundred milliseconds to seconds.
    The markup is the same as Django's.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{flatatt(final_attrs)}>']

        def option(option_value, label):
            text = "" if option_value is None else str(option_value)
            chosen = " selected" if text in selected else ""
            return f'<option value="{escape(text)}"{chosen}>{escape(str(label))}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(group_value))}">')
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


# --- Tree filters ---------------------------------------------------------------------------

STATUS_CHOICES = [
    (value, label)
    for value, label in Objective.Status.choices
    if value != Objective.Status.ARCHIVED
]


class TreeFilterForm(Form):
    """GET filters. A value that is not one of the choices is reported on its field and ignored."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, widget=FastSelect)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )
    team = forms.ChoiceField(label=_("Team"), required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=FastSelect)
    at_risk = forms.BooleanField(label=_("Only at risk or behind pace"), required=False)

    def __init__(self, data, *, years, teams, people, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = years
        self.fields["quarter"].choices = [("", _("Whole year"))] + [
            (str(q), f"Q{q}") for q in range(1, 5)
        ]
        self.fields["team"].choices = [("", _("All teams"))] + [
            (str(t.uuid), t.name) for t in teams
        ]
        self.fields["status"].choices = [("", _("Any status")), *STATUS_CHOICES]
        self.fields["owner"].choices = [("", _("Anyone"))] + [(str(p.uuid), p.name) for p in people]

    def value(self, name, default=None):
        """The cleaned value of a field, or ``default`` when it was empty or not valid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


# --- Dependencies ----------------------------------------------------------------------------


class SideField(forms.ChoiceField):
    """An objective ("o:<uuid>") or a key result ("k:<uuid>") of a team, grouped by team."""

    widget = FastSelect


class DependencyForm(Form):
    needing = SideField(
        label=_("Who needs it"),
        help_text=_("The team objective, or one of its key results, that needs something."),
    )
    delivering = SideField(
        label=_("Who delivers it"),
        help_text=_("Another team's objective, or one of its key results, that delivers it."),
    )
    description = forms.CharField(
        label=_("What is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    needed_by = DayField(label=_("Needed by"))

    def __init__(self, *args, organisation, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        blank = [("", _("Choose…"))]
        self.fields["needing"].choices = blank + choices
        self.fields["delivering"].choices = blank + choices

    def _resolve(self, name):
        value = self.cleaned_data.get(name) or ""
        kind, _sep, code = value.partition(":")
        try:
            if kind == "o":
                objective = Objective.objects.select_related("team").get(
                    organisation=self.organisation, uuid=code
                )
                return objective, None
            if kind == "k":
                kr = KeyResult.objects.select_related("objective__team").get(
                    organisation=self.organisation, uuid=code
                )
                return kr.objective, kr
        except (Objective.DoesNotExist, KeyResult.DoesNotExist, ValueError):
            pass
        raise forms.ValidationError(_("Choose a team objective or one of its key results."))

    def clean_needing(self):
        self.needing_side = self._resolve("needing")
        return self.cleaned_data["needing"]

    def clean_delivering(self):
        self.delivering_side = self._resolve("delivering")
        return self.cleaned_data["delivering"]

    def service_fields(self) -> dict:
        needing_objective, needing_kr = self.needing_side
        delivering_objective, delivering_kr = self.delivering_side
        return {
            "needing_objective": needing_objective,
            "needing_key_result": needing_kr,
            "delivering_objective": delivering_objective,
            "delivering_key_result": delivering_kr,
            "description": self.cleaned_data["description"],
            "needed_by": self.cleaned_data["needed_by"],
        }


def side_choices(rows) -> list:
    """Grouped choices from ``selectors.dependency_sides`` rows: team -> objectives and their KRs."""
    groups: dict[str, list] = {}
    for team, objective_code, objective_title, cycle_label, krs in rows:
        options = groups.setdefault(team, [])
        options.append((f"o:{objective_code}", f"{objective_title} ({cycle_label})"))
        options.extend((f"k:{code}", f"↳ {title}") for code, title in krs)
    return list(groups.items())


# --- Quarterly steps --------------------------------------------------------------------------


class StepsForm(Form):
    """One cumulative target per quarter of the key result's year; empty = no step."""

    def __init__(self, *args, key_result: KeyResult, quarters, **kwargs):
        initial = {
            f"q{quarter.quarter}": format_number(target)
            for quarter, target in quarters
            if target is not None
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.quarters = [quarter for quarter, _target in quarters]
        unit = f" ({key_result.unit})" if key_result.unit else ""
        for quarter in self.quarters:
            self.fields[f"q{quarter.quarter}"] = NumberField(
                label=_("%(quarter)s, by %(date)s%(unit)s")
                % {
                    "quarter": quarter.label,
                    "date": date_format(quarter.end_date, "ABBR_MONTH_DAY_FORMAT"),
                    "unit": unit,
                },
                required=False,
            )

    def targets(self) -> dict:
        return {q: self.cleaned_data.get(f"q{q.quarter}") for q in self.quarters}
