"""Forms of the quarter close page: they parse and explain; ``okr.closing.services`` decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.cleaning import Refused
from accounts.fields import Form
from okr.lib.fields import parse_number
from okr.reviews.forms import TeamChoiceField


class ScoreField(forms.CharField):
    """A score 0.0..1.0 typed with a decimal point or comma ("0,7" in Swedish); empty is None."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            number = parse_number(value)  # the numbers every form reads (okr.lib.fields)
        except Refused:
            raise forms.ValidationError(
                _("Enter a score from 0.0 to 1.0."), code="invalid"
            ) from None
        if not Decimal(0) <= number <= Decimal(1):
            raise forms.ValidationError(_("Enter a score from 0.0 to 1.0."), code="range")
        return number


class ScoreOverrideForm(Form):
    value = ScoreField(
        label=_("Score"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "maxlength": 6, "class": "input-short"}
        ),
        help_text=_("0.0 to 1.0. Leave empty to use the computed score again."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, key: str = "score", **kwargs):
        kwargs.setdefault("auto_id", f"override-{key}-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("value") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the score is overridden."))
        return data


class RetrospectiveForm(Form):
    team = TeamChoiceField(label=_("Team"))
    text = forms.CharField(
        label=_("What did the team learn?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, teams=(), **kwargs):
        kwargs.setdefault("auto_id", "retro-%s")
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamChoiceField(label=_("Team"), teams=teams)
