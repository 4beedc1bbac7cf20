"""``{% form_div form %}`` (okr_tags) writes exactly what Django's ``form.as_div`` writes.

Pages with many forms (my check-ins) and the shared ``includes/form_fields.html`` use it
instead of Django's template-based rendering. Every form of the app is compared, unbound
and bound with empty and with odd input, and so are made-up forms with every widget,
option and fallback the writer knows of.
"""

import importlib
import inspect
import pkgutil
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import override

from okr.models import KeyResult
from okr.objectives.forms import CheckInForm, InitiativeForm, KeyResultForm
from okr.templatetags.okr_tags import form_div
from tests.support.factories import metric_kr, strategic_objective, year_and_quarter

pytestmark = pytest.mark.django_db

ODD = "<b>\"'&</b> 1 500,5"


def same(form):
    expected = str(form.as_div())
    assert str(form_div(form)) == expected
    return expected


def _form_classes():
    """Every form class of the app (the modules named ``forms`` under its packages)."""
    found = {}
    for package in ("accounts", "alignment", "okr"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if info.name.rsplit(".", 1)[-1] != "forms":
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def _kwargs_for(cls, cast, kr):
    """Keyword arguments the form's ``__init__`` insists on, from the cast."""
    values = {
        "organisation": cast.org,
        "key_result": kr,
        "objectives": [kr.objective],
        "strategic": [kr.objective],
        "quarters": [],
        "choices": [],
        "parents": None,
    }
    kwargs = {}
    for cls_ in cls.__mro__:
        init = cls_.__dict__.get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                kwargs.setdefault(name, values.get(name))
    return kwargs


def test_every_form_of_the_app(cast):
    year, _quarter = year_and_quarter(cast.org)
    kr = metric_kr(strategic_objective(cast.org, year), title="Kunder", start=0, target=10)
    rendered = 0
    for name, cls in _form_classes().items():
        if issubclass(cls, forms.ModelForm) and cls._meta.model is None:
            continue
        kwargs = _kwargs_for(cls, cast, kr)
        try:
            unbound = cls(**kwargs)
        except Exception:  # noqa: BLE001, S112 - a form that needs more than the cast: skip it
            continue
        same(unbound)
        data = {field: ODD for field in unbound.fields}
        for bound in (cls({}, **kwargs), cls(data, **kwargs)):
            bound.is_valid()
            assert str(form_div(bound)) == str(bound.as_div()), name
        rendered += 1
    assert rendered >= 30


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_check_in_forms(cast, language):
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    metric = metric_kr(objective, title="NPS", start=1, target=5, unit="NPS")
    milestone = metric_kr(objective, title="Launch", start=0, target=1)
    milestone.kind, milestone.steps_total, milestone.unit = KeyResult.Kind.MILESTONE, 4, ""
    with override(language):
        for kr in (metric, milestone):
            prefix = str(kr.uuid)
            same(CheckInForm(key_result=kr, prefix=prefix, initial={"confidence": "at_risk"}))
            same(CheckInForm(key_result=kr, initial={"confidence": None}))
            bad = CheckInForm(
                {f"{prefix}-value": "x<", f"{prefix}-steps_done": "9", f"{prefix}-note": ODD},
                key_result=kr,
                prefix=prefix,
            )
            assert not bad.is_valid()
            assert "aria-invalid" in same(bad)
            good = CheckInForm(
                {
                    f"{prefix}-value": "1 500,5",
                    f"{prefix}-done": "on",
                    f"{prefix}-confidence": "on_track",
                },
                key_result=kr,
                prefix=prefix,
            )
            good.is_valid()
            same(good)
        same(InitiativeForm(organisation=cast.org))
        same(InitiativeForm({"title": "", "owner": "999"}, organisation=cast.org))
        form = KeyResultForm(initial=KeyResultForm.initial_for(metric), organisation=cast.org)
        same(form)
        form = KeyResultForm(
            {"due_date": "2026-13-01", "kind": "x"}, organisation=cast.org, rollup=True
        )
        form.is_valid()
        same(form)


class Everything(forms.Form):
    required_css_class = "required"
    error_css_class = "error"

    text = forms.CharField(help_text=mark_safe("<em>help</em>"), max_length=5)
    number = forms.IntegerField(localize=True, initial=1500)
    decimal = forms.DecimalField(initial=Decimal("1500.50"), required=False)
    email = forms.EmailField(required=False, label="E-mail?")
    url = forms.URLField(required=False, label="")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial=date(2026, 2, 1))
    flag = forms.BooleanField(required=False, initial=True)
    other_flag = forms.BooleanField(disabled=True, label_suffix=" →")
    choice = forms.ChoiceField(
        choices=[
            ("", "---"),
            ("Group <1>", [("a", "A & a"), ("b", mark_safe("<i>B</i>"))]),
            (3, 3),
        ],
        initial="b",
    )
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], initial=["x", "y"], required=False
    )
    radio = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "One")], widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.SplitDateTimeField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": ODD}), initial=ODD)
    shown_twice = forms.CharField(show_hidden_initial=True, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, initial=ODD)
    other_secret = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError(mark_safe("Whole <b>form</b> & more"))


def test_every_widget_and_option():
    same(Everything())
    same(Everything(auto_id=False))
    same(Everything(auto_id="f-%s", prefix="p", label_suffix=""))
    bound = Everything({"text": "toolong", "other_secret": "x", "choice": "zz", "notes": ""})
    bound.is_valid()
    same(bound)
    same(Everything({"text": "ok", "number": "2", "flag": "on", "many": ["y"]}))


class OnlyHidden(forms.Form):
    secret = forms.IntegerField(widget=forms.HiddenInput)


class Empty(forms.Form):
    pass


def test_forms_without_visible_fields():
    same(OnlyHidden())
    bound = OnlyHidden({"secret": "x"})
    bound.is_valid()
    same(bound)
    same(Empty())


def test_the_tag_in_a_template(cast):
    year, _quarter = year_and_quarter(cast.org)
    kr = metric_kr(strategic_objective(cast.org, year))
    form = CheckInForm(key_result=kr)
    rendered = Template("{% load okr_tags %}{% form_div form %}").render(Context({"form": form}))
    assert rendered == str(form.as_div())
