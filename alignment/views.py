"""Alignment pages: the tree, cross-team dependencies, quarterly steps of a yearly key result.

Views parse the request, call a selector or a service and render. The tree
page and its fragments come from one template (``alignment/tree.html``): an
HTMX request with ``under`` gets one team group (lazy expand or collapse),
another HTMX request the tree region (the filter form), a plain request the
whole page, where ``?expand=<team uuid>`` (repeatable) or ``?expand=all``
opens groups without JavaScript.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy, revision
from accounts.access import _as_uuid, org_view
from accounts.policy import Action
from accounts.redirects import safe_next
from alignment import dependency_list, selectors, services
from alignment import render as tree_render
from alignment import tree as tree_module
from alignment.access import annotate_permissions, get_dependency_for_user
from alignment.forms import DependencyForm, StepsForm, TreeFilterForm, side_choices
from alignment.models import Dependency
from okr.lib import calendar
from okr.models import Cycle
from okr.objectives.access import get_key_result_for_user

TREE_TEMPLATE = "alignment/tree.html"
DEPENDENCIES_TEMPLATE = "alignment/dependencies.html"
DEPENDENCY_FORM_TEMPLATE = "alignment/dependencies_form.html"
STEPS_TEMPLATE = "alignment/key_result_steps.html"
DEPENDENCIES_PER_PAGE = 50
_PLACEHOLDER = uuid.UUID(int=0)


def _url_maker(name: str, organisation):
    """A fast ``uuid -> URL`` for many nodes: reverse once, then put the uuid in."""
    template = reverse(name, args=[organisation.slug, _PLACEHOLDER])
    head, tail = template.split(str(_PLACEHOLDER))
    return lambda code: f"{head}{code}{tail}"


# --- The tree --------------------------------------------------------------------------------


def _tree_state(request, only_team: str | None = None):
    """Parse the filters and load everything the tree needs (a fixed number of queries).

    ``only_team`` (a team's uuid) loads that team's objectives only, for a
    lazy-expand fragment; an unknown team is 404.
    """
    organisation = request.organisation
    today = calendar.today(organisation)
    choices = selectors.tree_choices(organisation)
    teams, people = choices.teams, choices.people
    team_ids_for_rows = None
    if only_team is not None:
        fragment_team = next((t for t in teams if str(t.uuid) == only_team), None)
        if fragment_team is None:
            raise Http404
        team_ids_for_rows = [fragment_team.id]
    form = TreeFilterForm(
        request.GET,
        years=[(y.year, y.label) for y in choices.years],
        teams=teams,
        people=people,
    )
    team_code = form.value("team")
    team = next((t for t in teams if str(t.uuid) == team_code), None)
    owner_code = form.value("owner")
    owner = next((p for p in people if str(p.uuid) == owner_code), None)
    status = form.value("status")
    loaded = selectors.alignment_tree(
        organisation,
        choices,
        today=today,
        year=form.value("year"),
        quarter=form.value("quarter"),
        team=team,
        status=status,
        at_risk=bool(form.value("at_risk", False)),
        owner=owner,
        only_team_ids=team_ids_for_rows,
    )
    year, quarter, filters = loaded.year, loaded.quarter, loaded.filters
    params = []
    if year is not None and form.value("year") is not None:
        params.append(("year", str(year.year)))
    for name, value in (
        ("quarter", quarter.quarter if quarter else None),
        ("team", team_code if team else None),
        ("status", status),
        ("owner", owner_code if owner else None),
        ("at_risk", "on" if filters.at_risk else None),
    ):
        if value:
            params.append((name, str(value)))
    known = {str(t.uuid) for t in teams}
    expanded = frozenset(
        e for e in request.GET.getlist("expand") if e == tree_render.ALL or e in known
    )
    # The bounded lists shown in full (``?more=``): a node's public id, or the orphans' or
    # the dependencies' key. Anything else is ignored, like an unknown team to expand.
    more = frozenset(key for key in request.GET.getlist("more") if _is_more_key(key))
    return {
        "organisation": organisation,
        "today": today,
        "form": form,
        "year": year,
        "quarters": loaded.quarters,
        "quarter": quarter,
        "teams": teams,
        "people": people,
        "filters": filters,
        "filter_params": params,
        "expanded": expanded,
        "more": more,
        "tree": loaded.tree,
        "dependency_rows": loaded.dependencies,
        "choices": choices,
    }


def _render_context(request, state) -> tree_render.Context:
    organisation = request.organisation
    return tree_render.Context(
        tree_url=reverse("alignment:tree", args=[organisation.slug]),
        objective_url=_url_maker("okr:objective_detail", organisation),
        key_result_url=_url_maker("okr:key_result_detail", organisation),
        filter_params=state["filter_params"],
        expanded=state["expanded"],
        people={p.id: p.name for p in state["people"]},
        cycle_labels={q.id: q.label for q in state["quarters"]},
        show_cycle=state["quarter"] is None,
        dependencies=state["dependency_rows"],
        shown_all=state["more"],
    )


def _is_more_key(key: str) -> bool:
    if key in (tree_module.ORPHANS, tree_render.DEPENDENCIES):
        return True
    try:
        uuid.UUID(key)
    except ValueError:
        return False
    return True


def _cache_parts(request) -> list:
    """What a cached tree or part depends on besides the revision: the day (verdicts), the
    language and every parameter of the address (filters, open teams, lists shown whole)."""
    return [
        calendar.today(request.organisation),
        translation.get_language(),
        sorted((k, v) for k in request.GET for v in request.GET.getlist(k)),
    ]


def _more_fragment(request):
    """The rows behind one "Show N more" of a bounded list (``alignment.render.more_item``).

    Kept per revision like the page: the rest of a node's teams in a large
    organisation is the whole tree's work. A key this tree does not have is 404.
    """
    key = request.GET.get("rest", "")
    if not _is_more_key(key):
        raise Http404
    organisation = request.organisation
    html = revision.cached(
        organisation.pk,
        "alignment-tree-rest",
        _cache_parts(request),
        lambda: _more_rows(request, key),
    )
    if not html:
        raise Http404
    return HttpResponse(html)


def _more_rows(request, key: str) -> str:
    state = _tree_state(request)
    if state["tree"] is None:
        return ""
    rows = tree_render.more_html(
        state["tree"], state["dependency_rows"], _render_context(request, state), key
    )
    if rows is None:
        return ""
    return render_to_string(f"{TREE_TEMPLATE}#more-rows", {"more_html": rows}, request=request)


def _group_fragment(request):
    """One team group, opened (``expand``) or closed (``collapse``), for lazy expand."""
    code = request.GET.get("expand") or request.GET.get("collapse") or ""
    open_ = bool(request.GET.get("expand"))
    under = request.GET.get("under", "")
    if under != tree_module.ORPHANS:
        under = str(_as_uuid(under))  # a node's public id (404 if it is not one)
    state = _tree_state(request, only_team=code)
    team = next(t for t in state["teams"] if str(t.uuid) == code)
    tree = state["tree"]
    group = tree.group(under, team.id) if tree is not None else None
    if group is None:
        group = tree_module.TeamGroup(
            team=team,
            parent_key=under,
            objectives=[],
            progress=None,
            confidence="",
            at_risk_count=0,
        )
    ctx = _render_context(request, state)
    return render(
        request,
        f"{TREE_TEMPLATE}#team-group",
        {"group_html": tree_render.group_html(group, ctx, open_)},
    )


@org_view
@require_http_methods(["GET", "HEAD"])
def tree(request):
    """The tree page, or its region for the filter form's HTMX request.

    The region is the same for every member who asks with the same filters
    on the same day, and costs a second or more in a large organisation: it
    is rendered once per revision of the organisation (``accounts.revision``:
    any write makes a new one) and served from the cache until then.
    """
    if request.htmx and request.GET.get("under") is not None:
        return _group_fragment(request)
    if request.htmx and request.GET.get("rest") is not None:
        return _more_fragment(request)
    organisation = request.organisation
    page = revision.cached(
        organisation.pk,
        "alignment-tree",
        _cache_parts(request),
        lambda: _tree_page(request),
        local=True,  # the fully open tree is megabytes: kept by each process too
    )
    if request.htmx:
        return HttpResponse(page["region"])
    context = {
        "year": page["year"],
        "filters_html": page["filters"],
        "region_html": revision.PART_PLACEHOLDER,
    }
    return revision.splice(render(request, TREE_TEMPLATE, context), page["region"])


def _tree_page(request) -> dict:
    """What the tree page shows, rendered: the region (as bytes) and the filter form."""
    state = _tree_state(request)
    tree = state["tree"]
    context = {**state, "print_url": None}
    if tree is not None:
        ctx = _render_context(request, state)
        context |= {
            "strategic_html": tree_render.strategic_html(tree, ctx),
            "orphans_html": tree_render.orphans_html(tree, ctx),
            "dependencies_html": tree_render.dependencies_html(state["dependency_rows"], ctx),
            "print_url": ctx.page_url({tree_render.ALL}),
            "collapse_url": ctx.page_url(set()),
            "all_open": ctx.all_open,
            "team_objective_count": sum(1 for _ in tree.team_objectives()),
            "late_count": sum(1 for d in state["dependency_rows"] if d.late),
        }
    choices = state["choices"]
    # The filter form: its choices (every team and person) and what was asked are the same for
    # everyone who asks with the same filters, so it is rendered here too.
    form = TreeFilterForm(
        request.GET,
        years=[(y.year, y.label) for y in choices.years],
        teams=choices.teams,
        people=choices.people,
    )
    filters = {"form": form, "expanded": sorted(state["expanded"])}
    return {
        # Bytes: served as they are (``revision.splice``), not encoded for every response.
        "region": render_to_string(
            f"{TREE_TEMPLATE}#tree-region", context, request=request
        ).encode(),
        "filters": render_to_string(f"{TREE_TEMPLATE}#tree-filters", filters, request=request),
        "year": state["year"],
    }


# --- Dependencies ------------------------------------------------------------------------------


def _dependencies_url(organisation, anchor="") -> str:
    url = reverse("alignment:dependencies", args=[organisation.slug])
    return f"{url}#{anchor}" if anchor else url


def _add_service_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@org_view
@require_http_methods(["GET", "HEAD", "POST"])
def dependencies(request):
    """Every dependency of the organisation, and a form anyone in it may use to add one.

    The form offers every team objective and key result of the open cycles:
    thousands in a large organisation, so it comes only when asked for
    (``?add=1``, in place with htmx), when it starts from an objective
    (``?needing=``/``?delivering=``), or with the errors of a POST.
    """
    organisation = request.organisation
    initial = {
        name: request.GET[name] for name in ("needing", "delivering") if request.GET.get(name)
    }
    form_html = None
    if request.method == "POST":
        choices = side_choices(selectors.dependency_sides(organisation))
        form = DependencyForm(request.POST, organisation=organisation, choices=choices)
        if form.is_valid():
            try:
                dependency = services.dependency_create(
                    organisation=organisation, created_by=request.user, **form.service_fields()
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Dependency added."))
                return redirect(_dependencies_url(organisation, f"dependency-{dependency.uuid}"))
        form_html = _dependency_form_html(form, organisation, get_token(request))
    elif initial or request.GET.get("add"):
        # The new form is the same for everyone in the organisation (anyone may add one):
        # its thousands of choices are written once per revision, language and the side it
        # starts from. Each response puts in its own CSRF token.
        form_html = revision.cached_html(
            request,
            organisation.pk,
            "dependency-form",
            [sorted(initial.items()), translation.get_language()],
            lambda csrf_token: _dependency_form_html(
                DependencyForm(
                    initial=initial,
                    organisation=organisation,
                    choices=side_choices(selectors.dependency_sides(organisation)),
                ),
                organisation,
                csrf_token,
            ),
        )
    state = request.GET.get("state", "")
    if state not in Dependency.State.values:
        state = ""
    # The page of the list is the same for everyone: kept per revision, filter and page asked
    # for (nothing in it depends on the day: "late" compares two dates of the dependency).
    number = request.GET.get("page")
    listing = revision.cached(
        organisation.pk,
        "dependencies-page",
        [state, number],
        lambda: _dependencies_listing(organisation, state, number),
    )
    items = annotate_permissions(listing.items, request.membership)
    # Its HTML differs by the controls the policy gives this viewer on each dependency (its
    # answers are in the key), the language, and the address the controls come back to.
    # Each response puts in its own CSRF token.
    next_path = request.get_full_path()
    answers = "".join("1" if item.can_manage else "0" for item in items)
    list_html = revision.cached_html(
        request,
        organisation.pk,
        "dependency-list",
        [next_path, translation.get_language(), answers],
        lambda csrf_token: dependency_list.list_html(
            items,
            organisation_slug=organisation.slug,
            csrf_token=csrf_token,
            next_path=next_path,
        ),
    )
    return render(
        request,
        DEPENDENCIES_TEMPLATE,
        {
            "form_html": form_html,
            "dependencies": items,
            "dependency_list": list_html,
            "page_obj": listing,
            "state": state,
            "states": Dependency.State.choices,
            "late_count": listing.late_count,
        },
    )


def _dependency_form_html(form: DependencyForm, organisation, csrf_token: str) -> SafeString:
    """The new-dependency form (``DEPENDENCY_FORM_TEMPLATE``), its errors if it has any."""
    context = {"form": form, "organisation": organisation, "csrf_token": csrf_token}
    return mark_safe(render_to_string(DEPENDENCY_FORM_TEMPLATE, context).strip())  # noqa: S308 - a template's output


def _dependencies_listing(organisation, state: str, number) -> dependency_list.Listing:
    """The page ``number`` of the dependencies (in ``state``, if any) and the late count."""
    rows = dependency_list.rows(organisation)
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows, DEPENDENCIES_PER_PAGE).get_page(number)
    return dependency_list.Listing(
        items=dependency_list.items(organisation, page.object_list),
        number=page.number,
        num_pages=page.paginator.num_pages,
        late_count=selectors.late_dependency_count(organisation),
    )


def _back(request, dependency: Dependency) -> str:
    return safe_next(
        request, _dependencies_url(request.organisation, f"dependency-{dependency.uuid}")
    )


def _managed_dependency(request, code) -> Dependency:
    dependency = get_dependency_for_user(request, code)
    policy.require(request.membership, Action.DEPENDENCY_MANAGE, dependency)
    return dependency


@org_view
@require_POST
def dependency_state(request, code):
    """Resolve or reopen (team leads of either team and leadership)."""
    dependency = _managed_dependency(request, code)
    try:
        services.dependency_set_state(
            dependency=dependency, state=request.POST.get("state", ""), author=request.user
        )
    except ValidationError:
        messages.error(request, _("Choose open or resolved."))
    else:
        if dependency.state == Dependency.State.RESOLVED:
            messages.success(request, _("Dependency resolved."))
        else:
            messages.success(request, _("Dependency reopened."))
    return redirect(_back(request, dependency))


@org_view
@require_POST
def dependency_delete(request, code):
    dependency = _managed_dependency(request, code)
    back = _back(request, dependency)
    services.dependency_delete(dependency=dependency, author=request.user)
    messages.success(request, _("Dependency deleted."))
    if back.startswith(_dependencies_url(request.organisation) + "#"):
        back = _dependencies_url(request.organisation)
    return redirect(back)


# --- Quarterly steps -----------------------------------------------------------------------------


@org_view
def key_result_steps(request, code):
    """Leadership splits a yearly key result into cumulative quarterly targets."""
    kr = get_key_result_for_user(request, code)
    policy.require(request.membership, Action.KEY_RESULT_SET_STEPS, kr)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    steppable = (
        kr.kind == kr.Kind.METRIC
        and kr.objective.cycle.kind == Cycle.Kind.YEAR
        and kr.start_value is not None
        and kr.target_value is not None
    )
    facts = selectors.strategic_facts(kr) if steppable else None
    form = None
    if steppable:
        data = request.POST if request.method == "POST" else None
        form = StepsForm(data, key_result=kr, quarters=facts.quarters, auto_id="steps-%s")
        if data is not None and form.is_valid():
            try:
                services.key_result_steps_set(
                    key_result=kr, targets=form.targets(), author=request.user
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Quarterly steps saved."))
                url = reverse("okr:key_result_detail", args=[request.organisation.slug, kr.uuid])
                return redirect(f"{url}#quarterly-steps")
    elif request.method == "POST":
        messages.error(
            request,
            _("Only a yearly metric key result with a start and a target has quarterly steps."),
        )
    return render(request, STEPS_TEMPLATE, {"kr": kr, "form": form, "steppable": steppable})
