"""Forms for objectives, key results, check-ins and initiatives.

Numbers are read the Nordic way too: "1 500,5" and "1500.5" are the same.
OKR texts are kept verbatim apart from surrounding whitespace.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.cleaning import Refused
from accounts.fields import DayInput, Form, as_validation_error, refusing
from accounts.models import User
from okr.lib.fields import check_day, parse_number
from okr.models import CheckIn, Initiative, KeyResult, Objective
from okr.objectives import numbers
from okr.objectives.services import KEY_RESULT_FIELDS


class NumberField(forms.CharField):
    """A decimal number as people type them ("1 500,5", "12.5"): ``okr.lib.fields``' grammar."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "maxlength": "40"})
        return attrs

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_number(text)
        except Refused as refused:
            raise as_validation_error(refused) from None


#: The largest weight a key result takes (``KeyResult.weight``: two decimals, five digits).
WEIGHT_MAX = Decimal("999.99")
WEIGHT_INVALID = _("Enter a weight above 0 and at most 999.99, with at most two decimals.")


class WeightField(NumberField):
    """A key result's weight, "1,5" or "1.5": above 0, at most 999.99, two decimals at most."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"maxlength": "10", "class": "input-weight"})
        return attrs

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if not 0 < number <= WEIGHT_MAX or number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(WEIGHT_INVALID, code="weight")
        return number


def format_number(value) -> str:
    """A stored Decimal shown back in a form field without trailing zeros."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


class DayField(forms.DateField):
    """Every date field of the app: ISO (2026-12-06), typed in a ``DayInput``."""

    widget = DayInput
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter the date as YYYY-MM-DD, like 2026-12-06.")}
    default_validators = [refusing(check_day)]  # 2000..2100, as everywhere (okr.lib.fields)


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The members in one plain query, kept on the field's queryset.

    Django's iterator reads them through a server-side cursor (DECLARE, FETCH and
    CLOSE: three round trips to the database) for each rendering of the select.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class MemberChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Nobody yet"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.name or obj.email


def member_queryset(organisation):
    return User.objects.filter(memberships__organisation=organisation).order_by("name", "email")


class VersionedForm(Form):
    """Carries the version the object was read at, for the stale-edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObjectiveForm(VersionedForm):
    title = forms.CharField(
        label=_("Objective"),
        max_length=300,
        help_text=_("Where do you want to go? Qualitative and inspiring."),
    )
    why = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = MemberChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_queryset(organisation)

    @classmethod
    def initial_for(cls, objective: Objective) -> dict:
        return {
            "title": objective.title,
            "why": objective.why,
            "owner": objective.owner_id,
            "version": objective.version,
        }


class KeyResultForm(VersionedForm):
    title = forms.CharField(
        label=_("Key result"),
        max_length=300,
        help_text=_("How do you know you got there? A number, a from-to or a date."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KeyResult.Kind.choices, initial=KeyResult.Kind.METRIC
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=KeyResult.Direction.choices,
        initial=KeyResult.Direction.INCREASE,
    )
    start_value = NumberField(label=_("Start"), required=False)
    target_value = NumberField(
        label=_("Target"),
        required=False,
        help_text=_("Leave empty while the target is not known yet (pending)."),
    )
    due_date = DayField(label=_("Due date"), required=False)
    steps_total = forms.IntegerField(
        label=_("Steps"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Optional: a milestone in partial steps."),
    )
    commitment = forms.ChoiceField(
        label=_("Commitment"),
        choices=KeyResult.Commitment.choices,
        initial=KeyResult.Commitment.ASPIRATIONAL,
    )
    owner = MemberChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    weight = WeightField(
        label=_("Weight"),
        required=False,  # left out: unchanged (new ones: 1)
        help_text=_(
            "How much it counts towards the objective's progress and score, against the "
            "objective's other key results. Equal weights (1) count alike; 2 counts double."
        ),
    )
    rollup = forms.ChoiceField(
        label=_("Direct contributions"),
        choices=KeyResult.Rollup.choices,
        initial=KeyResult.Rollup.NONE,
        required=False,  # left out: unchanged (new ones: listed, never added)
        help_text=_(
            "Summed: its current value is the sum of the team key results aligned directly to "
            "it in the same unit; for counts and amounts (MSEK, customers). Rates, percentages, "
            "NPS and averages cannot be summed: their team key results are listed, never added."
        ),
    )

    def __init__(self, *args, organisation, rollup=False, **kwargs):
        """``rollup``: offer the choice of how direct contributions combine (strategic ones)."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_queryset(organisation)
        if not rollup:
            del self.fields["rollup"]

    def clean(self):
        data = super().clean()
        if "rollup" in self.fields and data.get("rollup"):
            refusal = numbers.rollup_refusal(
                kind=data.get("kind") or "", unit=data.get("unit") or "", rollup=data["rollup"]
            )
            if refusal:
                self.add_error("rollup", refusal)
        if (
            data.get("kind") == KeyResult.Kind.METRIC
            and data.get("start_value") is None
            and data.get("target_value") is not None
            and "start_value" not in self.errors
        ):
            self.add_error("start_value", _("A metric needs a start value."))
        return data

    @classmethod
    def initial_for(cls, kr: KeyResult) -> dict:
        return {
            "title": kr.title,
            "kind": kr.kind,
            "unit": kr.unit,
            "direction": kr.direction,
            "start_value": format_number(kr.start_value),
            "target_value": format_number(kr.target_value),
            "due_date": kr.due_date,
            "steps_total": kr.steps_total,
            "commitment": kr.commitment,
            "owner": kr.owner_id,
            "weight": format_number(kr.weight),
            "rollup": kr.rollup,
            "version": kr.version,
        }

    def service_fields(self) -> dict:
        """The fields the key result services take, as far as this form has them (one list)."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in KEY_RESULT_FIELDS if name in self.fields}
        if not fields.get("rollup"):
            fields.pop("rollup", None)
        if fields.get("weight") is None:
            fields.pop("weight", None)
        return fields


class CheckInForm(Form):
    """One key result's check-in. ``prefix`` keeps many on one page apart."""

    value = NumberField(label=_("Value"), required=False)
    done = forms.BooleanField(label=_("Done"), required=False)
    steps_done = forms.IntegerField(
        label=_("Steps done"), required=False, min_value=0, max_value=100
    )
    # No confidence is assumed: a first check-in starts blank (the owner says it, whatever the
    # pace shows); later ones start from the owner's last (the views' initial).
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=[("", _("Choose…")), *CheckIn.Confidence.choices],
        error_messages={"required": _("Choose a confidence.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, key_result: KeyResult, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        if key_result.kind == KeyResult.Kind.METRIC:
            del self.fields["done"], self.fields["steps_done"]
            if key_result.unit:
                self.fields["value"].label = _("Value (%(unit)s)") % {"unit": key_result.unit}
        else:
            del self.fields["value"]
            if not key_result.steps_total:
                del self.fields["steps_done"]
            else:
                self.fields["steps_done"].max_value = key_result.steps_total

    def clean(self):
        data = super().clean()
        if (
            self.key_result.kind == KeyResult.Kind.METRIC
            and data.get("value") is None
            and "value" not in self.errors
        ):
            self.add_error("value", _("Enter the current value."))
        steps = data.get("steps_done")
        total = self.key_result.steps_total
        if steps is not None and total and steps > total:
            self.add_error("steps_done", _("At most %(total)s steps.") % {"total": total})
        return data

    def is_blank(self) -> bool:
        """Nothing typed in this row (used on the many-rows page to skip it)."""
        if not self.is_bound:
            return True
        keys = [self.add_prefix(name) for name in ("value", "note", "steps_done")]
        typed = any((self.data.get(k) or "").strip() for k in keys)
        if self.key_result.kind == KeyResult.Kind.MILESTONE:
            typed = typed or bool(self.data.get(self.add_prefix("done"))) != self.key_result.done
        return not typed

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "confidence": data["confidence"],
            "value": data.get("value"),
            "done": data.get("done") if "done" in self.fields else None,
            "steps_done": data.get("steps_done"),
            "note": data.get("note", ""),
        }


class InitiativeForm(Form):
    title = forms.CharField(label=_("Initiative"), max_length=300)
    owner = MemberChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_queryset(organisation)


class InitiativeStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
