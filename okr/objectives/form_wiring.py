"""Wiring shared by the pages that edit OKR texts: the live coach, focus after a swap,
service errors and policy refusals on the form, and the version of a stale edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import policy
from okr import coach as coaching


def target_typed(form) -> bool:
    """Does the key result form hold a target (or a milestone, which has none to wait for)?"""
    if "kind" in form.fields and form["kind"].value() == "milestone":
        return True
    return "target_value" in form.fields and bool(str(form["target_value"].value() or "").strip())


def wire_coach(request, form, kind: str):
    """Wire the title field to the coach (``okr:coach``) and mark where focus goes after a swap."""
    if getattr(form, "hints_id", None):
        return form
    title = form["title"]
    form.hints_id = f"{form.base_id}-hints"
    if kind == "objective":
        form.hints = coaching.lint_objective(str(title.value() or ""), request.LANGUAGE_CODE)
    else:
        form.hints = coaching.lint_key_result(
            str(title.value() or ""), request.LANGUAGE_CODE, target_set=target_typed(form)
        )
    describedby = " ".join(filter(None, [title.aria_describedby, form.hints_id]))
    title.field.widget.attrs.update(
        {
            "hx-post": reverse("okr:coach", args=[request.organisation.slug]),
            "hx-trigger": "input changed delay:400ms",
            "hx-target": f"#{form.hints_id}",
            "hx-vals": f'{{"kind": "{kind}"}}',
            "hx-sync": "this:replace",
            "aria-describedby": describedby,
        }
    )
    first_error = (
        next((name for name in form.errors if name in form.fields), None) if form.is_bound else None
    )
    focus = first_error or "title"
    if form.fields[focus].widget.is_hidden or focus == "alignment":
        focus = "title"
    form.fields[focus].widget.attrs["data-focus-after-swap"] = True
    return form


def add_service_errors(form, exc: ValidationError | policy.PolicyError) -> None:
    """Put a service's refusal on the form, keeping what was typed.

    A ``ValidationError`` goes on the form's fields (unknown fields: on the form).
    A policy refusal (``PolicyError``) goes on the form with the policy's message
    and is kept as ``form.refusal``: the page answers with its status
    (``refusal_status``: 403, or 409 for the object's state), as the API does.
    """
    if isinstance(exc, policy.PolicyError):
        form.errors  # noqa: B018 - validate first, so the typed values are shown again
        form.add_error(None, exc.message)
        form.refusal = exc
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def refusal_status(form, default: int = 200) -> int:
    """The status of a page that shows ``form`` again: the policy refusal's, if it had one."""
    refusal = getattr(form, "refusal", None)
    return refusal.status_code if refusal is not None else default


def with_version(data, version: int):
    """The posted data with the version the stale check found, so a second save is deliberate."""
    data = data.copy()
    data["version"] = str(version)
    return data
