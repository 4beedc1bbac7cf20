"""What the key result and objective pages share: a page built from parts, each cached
once per revision of the organisation (``okr.objectives.key_result_page``,
``okr.objectives.objective_page``).

``PageParts`` holds one request's page: the key parts every part has (the thing shown,
the language, the time zone), the organisation's day, the comment thread read at most
once, and how a missing part is rendered; ``with_tokens`` puts the request's one CSRF
token into the parts. The helpers below are the keys and parts both pages show alike:
the page of aligned objectives, the comments' controls, the history.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation

from accounts import policy, revision
from accounts.policy import Action
from okr.conversation import selectors as conversation
from okr.lib import calendar
from okr.models import Comment
from okr.objectives import selectors_detail as detail


class PageParts:
    """One request's page of ``subject``: the keys of its parts, and what a missing part is
    rendered from (each read at most once). Subclasses name the ``template`` and the
    context ``subject_name`` the partials read the subject under."""

    template: str
    subject_name: str

    def __init__(self, request, subject):
        self.request, self.subject = request, subject
        self.membership = request.membership
        self.today = calendar.today(request.organisation)
        language, zone = translation.get_language(), timezone.get_current_timezone_name()
        self.common = [subject.pk, language, zone]
        self.thread = None  # ``conversation.thread_of``, read for a missing part

    def render(self, partial: str, context: dict, csrf_token=revision.CSRF_PLACEHOLDER) -> str:
        """A partial of the page's template, in a context of its own (no context processors:
        the parts read only these and what they are given)."""
        request = self.request
        base = {
            "request": request,
            "organisation": request.organisation,
            "membership": self.membership,
            "csrf_token": csrf_token,
            self.subject_name: self.subject,
        }
        return get_template(f"{self.template}#{partial}").render(base | context)

    def render_missing(self, missing: list[str]) -> dict[str, object]:
        return {name: getattr(self, f"_render_{name}")() for name in missing}

    def _thread(self):
        if self.thread is None:
            self.thread = conversation.thread_of(self.subject, self.membership)
        return self.thread

    def _render_comment_authors(self) -> tuple:
        return comment_authors(self._thread())

    def _render_comments(self) -> str:
        return self.render("comments", {"thread": self._thread()})

    def _render_history(self) -> str:
        return history_html(self.subject)


def with_tokens(request, parts: dict[str, str], names: dict[str, str]) -> tuple[str, dict]:
    """The request's CSRF token, and the parts named in ``names`` under their context names
    with it in place of the placeholder: one token in the whole response, as when the
    template wrote every form."""
    token = get_token(request)
    html = {
        names[name]: revision.with_token(request, value, token)
        for name, value in parts.items()
        if name in names
    }
    return token, html


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
