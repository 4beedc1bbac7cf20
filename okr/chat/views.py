"""The settings page "Chat notifications": the hooks, add one, test, turn off, remove.

Admins manage every hook; a team's lead manages their teams' hooks (the policy,
``Action.CHAT_HOOKS_MANAGE``); anyone else gets 403, non-members 404. Writes go
through ``okr.chat.services``. Adding asks the policy about the hook asked for (the
organisation's, or the posted team's) before the form checks the input, as the API
does: a lead asking for another team's hook is refused (403), not told to choose again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.access import org_view
from accounts.policy import Action
from okr.chat import selectors, services
from okr.chat.forms import ChatHookForm

PAGE = "chat/hooks.html"


def _check_access(request) -> bool:
    """Admins and team leads may open the page; the policy's 403 for anyone else."""
    admin = selectors.is_admin(request.membership)
    if not admin and not selectors.lead_team_ids(request.membership):
        policy.require(request.membership, Action.CHAT_HOOKS_MANAGE)
    return admin


def _form(request, data=None) -> ChatHookForm:
    admin = selectors.is_admin(request.membership)
    return ChatHookForm(data, teams=selectors.teams_for(request), organisation_wide=admin)


def _page(request, form, status=200):
    context = {"form": form, "hooks": list(selectors.visible_hooks(request))}
    return render(request, PAGE, context, status=status)


@org_view
@require_http_methods(["GET", "POST"])
def hooks(request):
    """The hooks this person manages and the form to add one."""
    if request.method == "GET":
        _check_access(request)
        return _page(request, _form(request))
    code = request.POST.get("team") or ""
    team = selectors.team_of(request, code) if code else None
    if team is not None or not code:  # a team not of the organisation: the form's error (400)
        policy.require(request.membership, Action.CHAT_HOOKS_MANAGE, team)
    form = _form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.hook_create(
                organisation=request.organisation,
                kind=data["kind"],
                url=data["url"],
                team=data["team"],
                events=data["events"],
                author=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Chat notifications added. Send a test message to check."))
            return redirect("okr:chat_hooks", request.organisation.slug)
    return _page(request, form, status=400)


def _done(request, text: str):
    messages.success(request, text)
    return redirect("okr:chat_hooks", request.organisation.slug)


@org_view
@require_POST
def hook_test(request, code):
    hook = selectors.get_chat_hook_for_user(request, code)
    services.hook_test(hook=hook, author=request.user)
    return _done(request, _("A test message is on its way to %(hook)s.") % {"hook": hook.url_hint})


@org_view
@require_POST
def hook_disable(request, code):
    hook = selectors.get_chat_hook_for_user(request, code)
    services.hook_disable(hook=hook, author=request.user)
    return _done(request, _("Chat notifications to %(hook)s are off.") % {"hook": hook.url_hint})


@org_view
@require_POST
def hook_delete(request, code):
    hook = selectors.get_chat_hook_for_user(request, code)
    services.hook_delete(hook=hook, author=request.user)
    return _done(
        request, _("Chat notifications to %(hook)s were removed.") % {"hook": hook.url_hint}
    )
