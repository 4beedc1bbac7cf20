"""The webhook settings pages (admins): endpoints, one endpoint with its delivery log.

A new or rotated secret is rendered in the answer to the POST, never stored to show
later. Reads go through ``accounts.webhooks.selectors``, writes through
``accounts.webhooks.services`` (the API, ``accounts.webhooks.api``, calls the same).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import org_view
from accounts.policy import Action
from accounts.webhooks import selectors, services, signing
from accounts.webhooks.forms import EndpointForm
from accounts.webhooks.selectors import get_endpoint_for_user

LIST = "settings/webhooks.html"
DETAIL = "settings/webhook.html"
LOG_PAGE_SIZE = 25


def _errors_to_form(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _list_context(request, form, **extra) -> dict:
    endpoints = list(selectors.endpoints_of(request.organisation))
    return {
        "form": form,
        "endpoints": endpoints,
        "signature_header": signing.SIGNATURE_HEADER,
    } | extra


@org_view(action=Action.WEBHOOKS_MANAGE)
@require_http_methods(["GET", "POST"])
def webhooks(request):
    """The organisation's endpoints and the form to add one."""
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = services.endpoint_create(
                organisation=request.organisation,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                author=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _detail(request, endpoint, secret=secret, status=201)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, LIST, _list_context(request, form), status=status)


def _detail(request, endpoint, *, form=None, secret=None, status=200):
    if form is None:
        initial = {
            "url": endpoint.url,
            "events": endpoint.events,
            "active": endpoint.active,
            "description": endpoint.description,
        }
        form = EndpointForm(initial=initial, editing=True)
    page = Paginator(selectors.deliveries_of(endpoint), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "endpoint": endpoint,
        "form": form,
        "secret": secret,
        "page": page,
        "signature_header": signing.SIGNATURE_HEADER,
    }
    return render(request, DETAIL, context, status=status)


@org_view(action=Action.WEBHOOKS_MANAGE)
@require_http_methods(["GET", "POST"])
def webhook(request, code):
    """One endpoint: change it, and its delivery log, newest first."""
    endpoint = get_endpoint_for_user(request, code)
    if request.method == "GET":
        return _detail(request, endpoint)
    form = EndpointForm(request.POST, editing=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.endpoint_update(
                endpoint=endpoint,
                url=data["url"],
                events=data["events"],
                active=data["active"],
                description=data["description"],
                author=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The webhook was saved."))
            return redirect("settings:webhook", request.organisation.slug, endpoint.uuid)
    return _detail(request, endpoint, form=form, status=400)


@org_view(action=Action.WEBHOOKS_MANAGE)
@require_POST
def webhook_rotate(request, code):
    endpoint = get_endpoint_for_user(request, code)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, author=request.user)
    return _detail(request, endpoint, secret=secret)


@org_view(action=Action.WEBHOOKS_MANAGE)
@require_POST
def webhook_test(request, code):
    endpoint = get_endpoint_for_user(request, code)
    services.endpoint_send_test(endpoint=endpoint, author=request.user)
    messages.success(
        request, _("A test event is on its way. Its delivery appears in the log below.")
    )
    return redirect("settings:webhook", request.organisation.slug, endpoint.uuid)


@org_view(action=Action.WEBHOOKS_MANAGE)
@require_POST
def webhook_delete(request, code):
    endpoint = get_endpoint_for_user(request, code)
    services.endpoint_delete(endpoint=endpoint, author=request.user)
    messages.success(request, _("The webhook %(url)s was deleted.") % {"url": endpoint.url})
    return redirect("settings:webhooks", request.organisation.slug)
