"""Writes for the check-in reminders: queue, claim and send them, exactly once per person.

Small typed functions the pages, the API, the Celery tasks and the management
commands share. Time is passed in (``now``/``today``) wherever it matters, so
tests travel in time instead of patching clocks.

Reminders: exactly once per person, review and kind
------------------------------------------------------
1. The sweep (celery beat, hourly; or ``manage.py send_reminders``) finds the
   organisations whose next review is close enough, works out who has key
   results without a check-in since the last review, and *claims* one
   ``ReminderClaim`` row per (review, person, kind) with INSERT ... ON
   CONFLICT DO NOTHING, tagged with a token of its own. A claim another run
   made already is left alone, so two sweeps at once, a retried task or beat
   firing twice claim nobody twice.
2. It also takes over claims whose sender died: ``sent_at`` empty and
   ``claimed_at`` older than the lease (``OKR_REMINDER_LEASE_MINUTES``), by
   one atomic ``UPDATE ... WHERE sent_at IS NULL AND claimed_at < now - lease``.
3. After commit, the claims the run owns are sent in batches (Celery tasks,
   or inline from the command). A sender first renews the lease of a chunk
   (only claims still carrying its token), sends each e-mail and stamps
   ``sent_at`` on that claim right away.

Trade-off: the e-mail and the database are not one transaction. In normal
operation every claim is sent once (a second run finds it claimed; a
re-delivered batch finds it stamped). After a crash, a claim that was
claimed but not sent is sent by the next sweep (at least once); a sender
killed in the instant between the SMTP server accepting a message and the
``sent_at`` stamp sends that one message twice. Both copies carry the same
Message-ID, so mail systems that de-duplicate drop the second.
"""

from __future__ import annotations

import logging
import time
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from accounts.models import Organisation, Team, TeamMembership
from okr.chat import events as chat_events
from okr.lib import calendar
from okr.models import KeyResult, ReminderClaim, Review
from okr.objectives import numbers
from okr.reminders import selectors as due
from okr.reviews import selectors as sel

logger = logging.getLogger(__name__)

SEND_CHUNK = 20
BATCH_SIZE = 200


def queue_reminders(organisation: Organisation) -> None:
    """Queue a sweep for the organisation once the transaction commits (never fails the caller).

    A review started, added or moved close to today may need its reminders
    now; the page and the API call this after such a change.
    """
    # Imported here: the tasks module imports this one.
    from okr.reminders import tasks

    tasks.enqueue(tasks.send_due_reminders, organisation.pk)


@dataclass
class Recipients:
    """Who is due ``kind`` for a review: ``user_ids`` not reminded yet, and how many were."""

    organisation: Organisation
    review_date: date
    kind: str
    user_ids: list[int]
    already_reminded: int = 0


@dataclass
class SweepResult:
    token: uuid_lib.UUID
    claimed: int = 0
    retaken: int = 0
    claim_ids: list[int] = field(default_factory=list)
    due: list[Recipients] = field(default_factory=list)

    def batches(self, size: int = BATCH_SIZE) -> list[list[int]]:
        return [self.claim_ids[i : i + size] for i in range(0, len(self.claim_ids), size)]


def _review_row(organisation, day: date) -> Review:
    review, _created = Review.objects.get_or_create(organisation=organisation, date=day)
    return review


def reminders_sweep(
    *,
    now: datetime | None = None,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    enqueue: Callable[[uuid_lib.UUID, list[int]], None] | None = None,
) -> SweepResult:
    """Claim every reminder and escalation that is due (see the module docstring).

    ``enqueue(token, claim_ids)`` is called after commit for each batch of
    claims this run owns; without it the caller sends them (``reminders_send``).
    ``dry_run`` only works out who would get what (no rows written).
    """
    now = now or calendar.clock()
    result = SweepResult(token=uuid_lib.uuid4())
    organisations = Organisation.objects.filter(reminders_enabled=True)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    for org in organisations:
        today = calendar.today(org, now)
        sched = sel.schedule_of(org)
        day = sched.next_open(today)  # a review closed (even early) needs no reminders
        kinds = due.due_kinds(org, day, now)
        if not kinds:
            continue
        period = sel.period_of(sched, day)
        for kind in kinds:
            missing = due.recipient_ids(org, day, period.since, kind)
            # Someone reminded by an earlier run is not counted again (nor claimed: see above).
            reminded = due.already_claimed(org, day, kind)
            user_ids = [u for u in missing if u not in reminded]
            result.due.append(Recipients(org, day, kind, user_ids, len(missing) - len(user_ids)))
            if dry_run or not user_ids:
                continue
            with transaction.atomic():
                review = _review_row(org, day)
                if review.is_closed:
                    continue
                ReminderClaim.objects.bulk_create(
                    [
                        ReminderClaim(
                            organisation=org,
                            review=review,
                            user_id=user_id,
                            kind=kind,
                            claim_token=result.token,
                            claimed_at=now,
                        )
                        for user_id in user_ids
                    ],
                    ignore_conflicts=True,
                    batch_size=2000,
                )
                if kind == ReminderClaim.Kind.REMINDER:  # Slack and Teams hear it once (okr.chat)
                    chat_events.reminders_sent(org, review, user_ids)
    if dry_run:
        return result
    lease = due.reminder_settings()["lease"]
    stale = ReminderClaim.objects.filter(
        sent_at__isnull=True, claimed_at__lt=now - lease, review__state=Review.State.OPEN
    ).exclude(claim_token=result.token)
    if organisation is not None:
        stale = stale.filter(organisation=organisation)
    result.retaken = stale.update(
        claim_token=result.token, claimed_at=now, attempts=F("attempts") + 1
    )
    result.claim_ids = list(
        ReminderClaim.objects.filter(claim_token=result.token, sent_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    result.claimed = len(result.claim_ids) - result.retaken
    if enqueue is not None:
        for batch in result.batches():
            transaction.on_commit(lambda batch=batch: enqueue(result.token, batch), robust=True)
    return result


def _site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _send_delay() -> float:
    """A pause before each e-mail (tests set it to kill a worker mid-batch); 0 in production."""
    return float(getattr(settings, "OKR_REMINDER_SEND_DELAY", 0) or 0)


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    not_owned: int = 0


def _contents(claims: list[ReminderClaim], now: datetime) -> dict[int, dict]:
    """Claim id -> the e-mail's context, or {} when there is nothing to remind of.

    Queries per review in the chunk (usually one), not per person.
    """
    out: dict[int, dict] = {}
    by_review: dict[int, list[ReminderClaim]] = {}
    for claim in claims:
        by_review.setdefault(claim.review_id, []).append(claim)
    for group in by_review.values():
        review = group[0].review
        organisation = group[0].organisation
        if review.is_closed or calendar.today(organisation, now) > review.date:
            for claim in group:
                out[claim.id] = {}
            continue
        sched = sel.schedule_of(organisation)
        period = sel.period_of(sched, review.date)
        missing = due.keys_missing_check_in(organisation, review.date, period.since)
        base = {
            "organisation": organisation,
            "review_date": review.date,
            "week": calendar.iso_week(review.date),
            "since_date": period.previous_date,
            "check_ins_url": settings.SITE_URL
            + reverse("okr:my_check_ins", args=[organisation.slug]),
            "review_url": settings.SITE_URL
            + reverse("okr:review", args=[organisation.slug, review.uuid]),
        }
        reminders = [c for c in group if c.kind == ReminderClaim.Kind.REMINDER]
        escalations = [c for c in group if c.kind == ReminderClaim.Kind.ESCALATION]
        if reminders:
            owned: dict[int, list[KeyResult]] = {}
            for kr in (
                missing.filter(owner_id__in=[c.user_id for c in reminders])
                .select_related("objective__cycle", "objective__team")
                .order_by("objective__team__name", "objective__order", "order", "id")
            ):
                owned.setdefault(kr.owner_id, []).append(kr)
            # Each line says where the key result stands, as its page does (1-3 queries).
            numbers.annotate_key_results(
                [kr for krs in owned.values() for kr in krs], calendar.today(organisation, now)
            )
            for claim in reminders:
                krs = owned.get(claim.user_id, [])
                out[claim.id] = {**base, "user": claim.user, "key_results": krs} if krs else {}
        if escalations:
            lead_teams: dict[int, list[int]] = {}
            for user_id, team_id in TeamMembership.objects.filter(
                user_id__in=[c.user_id for c in escalations],
                is_lead=True,
                team__organisation=organisation,
            ).values_list("user_id", "team_id"):
                lead_teams.setdefault(user_id, []).append(team_id)
            team_ids = {t for ts in lead_teams.values() for t in ts}
            per_team: dict[int, list[KeyResult]] = {}
            teams: dict[int, Team] = {}
            for kr in (
                missing.filter(objective__team_id__in=team_ids)
                .select_related("objective__cycle", "objective__team", "owner")
                .order_by("objective__team__name", "objective__order", "order", "id")
            ):
                per_team.setdefault(kr.objective.team_id, []).append(kr)
                teams[kr.objective.team_id] = kr.objective.team
            numbers.annotate_key_results(
                [kr for krs in per_team.values() for kr in krs], calendar.today(organisation, now)
            )
            for claim in escalations:
                sections = [
                    {"team": teams[t], "key_results": per_team[t]}
                    for t in sorted(
                        lead_teams.get(claim.user_id, []), key=lambda t: str(teams.get(t, ""))
                    )
                    if per_team.get(t)
                ]
                out[claim.id] = {**base, "user": claim.user, "teams": sections} if sections else {}
    return out


def reminders_send(
    *, token: uuid_lib.UUID | str, claim_ids: Iterable[int], now: datetime | None = None
) -> SendResult:
    """Send the claims of a batch this run still owns; stamp each right after it is sent."""
    result = SendResult()
    token = uuid_lib.UUID(str(token))
    ids = list(claim_ids)
    for start in range(0, len(ids), SEND_CHUNK):
        chunk = ids[start : start + SEND_CHUNK]
        moment = now or timezone.now()
        mine = ReminderClaim.objects.filter(id__in=chunk, claim_token=token, sent_at__isnull=True)
        # Renew the lease first: nobody takes these over while this chunk is being sent.
        renewed = mine.update(claimed_at=moment)
        result.not_owned += len(chunk) - renewed
        if not renewed:
            continue
        claims = list(mine.select_related("user", "review", "organisation").order_by("id"))
        contents = _contents(claims, moment)
        for claim in claims:
            context = contents.get(claim.id) or {}
            outcome = ReminderClaim.Outcome.SENT if context else ReminderClaim.Outcome.SKIPPED
            if context:
                delay = _send_delay()
                if delay:
                    time.sleep(delay)
                try:
                    emails.send(
                        claim.kind,
                        claim.user.email,
                        context,
                        emails.recipient_language(claim.user, claim.organisation),
                        headers={
                            "Message-ID": f"<okr-{claim.kind}-{claim.uuid}@{_site_domain()}>",
                            "Auto-Submitted": "auto-generated",
                        },
                    )
                except Exception:
                    # Left unstamped: the next sweep takes it over once the lease has run out.
                    logger.exception("Could not send %s claim %s", claim.kind, claim.pk)
                    result.failed += 1
                    continue
            stamped = ReminderClaim.objects.filter(
                pk=claim.pk, claim_token=token, sent_at__isnull=True
            ).update(sent_at=now or timezone.now(), outcome=outcome)
            if stamped and context:
                result.sent += 1
            elif stamped:
                result.skipped += 1
    return result
