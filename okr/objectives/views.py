"""OKR pages for everyone: "my check-ins" (the home page is in views_home.py).

A person's blank rows are rendered once per person and revision of the
organisation (``_my_rows_html``); a submit that fails renders that person's
own forms, with what they typed, for that response only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import revision
from accounts.access import org_view
from okr.lib import calendar
from okr.models import KeyResult
from okr.objectives import selectors, services
from okr.objectives.form_wiring import add_service_errors
from okr.objectives.forms import CheckInForm
from okr.reminders import selectors as selectors_reminders
from okr.templatetags.okr_tags import form_div, key_result_target, with_unit


def _initial(kr, confidence=None) -> dict:
    return {
        "confidence": confidence or kr.confidence or "",  # a first check-in: none assumed
        "done": kr.done,
        "steps_done": kr.steps_done,
    }


def _check_in_rows(request, key_results, data=None):
    return [
        (kr, CheckInForm(data, key_result=kr, prefix=str(kr.uuid), initial=_initial(kr)))
        for kr in key_results
    ]


#: The prefix a blank row's inputs are written with once per shape of row, then replaced by
#: each row's own. Only names and ids hold it: no text of the page can (PostgreSQL stores no NUL).
_PREFIX_MARK = "\x00row\x00"


def _fields_html(kr, form, written: dict) -> str:
    """A row's inputs, as ``{{ form.as_div }}`` wrote them (``okr_tags.form_div``).

    A form with input (or errors) is written as it is. Blank ones (``form`` None: a row
    nobody typed in) differ only in their prefix when their key results have the same
    kind, unit and steps and they start from the same values, so each such shape is
    written once per page rather than once per row.
    """
    if form is not None and form.is_bound:
        return form_div(form)
    initial = _initial(kr) if form is None else form.initial
    shape = (kr.kind, kr.unit, kr.steps_total, tuple(sorted(initial.items())))
    if shape not in written:
        blank = CheckInForm(key_result=kr, prefix=_PREFIX_MARK, initial=initial)
        written[shape] = str(form_div(blank))
    return mark_safe(written[shape].replace(_PREFIX_MARK, str(kr.uuid)))  # noqa: S308 - form_div's


def _rows_html(request, rows, csrf_token: str) -> str:
    """The rows' form, its rows' texts said here once rather than by template lookups per row.

    ``rows``: (key result, its check-in form, or None for a blank one) pairs.
    """
    slug = request.organisation.slug
    written = {}
    for kr, form in rows:
        kr.check_in_fields = _fields_html(kr, form, written)
        kr.check_in_failed = form is not None and bool(form.errors)
        kr.detail_url = reverse("okr:key_result_detail", args=[slug, kr.uuid])
        objective = kr.objective
        place = [objective.title, objective.cycle.label]
        if objective.team:
            place.append(objective.team.name)
        kr.place_text = " · ".join(str(part) for part in place)
        kr.target_text = key_result_target(kr)
        # The template's ``current_value|default:start_value``: a value of 0 shows the start.
        kr.now_text = (
            with_unit(kr.current_value or kr.start_value, kr.unit)
            if kr.kind == KeyResult.Kind.METRIC
            else None
        )
    return render_to_string(
        "objectives/my_check_ins.html#rows", {"rows": rows, "csrf_token": csrf_token}
    )


def _my_rows_html(request) -> str:
    """My rows, blank, rendered once per person and revision of the organisation.

    The key holds the person: the rows are the key results they own, and
    owning one is what the policy asks to let them check in on it (``Rel.OWNER``
    is among the stewards of every live key result), so no other answer
    changes a row; their role too, as on home (teams and roles are writes
    that move the revision anyway). Then the organisation's day (each row's
    verdict, pace and "due"), the language, the time zone and the address.
    Everything else the rows show is the organisation's data, whose every
    write moves the revision. The CSRF token is a placeholder each response
    replaces with its own.
    """
    organisation = request.organisation

    def render_rows() -> str:
        key_results = selectors.owned_key_results(organisation, request.user)
        return _rows_html(request, [(kr, None) for kr in key_results], revision.CSRF_PLACEHOLDER)

    return revision.cached(
        organisation.pk,
        "my-check-ins",
        [
            request.user.pk,
            request.membership.role,
            calendar.today(organisation),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            request.get_full_path(),
        ],
        render_rows,
    )


def _render_check_ins(request, rows_html: str):
    """The page around the rows (``rows_html``: with ``revision.CSRF_PLACEHOLDER`` or a token)."""
    last_reminded_at = selectors_reminders.last_reminded_at(request.organisation, request.user)
    return render(
        request,
        "objectives/my_check_ins.html",
        {
            "rows_html": revision.with_token(request, rows_html),
            "last_reminded_at": last_reminded_at,  # not a write the revision sees: read each time
        },
    )


@org_view
@require_http_methods(["GET", "POST"])
def my_check_ins(request):
    """Every key result I own on one page; check in on any number of them in one submit.

    Rows left untouched are skipped. Valid rows are saved; a row with bad
    input keeps what was typed and says what is wrong, and the page says
    clearly which were saved and which were not.
    """
    organisation = request.organisation
    if request.method == "GET":
        return _render_check_ins(request, _my_rows_html(request))
    key_results = selectors.owned_key_results(organisation, request.user)

    rows = _check_in_rows(request, key_results, request.POST)
    saved, failed, kept_rows = [], [], []
    for kr, form in rows:
        if form.is_blank():
            kept_rows.append(
                (kr, CheckInForm(key_result=kr, prefix=str(kr.uuid), initial=_initial(kr)))
            )
            continue
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.check_in_record(
                        key_result=kr, author=request.user, **form.service_fields()
                    )
            except ValidationError as error:
                add_service_errors(form, error)
                failed.append(kr)
                kept_rows.append((kr, form))
                continue
            saved.append(kr)
            kept_rows.append(
                (
                    kr,
                    CheckInForm(
                        key_result=kr,
                        prefix=str(kr.uuid),
                        initial=_initial(kr, form.cleaned_data["confidence"]),
                    ),
                )
            )
        else:
            failed.append(kr)
            kept_rows.append((kr, form))

    if saved:
        messages.success(
            request,
            ngettext("Saved %(count)d check-in.", "Saved %(count)d check-ins.", len(saved))
            % {"count": len(saved)},
        )
    if not saved and not failed:
        messages.info(request, _("Nothing to save: type a value or a note on a key result first."))
    if not failed:
        return redirect("okr:my_check_ins", organisation.slug)
    messages.error(
        request,
        ngettext(
            "%(count)d check-in was not saved: fix the marked row and save again.",
            "%(count)d check-ins were not saved: fix the marked rows and save again.",
            len(failed),
        )
        % {"count": len(failed)},
    )
    if saved:
        key_results = selectors.owned_key_results(organisation, request.user)
        current = {kr.pk: kr for kr in key_results}
        kept_rows = [(current.get(kr.pk, kr), form) for kr, form in kept_rows]
    # What this person typed and what is wrong with it: their own, never cached.
    return _render_check_ins(request, _rows_html(request, kept_rows, get_token(request)))
