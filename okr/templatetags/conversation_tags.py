"""Template tags of the conversation: the thread on an OKR page, the bell's count."""

from __future__ import annotations

from django import template

from okr.conversation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, target, thread=None):
    """The comments on ``target`` (an objective, a key result or a check-in), with the form.

    ``thread``: ``selectors.thread_of(target, membership)`` when the caller has read it already.
    """
    request = context["request"]
    organisation = request.organisation
    if thread is None:
        thread = selectors.thread_of(target, request.membership)
    values = {
        "thread": thread,
        "comment_form": _form(),
        "post_url": selectors.post_url(organisation, target),
        "comment_notice": None,  # a notice comes with the thread's own response (its views)
    }
    # In the page's context, as an include is: render_to_string would run every context
    # processor again. What the thread reads besides these is what every page has
    # (organisation, the CSRF token).
    thread = context.template.engine.get_template("conversation/thread.html")
    with context.push(values):
        return thread.render(context)


def _form():
    from okr.conversation.forms import CommentForm  # forms import services: keep tags light

    return CommentForm()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in member's unread notifications in this organisation.

    No query: the number is kept on the membership the request loaded anyway
    (``okr.conversation.delivery``).
    """
    request = context.get("request")
    membership = getattr(request, "membership", None)
    return getattr(membership, "unread_notifications", 0) if membership is not None else 0
