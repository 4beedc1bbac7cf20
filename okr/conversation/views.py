"""Pages of the conversation: post, edit and remove comments; a check-in's thread; notifications.

One template serves the thread wherever it shows (``conversation/thread.html``):
an HTMX post gets the thread back; without JavaScript a post redirects to the
page of the thread, and a refused one re-renders the thread page with the typed
text and the error. Every object is looked up inside the request's organisation
(404 for another organisation's id, whatever the method).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import get_for_org, org_view
from accounts.policy import Action
from okr.conversation import selectors, services
from okr.conversation.forms import CommentForm
from okr.lib import calendar
from okr.models import CheckIn, Comment, Notification
from okr.objectives import selectors_detail as detail
from okr.objectives.access import get_key_result_for_user, get_objective_for_user
from okr.objectives.form_wiring import add_service_errors

THREAD = "conversation/thread.html"
CHANGED = "notificationsChanged"  # the bell listens for it (HX-Trigger)


def get_comment_for_user(request, code) -> Comment:
    queryset = Comment.objects.select_related("objective", "key_result", "check_in", "author")
    return get_for_org(request, queryset, code)


def get_notification_for_user(request, code) -> Notification:
    notification = get_for_org(
        request, Notification.objects.select_related("objective", "key_result", "check_in"), code
    )
    if notification.recipient_id != request.user.pk:
        raise Http404  # someone else's: as if it did not exist
    return notification


def thread_context(request, target, form: CommentForm | None = None, notice: str = "") -> dict:
    thread = selectors.thread_of(target, request.membership)
    return {
        "thread": thread,
        "comment_form": form or CommentForm(),
        "post_url": selectors.post_url(request.organisation, target),
        "thread_url": selectors.thread_url(request.organisation, target),
        "comment_notice": notice,
    }


def _answer(request, target, form: CommentForm | None = None, notice: str = ""):
    """The thread after a post: the fragment for HTMX, else back to the thread's page."""
    if request.htmx:
        response = render(
            request, f"{THREAD}#thread", thread_context(request, target, form, notice)
        )
        response["HX-Trigger"] = CHANGED
        return response
    if form is None or not form.errors:
        return redirect(selectors.thread_url(request.organisation, target))
    if isinstance(target, CheckIn):
        return _check_in_page(request, target, form)
    context = thread_context(request, target, form)
    return render(request, "conversation/comment_error.html", context, status=_status(form))


def _status(form: CommentForm) -> int:
    refusal = getattr(form, "refusal", None)
    return refusal.status_code if refusal is not None else 400


def _post(request, target):
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = get_comment_for_user(request, form.cleaned_data["parent"])
        try:
            services.comment_create(
                target=target, author=request.user, text=form.cleaned_data["text"], parent=parent
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _answer(request, target, notice=_("Comment posted."))
    return _answer(request, target, form)


def _thread_view(request, target):
    if request.method == "POST":
        return _post(request, target)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.htmx:
        return render(request, f"{THREAD}#thread", thread_context(request, target))
    return redirect(selectors.thread_url(request.organisation, target))


@org_view
def objective_comments(request, code):
    return _thread_view(request, get_objective_for_user(request, code))


@org_view
def key_result_comments(request, code):
    return _thread_view(request, get_key_result_for_user(request, code))


def _check_in_page(request, check_in: CheckIn, form: CommentForm | None = None):
    kr = detail.key_result_progress(check_in.key_result, calendar.today(request.organisation))
    context = {"check_in": check_in, "kr": kr or check_in.key_result}
    context |= thread_context(request, check_in, form)
    status = _status(form) if form is not None and form.errors else 200
    return render(request, "conversation/check_in.html", context, status=status)


@org_view
def check_in_comments(request, code):
    """A check-in and its conversation (the key result page links here from each check-in)."""
    queryset = CheckIn.objects.select_related("key_result__objective__cycle", "author")
    check_in = get_for_org(request, queryset, code)
    if request.method == "POST":
        return _post(request, check_in)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{THREAD}#thread", thread_context(request, check_in))
    return _check_in_page(request, check_in)


@org_view
def comment_edit(request, code):
    comment = get_comment_for_user(request, code)
    target = comment.target
    policy.require(request.membership, Action.COMMENT_EDIT, comment)  # 403/409 before the form
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment_edit(
                    comment=comment, author=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _answer(request, target, notice=_("Comment saved."))
    elif request.method in ("GET", "HEAD"):
        form = CommentForm(initial={"text": comment.text}, prefix_id=f"edit-{comment.uuid}")
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context = {
        "comment": comment,
        "form": form,
        "thread_url": selectors.thread_url(request.organisation, target),
    }
    template = "conversation/comment_edit.html"
    if request.htmx:
        template += "#edit-form"
    return render(request, template, context, status=400 if form.errors else 200)


@org_view
@require_POST
def comment_delete(request, code):
    comment = get_comment_for_user(request, code)
    services.comment_delete(comment=comment, author=request.user)
    return _answer(request, comment.target, notice=_("Comment removed."))


# --- Notifications -------------------------------------------------------------------------


@org_view
def notifications(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    page = selectors.notifications_page(request.organisation, request.user, request.GET.get("page"))
    for item in page.object_list:
        item.url = reverse("okr:notification_open", args=[request.organisation.slug, item.uuid])
    return render(request, "conversation/notifications.html", {"page": page})


@org_view
def notification_bell(request):
    """The bell alone (HTMX refreshes it after a comment is posted); a page link otherwise."""
    if not request.htmx:
        return redirect("okr:notifications", request.organisation.slug)
    return render(request, "conversation/bell.html", {"bell_count": None})


@org_view
def notification_open(request, code):
    """Go to what the notification is about; a POST (the list's buttons) marks it read first.

    A GET (the digest's links) only redirects: a GET never writes.
    """
    notification = get_notification_for_user(request, code)
    if request.method == "POST":
        services.notification_read(notification=notification, user=request.user)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return redirect(selectors.target_url(notification, request.organisation))


@org_view
@require_POST
def notification_read(request, code):
    notification = get_notification_for_user(request, code)
    services.notification_read(notification=notification, user=request.user)
    return _back_to_list(request)


@org_view
@require_POST
def notifications_read_all(request):
    services.notifications_read_all(organisation=request.organisation, user=request.user)
    return _back_to_list(request)


def _back_to_list(request):
    url = reverse("okr:notifications", args=[request.organisation.slug])
    page = request.POST.get("page", "")
    if page.isdigit() and len(page) < 6:
        url += f"?page={page}"
    return redirect(url)
