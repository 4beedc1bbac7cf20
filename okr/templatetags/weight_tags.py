"""Key result weights on the pages: "weight 2 (40 %)" (``okr.lib.progress.weights``)."""

from __future__ import annotations

from django import template

from okr.lib.progress.weights import weight_of

register = template.Library()


@register.simple_tag
def key_result_weight(kr, siblings):
    """The weight of ``kr`` among ``siblings`` (its objective's key results, loaded already).

    Archived ones are left out, as the objective's progress leaves them out.
    """
    live = [k for k in siblings if not getattr(k, "archived", False)]
    weights = [k.weight for k in live]
    if kr.pk not in {k.pk for k in live}:
        weights.append(kr.weight)
    return weight_of(kr.weight, weights)
