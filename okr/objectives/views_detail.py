"""Objective and key result detail pages: progress, check-ins, initiatives, children, history.

Views parse the request, call a service or selector and render. One template
serves a page and its HTMX fragments: an HTMX request gets a named partial
(``objectives/key_result_detail.html#check-in-section``); without JavaScript a
successful POST redirects back to the page and a failed one re-renders it
with the typed input and per-field errors. The objective and key result pages come
in parts, each cached per revision of the organisation (``okr.objectives.objective_page``,
``okr.objectives.key_result_page``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import org_view
from accounts.policy import Action
from okr.models import KeyResult
from okr.objectives import key_result_page, objective_page, services
from okr.objectives.access import (
    get_initiative_for_user,
    get_key_result_for_user,
    get_objective_for_user,
)
from okr.objectives.form_wiring import add_service_errors
from okr.objectives.forms import CheckInForm, InitiativeForm, InitiativeStatusForm

KEY_RESULT_TEMPLATE = key_result_page.TEMPLATE
OBJECTIVE_TEMPLATE = objective_page.TEMPLATE


def _key_result_url(kr: KeyResult, organisation, anchor: str = "") -> str:
    url = reverse("okr:key_result_detail", args=[organisation.slug, kr.uuid])
    return f"{url}#{anchor}" if anchor else url


# --- Views ----------------------------------------------------------------------------


@org_view
def objective_detail(request, code):
    objective = get_objective_for_user(request, code)
    if request.method not in ("GET", "HEAD"):
        # Checked after the lookup, so an id from another organisation is 404 whatever the method.
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, OBJECTIVE_TEMPLATE, objective_page.page_context(request, objective))


@org_view
def key_result_detail(request, code):
    kr = get_key_result_for_user(request, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if request.htmx and not request.htmx.boosted:
        # A refresh of the progress, chart and check-in table (e.g. after a check-in elsewhere).
        return HttpResponse(key_result_page.check_in_section(request, kr))
    return render(request, KEY_RESULT_TEMPLATE, key_result_page.page_context(request, kr))


@org_view
@require_POST
def key_result_check_in(request, code):
    kr = get_key_result_for_user(request, code)
    policy.require(request.membership, Action.CHECK_IN, kr)
    form = CheckInForm(request.POST, key_result=kr)
    if form.is_valid():
        try:
            services.check_in_record(key_result=kr, author=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("Check-in saved.")
            if request.htmx:
                context = key_result_page.check_in_context(request, kr, notice=notice)
                return render(request, f"{KEY_RESULT_TEMPLATE}#check-in-section", context)
            messages.success(request, notice)
            return redirect(_key_result_url(kr, request.organisation, "check-in-section"))
    if request.htmx:
        return render(
            request,
            f"{KEY_RESULT_TEMPLATE}#check-in-section",
            key_result_page.check_in_context(request, kr, form),
        )
    live = {"check_ins": key_result_page.check_in_context(request, kr, form)}
    return render(
        request, KEY_RESULT_TEMPLATE, key_result_page.page_context(request, kr, live=live)
    )


@org_view
@require_POST
def initiative_new(request, code):
    kr = get_key_result_for_user(request, code)
    policy.require(request.membership, Action.INITIATIVE_CREATE, kr)
    form = InitiativeForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            services.initiative_create(key_result=kr, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("Initiative added.")
            if request.htmx:
                context = key_result_page.initiatives_context(request, kr, notice=notice)
                return render(request, f"{KEY_RESULT_TEMPLATE}#initiatives-section", context)
            messages.success(request, notice)
            return redirect(_key_result_url(kr, request.organisation, "initiatives"))
    if request.htmx:
        return render(
            request,
            f"{KEY_RESULT_TEMPLATE}#initiatives-section",
            key_result_page.initiatives_context(request, kr, form),
        )
    live = {"initiatives": key_result_page.initiatives_context(request, kr, form)}
    return render(
        request, KEY_RESULT_TEMPLATE, key_result_page.page_context(request, kr, live=live)
    )


@org_view
@require_POST
def initiative_status(request, code):
    initiative = get_initiative_for_user(request, code)
    kr = get_key_result_for_user(request, initiative.key_result.uuid)
    policy.require(request.membership, Action.INITIATIVE_EDIT, initiative)
    form = InitiativeStatusForm(request.POST)
    saved = form.is_valid()
    if saved:
        try:
            services.initiative_set_status(
                initiative=initiative, status=form.cleaned_data["status"], author=request.user
            )
        except ValidationError:
            saved = False
    if saved:
        notice = _("Status of “%(title)s” changed to %(status)s.") % {
            "title": initiative.title,
            "status": initiative.get_status_display(),
        }
        level = messages.SUCCESS
    else:
        notice = _("Choose a status.")
        level = messages.ERROR
    if request.htmx:
        context = key_result_page.initiatives_context(request, kr, notice=notice)
        context["initiative_notice_is_error"] = level == messages.ERROR
        return render(request, f"{KEY_RESULT_TEMPLATE}#initiatives-section", context)
    messages.add_message(request, level, notice)
    return redirect(_key_result_url(kr, request.organisation, "initiatives"))
