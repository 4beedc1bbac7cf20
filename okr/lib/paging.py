"""Where a page is among the pages, for lists paged without Django's ``Paginator``.

The approval queue pages by whole team sets and the dependencies page keeps its
pages per revision; both answer the templates with the names of Django's ``Page``.
"""

from __future__ import annotations


class PageLinks:
    """``number`` (from 1) of ``num_pages``: what the previous and next links need."""

    __slots__ = ()
    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1
