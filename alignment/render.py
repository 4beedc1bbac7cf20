"""HTML of the alignment tree's nodes, written in Python.

Why not a template: the fully expanded tree of a large organisation has
about 10,000 nodes, and Django's template engine needs well over a second
for that many (measured: ~0.35 s for 10,000 bare nodes, before links,
badges and dependencies), while string building takes a few tens of
milliseconds. The page itself (filters, coverage, dependencies, headings)
is a normal template, ``templates/alignment/tree.html``; only the nested
lists of nodes come from here.

Every text from the database goes through ``escape``; every label through
gettext (looked up once per render, in the active language). No queries:
everything comes in through ``Context``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from alignment.render_context import (  # noqa: F401 (ALL: the views')
    ALL,
    DEPENDENCIES,
    ORPHANS_OPEN,
    Context,
)
from alignment.selectors import DependencyRow
from alignment.tree import ORPHANS, KeyResultNode, ObjectiveNode, TeamGroup, Tree
from okr.templatetags.okr_tags import more_teams, percent, verdict, with_unit
from okr.templatetags.review_tags import score as score_text

_CONFIDENCE_CLASS = {"on_track": "badge-green", "at_risk": "badge-yellow", "off_track": "badge-red"}


def _progress(node, ctx: Context, stepped: bool = False, expected: bool = True) -> str:
    """A node's numbers from the engine: progress, expected pace and the one verdict.

    Wrapped with ``data-numbers-for`` (the node's public id) and the numbers
    themselves, so every surface that shows a key result can be compared.
    """
    numbers = node.numbers
    inner = _score(numbers, ctx.text) if numbers.closed else _bar(numbers, ctx, stepped, expected)
    return (
        f'<span class="node-numbers" data-numbers-for="{node.row.uuid}"'
        f"{_data(numbers)}>{inner}</span>"
    )


def _data(numbers) -> str:
    out = f' data-verdict="{numbers.verdict}"'
    if numbers.progress is not None:
        out += f' data-progress="{round(numbers.progress * 100)}"'
    if numbers.expected is not None:
        out += f' data-expected="{round(numbers.expected * 100)}"'
    return out


def _score(numbers, t: dict) -> str:
    """A closed cycle's frozen score in the engine's colour: what counts now, so no pace or "behind"."""
    if numbers.score is None:
        return f'<span class="node-score"><span class="badge">{t["no_score"]}</span></span>'
    return (
        f'<span class="node-score"><span class="score score-{numbers.colour}">'
        f'<span class="visually-hidden">{t["score"]}: </span>{score_text(numbers.score)}</span></span>'
    )


def _bar(numbers, ctx: Context, stepped: bool = False, show_expected: bool = True) -> str:
    """A progress bar with its number, the expected pace and the verdict (cached: a few hundred)."""
    progress, expected = numbers.progress, numbers.expected if show_expected else None
    key = (
        None if progress is None else round(progress * 100),
        None if expected is None else round(expected * 100),
        numbers.verdict,
        numbers.colour,
        stepped,
    )
    html = ctx.bars.get(key)
    if html is None:
        html = ctx.bars[key] = _bar_html(progress, expected, numbers, ctx.text, stepped)
    return html


def _mean_bar(progress: float, ctx: Context) -> str:
    """A team group's mean progress (no pace, no verdict: those belong to each objective)."""
    key = ("mean", round(progress * 100))
    html = ctx.bars.get(key)
    if html is None:
        html = ctx.bars[key] = _bar_html(progress, None, None, ctx.text, False)
    return html


def _bar_html(progress, expected, numbers, t: dict, stepped: bool) -> str:
    if progress is None:
        return f'<span class="node-progress"><span class="badge">{t["no_progress"]}</span></span>'
    behind = numbers is not None and numbers.behind
    parts = [
        f'<span class="node-progress{" is-behind" if behind else ""}">'
        f'<progress max="100" value="{round(progress * 100)}" aria-hidden="true"></progress>'
        f'<span class="visually-hidden">{t["progress"]}: </span>'
        f'<span class="progress-value">{percent(progress)}</span>'
    ]
    if expected is not None:
        label = t["expected_steps"] if stepped else t["expected"]
        parts.append(
            f' <span class="progress-expected muted">'
            f"{escape(label % {'expected': percent(expected)})}</span>"
        )
    if numbers is not None:
        parts.append(f" {verdict(numbers)}")
    parts.append("</span>")
    return "".join(parts)


def _confidence(confidence: str, t: dict, label: str = "owner_confidence") -> str:
    """The owners' confidence, labelled as theirs and apart from the computed verdict."""
    css = _CONFIDENCE_CLASS.get(confidence)
    if not css:
        return ""
    return (
        f' <span class="owner-confidence" data-confidence="{confidence}">'
        f'<span class="owner-confidence-label">{t[label]}</span> '
        f'<span class="badge {css}">{t[confidence]}</span></span>'
    )


def _dependency_badges(items, ctx: Context) -> str:
    t = ctx.text
    out = []
    for dep, role in items:
        when = ctx.day(dep.needed_by)
        if role == "needs":
            text = t["needs"] % {"team": dep.delivering_team, "date": when}
        else:
            text = t["delivers"] % {"team": dep.needing_team, "date": when}
        late = ""
        if dep.late:
            late = (
                f' <strong class="dependency-late">⚠ '
                f"{escape(t['late'] % {'due': ctx.day(dep.due)})}</strong>"
            )
        out.append(
            f'<span class="dependency-badge{" is-late" if dep.late else ""}" '
            f'title="{escape(dep.description)}">{escape(text)}{late}</span>'
        )
    return f' <span class="node-dependencies">{"".join(out)}</span>' if out else ""


def _team_key_result(node: KeyResultNode, ctx: Context) -> str:
    t = ctx.text
    row = node.row
    # The expected pace is the same for every key result of a quarter: it is shown on the
    # objective, and here only "behind pace" (a full tree has thousands of these).
    out = [
        f'<li class="node team-kr"><div class="node-row">'
        f'<a class="node-title" href="{ctx.key_result_url(row.uuid)}">{escape(row.title)}</a> ',
        _progress(node, ctx, expected=False),
        _confidence(row.confidence, t),
    ]
    if node.contribution is not None:
        c = node.contribution
        target = ctx.number(c.parent_target, c.unit) if c.parent_target is not None else ""
        text = (
            t["contributes"] % {"value": ctx.number(c.value), "target": target}
            if c.value is not None
            else t["contributes_nothing"] % {"target": target}
        )
        to = t["contributes_to"] % {"title": c.parent_title}
        out.append(
            f' <span class="contribution">{escape(text)}'
            f'<span class="visually-hidden"> {escape(to)}</span></span>'
        )
    out.append(_dependency_badges(ctx.deps_by_kr.get(row.id, ()), ctx))
    out.append(f"</div>{_personal(node.personal, ctx)}</li>")
    return "".join(out)


def _personal(nodes, ctx: Context) -> str:
    """Personal objectives under a team objective or key result: a third level, collapsed."""
    if not nodes:
        return ""
    count = len(nodes)
    label = ngettext("%(count)s personal objective", "%(count)s personal objectives", count)
    items = []
    for node in nodes:
        row = node.row
        owner = escape(ctx.people.get(row.owner_id, "")) if row.owner_id else ""
        krs = "".join(
            f'<li class="node personal-kr"><div class="node-row">'
            f'<a class="node-title" href="{ctx.key_result_url(kr.row.uuid)}">'
            f"{escape(kr.row.title)}</a> {_progress(kr, ctx, expected=False)}</div></li>"
            for kr in node.key_results
        )
        items.append(
            f'<li class="node personal-objective" id="n-{row.uuid}"><div class="node-row">'
            f'<a class="node-title" href="{ctx.objective_url(row.uuid)}">{escape(row.title)}</a>'
            f' <span class="node-meta muted">{owner}</span> {_progress(node, ctx)}</div>'
            + (f'<ul class="node-children">{krs}</ul>' if krs else "")
            + "</li>"
        )
    note = escape(gettext("Personal: never counted in the team's numbers."))
    return (
        f'<details class="personal-okrs"><summary>{escape(label % {"count": count})}</summary>'
        f'<p class="muted personal-note">{note}</p>'
        f'<ul class="node-children">{"".join(items)}</ul></details>'
    )


def _team_objective(node: ObjectiveNode, ctx: Context) -> str:
    t = ctx.text
    row = node.row
    meta = []
    if ctx.show_cycle and row.cycle_id in ctx.cycle_labels:
        meta.append(escape(ctx.cycle_labels[row.cycle_id]))
    if row.owner_id in ctx.people:
        meta.append(escape(ctx.people[row.owner_id]))
    if node.orphan_reason:
        meta.append(t[f"orphan_{node.orphan_reason}"])
    link = ""
    if row.parent_key_result_id or row.parent_objective_id:
        link = (
            f'<span class="link-kind" title="{t[row.alignment + "_long"]}">'
            f"{t[row.alignment]}</span> "
        )
    status = (
        ""
        if row.status == "approved"
        else f' <span class="badge">{t["status_" + row.status]}</span>'
    )
    out = [
        f'<li class="node team-objective link-{row.alignment}" id="n-{row.uuid}">'
        f'<div class="node-row">{link}'
        f'<a class="node-title" href="{ctx.objective_url(row.uuid)}">{escape(row.title)}</a>{status}',
        f' <span class="node-meta muted">{" · ".join(meta)}</span> ' if meta else " ",
        _progress(node, ctx),
        _confidence(node.confidence, t, "owners_confidence"),
        _dependency_badges(ctx.deps_by_objective.get(row.id, ()), ctx),
        "</div>",
    ]
    if node.key_results:
        out.append('<ul class="node-children">')
        out.extend(_team_key_result(kr, ctx) for kr in node.key_results)
        out.append("</ul>")
    out.append(_personal(node.personal, ctx))
    out.append("</li>")
    return "".join(out)


def group_summary(group: TeamGroup, ctx: Context) -> str:
    t = ctx.text
    count = len(group.objectives)
    parts = [
        escape(ngettext("%(count)s objective", "%(count)s objectives", count) % {"count": count})
    ]
    summary = (
        f'<span class="group-summary muted">{" · ".join(parts)}</span> '
        f"{_mean_bar(group.progress, ctx) if group.progress is not None else ''}"
        f"{_confidence(group.confidence, t, 'owners_confidence')}"
    )
    if any(o.row.id in ctx.late_objectives for o in group.objectives):
        summary += f' <strong class="dependency-late">⚠ {t["late_short"]}</strong>'
    return summary


def group_id(group: TeamGroup) -> str:
    return f"g-{group.parent_key}-{group.team.uuid}"


def group_inner(group: TeamGroup, ctx: Context, open_: bool | None = None) -> str:
    """The inside of a team group's <li>: the toggle, the summary and (open) the objectives."""
    open_ = ctx.is_open(group) if open_ is None else open_
    team = escape(group.team.name)
    anchor = escape(group_id(group))
    code = str(group.team.uuid)
    if open_:
        href = ctx.page_url(set() if ctx.all_open else ctx.expanded - {code}, anchor)
        hx = ctx.fragment_url("collapse", group)
    else:
        href = ctx.page_url(ctx.expanded | {code}, anchor)
        hx = ctx.fragment_url("expand", group)
    out = [
        f'<a class="toggle" href="{escape(href)}" hx-get="{escape(hx)}" hx-target="#{anchor}" '
        f'hx-swap="innerHTML" aria-expanded="{"true" if open_ else "false"}" '
        f'data-focus-after-swap><span class="toggle-icon" aria-hidden="true"></span>{team}</a> ',
        group_summary(group, ctx),
    ]
    if open_:
        out.append('<ul class="node-children">')
        out.extend(_team_objective(o, ctx) for o in group.objectives)
        out.append("</ul>")
    return "".join(out)


def _groups(groups: list[TeamGroup], ctx: Context, anchor: str) -> str:
    """A node's team groups, at most ``GROUPS_SHOWN`` of them unless all are asked for."""
    shown, rest = ctx.split_groups(groups)
    out = "".join(_group(g, ctx) for g in shown)
    if rest:
        out += more_item(ctx, groups[0].parent_key, anchor, more_teams(len(rest)))
    return out


def _group(group: TeamGroup, ctx: Context) -> str:
    return f'<li class="team-group" id="{escape(group_id(group))}">{group_inner(group, ctx)}</li>'


def more_item(ctx: Context, key: str, anchor: str, label: str) -> str:
    """The "Show N more" item that ends a bounded list.

    Its ``href`` is the page with every row of the list shown (``?more=``),
    back at the list's ``anchor``; with htmx the rest comes in its place
    (``more_html``), and focus moves to the first row that came.
    """
    item = f"more-{key}"
    href = ctx.page_url(ctx.expanded, anchor, {key})
    hx = f"{ctx.page_url(ctx.expanded, more={key})}&{urlencode([('rest', key)])}"
    return (
        f'<li class="more-rows no-print" id="{escape(item)}"><a href="{escape(href)}" '
        f'hx-get="{escape(hx)}" hx-target="#{escape(item)}" hx-swap="innerHTML">'
        f"{escape(label)}</a></li>"
    )


def more_html(tree: Tree, dependencies, ctx: Context, key: str) -> SafeString | None:
    """The rows behind one "Show N more" (``more_item``), or None for a key the tree lacks.

    The first link that came takes the focus (``static/js/app.js``): the one
    that was followed is gone with the swap.
    """
    if key == DEPENDENCIES:
        _shown, rows = ctx.split_dependencies(dependencies, bounded=True)
        html = dependencies_html(rows, ctx, bounded=False)
    else:
        groups = tree.groups_under(key)
        if groups is None:
            return None
        _shown, rest = ctx.split_groups(groups, bounded=True)
        write = _orphan_writer(tree) if key == ORPHANS else _group
        html = "".join(write(group, ctx) for group in rest)
    if "data-focus-after-swap" not in html:
        html = html.replace("<a ", "<a data-focus-after-swap ", 1)
    return mark_safe(f'<ul class="more-children">{html}</ul>')  # noqa: S308


def _strategic_key_result(node: KeyResultNode, ctx: Context) -> str:
    t = ctx.text
    row = node.row
    facts = []
    if row.kind == "metric":
        if row.target_value is None:
            facts.append(t["target_pending"])
        else:
            # Its current value: the sum of its direct contributions when it sums them.
            current = node.current if node.current is not None else row.start_value
            facts.append(
                t["current"]
                % {
                    "current": with_unit(current, row.unit),
                    "target": with_unit(row.target_value, row.unit),
                }
            )
    out = [
        f'<li class="node strategic-kr" id="n-{row.uuid}"><div class="node-row">'
        f'<span class="node-kind">{t["key_result"]}</span> '
        f'<a class="node-title" href="{ctx.key_result_url(row.uuid)}">{escape(row.title)}</a> ',
        f'<span class="node-meta muted">{escape(" · ".join(facts))}</span> ' if facts else "",
        _progress(node, ctx, stepped=node.stepped),
        _confidence(row.confidence, t),
    ]
    # Only a key result that sums its direct contributions shows their sum: it *is* its value.
    # Rates, percentages, NPS and averages are never added up (their children are listed).
    if node.sums:
        if node.direct_count:
            target = with_unit(row.target_value, row.unit) if row.target_value is not None else ""
            total = with_unit(node.direct_total, row.unit)
            text = t["direct_sum"] % {"value": total, "target": target}
            out.append(f' <span class="contribution contribution-sum">{escape(text)}</span>')
        out.append(f' <span class="muted">{t["sums_children"]}</span>')
    out.append("</div>")
    if node.groups:
        out.append(f'<ul class="node-children">{_groups(node.groups, ctx, f"n-{row.uuid}")}</ul>')
    out.append("</li>")
    return "".join(out)


def _strategic_objective(node: ObjectiveNode, ctx: Context) -> str:
    t = ctx.text
    row = node.row
    out = [
        f'<li class="node strategic-objective" id="n-{row.uuid}"><div class="node-row">'
        f'<h3 class="node-heading"><span class="node-kind">{t["strategic_objective"]}</span> '
        f'<a class="node-title" href="{ctx.objective_url(row.uuid)}">{escape(row.title)}</a></h3> ',
        _progress(node, ctx),
        _confidence(node.confidence, t, "owners_confidence"),
        "</div>",
        '<ul class="node-children">',
    ]
    out.extend(_strategic_key_result(kr, ctx) for kr in node.key_results)
    if node.groups:
        out.append(
            f'<li class="node aligned-to-objective"><div class="node-row muted">'
            f"{t['aligned_to_objective']}</div>"
            f'<ul class="node-children">{_groups(node.groups, ctx, f"n-{row.uuid}")}</ul></li>'
        )
    out.append("</ul></li>")
    return "".join(out)


def strategic_html(tree: Tree, ctx: Context) -> SafeString:
    """The strategic objectives with everything under them (a list of <li>)."""
    return mark_safe("".join(_strategic_objective(n, ctx) for n in tree.strategic))  # noqa: S308


def orphans_html(tree: Tree, ctx: Context) -> SafeString:
    """The orphans, grouped by team (a list of <li>), bounded like a node's; open while they
    are few (``ORPHANS_OPEN``), else each team group opens like a node's."""
    shown, rest = ctx.split_groups(tree.orphans)
    write = _orphan_writer(tree)
    out = "".join(write(group, ctx) for group in shown)
    if rest:
        out += more_item(ctx, ORPHANS, "orphans-heading", more_teams(len(rest)))
    return mark_safe(out)  # noqa: S308


def _orphan_writer(tree: Tree):
    few = sum(len(group.objectives) for group in tree.orphans) <= ORPHANS_OPEN
    return _orphan_group if few else _group


def _orphan_group(group: TeamGroup, ctx: Context) -> str:
    objectives = "".join(_team_objective(o, ctx) for o in group.objectives)
    return (
        f'<li class="team-group" id="{escape(group_id(group))}">'
        f'<span class="team-name">{escape(group.team.name)}</span> {group_summary(group, ctx)}'
        f'<ul class="node-children">{objectives}</ul></li>'
    )


def group_html(group: TeamGroup, ctx: Context, open_: bool) -> SafeString:
    return mark_safe(group_inner(group, ctx, open_))  # noqa: S308


def dependencies_html(
    rows: Iterable[DependencyRow], ctx: Context, bounded: bool = True
) -> SafeString:
    """The open dependencies of the period as list items, late ones first.

    ``bounded``: at most ``DEPENDENCIES_SHOWN``, then "Show N more" (``more_item``).
    """
    t = ctx.text
    rows, rest = ctx.split_dependencies(rows) if bounded else (rows, [])
    out = []
    for dep in rows:
        needing_url = (
            ctx.key_result_url(dep.needing_code)
            if dep.needing_key_result_id
            else ctx.objective_url(dep.needing_code)
        )
        delivering_url = (
            ctx.key_result_url(dep.delivering_code)
            if dep.delivering_key_result_id
            else ctx.objective_url(dep.delivering_code)
        )
        needs = t["needs_from"] % {
            "team": dep.delivering_team,
            "date": ctx.day(dep.needed_by),
        }
        late = ""
        if dep.late:
            late = (
                f' <strong class="dependency-late">⚠ '
                f"{escape(t['late'] % {'due': ctx.day(dep.due)})}</strong>"
            )
        out.append(
            f"<li{' class="is-late"' if dep.late else ''}><strong>{escape(dep.needing_team)}</strong> "
            f'<a href="{needing_url}">{escape(dep.needing_title)}</a> {escape(needs)}: '
            f'<a href="{delivering_url}">{escape(dep.delivering_title)}</a>. '
            f'<span class="muted">{escape(dep.description)}</span>{late}</li>'
        )
    if rest:
        label = ngettext(
            "Show %(count)s more dependency", "Show %(count)s more dependencies", len(rest)
        ) % {"count": len(rest)}
        out.append(more_item(ctx, DEPENDENCIES, "tree-dependencies-heading", label))
    return mark_safe("".join(out))  # noqa: S308
