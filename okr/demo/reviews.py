"""DPAB's review history and its first quarter's close, for the demo.

Four biweekly reviews of the first quarter, each with leadership's decisions
and notes per team and closed (frozen) at 10:00 on its day; then the quarter
closed with scores as of its last day plus the grace period, with the
retrospective notes dpab.md tells of. Only what lies in the past is loaded.

Idempotent: reviews are found by date, decisions and notes are added only to
a review that has none, closing twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction

from accounts.models import Organisation, Team, User
from okr.closing import selectors as closing_sel
from okr.closing import services as closing
from okr.lib import calendar, schedule
from okr.models import Cycle, RetrospectiveNote, Review, ReviewEntry
from okr.reviews import selectors as sel
from okr.reviews import services as svc

# Per review (in order): team name (None: the strategic OKRs) -> [(kind, text, author)].
DECISIONS = [
    {
        "Marknad": [
            ("note", "Kampanjkonceptet är klart och lanseras som planerat.", "mats"),
        ],
        "Produktion": [
            (
                "note",
                "Felsorteringen har inte minskat än; Pär tar fram siffror per kund.",
                "pernilla",
            ),
        ],
        "Försäljning": [
            ("decision", "Rekryteringen av norska säljare startar nu, inte i mars.", "vilma"),
        ],
    },
    {
        "Marknad": [
            ("decision", "Översättningen av hemsidan går före nyhetsbrevet.", "vilma"),
        ],
        "Försäljning": [
            (
                "note",
                "Faktureringen ligger efter: två stora affärer har skjutits till mars.",
                "fredrika",
            ),
        ],
        None: [
            ("note", "NPS har fortfarande inget basvärde; Produktion frågar 100 kunder.", "vilma"),
        ],
    },
    {
        "Produktion": [
            (
                "decision",
                "Produktion får resurser: vi anställer en leveransansvarig i Q2.",
                "vilma",
            ),
            ("note", "Rapporten till de 25 största kunderna hinns inte med i Q1.", "pernilla"),
        ],
        "Marknad": [
            ("note", "Hemsidan är lanserad på norska.", "per"),
        ],
    },
    {
        "Marknad": [
            (
                "decision",
                "Produktkatalogen flyttas till Q2; den norska säljaren använder hemsidan så länge.",
                "mats",
            ),
        ],
        "Försäljning": [
            (
                "note",
                "Planen för merförsäljning är redo; utbildningen i lösningsförsäljning är halvvägs.",
                "fredrika",
            ),
        ],
    },
]

RETROSPECTIVE = {
    "Produktion": "Vi såg tidigt att vi skulle missa felfri hantering och bad om resurser; "
    "en leveransansvarig börjar i Q2.",
    "Marknad": "Mycket värdefullt arbete gjordes utanför OKR:erna. Nästa kvartal: färre mål, "
    "och resultat i stället för aktiviteter.",
    "Försäljning": "Nya kunder kom sent i kvartalet; vi följer upp pipelinen varannan vecka.",
}


def _people(organisation) -> dict[str, User]:
    users = User.objects.filter(memberships__organisation=organisation)
    return {u.email.split("@")[0]: u for u in users}


def _meeting_time(day, organisation) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=organisation.tz)


@transaction.atomic
def load_review_history(organisation: Organisation, now: datetime | None = None) -> dict:
    now = now or calendar.clock()
    today = calendar.today(organisation, now)
    q1 = (
        Cycle.objects.filter(
            organisation=organisation, kind=Cycle.Kind.QUARTER, quarter=1, start_date__lte=today
        )
        .order_by("-start_date")
        .first()
    )
    if q1 is None:
        return {"reviews": 0, "closed_quarter": False}
    people = _people(organisation)
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    cadence = sel.schedule_of(organisation).cadence
    days = [
        d
        for d in cadence.between(q1.start_date + timedelta(days=28), q1.end_date)
        if _meeting_time(d, organisation) < now
    ][: len(DECISIONS)]
    for day, decisions in zip(days, DECISIONS, strict=False):
        review, _ = Review.objects.get_or_create(
            organisation=organisation, date=day, defaults={"created_by": people.get("vilma")}
        )
        if not review.is_closed and not ReviewEntry.objects.filter(review=review).exists():
            for team_name, entries in decisions.items():
                for kind, text, author in entries:
                    svc.review_entry_add(
                        review=review,
                        team=teams.get(team_name) if team_name else None,
                        kind=kind,
                        text=text,
                        author=people.get(author),
                    )
        svc.review_close(
            review=review, user=people.get("vilma"), now=_meeting_time(day, organisation)
        )
    closed = False
    grace_end = q1.end_date + timedelta(days=closing_sel.grace_days() + 1)
    if today >= grace_end:
        result = closing.cycle_close(
            cycle=q1,
            now=schedule.at_local(grace_end, 2, organisation.tz),
            today=grace_end,
        )
        closed = result.closed
        if not RetrospectiveNote.objects.filter(cycle=q1).exists():
            for team_name, text in RETROSPECTIVE.items():
                if team_name in teams:
                    closing.retrospective_add(
                        cycle=q1, team=teams[team_name], text=text, author=people.get("vilma")
                    )
    return {"reviews": len(days), "closed_quarter": closed}
