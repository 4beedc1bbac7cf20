"""Quarter close: frozen scores, idempotence, concurrency, overrides, carrying over, the page."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conftest import client_for
from okr.closing import selectors as sel
from okr.closing import services as svc
from okr.lib import calendar
from okr.models import Cycle, Objective, RetrospectiveNote, Score
from okr.objectives import services
from tests.support.reviews import build, record

END_OF_Q1 = date(2026, 3, 31)


def scores_of(cycle):
    return {
        (s.key_result.title if s.key_result_id else s.objective.title): s.computed
        for s in Score.objects.filter(cycle=cycle).select_related("key_result", "objective")
    }


def snapshot(cycle):
    cycle.refresh_from_db()
    return (
        cycle.state,
        cycle.closed_at,
        sorted(
            Score.objects.filter(cycle=cycle).values_list(
                "key_result_id", "objective_id", "progress", "computed", "computed_at"
            ),
            key=str,
        ),
    )


@pytest.mark.django_db
def test_scores_use_the_latest_check_in_at_or_before_the_quarters_end(cast):
    w = build(cast)
    # 23:30 on 31 March in Stockholm counts; 00:30 on 1 April does not, nor anything later.
    record(w.krs["leads"], w.people["per"], date(2026, 3, 31), value=60, hour=21)
    record(w.krs["leads"], w.people["per"], date(2026, 3, 31), value=95, hour=22)
    record(w.krs["invoicing"], w.people["kari"], date(2026, 4, 2), value=4)
    result = svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    assert result.closed and result.scores == 6
    scores = scores_of(w.q1)
    assert scores["Generera 100 nya leads"] == 0.6
    assert scores["Fakturering nya kunder 4MSEK"] == 0.5  # 2 of 4 MSEK on 31 March
    assert scores["Lansera översatt hemsida senast 15/2"] == 1.0
    assert scores["Merförsäljning 1,5MSEK"] == 0.0  # never checked in
    # Objectives: the weighted mean of their key results' scores.
    assert scores["Leverera marknadsmaterial för Norge"] == 0.8  # (1.0 + 0.6) / 2
    assert scores["Aggressiv försäljningstillväxt"] == 0.3  # (0.5 + 0.0) / 2 = 0.25, half up
    assert "Ett utkast" not in scores  # drafts are not scored
    w.q1.refresh_from_db()
    assert w.q1.state == Cycle.State.CLOSED and w.q1.closed_at is not None


@pytest.mark.django_db
def test_weights_and_pending_targets(cast):
    w = build(cast)
    services.key_result_update(key_result=w.krs["website"], version=1, weight=Decimal(3))
    pending = services.key_result_create(
        objective=w.objectives["norway"], title="NPS på X", start_value=None, target_value=None
    )
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    assert Score.objects.get(key_result=pending).computed is None
    # (3 * 1.0 + 1 * 0.3) / 4 = 0.825: the pending target is left out.
    assert Score.objects.get(objective=w.objectives["norway"]).computed == 0.8


@pytest.mark.django_db
def test_the_daily_job_waits_for_the_grace_period_then_closes_once(cast):
    w = build(cast)
    assert svc.close_due_cycles(today=END_OF_Q1 + timedelta(days=7)) == []
    results = svc.close_due_cycles(today=END_OF_Q1 + timedelta(days=8))
    assert [(r.cycle, r.closed) for r in results] == [(w.q1, True)]
    first = snapshot(w.q1)
    assert svc.close_due_cycles(today=END_OF_Q1 + timedelta(days=9)) == []
    assert svc.cycle_close(cycle=w.q1).closed is False
    assert snapshot(w.q1) == first


@pytest.mark.django_db
def test_re_running_changes_nothing_even_after_new_check_ins(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    first = snapshot(w.q1)
    record(w.krs["upsell"], cast.member, date(2026, 4, 10), value=1.5)
    Cycle.objects.filter(pk=w.q1.pk)  # still closed
    svc.close_due_cycles(today=date(2026, 5, 1))
    call_command("close_quarter", stdout=StringIO())
    assert snapshot(w.q1) == first


@pytest.mark.django_db
def test_the_year_is_scored_the_same_way_at_year_end(cast):
    w = build(cast)
    record(w.krs["growth"], cast.admin, date(2026, 12, 31), value=19, hour=12)
    results = svc.close_due_cycles(today=date(2027, 1, 8), organisation=cast.org)
    closed = {r.cycle.label for r in results if r.closed}
    assert {"2026", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"} <= closed
    assert Score.objects.get(key_result=w.krs["growth"]).computed == 1.0  # 0.95 rounds to 1.0
    assert Score.objects.get(objective=w.objectives["strategic"]).cycle == w.year


@pytest.mark.django_db
def test_closing_before_the_end_is_refused(cast):
    w = build(cast)
    with pytest.raises(ValidationError, match="has not ended yet"):
        svc.cycle_close(cycle=w.q1, today=END_OF_Q1)
    assert Score.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once_do_not_double_anything(cast):
    w = build(cast)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def close():
        try:
            barrier.wait()
            results.append(svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(r.closed for r in results) == [False, True]
    assert Score.objects.filter(cycle=w.q1).count() == 6


@pytest.mark.django_db
def test_override_keeps_the_computed_score_and_needs_a_reason(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    score = Score.objects.get(key_result=w.krs["invoicing"])
    client = client_for(cast.leader)
    page = reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}"
    bad = client.post(
        reverse("okr:score_override", args=["acme", score.uuid]), {"value": "0,8", "reason": ""}
    )
    assert bad.status_code == 200
    assert "Say why the score is overridden." in bad.content.decode()
    assert 'value="0,8"' in bad.content.decode() or 'value="0.8"' in bad.content.decode()
    ok = client.post(
        reverse("okr:score_override", args=["acme", score.uuid]),
        {"value": "0.8", "reason": "Stora kunden betalade i förskott"},
    )
    assert ok.status_code == 302 and ok.url.startswith(page)
    score.refresh_from_db()
    assert (score.computed, score.override, score.value) == (0.5, 0.8, 0.8)
    assert score.overridden_by == cast.leader
    body = client.get(page).content.decode()
    assert "computed 0.5" in body and "Stora kunden betalade i förskott" in body
    # The objective's score follows the overridden key result: (0.8 + 0.0) / 2.
    objective = next(o for o in sel.frozen_scores(w.q1) if o.objective == w.objectives["selling"])
    assert objective.value == 0.4 and objective.computed == 0.3
    # Removing the override brings the computed score back.
    client.post(
        reverse("okr:score_override", args=["acme", score.uuid]), {"value": "", "reason": ""}
    )
    score.refresh_from_db()
    assert score.override is None and score.value == 0.5
    too_high = client.post(
        reverse("okr:score_override", args=["acme", score.uuid]), {"value": "1.5", "reason": "x"}
    )
    assert too_high.status_code == 200 and 'aria-invalid="true"' in too_high.content.decode()


@pytest.mark.django_db
def test_page_marks_colours_committed_misses_and_aspirational_successes(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    body = (
        client_for(cast.leader)
        .get(reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}")
        .content.decode()
    )
    invoicing = body[body.index("Fakturering nya kunder 4MSEK") :]
    assert invoicing.index("Committed miss") < invoicing.index("</tr>")
    website = body[body.index("Lansera översatt hemsida") :]
    assert website.index("Aspirational success") < website.index("</tr>")
    assert (
        "score score-green" in body and "score score-red" in body and "score score-yellow" in body
    )


@pytest.mark.django_db
def test_preview_before_the_close_and_the_close_button(cast):
    w = build(cast)
    client = client_for(cast.leader)
    page = reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}"
    body = client.get(page).content.decode()
    assert "Not closed yet" in body and "Close Q1 2026 now" in body
    assert Score.objects.count() == 0  # reading never writes
    response = client.post(reverse("okr:quarter_close_run", args=["acme", w.q1.uuid]))
    assert response.status_code == 302
    assert Score.objects.filter(cycle=w.q1).count() == 6
    # The quarter that has not ended cannot be closed from the page.
    current = sel.closable_cycles(cast.org, calendar.today(cast.org))
    future = Cycle.objects.filter(
        organisation=cast.org, end_date__gte=calendar.today(cast.org)
    ).first()
    if future is not None:
        client.post(reverse("okr:quarter_close_run", args=["acme", future.uuid]))
        future.refresh_from_db()
        assert future.state != Cycle.State.CLOSED and future not in current


@pytest.mark.django_db
# In April the quarter after Q1 is the current one: the default (tests/okr/closing/test_carry_over.py).
@mock.patch("django.utils.timezone.now", new=lambda: datetime(2026, 4, 8, 10, tzinfo=UTC))
def test_carry_an_unfinished_objective_to_the_next_quarter_as_a_linked_draft(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    client = client_for(cast.leader)
    norway = w.objectives["norway"]
    response = client.post(reverse("okr:objective_carry", args=["acme", norway.uuid]))
    assert response.status_code == 302
    draft = Objective.objects.get(carried_from=norway)
    assert (draft.cycle.quarter, draft.cycle.year, draft.status) == (2, 2026, "draft")
    assert draft.team == w.marknad and draft.title == norway.title
    assert draft.parent_objective == w.objectives["strategic"]  # same year: the parent stays
    assert list(draft.key_results.values_list("title", flat=True)) == ["Generera 100 nya leads"]
    again = client.post(reverse("okr:objective_carry", args=["acme", norway.uuid]), follow=True)
    assert "already been carried" in again.content.decode()
    assert Objective.objects.filter(carried_from=norway).count() == 1
    body = client.get(
        reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}"
    ).content.decode()
    assert "Carried to Q2 2026" in body


@pytest.mark.django_db
def test_carrying_needs_a_closed_quarter_and_an_unfinished_objective(cast):
    w = build(cast)
    with pytest.raises(ValidationError, match="Close the quarter first"):
        svc.objective_carry(objective=w.objectives["norway"])
    record(w.krs["leads"], w.people["per"], date(2026, 3, 30), value=100)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    with pytest.raises(ValidationError, match="was reached"):
        svc.objective_carry(objective=w.objectives["norway"])
    with pytest.raises(ValidationError, match="quarterly objective"):
        svc.objective_carry(objective=w.objectives["strategic"])


@pytest.mark.django_db
def test_carrying_from_q4_lands_in_next_years_q1_without_last_years_parent(cast):
    w = build(cast)
    q4 = w.year.quarters.get(quarter=4)
    late = services.objective_create(
        organisation=cast.org,
        cycle=q4,
        level="team",
        team=w.sales,
        title="Julkampanj",
        status="approved",
        parent_objective=w.objectives["strategic"],
    )
    services.key_result_create(
        objective=late, title="50 nya kunder", start_value=0, target_value=50
    )
    svc.cycle_close(cycle=q4, today=date(2027, 1, 8))
    draft = svc.objective_carry(objective=late)
    assert (draft.cycle.year, draft.cycle.quarter) == (2027, 1)
    assert draft.parent_objective is None


@pytest.mark.django_db
def test_retrospective_notes_per_team(cast):
    w = build(cast)
    client = client_for(cast.leader)
    url = reverse("okr:retrospective_new", args=["acme", w.q1.uuid])
    response = client.post(url, {"team": str(w.marknad.uuid), "text": "Vi tog på oss för mycket"})
    assert response.status_code == 302
    empty = client.post(url, {"team": str(w.marknad.uuid), "text": ""})
    assert empty.status_code == 200 and 'aria-invalid="true"' in empty.content.decode()
    note = RetrospectiveNote.objects.get()
    assert (note.team, note.cycle, note.author) == (w.marknad, w.q1, cast.leader)
    body = client.get(
        reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}"
    ).content.decode()
    assert "Vi tog på oss för mycket" in body


@pytest.mark.django_db
def test_quarter_close_is_for_leadership(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    score = Score.objects.first()
    member = client_for(cast.member)
    assert member.get(reverse("okr:quarter_close", args=["acme"])).status_code == 403
    assert (
        member.post(
            reverse("okr:score_override", args=["acme", score.uuid]), {"value": "1", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        member.post(
            reverse("okr:objective_carry", args=["acme", w.objectives["norway"].uuid])
        ).status_code
        == 403
    )
    outsider = client_for(cast.outsider)
    assert outsider.get(reverse("okr:quarter_close", args=["acme"])).status_code == 404
    assert (
        client_for(cast.outsider)
        .post(
            reverse("okr:score_override", args=["other", score.uuid]), {"value": "1", "reason": "x"}
        )
        .status_code
        == 404
    )


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.django_db
def test_quarter_close_page_queries_do_not_grow(cast, size, django_assert_max_num_queries):
    w = build(cast, extra_owners=size)
    client = client_for(cast.leader)
    page = reverse("okr:quarter_close", args=["acme"]) + f"?cycle={w.q1.uuid}"
    with django_assert_max_num_queries(12):
        assert client.get(page).status_code == 200
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    svc.objective_carry(objective=w.objectives["norway"])
    RetrospectiveNote.objects.create(organisation=cast.org, cycle=w.q1, team=w.sales, text="Lärdom")
    with django_assert_max_num_queries(13):  # + the quarters to carry into (closing.selectors)
        assert client.get(page).status_code == 200


@pytest.mark.django_db
def test_close_quarter_command(cast):
    w = build(cast)
    out = StringIO()
    call_command("close_quarter", "--org", "acme", "--dry-run", "--today", "2026-04-08", stdout=out)
    assert "acme: Q1 2026 (ended 2026-03-31): would be closed" in out.getvalue()
    assert Score.objects.count() == 0
    out = StringIO()
    call_command("close_quarter", "--org", "acme", "--today", "2026-04-08", stdout=out)
    assert "Q1 2026 (ended 2026-03-31): closed, 6 scores" in out.getvalue()
    out = StringIO()
    call_command("close_quarter", "--today", "2026-04-09", stdout=out)
    assert "Nothing to close." in out.getvalue()
    w.q1.refresh_from_db()
    assert w.q1.state == "closed"


@pytest.mark.django_db
def test_the_close_time_travels_with_now(cast):
    w = build(cast)
    now = datetime(2026, 4, 8, 1, tzinfo=UTC)
    svc.close_due_cycles(today=date(2026, 4, 8), now=now)
    w.q1.refresh_from_db()
    assert w.q1.closed_at == now
    assert set(Score.objects.values_list("computed_at", flat=True)) == {now}


@pytest.mark.django_db
def test_the_page_opens_on_the_latest_ended_quarter_with_objectives(cast):
    w = build(cast)
    body = client_for(cast.leader).get(reverse("okr:quarter_close", args=["acme"])).content.decode()
    assert f'<option value="{w.q1.uuid}" selected>' in body
    assert "Leverera marknadsmaterial för Norge" in body
