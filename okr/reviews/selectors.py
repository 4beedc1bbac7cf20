"""Reads for the review board: the key results in a review, and the board itself.

Every function takes the organisation first and runs a fixed number of
queries whatever the organisation's size. Reading never writes: a scheduled
review without a row is shown from the schedule and today's data. The
schedule, the next review and the period a review covers ("since the last
review held") are in ``okr.reviews.days`` and re-exported here.

The reminders (``okr.reminders.selectors``) and the quarter close
(``okr.closing.selectors``) read key results through ``latest_points`` and
``state_of`` here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import RowNumber

from okr.lib import calendar
from okr.lib import review as rv
from okr.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    ReviewTeam,
)
from okr.objectives import numbers

# The review days (schedule, next review, list, period) live in okr.reviews.days; the
# pages, the API, the reminders and the close read them from here too.
from okr.reviews.days import (  # noqa: F401 - re-exported
    UPCOMING_COUNT,
    Overview,
    Period,
    ReviewDay,
    Schedule,
    next_review,
    period_of,
    review_day,
    reviews_overview,
    schedule_of,
)

NOTES_LIMIT = 400


# --- Key results in a review ---------------------------------------------------------------


def scope_key_results(organisation, day: date, *, open_cycles_only: bool = False):
    """Live key results of approved objectives in the cycles that contain ``day`` (a queryset).

    The quarter's team objectives and the year's strategic objectives.
    """
    qs = KeyResult.objects.filter(
        Q(objective__level=Objective.Level.TEAM, objective__cycle__kind=Cycle.Kind.QUARTER)
        | Q(objective__level=Objective.Level.STRATEGIC, objective__cycle__kind=Cycle.Kind.YEAR),
        organisation=organisation,
        archived=False,
        objective__status=Objective.Status.APPROVED,
        objective__cycle__start_date__lte=day,
        objective__cycle__end_date__gte=day,
    )
    if open_cycles_only:
        qs = qs.exclude(objective__cycle__state=Cycle.State.CLOSED)
    return qs


def expects_check_in(kind: str, rollup: str, done: bool | None) -> bool:
    """Whether a key result is still due check-ins: not one that sums its children's values,
    nor a milestone marked done (the reminders ask the same: ``keys_missing_check_in``)."""
    if rollup == KeyResult.Rollup.SUM:
        return False
    return not (kind == KeyResult.Kind.MILESTONE and done)


def _ordered_scope(organisation, day: date) -> list[KeyResult]:
    return list(
        scope_key_results(organisation, day)
        .select_related("objective__cycle", "objective__team", "owner")
        .order_by(
            "objective__level",  # "strategic" < "team": reordered below
            "objective__team__order",
            "objective__team__name",
            "objective__order",
            "objective__id",
            "order",
            "id",
        )
    )


def latest_points(organisation, moment: datetime, *, inclusive: bool = True) -> dict[int, rv.Point]:
    """Key result id -> its latest check-in at (or before) ``moment`` (one query)."""
    moment_filter = {"created_at__lte" if inclusive else "created_at__lt": moment}
    check_ins = CheckIn.objects.filter(organisation=organisation, **moment_filter)
    if connection.features.can_distinct_on_fields:  # PostgreSQL: DISTINCT ON
        check_ins = check_ins.order_by("key_result_id", "-created_at", "-id").distinct(
            "key_result_id"
        )
    else:  # SQLite (the embedded default): the first row of each key result's window
        check_ins = check_ins.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("key_result_id")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        ).filter(rank=1)
    rows = check_ins.values_list(
        "key_result_id", "value", "done", "steps_done", "confidence", "created_at"
    )
    return {
        kr_id: rv.Point(value=value, done=done, steps_done=steps, confidence=conf, at=at)
        for kr_id, value, done, steps, conf, at in rows
    }


def current_point(kr: KeyResult) -> rv.Point | None:
    if kr.last_check_in_at is None:
        return None
    return rv.Point(
        value=kr.current_value,
        done=kr.done,
        steps_done=kr.steps_done,
        confidence=kr.confidence,
        at=kr.last_check_in_at,
    )


def state_of(kr: KeyResult, point: rv.Point | None) -> rv.State:
    return rv.state_at(
        kind=kr.kind,
        start=kr.start_value,
        target=kr.target_value,
        steps_total=kr.steps_total,
        point=point,
    )


# --- The review board (the page) ----------------------------------------------------------


@dataclass
class TeamView:
    key: object
    team: object | None
    name: str
    rows: list = field(default_factory=list)
    progress: float | None = None
    previous_progress: float | None = None
    at_risk: int = 0
    off_track: int = 0
    without_check_in: int = 0
    notes: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    chart: str = ""

    @property
    def uuid(self) -> str:
        return str(self.team.uuid) if self.team is not None else "strategic"

    @property
    def delta(self) -> float | None:
        return rv.progress_delta(self.previous_progress, self.progress)

    @property
    def missing(self) -> list:
        return [r for r in self.rows if r.missing_check_in]

    @property
    def at_risk_rows(self) -> list:
        return rv.at_risk_first(self.rows)


@dataclass
class Board:
    day: ReviewDay
    review: Review | None
    period: Period
    closed: bool
    teams: list[TeamView]
    at_risk: list
    chart: str
    until: datetime | None

    @property
    def rows(self) -> list:
        return [r for t in self.teams for r in t.rows]

    @property
    def missing(self) -> list:
        return [r for t in self.teams for r in t.missing]

    def team(self, key: str) -> TeamView | None:
        return next((t for t in self.teams if t.uuid == key), None)


def _decorate(row: rv.Row, *, title, objective_title, owner, kr_uuid, kind, unit, team_name, value):
    row.title = title
    row.objective_title = objective_title
    row.owner = owner
    row.kr_uuid = kr_uuid
    row.kind = kind
    row.unit = unit
    row.team_name = team_name
    row.value = value
    return row


def _strategic_name() -> str:
    from django.utils.translation import gettext

    return gettext("Strategic OKRs")


def _live_rows(organisation, day: date, period: Period, as_of: datetime | None) -> list[rv.Row]:
    krs = _ordered_scope(organisation, day)
    live = as_of is None
    if live:
        # Now is today: the engine's numbers, as every other page shows them (1-3 queries).
        numbers.annotate_key_results(krs, calendar.today(organisation))
    # Team objectives first (in team order), the strategic OKRs last.
    krs.sort(key=lambda kr: kr.objective.level == Objective.Level.STRATEGIC)
    now_points = latest_points(organisation, as_of) if as_of is not None else None
    if period.baseline_is_snapshot:
        snapshot = {
            r.key_result_id: r
            for r in ReviewKeyResult.objects.filter(review=period.previous_review).only(
                "key_result_id", "progress", "confidence", "value", "done", "last_check_in_at"
            )
        }
        before = {
            kr_id: rv.State(
                progress=r.progress,
                value=r.value,
                done=r.done,
                confidence=r.confidence,
                last_check_in_at=r.last_check_in_at,
            )
            for kr_id, r in snapshot.items()
        }
        before_of = before.get
    else:
        points = latest_points(organisation, period.since, inclusive=False)
        by_id = {kr.id: kr for kr in krs}

        def before_of(kr_id):
            return state_of(by_id[kr_id], points.get(kr_id))

    rows = []
    for index, kr in enumerate(krs):
        point = now_points.get(kr.id) if now_points is not None else current_point(kr)
        now = state_of(kr, point)
        if live:  # a key result that sums its children: the sum, whatever it checked in
            now = replace(now, progress=kr.numbers.progress)
        team = kr.objective.team
        row = rv.Row(
            key=kr.id,
            team_key=team.id if team else None,
            objective_key=kr.objective_id,
            weight=float(kr.weight),
            now=now,
            before=before_of(kr.id),
            since=period.since,
            expects_check_in=expects_check_in(kr.kind, kr.rollup, kr.done),
            order=(index,),
            payload=kr,
        )
        rows.append(
            _decorate(
                row,
                title=kr.title,
                objective_title=kr.objective.title,
                owner=kr.owner,
                kr_uuid=kr.uuid,
                kind=kr.kind,
                unit=kr.unit,
                team_name=team.name if team else _strategic_name(),
                value=now.value,
            )
        )
        row.numbers = kr.numbers if live else None
    return rows


def _teams_from_rows(rows: list[rv.Row]) -> list[TeamView]:
    teams = []
    for summary in rv.by_team(rows):
        first = summary.rows[0].payload
        team = first.objective.team
        teams.append(
            TeamView(
                key=summary.key,
                team=team,
                name=team.name if team else _strategic_name(),
                rows=summary.rows,
                progress=summary.progress,
                previous_progress=summary.previous_progress,
                at_risk=summary.at_risk,
                off_track=summary.off_track,
                without_check_in=summary.without_check_in,
            )
        )
    return teams


def _frozen(review: Review, previous: Review | None) -> tuple[list[rv.Row], list[TeamView]]:
    # Known then: in the last closed review's snapshot (else "new since the last review").
    then = ReviewKeyResult.objects.filter(review=previous, key_result=OuterRef("key_result"))
    snapshot = list(
        ReviewKeyResult.objects.filter(review=review)
        .annotate(known=Exists(then) if previous and previous.is_closed else Value(True))
        .select_related("key_result", "owner", "team")
        .order_by("order", "id")
    )
    team_rows = list(ReviewTeam.objects.filter(review=review).select_related("team"))
    names = {t.team_id: t.name for t in team_rows}
    rows = []
    for index, s in enumerate(snapshot):
        before = rv.State(s.previous_progress, confidence=s.previous_confidence)
        row = rv.Row(
            key=s.key_result_id,
            team_key=s.team_id,
            objective_key=s.objective_id,
            weight=float(s.weight),
            now=rv.State(
                progress=s.progress,
                value=s.value,
                done=s.done,
                confidence=s.confidence,
                last_check_in_at=s.last_check_in_at,
            ),
            before=before if s.known else None,
            since=review.since,
            expects_check_in=expects_check_in(s.kind, s.key_result.rollup, s.done),
            order=(index,),
            payload=s,
        )
        rows.append(
            _decorate(
                row,
                title=s.title,
                objective_title=s.objective_title,
                owner=s.owner,
                kr_uuid=s.key_result.uuid,
                kind=s.kind,
                unit=s.unit,
                team_name=names.get(s.team_id) or _strategic_name(),
                value=s.value,
            )
        )
    by_key: dict = {}
    for row in rows:
        by_key.setdefault(row.team_key, []).append(row)
    teams = [
        TeamView(
            key=t.team_id,
            team=t.team,
            name=t.name if t.team_id else _strategic_name(),
            rows=by_key.get(t.team_id, []),
            progress=t.progress,
            previous_progress=t.previous_progress,
            at_risk=t.at_risk,
            off_track=t.off_track,
            without_check_in=t.without_check_in,
        )
        for t in team_rows
    ]
    return rows, teams


def review_board(
    organisation,
    day: date,
    *,
    review: Review | None = None,
    sched: Schedule | None = None,
    as_of: datetime | None = None,
    charts: bool = True,
) -> Board:
    """Everything the review page shows for the review on ``day`` (or ``review``).

    A closed review is read from its frozen snapshot; otherwise the key
    results are read now (or ``as_of`` a moment, as the close does).
    """
    sched = sched or schedule_of(organisation)
    if review is not None:
        day = review.date
    else:
        review = sched.row_for(day)
    closed = review is not None and review.is_closed
    if closed:
        period = Period(
            previous_date=review.previous_date,
            since=review.since,
            previous_review=sched.row_for(review.previous_date) if review.previous_date else None,
        )
        rows, teams = _frozen(review, period.previous_review)
        until = review.closed_at
    else:
        period = period_of(sched, day)
        rows = _live_rows(organisation, day, period, as_of)
        teams = _teams_from_rows(rows)
        until = as_of
    # Notes written in the period, and the decisions and notes of this review.
    notes = CheckIn.objects.filter(organisation=organisation, created_at__gte=period.since).exclude(
        note=""
    )
    if until is not None:
        notes = notes.filter(created_at__lte=until)
    team_of_kr = {r.key: r.team_key for r in rows}
    title_of_kr = {r.key: r for r in rows}
    by_team = {t.key: t for t in teams}
    for note in notes.select_related("author").order_by("-created_at", "-id")[:NOTES_LIMIT]:
        if note.key_result_id in team_of_kr:
            note.row = title_of_kr[note.key_result_id]
            by_team[team_of_kr[note.key_result_id]].notes.append(note)
    if review is not None and review.pk:
        entries = ReviewEntry.objects.filter(review=review).select_related(
            "author", "team", "owner", "key_result", "done_by"
        )
        for entry in entries:
            target = by_team.get(entry.team_id)
            if target is not None:
                target.entries.append(entry)
            elif teams:
                # A team with no key results left in the review still shows its decisions.
                orphan = TeamView(
                    key=entry.team_id,
                    team=entry.team,
                    name=entry.team.name if entry.team else _strategic_name(),
                )
                orphan.entries.append(entry)
                by_team[entry.team_id] = orphan
                teams.append(orphan)
    board = Board(
        day=review_day(sched, day),
        review=review,
        period=period,
        closed=closed,
        teams=teams,
        at_risk=rv.at_risk_first(rows),
        chart="",
        until=until,
    )
    if charts:
        _draw_charts(board)
    return board


def _draw_charts(board: Board) -> None:
    from django.utils.formats import date_format
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from okr.templatetags.review_tags import delta

    since = date_format(board.period.previous_date, "MONTH_DAY_FORMAT")
    held = board.period.held  # else that day was only scheduled: say so, not "the last review"
    board.chart = mark_safe(  # noqa: S308 - review.delta_chart escapes every text it draws
        rv.delta_chart(
            [(t.name, t.previous_progress, t.progress) for t in board.teams],
            title=gettext("Progress per team: at the last review and now"),
            description=(
                gettext(
                    "Grey bars: progress at the last review (%(date)s). Blue bars: progress "
                    "now. The number is the change in percentage points. The same figures are "
                    "in the table."
                )
                if held
                else gettext(
                    "Grey bars: progress on %(date)s (no review was held then). Blue bars: "
                    "progress now. The number is the change in percentage points. The same "
                    "figures are in the table."
                )
            )
            % {"date": since},
            chart_id="review-chart",
            format_change=delta,
        )
    )
    for team in board.teams:
        team.chart = mark_safe(  # noqa: S308
            rv.delta_chart(
                [
                    (r.title, r.before.progress if r.before else None, r.now.progress)
                    for r in team.rows
                ],
                title=gettext("%(team)s: key results at the last review and now")
                % {"team": team.name},
                description=(
                    gettext(
                        "Grey bars: progress at the last review (%(date)s). Blue bars: "
                        "progress now. The same figures are in the table."
                    )
                    if held
                    else gettext(
                        "Grey bars: progress on %(date)s (no review was held then). Blue bars: "
                        "progress now. The same figures are in the table."
                    )
                )
                % {"date": since},
                chart_id=f"chart-{team.uuid}",
                format_change=delta,
            )
        )
