"""The search page's parameters: the words, one kind, a page of it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.search import selectors, text


class SearchForm(Form):
    q = forms.CharField(label=_("Search"), max_length=text.MAX_LENGTH, required=False, strip=False)
    kind = forms.ChoiceField(
        choices=[("", "")] + [(k, v) for k, v in selectors.KIND_LABELS.items()], required=False
    )
    page = forms.IntegerField(min_value=1, max_value=selectors.MAX_PAGE, required=False)
