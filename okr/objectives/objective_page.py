"""The objective page, in parts that are each rendered once per revision of the organisation.

As the key result page (``okr.objectives.key_result_page``; what they share is in
``okr.objectives.page_parts``): each
part is cached (``accounts.revision``) under a key that holds all it depends on besides the
revision: the objective, the language and time zone; the organisation's day where progress,
the pace or a verdict shows; the page of aligned team objectives; and the policy's answers
that decide its controls (may the person comment, change or remove each comment; for a team
objective's dependencies, their standing and the page's own address, where the dependency
forms come back to). Everyone with the same answers shares one copy, and nothing else about
the person is in any part. Forms hold ``revision.CSRF_PLACEHOLDER`` where the token goes:
each response puts in its own.

Two reads of the cache per page. The first brings most parts and two facts the others need:
the number of aligned team objectives (which page of them is asked for) and who wrote each
comment (which comments the person may change); the second, the aligned objectives and the
comments.
"""

from __future__ import annotations

from accounts import policy, revision
from okr.models import KeyResult, Objective
from okr.objectives import approval
from okr.objectives import selectors_detail as detail
from okr.objectives.page_parts import (
    PageParts,
    children_page_number,
    comment_rights,
    with_tokens,
)

TEMPLATE = "objectives/objective_detail.html"
#: The cache's name for the page's parts (``revision.cached_many``).
NAME = "objective-page"

#: Each part's name in the page's context (the partials share the part's name).
_CONTEXT_NAMES = {
    "head": "head",
    "children": "children_section",
    "dependencies": "dependencies",
    "comments": "comments",
    "history": "history",
}


def page_context(request, objective: Objective) -> dict:
    """The page template's context: each part's HTML, with the request's CSRF token."""
    parts = _Page(request, objective).parts()
    token, html = with_tokens(request, parts, _CONTEXT_NAMES)
    return {"objective": objective, "csrf_token": token, **html}


class _Page(PageParts):
    """One request's objective page (``PageParts``)."""

    template, subject_name = TEMPLATE, "objective"

    def __init__(self, request, objective: Objective):
        super().__init__(request, objective)
        self.objective = objective
        self.count = None  # the number of aligned team objectives, once known

    # The keys: all a part depends on besides the revision.

    def parts(self) -> dict[str, object]:
        """Every part and the two facts."""
        objective = self.objective
        first = {
            "children_count": ["children-count", objective.pk],
            "comment_authors": ["comment-authors", objective.pk],
            # Progress, the pace and "behind" are the day's; the approval notice its date.
            "head": ["head", *self.common, self.today],
            "dependencies": ["dependencies", *self.common, self.today, *self._dependency_answers()],
            "history": ["history", *self.common],
        }
        found = revision.cached_many(objective.organisation_id, NAME, first, self.render_missing)
        self.count = found["children_count"]
        page_number = children_page_number(self.count, self.request)
        second = {
            "children": ["children", *self.common, self.today, page_number],
            "comments": [
                "comments",
                *self.common,
                *comment_rights(self.membership, found["comment_authors"]),
            ],
        }
        return found | revision.cached_many(
            objective.organisation_id, NAME, second, self.render_missing
        )

    def _dependency_answers(self) -> tuple:
        """Unless the objective is strategic (a strategic one has no dependencies: they are
        between teams), the person's standing, which decides the dependencies they manage
        (their teams' leads and leadership do), and the page's own address, where the
        dependency forms come back to."""
        if self.objective.level == Objective.Level.STRATEGIC:
            return ()
        return (policy.standing(self.membership), self.request.get_full_path())

    # Rendering the missing parts (``PageParts`` renders the comments and the history).

    def _render_children_count(self) -> int:
        self.count = detail.children_count_of_objective(self.objective)
        return self.count

    def _render_head(self) -> str:
        objective = self.objective
        detail.objective_with_key_results(objective, self.today)
        parent = detail.parent_of(objective)
        objective.approval_notice = approval.notice_of(objective)
        context = {
            "key_results": list(objective.key_results.all()),
            "parent": parent,
            "parent_is_key_result": isinstance(parent, KeyResult),
        }
        return self.render("head", context)

    def _render_dependencies(self) -> str:
        return self.render("dependencies", {})

    def _render_children(self) -> str:
        page = detail.children_page_of_objective(
            self.objective, self.today, self.request.GET.get("children"), count=self.count
        )
        return self.render("children", {"children": page.object_list, "children_page": page})
