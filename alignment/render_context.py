"""What the tree's renderer (``alignment.render``) needs besides the tree: the view builds it.

The addresses, the filters to keep, which teams are open, which bounded
lists are shown in full, and the labels in the active language, looked up
once per render. Kept apart so that the renderer stays a list of node
writers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from alignment.selectors import DependencyRow
from alignment.tree import TeamGroup
from okr.models import Objective
from okr.templatetags.okr_tags import with_unit

ALL = "all"
#: A collapsed tree shows at most this many team groups under a node (and among the orphans),
#: and this many open dependencies: the rest come with "Show N more", in place (htmx) or as the
#: page that shows them all. So the page a large organisation opens first does not grow with
#: the number of its teams; the print view (``?expand=all``) still shows everything.
GROUPS_SHOWN = 12
DEPENDENCIES_SHOWN = 20
#: The orphans show their objectives open while they are at most this many in all; beyond,
#: their team groups open one at a time like a node's, so the page stays bounded.
ORPHANS_OPEN = 40
DEPENDENCIES = "dependencies"  # the "more" key of the dependency list (nodes use their uuid)


@dataclass
class Context:
    """What the renderer needs besides the tree; built by the view."""

    tree_url: str  # /<org>/alignment/
    objective_url: Callable[[object], str]
    key_result_url: Callable[[object], str]
    filter_params: list[tuple[str, str]]  # the current filters, for links that keep them
    expanded: frozenset[str]  # team uuids as text, or {"all"}
    people: dict[int, str] = field(default_factory=dict)
    cycle_labels: dict[int, str] = field(default_factory=dict)
    show_cycle: bool = True
    dependencies: Iterable[DependencyRow] = ()
    shown_all: frozenset[str] = frozenset()  # "more" keys whose every row is shown (?more=)

    def __post_init__(self):
        self.all_open = ALL in self.expanded
        self.base = urlencode(self.filter_params)
        self.deps_by_objective: dict[int, list[tuple[DependencyRow, str]]] = defaultdict(list)
        self.deps_by_kr: dict[int, list[tuple[DependencyRow, str]]] = defaultdict(list)
        self.late_objectives: set[int] = set()
        for dep in self.dependencies:
            for role, objective_id, kr_id in (
                ("needs", dep.needing_objective_id, dep.needing_key_result_id),
                ("delivers", dep.delivering_objective_id, dep.delivering_key_result_id),
            ):
                if kr_id is not None:
                    self.deps_by_kr[kr_id].append((dep, role))
                else:
                    self.deps_by_objective[objective_id].append((dep, role))
                if dep.late:
                    self.late_objectives.add(objective_id)
        self._days: dict = {}
        self._numbers: dict = {}
        self.bars: dict = {}
        # Labels without placeholders are escaped here; the others after formatting.
        self.text = {k: v if "%(" in v else escape(v) for k, v in _labels().items()}

    def day(self, value) -> str:
        """A date as "15 Feb" in the active language (formatted once per date)."""
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = date_format(value, "ABBR_MONTH_DAY_FORMAT")
        return text

    def number(self, value, unit: str = "") -> str:
        """A number with its unit in the active language (formatted once per value)."""
        key = (value, unit)
        text = self._numbers.get(key)
        if text is None:
            text = self._numbers[key] = with_unit(value, unit)
        return text

    def is_open(self, group: TeamGroup) -> bool:
        return self.all_open or str(group.team.uuid) in self.expanded

    def shows_all(self, key: str) -> bool:
        return self.all_open or key in self.shown_all

    def split_groups(self, groups: list[TeamGroup], bounded: bool = False):
        """The team groups a node shows, and those behind its "Show N more" (``GROUPS_SHOWN``).

        An opened team is shown wherever it falls. ``bounded`` splits even where
        ``?more=`` asks for all: the lazy "more" fragment returns the second part.
        """
        if not groups or len(groups) <= GROUPS_SHOWN:
            return groups, []
        if not bounded and self.shows_all(groups[0].parent_key):
            return groups, []
        shown, rest = [], []
        for index, group in enumerate(groups):
            (shown if index < GROUPS_SHOWN or self.is_open(group) else rest).append(group)
        return shown, rest

    def split_dependencies(self, rows, bounded: bool = False):
        """The open dependencies shown (late ones first), and those behind "Show N more"."""
        rows = sorted(rows, key=lambda row: not row.late)
        if len(rows) <= DEPENDENCIES_SHOWN or (not bounded and self.shows_all(DEPENDENCIES)):
            return rows, []
        return rows[:DEPENDENCIES_SHOWN], rows[DEPENDENCIES_SHOWN:]

    def page_url(self, expanded: Iterable[str], anchor: str = "", more: Iterable[str] = ()) -> str:
        params = [
            *self.filter_params,
            *(("expand", e) for e in sorted(expanded)),
            *(("more", key) for key in sorted({*self.shown_all, *more})),
        ]
        query = urlencode(params)
        return f"{self.tree_url}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"

    def fragment_url(self, action: str, group: TeamGroup) -> str:
        extra = urlencode([(action, str(group.team.uuid)), ("under", group.parent_key)])
        return f"{self.tree_url}?{self.base + '&' if self.base else ''}{extra}"


def _labels() -> dict[str, str]:
    return {
        "strategic_objective": gettext("Strategic objective"),
        "key_result": gettext("Key result"),
        "progress": gettext("Progress"),
        "expected": gettext("expected %(expected)s"),
        "expected_steps": gettext("expected %(expected)s by the quarterly steps"),
        "owner_confidence": gettext("Owner's confidence:"),
        "owners_confidence": gettext("Owners' lowest confidence:"),
        "on_track": gettext("On track"),
        "at_risk": gettext("At risk"),
        "off_track": gettext("Off track"),
        "direct": pgettext("alignment link", "direct"),
        "indirect": pgettext("alignment link", "indirect"),
        "direct_long": gettext("Supports it directly"),
        "indirect_long": gettext("Supports it indirectly"),
        "no_progress": gettext("No measurable progress yet"),
        "score": gettext("Score"),
        "no_score": gettext("Target pending: no score"),
        "aligned_to_objective": gettext("Team objectives aligned to the objective itself"),
        "contributes": gettext("contributes %(value)s of %(target)s"),
        "contributes_nothing": gettext("contributes nothing yet of %(target)s"),
        "contributes_to": gettext("to “%(title)s”"),
        "direct_sum": gettext("Sum of direct contributions: %(value)s of %(target)s"),
        "sums_children": gettext("Its current value is the sum of the direct contributions."),
        "current": gettext("%(current)s of %(target)s"),
        "needs": gettext("Needs from %(team)s by %(date)s"),
        "needs_from": gettext("needs from %(team)s by %(date)s"),
        "delivers": gettext("%(team)s needs this by %(date)s"),
        "late": gettext("Late: due %(due)s, after it is needed"),
        "late_short": gettext("Late dependency"),
        "orphan_none": gettext("No parent"),
        "orphan_elsewhere": gettext("Its parent is archived or in another year"),
        "target_pending": gettext("target pending"),
        **{f"status_{value}": str(label) for value, label in Objective.Status.choices},
    }
