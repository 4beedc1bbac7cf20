"""The organisation's home page: vision and mission, strategic OKRs, my teams', mine, next review.

Thousands open it on a Monday morning, so what is the same for every member
is rendered once per revision of the organisation (``accounts.revision``:
any write makes a new one) and served from the cache until then: the
strategic OKRs, each team's block of objectives and every team's summary
row. What is mine (my teams, my key results, my personal objectives,
my open actions) is rendered once per person and revision, and served from
the cache while nothing in the organisation moves: a person looks at home
many times between two writes.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from accounts import policy, revision
from accounts.access import org_view
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Objective
from okr.objectives import links, selectors
from okr.objectives.first_steps import first_steps
from okr.reviews import decisions
from okr.reviews import selectors as selectors_review

#: The team objectives home shows: approved and proposed (drafts stay in the workshop).
STATUSES = [Objective.Status.APPROVED, Objective.Status.PROPOSED]
#: Home's summary shows the first teams in the organisation's order; "Show N more teams"
#: brings the rest (``?teams=all``), so the page does not grow with the organisation.
SUMMARY_SHOWN = 20


@org_view
def home(request):
    """Vision, mission, this year's strategic OKRs, this quarter's team OKRs, my key results, next review."""
    organisation = request.organisation
    today = calendar.today(organisation)
    year, quarter = selectors.cycles_containing(organisation, today)
    language = translation.get_language()
    all_teams = request.GET.get("teams") == "all"
    if request.htmx and all_teams:  # "Show N more teams": the summary with every team
        return HttpResponse(_team_summary_html(organisation, quarter, language, all_teams=True))
    mine = _mine(request, quarter, today, language)
    return render(
        request,
        "objectives/home.html",
        {
            "first_steps": _first_steps(request),
            "year": year,
            "quarter": quarter,
            "strategic_html": _strategic_html(organisation, year, today, language),
            "team_blocks": _team_blocks(request, quarter, today, language),
            "team_summary_html": _team_summary_html(organisation, quarter, language, all_teams),
            "mine_html": revision.with_token(request, mine),
            "next_review": revision.cached(  # the same for everyone on the day
                organisation.pk,
                "next-review",
                [today, language],
                lambda: selectors_review.next_review(organisation, today),
            ),
        },
    )


def _mine(request, quarter, today, language) -> str:
    """What is mine: my key results, personal OKRs and actions, as HTML.

    One cache entry per person (their rows), role (whether they may mark an
    action done besides its owner: ``policy``), quarter and day (verdicts,
    "overdue"), language, and the address (the way back the actions' forms
    send to). Everything else it shows is the organisation's data, whose
    every write moves the revision; the CSRF token is a placeholder that each
    response replaces with its own (``revision.with_token``). The
    teams' blocks stay shared by their members (``_team_blocks``): a copy per
    person would multiply the cache's size by the members of a team.
    """
    organisation = request.organisation

    def render_mine() -> str:
        key_results = selectors.my_key_results(organisation, request.user)
        personal = (
            selectors.my_personal_objectives(organisation, request.user, quarter) if quarter else []
        )
        links.set_urls(organisation, personal, key_results)
        context = {
            "organisation": organisation,
            "request": request,
            "csrf_token": revision.CSRF_PLACEHOLDER,
            "my_key_results": key_results,
            "my_personal": personal,  # personal OKRs (okr/personal), beside my key results
            "personal_pilot": organisation.personal_okrs,
            "my_actions": _my_actions(request),
        }
        return render_to_string("objectives/home.html#mine", context)

    return revision.cached(
        organisation.pk,
        "home-mine",
        [
            request.user.pk,
            request.membership.role,
            quarter.pk if quarter else None,
            today,
            language,
            request.get_full_path(),
        ],
        render_mine,
    )


def _strategic_html(organisation, year, today, language) -> str:
    """The year's strategic OKRs; their verdicts depend on the day, so the day is in the key."""
    return revision.cached(
        organisation.pk,
        "home-strategic",
        [year.pk if year else None, today, language],
        lambda: render_to_string(
            "objectives/home.html#strategic",
            {
                "organisation": organisation,
                "year": year,
                "strategic": selectors.home_strategic(organisation, year),
            },
        ),
    )


def _team_blocks(request, quarter, today, language) -> list[str]:
    """My teams' objectives this quarter: a block per team that has some, each the same for all
    its members, in the organisation's order of teams.

    My teams are the policy's (read with the membership, ``policy.with_teams``); a team's
    name and place come with its objectives, and are cached with its block.
    """
    if quarter is None:
        return []
    organisation = request.organisation
    team_ids = sorted(policy.actor_of(request.membership).team_ids)

    def render_blocks(missing: list[int]) -> dict[int, tuple]:
        objectives = selectors.home_team_objectives(organisation, quarter, missing, STATUSES)
        links.set_urls(organisation, [o for rows in objectives.values() for o in rows])
        blocks = {}
        for team_id, rows in objectives.items():
            team = rows[0].team if rows else None  # no objectives: no block
            blocks[team_id] = (
                (
                    (team.order, team.name, team.pk),
                    render_to_string(
                        "objectives/home.html#team-block", {"team": team, "objectives": rows}
                    ),
                )
                if team
                else ()
            )
        return blocks

    blocks = revision.cached_many(
        organisation.pk,
        "home-team",
        {team_id: [quarter.pk, team_id, today, language] for team_id in team_ids},
        render_blocks,
    )
    return [html for _place, html in sorted(block for block in blocks.values() if block)]


def _team_summary_html(organisation, quarter, language, all_teams: bool) -> str:
    """Every team as one row (the tree has the rest): stored progress, no verdicts, no day.

    The first ``SUMMARY_SHOWN`` teams unless ``all_teams``; the full list focuses the first
    row that was not shown before (``static/js/app.js``), where "Show N more teams" was.
    """

    def render_summary() -> str:
        rows = selectors.team_progress_summary(organisation, quarter, STATUSES) if quarter else []
        shown = rows if all_teams else rows[:SUMMARY_SHOWN]
        return render_to_string(
            "objectives/home.html#team-summary",
            {
                "organisation": organisation,
                "team_summary": shown,
                "teams_hidden": len(rows) - len(shown),
                "first_more": SUMMARY_SHOWN if all_teams else None,
            },
        )

    return revision.cached(
        organisation.pk,
        "home-team-summary",
        [quarter.pk if quarter else None, language, all_teams],
        render_summary,
    )


def _my_actions(request):
    """My open actions from reviews (okr.reviews.decisions): one query, a bounded list."""
    actions = decisions.open_actions_of(request.organisation, request.user)
    for entry in actions:
        entry.can_mark_done = policy.can(request.membership, Action.REVIEW_ACTION_DONE, entry)
    return actions


def _first_steps(request):
    """The new organisation's checklist, for those who can do its steps, until all are done."""
    membership = request.membership
    if not any(policy.can(membership, action) for action in _FIRST_STEP_ACTIONS):
        return None
    # The same for everyone who sees it: read once per revision of the organisation.
    organisation = request.organisation
    steps = revision.cached(organisation.pk, "first-steps", [], lambda: first_steps(organisation))
    return None if steps.all_done else steps


#: Who sees the checklist: whoever may do one of its steps (admins and leadership).
_FIRST_STEP_ACTIONS = (Action.SETTINGS_EDIT, Action.OBJECTIVE_CREATE, Action.INVITE)
