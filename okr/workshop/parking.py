"""The workshop's parking lot: ideas parked during the workshop, later turned into
key results or initiatives, or discarded. Members of the team, its lead and
leadership edit (``Action.WORKSHOP_PARK``, asked of ``accounts.policy``); the views answer with the parking-lot fragment of the workshop
page (HTMX) or a redirect to it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import policy
from accounts.access import get_team_for_user, org_view
from accounts.policy import Action
from okr.models import Cycle
from okr.objectives.form_wiring import add_service_errors, refusal_status
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import ParkingLotForm, ToInitiativeForm, ToKeyResultForm
from okr.workshop.page import (
    TEMPLATE,
    Workshop,
    full_choice,
    load_workshop,
    page_url,
    parking_context,
    quarter_for_write,
    role_for,
    whole_page,
    ws_context,
)

# --- Parking lot ------------------------------------------------------------------------------


def _parking_response(request, ws: Workshop, cycle: Cycle, **extra):
    if not request.htmx:
        return None
    return render(
        request,
        f"{TEMPLATE}#parking-lot-changed",
        ws_context(request, ws, **parking_context(request, ws, **extra)),
    )


@org_view
def parking_add(request, code):
    team = get_team_for_user(request, code)
    policy.require(request.membership, Action.WORKSHOP_PARK, team)
    role = role_for(request, team)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ParkingLotForm(request.POST, auto_id="park-new-%s")
    cycle = quarter_for_write(request) if form.is_valid() else None
    if cycle is not None:
        try:
            workshop.parking_lot_add(
                organisation=request.organisation,
                team=team,
                cycle=cycle,
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(
                    request, _("Parked: %(text)s") % {"text": form.cleaned_data["text"]}
                )
                return redirect(page_url(request.organisation, team, cycle, "parking-lot"))
            ws = load_workshop(request, team, cycle, role)
            return _parking_response(
                request,
                ws,
                cycle,
                notice=_("Parked: %(text)s") % {"text": form.cleaned_data["text"]},
            )
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    if request.htmx:
        ws = load_workshop(request, team, choice.selected.cycle, role)
        return render(
            request,
            f"{TEMPLATE}#parking-lot-changed",
            ws_context(
                request,
                ws,
                quarter_token=choice.selected.token,
                **parking_context(request, ws, new_form=form),
            ),
        )
    return whole_page(request, team, choice, role, parking_form=form)


@org_view
def parking_convert(request, code):
    """Turn an open item into a key result (``into=key_result``) or an initiative (``into=initiative``)."""
    item = queries.get_parking_lot_item_for_user(request, code)
    team, cycle = item.team, item.cycle
    policy.require(request.membership, Action.WORKSHOP_PARK, team)
    role = role_for(request, team)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    into = request.POST.get("into")
    if into not in ("key_result", "initiative"):
        return HttpResponseBadRequest(_("Choose a key result or an initiative."))
    ws = load_workshop(request, team, cycle, role)
    form_class = ToKeyResultForm if into == "key_result" else ToInitiativeForm
    form = form_class(
        request.POST,
        objectives=ws.editable_objectives,
        auto_id=f"park-{item.uuid}-{'kr' if into == 'key_result' else 'initiative'}-%s",
    )
    if form.is_valid():
        try:
            if into == "key_result":
                created = workshop.parking_lot_to_key_result(
                    item=item,
                    objective=form.cleaned_data["objective"],
                    title=form.cleaned_data["title"],
                    author=request.user,
                )
                notice = _("Now a key result: %(title)s") % {"title": created.title}
            else:
                created = workshop.parking_lot_to_initiative(
                    item=item,
                    key_result=form.cleaned_data["key_result"],
                    title=form.cleaned_data["title"],
                    author=request.user,
                )
                notice = _("Now an initiative: %(title)s") % {"title": created.title}
        except ValidationError as exc:
            if "item" in getattr(exc, "error_dict", {}):
                # Someone converted or discarded it meanwhile: say so, nothing else to fix.
                notice = " ".join(exc.message_dict["item"])
                if not request.htmx:
                    messages.warning(request, notice)
                    return redirect(page_url(request.organisation, team, cycle, "parking-lot"))
                return _parking_response(request, ws, cycle, notice=notice)
            add_service_errors(form, exc)
        except policy.PolicyError as exc:  # say, the chosen objective is proposed now
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, notice)
                anchor = f"key-result-{created.uuid}" if into == "key_result" else "parking-lot"
                return redirect(page_url(request.organisation, team, cycle, anchor))
            ws = load_workshop(request, team, cycle, role)
            target = (
                form.cleaned_data["objective"]
                if into == "key_result"
                else form.cleaned_data["key_result"].objective
            )
            return render(
                request,
                f"{TEMPLATE}#parking-lot-converted",
                ws_context(
                    request,
                    ws,
                    objective=ws.objective(target.pk),
                    **parking_context(request, ws, notice=notice),
                ),
            )
    bound = (item.pk, form, into)
    status = refusal_status(form)
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#parking-lot-changed",
            ws_context(request, ws, **parking_context(request, ws, bound=bound)),
            status=status,
        )
    return whole_page(
        request, team, full_choice(request, cycle), role, status=status, parking_bound=bound
    )


@org_view
def parking_discard(request, code):
    item = queries.get_parking_lot_item_for_user(request, code)
    team, cycle = item.team, item.cycle
    policy.require(request.membership, Action.WORKSHOP_PARK, team)
    role = role_for(request, team)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notice = _("Discarded: %(text)s") % {"text": item.text}
    try:
        workshop.parking_lot_discard(item=item, author=request.user)
    except ValidationError as exc:
        notice = " ".join(exc.messages)
    if not request.htmx:
        messages.info(request, notice)
        return redirect(page_url(request.organisation, team, cycle, "parking-lot"))
    ws = load_workshop(request, team, cycle, role)
    return _parking_response(request, ws, cycle, notice=notice)
