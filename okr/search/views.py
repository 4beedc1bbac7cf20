"""The search page: ``/<org>/search/?q=…`` (all kinds), ``&kind=…&page=…`` (one kind, paged).

One view serves the page and, to an htmx request (typing in the page's field), the
``results`` partial of the same template. Reading only: every member searches
everything the organisation's pages show them (everyone reads every OKR).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.access import org_view
from okr.search import selectors, text
from okr.search.forms import SearchForm

TEMPLATE = "search/search.html"


@org_view
@require_safe
def search(request):
    organisation = request.organisation
    form = SearchForm(request.GET)
    query, kind, page, groups = text.parse(""), "", 1, []
    if form.is_valid():
        query = text.parse(form.cleaned_data["q"])
        kind = form.cleaned_data["kind"]
        page = form.cleaned_data["page"] or 1
        if not query.too_short:
            kinds = (kind,) if kind else selectors.KINDS
            groups = selectors.search(organisation, query, kinds=kinds, page=page)
    base = reverse("okr:search", args=[organisation.slug])

    def link(**params) -> str:
        return f"{base}?{urlencode({'q': query.text, **params})}"

    for group in groups:
        group.more_url = link(kind=group.kind) if not kind and group.has_more else ""
        group.next_url = link(kind=kind, page=page + 1) if kind and group.has_more else ""
        group.previous_url = link(kind=kind, page=page - 1) if kind and page > 1 else ""
    context = {
        "form": form,
        "query": query,
        "kind": kind,
        "kind_label": selectors.KIND_LABELS.get(kind, ""),
        "groups": groups,
        "found": any(group.hits for group in groups),
        "all_url": link() if kind else "",
        "min_length": text.MIN_LENGTH,
    }
    template = f"{TEMPLATE}#results" if getattr(request, "htmx", False) else TEMPLATE
    return render(request, template, context)
