"""The key result page, in parts that are each rendered once per revision of the organisation.

The page reads the same for everyone but a few controls, so each part is cached
(``accounts.revision``) under a key that holds all it depends on besides the revision:
the language and time zone; the organisation's day where progress, the pace or the chart
show; the page of aligned team objectives; and the policy's answers that decide its
controls (may the person check in, add initiatives, comment, change or remove each comment;
their standing, for dependencies and quarterly steps). Everyone with the same answers
shares one copy, and nothing else about the person is in any part. Forms hold
``revision.CSRF_PLACEHOLDER`` where the token goes: each response puts in its own.

Two reads of the cache per page. The first brings most parts and two facts the others
need: the objective's weights with the number of aligned team objectives (which page of them
is asked for) and who wrote each comment (which comments the person may change); the second,
the aligned objectives, the comments and the heading (which shows the weight). A section
that shows a form again (a check-in or an initiative that was not saved) is rendered for the
request instead (``live``).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.safestring import SafeString

from accounts import policy, revision
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Initiative, KeyResult, Objective
from okr.objectives import selectors_detail as detail
from okr.objectives.forms import CheckInForm, InitiativeForm
from okr.objectives.page_parts import (
    PageParts,
    children_page_number,
    comment_rights,
    with_tokens,
)

TEMPLATE = "objectives/key_result_detail.html"
#: The cache's name for the page's parts (``revision.cached_many``).
NAME = "key-result-page"


# --- The two sections with forms ------------------------------------------------------------


def check_in_context(request, kr: KeyResult, form: CheckInForm | None = None, notice="") -> dict:
    """Progress, the check-in form (for those who may check in), the chart and the table."""
    today = calendar.today(request.organisation)
    detail.key_result_progress(kr, today)
    history = detail.check_in_history(kr, today)
    may_check_in = policy.can(request.membership, Action.CHECK_IN, kr)
    if may_check_in and form is None:
        form = CheckInForm(key_result=kr, initial={"confidence": kr.confidence or None})
    return {
        "kr": kr,
        "check_ins": history.check_ins,
        "chart": history.chart,
        "can_check_in": may_check_in,
        "check_in_form": form if may_check_in else None,
        "check_in_notice": notice,
    }


def initiatives_context(
    request, kr: KeyResult, form: InitiativeForm | None = None, notice=""
) -> dict:
    """The initiatives, with their status controls and the form for those who may add them."""
    may_edit = policy.can(request.membership, Action.INITIATIVE_CREATE, kr)
    if may_edit and form is None:
        form = InitiativeForm(organisation=request.organisation)
    return {
        "kr": kr,
        "initiatives": detail.initiatives_of(kr),
        "initiative_statuses": Initiative.Status.choices,
        "can_edit": may_edit,
        "initiative_form": form if may_edit else None,
        "initiative_notice": notice,
    }


# --- The page -------------------------------------------------------------------------------


def page_context(request, kr: KeyResult, *, live: dict[str, dict] | None = None) -> dict:
    """The page template's context: each part's HTML, with the request's CSRF token.

    ``live``: ``{"check_ins": context}`` or ``{"initiatives": context}`` (``check_in_context``,
    ``initiatives_context`` with the form to show again), rendered for this request.
    """
    page = _Page(request, kr)
    parts = page.parts(skip=live or ())
    for name, context in (live or {}).items():
        parts[name] = page.render(_PARTIALS[name], context)
    token, html = with_tokens(request, parts, _CONTEXT_NAMES)
    return {"kr": kr, "csrf_token": token, **html}


def check_in_section(request, kr: KeyResult) -> SafeString:
    """The check-in section on its own (an HTMX refresh), from the cache as on the page."""
    page = _Page(request, kr)
    found = revision.cached_many(
        kr.organisation_id, NAME, {"check_ins": page.check_ins_key()}, page.render_missing
    )
    return revision.with_token(request, found["check_ins"])


#: Each part's partial of the template, and its name in the page's context.
_PARTIALS = {
    "head": "head",
    "check_ins": "check-in-section",
    "initiatives": "initiatives-section",
    "children": "children",
    "alignment": "alignment",
    "comments": "comments",
}
_CONTEXT_NAMES = {
    "head": "head",
    "check_ins": "check_in_section",
    "initiatives": "initiatives_section",
    "children": "children_section",
    "alignment": "alignment",
    "comments": "comments",
    "history": "history",
}


class _Page(PageParts):
    """One request's key result page (``PageParts``)."""

    template, subject_name = TEMPLATE, "kr"

    def __init__(self, request, kr: KeyResult):
        super().__init__(request, kr)
        self.kr = kr
        self._numbers_set = False
        self.weights = None  # ([(pk, weight, archived)], aligned): ``detail.objective_weights``

    # The keys: all a part depends on besides the revision.

    def check_ins_key(self) -> list:
        may_check_in = policy.can(self.membership, Action.CHECK_IN, self.kr)
        return ["check-ins", *self.common, self.today, may_check_in]

    def parts(self, skip=()) -> dict[str, str]:
        """Every part (but those in ``skip``: rendered for the request) and the two facts."""
        kr, membership = self.kr, self.membership
        first = {
            # Named apart from the weights this page once kept without an archived one's count.
            "weights": ["weights-and-aligned", kr.pk],
            "comment_authors": ["comment-authors", kr.pk],
            "check_ins": self.check_ins_key(),
            "initiatives": [
                "initiatives",
                *self.common,
                policy.can(membership, Action.INITIATIVE_CREATE, kr),
            ],
            "alignment": ["alignment", *self.common, self.today, *self._alignment_answers()],
            "history": ["history", *self.common],
        }
        for name in skip:
            first.pop(name, None)
        found = revision.cached_many(kr.organisation_id, NAME, first, self.render_missing)
        self.weights = found["weights"]
        # Their keys need the two facts (the number of aligned objectives, the comments'
        # authors); the heading is drawn with the weights.
        second = {
            "head": ["head", *self.common],
            "children": ["children", *self.common, self.today, self._children_page_number()],
            "comments": ["comments", *self.common, *self._comment_rights(found)],
        }
        return found | revision.cached_many(kr.organisation_id, NAME, second, self.render_missing)

    def _alignment_answers(self) -> tuple:
        """Who may set the quarterly steps; and unless the key result is strategic (a strategic
        one has no dependencies: they are between teams), the person's standing, which decides
        the dependencies they manage (their teams' leads and leadership do), and the page's own
        address, where the dependency forms come back to."""
        kr, membership = self.kr, self.membership
        answers = (policy.can(membership, Action.KEY_RESULT_SET_STEPS, kr),)
        if kr.objective.level == Objective.Level.STRATEGIC:
            return answers  # no team read for them: a strategic key result's owner needs none
        return (*answers, policy.standing(membership), self.request.get_full_path())

    def _children_page_number(self) -> int:
        """The page of aligned objectives asked for (``?children=``), as the paginator reads it."""
        return children_page_number(self.weights[1], self.request)

    def _comment_rights(self, found) -> tuple:
        """Whether the person may comment, and change or remove each live comment."""
        return comment_rights(self.membership, found["comment_authors"])

    # Rendering the missing parts (``PageParts`` renders the comments and the history).

    def _numbers(self) -> None:
        # As the page always did: the engine's numbers on the key result before any part shows it.
        if not self._numbers_set:
            detail.key_result_progress(self.kr, self.today)
            self._numbers_set = True

    def _render_weights(self) -> tuple:
        siblings, aligned = detail.objective_weights(self.kr)
        if aligned is None:  # an archived key result is not among the live ones: count its own
            aligned = detail.children_page_of_key_result(self.kr, self.today).paginator.count
        self.weights = [(k.pk, k.weight, k.archived) for k in siblings], aligned
        return self.weights

    def _render_head(self) -> str:
        siblings = self.weights[0]
        weight_siblings = [SimpleNamespace(pk=pk, weight=w, archived=a) for pk, w, a in siblings]
        return self.render("head", {"weight_siblings": weight_siblings})

    def _render_check_ins(self) -> str:
        context = check_in_context(self.request, self.kr)  # sets the numbers on the key result
        self._numbers_set = True
        return self.render("check-in-section", context)

    def _render_initiatives(self) -> str:
        return self.render("initiatives-section", initiatives_context(self.request, self.kr))

    def _render_alignment(self) -> str:
        self._numbers()
        return self.render("alignment", {})

    def _render_children(self) -> str:
        page = detail.children_page_of_key_result(
            self.kr, self.today, self.request.GET.get("children"), count=self.weights[1]
        )
        return self.render("children", {"children": page.object_list, "children_page": page})
