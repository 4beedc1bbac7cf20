"""Links to many objectives and key results on one page: reverse once, then put each uuid in.

A list of fifty rows with ``{% url %}`` in each resolves the pattern fifty
times; a page that shows many builds one maker per page and sets ``.url`` on
each row (the same address ``reverse`` gives).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.urls import reverse

_PLACEHOLDER = uuid.UUID(int=0)


def url_maker(name: str, organisation) -> Callable[[object], str]:
    """``code -> URL`` of the organisation's URL ``name`` that takes ``(slug, code)``."""
    head, tail = reverse(name, args=[organisation.slug, _PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda code: f"{head}{code}{tail}"


def set_urls(organisation, objectives: Iterable = (), key_results: Iterable = ()) -> None:
    """``.url`` on each objective and key result: its detail page."""
    objective_url = url_maker("okr:objective_detail", organisation)
    key_result_url = url_maker("okr:key_result_detail", organisation)
    for objective in objectives:
        objective.url = objective_url(objective.uuid)
    for kr in key_results:
        kr.url = key_result_url(kr.uuid)
