"""Wiring shared by the pages that edit OKR texts: the live coach, focus after a swap,
service errors on the form, and the version of a stale edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from okr import coach as coaching


def wire_coach(request, form, kind: str):
    """Wire the title field to the coach (``okr:coach``) and mark where focus goes after a swap."""
    if getattr(form, "hints_id", None):
        return form
    title = form["title"]
    form.hints_id = f"{form.base_id}-hints"
    lint = coaching.lint_objective if kind == "objective" else coaching.lint_key_result
    form.hints = lint(str(title.value() or ""), request.LANGUAGE_CODE)
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


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form's fields (unknown fields: on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def with_version(data, version: int):
    """The posted data with the version the stale check found, so a second save is deliberate."""
    data = data.copy()
    data["version"] = str(version)
    return data
