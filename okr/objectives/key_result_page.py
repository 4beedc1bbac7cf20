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

from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accounts import policy, revision
from accounts.policy import Action
from okr.conversation import selectors as conversation
from okr.lib import calendar
from okr.models import Comment, Initiative, KeyResult, Objective
from okr.objectives import selectors_detail as detail
from okr.objectives.forms import CheckInForm, InitiativeForm

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


# --- Shared with the objective page (``okr.objectives.objective_page``) -----------------------


def children_page_number(count: int, request) -> int:
    """The page of aligned objectives asked for (``?children=``), as the paginator reads it."""
    paginator = Paginator((), detail.CHILDREN_PER_PAGE)
    paginator.count = count  # a cached_property: no query
    return paginator.get_page(request.GET.get("children")).number


def comment_authors(thread) -> tuple:
    """(pk, author id) of each live comment the thread shows: what its controls depend on."""
    shown = []
    for comment in thread.comments:
        shown += [comment, *comment.thread_replies]
    return tuple((c.pk, c.author_id) for c in shown if not c.deleted)


def comment_rights(membership, authors) -> tuple:
    """Whether the person may comment, and change or remove each live comment (``authors``)."""
    rights = []
    for pk, author_id in authors:
        comment = Comment(pk=pk, author_id=author_id, deleted=False)  # what the policy reads
        rights.append(
            (
                pk,
                policy.can(membership, Action.COMMENT_EDIT, comment),
                policy.can(membership, Action.COMMENT_DELETE, comment),
            )
        )
    return policy.can(membership, Action.COMMENT_CREATE), tuple(rights)


def history_html(thing) -> str:
    """The history of changes section of an objective or a key result."""
    history = detail.history_of(thing)
    return get_template("objectives/includes/history.html").render({"history": history})


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
    token = get_token(request)
    html = {
        # The names the template places them under.
        _CONTEXT_NAMES[name]: revision.with_token(request, value, token)
        for name, value in parts.items()
        if name in _CONTEXT_NAMES
    }
    # One token in the whole response, as when the template wrote every form.
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


class _Page:
    """One request's page: the keys of its parts, and what a missing part is rendered from
    (each read at most once)."""

    def __init__(self, request, kr: KeyResult):
        self.request, self.kr = request, kr
        self.membership = request.membership
        self.today = calendar.today(request.organisation)
        language, zone = translation.get_language(), timezone.get_current_timezone_name()
        self.common = [kr.pk, language, zone]
        self._numbers_set = False
        self.weights = None  # ([(pk, weight, archived)], aligned): ``detail.objective_weights``
        self.thread = None  # ``conversation.thread_of``, read for a missing part

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

    # Rendering the missing parts.

    def render(self, partial: str, context: dict, csrf_token=revision.CSRF_PLACEHOLDER) -> str:
        """A partial of the page's template, in a context of its own (no context processors:
        the parts read only these and what they are given)."""
        request = self.request
        base = {
            "request": request,
            "organisation": request.organisation,
            "membership": self.membership,
            "csrf_token": csrf_token,
            "kr": self.kr,
        }
        return get_template(f"{TEMPLATE}#{partial}").render(base | context)

    def render_missing(self, missing: list[str]) -> dict[str, object]:
        return {name: getattr(self, f"_render_{name}")() for name in missing}

    def _numbers(self) -> None:
        # As the page always did: the engine's numbers on the key result before any part shows it.
        if not self._numbers_set:
            detail.key_result_progress(self.kr, self.today)
            self._numbers_set = True

    def _thread(self):
        if self.thread is None:
            self.thread = conversation.thread_of(self.kr, self.membership)
        return self.thread

    def _render_weights(self) -> tuple:
        siblings, aligned = detail.objective_weights(self.kr)
        if aligned is None:  # an archived key result is not among the live ones: count its own
            aligned = detail.children_page_of_key_result(self.kr, self.today).paginator.count
        self.weights = [(k.pk, k.weight, k.archived) for k in siblings], aligned
        return self.weights

    def _render_comment_authors(self) -> tuple:
        return comment_authors(self._thread())

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

    def _render_history(self) -> str:
        return history_html(self.kr)

    def _render_children(self) -> str:
        page = detail.children_page_of_key_result(
            self.kr, self.today, self.request.GET.get("children"), count=self.weights[1]
        )
        return self.render("children", {"children": page.object_list, "children_page": page})

    def _render_comments(self) -> str:
        return self.render("comments", {"thread": self._thread()})
