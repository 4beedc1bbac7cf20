"""Forms of the next-year page: start the year (with the objectives that carry on) and publish."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.lib import calendar
from okr.models import Objective


class YearField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=calendar.MIN_YEAR, max_value=calendar.MAX_YEAR, **kwargs)


class CarryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class StartYearForm(Form):
    """Open next year; the chosen strategic objectives of the year before carry on as drafts."""

    year = YearField()
    carry = CarryChoice(
        label=_("Objectives that carry on"),
        queryset=Objective.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is copied as a draft with its key results; set their new targets."),
    )

    def __init__(self, *args, organisation, from_cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Objective.objects.none()
        if from_cycle is not None:
            queryset = Objective.objects.filter(
                organisation=organisation,
                cycle=from_cycle,
                level=Objective.Level.STRATEGIC,
                status=Objective.Status.APPROVED,
            )
            carried = Objective.objects.filter(
                organisation=organisation, carried_from__cycle=from_cycle
            ).exclude(status=Objective.Status.ARCHIVED)
            queryset = queryset.exclude(pk__in=carried.values("carried_from")).order_by(
                "order", "id"
            )
        self.fields["carry"].queryset = queryset


class PublishForm(Form):
    year = YearField()
