"""The in-place board edit steps shared by the strategic page and the team workshop.

Both pages show objectives as cards with their key results, edit them in place
(version-checked), and move them up and down (the workshop also by drag and
drop). What differs is who may edit and how a page reloads; the steps here
are the same on both, so they live once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import methodcaller
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from accounts import policy
from accounts.policy import Action
from okr import coach as coaching
from okr.models import KeyResult, Objective
from okr.objectives import services
from okr.objectives.form_wiring import add_service_errors, with_version

MOVES = {"up": -1, "down": 1}


def move_offset(request, current_index: int | None = None) -> int | None:
    """The move asked for: ``direction`` up/down (buttons), or, where the page takes one
    (``current_index`` given), a 1-based ``position`` (drag and drop)."""
    if current_index is not None and "position" in request.POST:
        try:
            position = int(request.POST["position"])
        except (TypeError, ValueError):
            return None
        return max(position, 1) - 1 - current_index
    return MOVES.get(request.POST.get("direction", ""))


def focus_after_move(item, direction: str) -> str:
    """Keep focus on the button just used, unless the item reached the end where it is hidden."""
    if direction == "up" and not item.is_first:
        return "up"
    if direction == "down" and not item.is_last:
        return "down"
    return "heading"


# The coach is a pure function of the text and the language (okr.coach: no Django, no
# database), and a list's cards are read far more often than their titles change.
@lru_cache(maxsize=4096)
def _objective_hints(title: str, language: str) -> tuple:
    return tuple(coaching.lint_objective(title, language))


@lru_cache(maxsize=4096)
def _key_result_hints(title: str, language: str, target_set: bool) -> tuple:
    return tuple(coaching.lint_key_result(title, language, target_set=target_set))


def mark_positions(
    objectives: list[Objective],
    language: str,
    with_hints: bool,
    key_results: Callable[[Objective], list[KeyResult]] = lambda o: list(o.key_results.all()),
) -> None:
    """First/last flags (move buttons and focus) and the coach's hints, on cards and key results.

    Pure: reads the key results ``key_results(objective)`` gives (the prefetched ones).
    """
    last = len(objectives) - 1
    for index, objective in enumerate(objectives):
        objective.is_first, objective.is_last = index == 0, index == last
        objective.hints = list(_objective_hints(objective.title, language)) if with_hints else []
        krs = key_results(objective)
        for kr_index, kr in enumerate(krs):
            kr.is_first, kr.is_last = kr_index == 0, kr_index == len(krs) - 1
            kr.hints = (
                list(_key_result_hints(kr.title, language, not kr.is_pending)) if with_hints else []
            )


def shown_key_result(objective: Objective, pk: int) -> KeyResult:
    """The key result as loaded for the page (prefetched under its objective), or 404."""
    for kr in objective.key_results.all():
        if kr.pk == pk:
            return kr
    raise Http404


@dataclass
class Edit:
    """The outcome of a posted in-place edit: saved, or the form to show again."""

    form: Any
    saved: bool = False
    stale: Any = None

    @property
    def refusal(self) -> policy.PolicyError | None:
        """The policy's refusal (the page answers 403 or 409 and keeps the typed text)."""
        return getattr(self.form, "refusal", None)


def save_versioned(
    request,
    make_form: Callable[[Any], Any],
    save: Callable[[Any], object],
    check: Callable[[], object] | None = None,
) -> Edit:
    """Validate the posted form and save it at the version it was read at.

    ``make_form(data)`` builds the bound form, ``save(form)`` calls the service.
    ``check()`` asks the policy first (``policy.require``), so a refused person
    hears why even when the input is wrong too. When someone saved in between
    (``StaleEdit``), the form comes back with the current version and ``stale``
    set to the current object, so saving again is deliberate; service errors
    and policy refusals land on the form (``add_service_errors``).
    """
    form = make_form(request.POST)
    try:
        if check is not None:
            check()
        if not form.is_valid():
            return Edit(form)
        save(form)
    except services.StaleEdit as exc:
        form = make_form(with_version(request.POST, exc.current.version))
        form.is_valid()
        return Edit(form, stale=exc.current)
    except (ValidationError, policy.PolicyError) as exc:
        add_service_errors(form, exc)
        return Edit(form)
    return Edit(form, saved=True)


def create_from[T](request, form, create: Callable[[Any], T], added: str) -> T | None:
    """Validate the posted form and create from it: the new object, or None with the errors on the form.

    ``create(form)`` calls the service; its ``ValidationError`` lands on the form
    (``add_service_errors``) so the page shows the typed text again. A plain
    (no-JS) request hears ``added``, as the page redirects next.
    """
    if not form.is_valid():
        return None
    try:
        created = create(form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if not request.htmx:
        messages.success(request, added)
    return created


def create_key_result(request, objective: Objective, form) -> KeyResult | None:
    """Add the posted key result under ``objective`` (``create_from``)."""
    return create_from(
        request,
        form,
        lambda form: services.key_result_create(
            objective=objective, author=request.user, **form.service_fields()
        ),
        _("Key result added."),
    )


def _save(request, update, make_form, fields, check) -> Edit:
    """``save_versioned`` with ``update(version=, author=, **fields(form))``."""
    return save_versioned(
        request,
        make_form,
        lambda form: update(
            version=form.cleaned_data["version"] or 0, author=request.user, **fields(form)
        ),
        check,
    )


def save_objective(
    request,
    objective: Objective,
    make_form: Callable[[Any], Any],
    fields: Callable[[Any], dict],
    check: Callable[[], object] | None = None,
) -> Edit:
    """``save_versioned`` for an objective; ``fields(form)`` gives what the service takes
    (the strategic and workshop forms differ)."""
    update = partial(services.objective_update, objective=objective)
    return _save(request, update, make_form, fields, check)


def save_key_result(
    request,
    kr: KeyResult,
    make_form: Callable[[Any], Any],
    check: Callable[[], object] | None = None,
) -> Edit:
    """``save_versioned`` for a key result (one form on both pages)."""
    update = partial(services.key_result_update, key_result=kr)
    fields = methodcaller("service_fields")  # the form's own list
    return _save(request, update, make_form, fields, check)


def _move(
    request, move: Callable[[int], object], index: Callable[[], int] | None
) -> HttpResponse | None:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    offset = move_offset(request, None if index is None else index())
    if offset is None:
        return HttpResponseBadRequest(_("Choose up or down."))
    move(offset)
    return None


def move_objective(
    request, objective: Objective, index: Callable[[], int] | None = None
) -> HttpResponse | None:
    """Policy first, then POST only: make the move asked for; None when moved, else the answer (405/400).

    ``index()`` gives the card's 0-based place where the page takes a drag-and-drop
    ``position`` (asked only for a POST).
    """
    policy.require(request.membership, Action.OBJECTIVE_REORDER, objective)
    return _move(
        request,
        lambda offset: services.objective_move(
            objective=objective, offset=offset, author=request.user
        ),
        index,
    )


def move_key_result(
    request, kr: KeyResult, index: Callable[[], int] | None = None
) -> HttpResponse | None:
    """``move_objective`` for a key result."""
    policy.require(request.membership, Action.KEY_RESULT_REORDER, kr)
    return _move(
        request,
        lambda offset: services.key_result_move(key_result=kr, offset=offset, author=request.user),
        index,
    )


def _archive(request, action: Action, obj, archive, archived: str) -> HttpResponse | None:
    """Policy first, then POST only: archive; None when done, else 405.

    A plain (no-JS) request hears ``archived``, as the page redirects next.
    """
    policy.require(request.membership, action, obj)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archive(author=request.user)
    if not request.htmx:
        messages.success(request, archived)
    return None


def archive_objective(request, objective: Objective) -> HttpResponse | None:
    """Archive the objective (``_archive``)."""
    archive = partial(services.objective_archive, objective=objective)
    archived = _("Objective archived: %(title)s") % {"title": objective.title}
    return _archive(request, Action.OBJECTIVE_ARCHIVE, objective, archive, archived)


def archive_key_result(request, kr: KeyResult) -> HttpResponse | None:
    """Archive the key result (``_archive``)."""
    archive = partial(services.key_result_archive, key_result=kr)
    archived = _("Key result archived: %(title)s") % {"title": kr.title}
    return _archive(request, Action.KEY_RESULT_ARCHIVE, kr, archive, archived)
