"""Pagination and ordering of API lists (the defaults in settings.REST_FRAMEWORK).

Every list parameter is checked: a value that is not valid is answered with
400 and the parameter's error, never silently ignored.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

# --- Pagination -----------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """``?page=2&page_size=100``: 50 a page by default, at most 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and (not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1):
            raise ValidationError(
                {self.page_query_param: [_("Enter a page number: a whole number from 1.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1. A page past the last one answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# --- Ordering ---------------------------------------------------------------------------


class StrictOrdering(OrderingFilter):
    """``?ordering=-created_at,title``: only the view's ``ordering_fields``; ties by creation."""

    def _allowed(self, view) -> list[str]:
        return list(getattr(view, "ordering_fields", []))

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = self._allowed(view)
        terms = [term.strip() for term in raw.split(",")]
        bad = [term for term in terms if term.lstrip("-") not in allowed]
        if not terms or bad:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a minus sign for descending).")
                        % {"fields": ", ".join(allowed)}
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        allowed = "|".join(re.escape(name) for name in self._allowed(view))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by; a leading minus sorts descending. "
                f"One of: {', '.join(self._allowed(view))}.",
                "schema": {"type": "string", "pattern": f"^-?({allowed})(,-?({allowed}))*$"},
            }
        ]
