"""The biweekly review: pure maths (okr.lib.review), the list, the page, meeting mode, print, snapshots."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from conftest import client_for
from okr.lib import calendar
from okr.lib import review as rv
from okr.models import Review, ReviewEntry, ReviewKeyResult, ReviewTeam
from okr.reviews import selectors as sel
from okr.reviews import services as svc
from tests.support.reviews import at, build, record

# --- Pure: okr.lib.review ---------------------------------------------------------------------


def test_state_of_a_metric_from_its_latest_check_in():
    point = rv.Point(value=Decimal(10), confidence="at_risk", at=datetime(2026, 2, 1, tzinfo=UTC))
    state = rv.state_at(
        kind="metric", start=Decimal(15), target=Decimal(5), steps_total=None, point=point
    )
    assert state.progress == pytest.approx(0.5)  # churn 15 -> 5, now 10
    assert (state.value, state.confidence) == (Decimal(10), "at_risk")
    no_check_in = rv.state_at(kind="metric", start=0, target=100, steps_total=None, point=None)
    assert no_check_in.progress == 0.0 and no_check_in.last_check_in_at is None
    pending = rv.state_at(kind="metric", start=None, target=None, steps_total=None, point=point)
    assert pending.progress is None


def test_state_of_a_milestone():
    done = rv.state_at(
        kind="milestone", start=None, target=None, steps_total=None, point=rv.Point(done=True)
    )
    assert done.progress == 1.0 and done.done is True
    half = rv.state_at(
        kind="milestone",
        start=None,
        target=None,
        steps_total=4,
        point=rv.Point(done=False, steps_done=2),
    )
    assert half.progress == 0.5
    assert (
        rv.state_at(
            kind="milestone", start=None, target=None, steps_total=None, point=None
        ).progress
        == 0.0
    )


@pytest.mark.parametrize(
    ("before", "now", "change"),
    [
        ("on_track", "at_risk", "worse"),
        ("off_track", "at_risk", "better"),
        ("at_risk", "at_risk", "same"),
        ("", "on_track", "new"),
        ("on_track", "", "none"),
    ],
)
def test_confidence_change(before, now, change):
    assert rv.confidence_change(before, now) == change


def test_format_delta():
    assert rv.format_delta(0.123) == "+12 pp"
    assert rv.format_delta(-0.03) == "−3 pp"
    assert rv.format_delta(0.001) == "±0 pp"
    assert rv.format_delta(None) == "–"


def _row(key, team, objective, confidence, before, now, last=None, since=None, weight=1.0):
    return rv.Row(
        key=key,
        team_key=team,
        objective_key=objective,
        weight=weight,
        now=rv.State(progress=now, confidence=confidence, last_check_in_at=last),
        before=None if before is None else rv.State(progress=before),
        since=since,
        order=(key,),
    )


def test_at_risk_list_puts_off_track_first_then_the_biggest_drop():
    rows = [
        _row(1, "a", 1, "at_risk", 0.5, 0.4),
        _row(2, "a", 1, "off_track", 0.2, 0.2),
        _row(3, "b", 2, "on_track", 0.1, 0.9),
        _row(4, "b", 2, "at_risk", 0.6, 0.2),
    ]
    assert [r.key for r in rv.at_risk_first(rows)] == [2, 4, 1]


def test_team_summary_is_the_mean_of_its_objectives():
    since = datetime(2026, 2, 2, tzinfo=UTC)
    rows = [
        _row(1, "a", 1, "on_track", 0.0, 1.0, last=since + timedelta(days=1), since=since),
        _row(2, "a", 1, "at_risk", 0.0, 0.0, last=since - timedelta(days=1), since=since),
        _row(3, "a", 2, "off_track", 0.2, 0.5, since=since, weight=3),
    ]
    (team,) = rv.by_team(rows)
    assert team.progress == pytest.approx((0.5 + 0.5) / 2)
    assert team.previous_progress == pytest.approx(0.1)
    assert team.delta == pytest.approx(0.4)
    assert (team.at_risk, team.off_track, team.without_check_in) == (1, 1, 2)


def test_delta_chart_is_an_accessible_svg_without_styles_or_scripts():
    svg = rv.delta_chart(
        [("Marknad <&>", 0.15, 0.65), ("Försäljning", 0.3, 0.2), ("Ny", None, 0.1)],
        title="Progress per team",
        description="Grey: before; blue: now.",
        chart_id="review chart",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="review-chart-title review-chart-desc"' in svg
    assert "Marknad &lt;&amp;&gt;" in svg
    assert "+50 pp" in svg and "−10 pp" in svg
    assert "style=" not in svg and "<script" not in svg
    assert 'class="delta-row delta-up"' in svg and 'class="delta-row delta-down"' in svg


@given(
    st.lists(
        st.tuples(
            st.text(max_size=60),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
        ),
        max_size=12,
    )
)
def test_delta_chart_keeps_every_bar_inside_its_view_box(items):
    svg = rv.delta_chart(items, title="t", description="d")
    width, height = (float(v) for v in re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    for x, w in re.findall(r'<rect[^>]* x="([^"]+)"[^>]* width="([^"]+)"', svg):
        assert float(x) >= 0 and float(x) + float(w) <= width
        assert float(w) >= 0
    assert height > 0


@given(st.one_of(st.none(), st.floats(0, 1)), st.one_of(st.none(), st.floats(0, 1)))
def test_delta_is_now_minus_before(before, now):
    delta = rv.progress_delta(before, now)
    if before is None or now is None:
        assert delta is None
    else:
        assert before + delta == pytest.approx(now)


# --- Pages ---------------------------------------------------------------------------------


def url(name, *args, query=""):
    return reverse(f"okr:{name}", args=["acme", *args]) + query


@pytest.mark.django_db
def test_list_shows_upcoming_reviews_with_weeks_and_past_ones(cast):
    build(cast)
    past = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    response = client_for(cast.member).get(url("reviews"))
    body = response.content.decode()
    assert response.status_code == 200
    today = calendar.today(cast.org)
    upcoming = sel.schedule_of(cast.org).cadence.upcoming(today, 4)
    for day in upcoming:
        assert f"?date={day:%Y-%m-%d}" in body
        assert f"week {day.isocalendar().week}" in body
    assert reverse("okr:review", args=["acme", past.uuid]) in body
    assert "Add a review on another day" not in body  # members only read


@pytest.mark.django_db
def test_reading_a_scheduled_review_never_writes(cast, django_assert_max_num_queries):
    build(cast)
    client = client_for(cast.leader)
    with django_assert_max_num_queries(14):
        response = client.get(url("reviews", query="?date=2026-02-16"))
    assert response.status_code == 200
    assert Review.objects.count() == 0
    body = response.content.decode()
    assert "Start review" in body and "Monday 16 February 2026" in body and "week 8" in body


@pytest.mark.django_db
def test_a_date_that_is_not_a_review_is_404(cast):
    client = client_for(cast.member)
    assert client.get(url("reviews", query="?date=2026-02-17")).status_code == 404
    # Not a date at all: the list with a message saying how to write one (test_bad_input.py).
    assert client.get(url("reviews", query="?date=not-a-date")).status_code == 400


@pytest.mark.django_db
def test_leadership_starts_a_review_on_the_first_post_and_again_is_harmless(cast):
    build(cast)
    client = client_for(cast.leader)
    first = client.post(url("review_new"), {"date": "2026-02-16", "start": "1"})
    review = Review.objects.get()
    assert first.status_code == 302 and first.url == reverse(
        "okr:review", args=["acme", review.uuid]
    )
    again = client.post(url("review_new"), {"date": "2026-02-16", "start": "1"})
    assert again.status_code == 302 and Review.objects.count() == 1
    # The list's link for the day now leads to the row.
    assert client.get(url("reviews", query="?date=2026-02-16")).url == first.url


@pytest.mark.django_db
def test_members_cannot_start_move_close_or_record(cast):
    build(cast)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    client = client_for(cast.member)
    assert client.post(url("review_new"), {"date": "2026-03-02", "start": "1"}).status_code == 403
    assert client.post(url("review_move", review.uuid), {"date": "2026-02-17"}).status_code == 403
    assert client.post(url("review_close", review.uuid)).status_code == 403
    data = {"team": "strategic", "kind": "note", "text": "x"}
    assert client.post(url("review_entry_new", review.uuid), data).status_code == 403
    assert client.get(url("review", review.uuid)).status_code == 200


@pytest.mark.django_db
def test_outsiders_get_404_for_reviews(cast):
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    client = client_for(cast.outsider)
    assert client.get(url("reviews")).status_code == 404
    assert client.get(url("review", review.uuid)).status_code == 404
    assert (
        client_for(cast.admin).get(reverse("okr:review", args=["other", review.uuid])).status_code
        == 404
    )


@pytest.mark.django_db
def test_moving_a_scheduled_review_records_its_original_date(cast):
    build(cast)
    client = client_for(cast.leader)
    response = client.post(url("review_new"), {"date": "2026-02-17", "moved_from": "2026-02-16"})
    review = Review.objects.get()
    assert response.status_code == 302
    assert (review.date, review.moved_from) == (date(2026, 2, 17), date(2026, 2, 16))
    page = client.get(url("review", review.uuid)).content.decode()
    assert "Moved from Monday 16 February" in page
    # Moving it again keeps the original scheduled date; moving it back clears it.
    client.post(url("review_move", review.uuid), {"date": "2026-02-18"})
    review.refresh_from_db()
    assert (review.date, review.moved_from) == (date(2026, 2, 18), date(2026, 2, 16))
    client.post(url("review_move", review.uuid), {"date": "2026-02-16"})
    review.refresh_from_db()
    assert (review.date, review.moved_from) == (date(2026, 2, 16), None)


@pytest.mark.django_db
def test_moving_onto_another_review_keeps_the_typed_date_and_says_why(cast):
    build(cast)
    other = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    response = client_for(cast.leader).post(url("review_move", review.uuid), {"date": "2026-03-02"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is already a review on this day." in body
    assert 'value="2026-03-02"' in body and 'aria-invalid="true"' in body
    review.refresh_from_db()
    assert review.date == date(2026, 2, 16) and other.date == date(2026, 3, 2)


@pytest.mark.django_db
def test_adding_a_review_with_a_bad_date_keeps_the_input(cast):
    response = client_for(cast.leader).post(url("review_new"), {"date": "31/02/2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD" in body and 'value="31/02/2026"' in body
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_an_added_review_on_another_day(cast):
    build(cast)
    response = client_for(cast.leader).post(url("review_new"), {"date": "2026-02-26"})
    review = Review.objects.get()
    assert response.status_code == 302 and review.moved_from is None
    assert sel.schedule_of(cast.org).cadence.between(date(2026, 2, 15), date(2026, 3, 3)) == [
        date(2026, 2, 16),
        date(2026, 2, 26),
        date(2026, 3, 2),
    ]


@pytest.mark.django_db
def test_review_page_shows_deltas_confidence_changes_notes_and_missing_check_ins(cast):
    w = build(cast)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    response = client_for(cast.member).get(url("review", review.uuid))
    body = response.content.decode()
    assert response.status_code == 200
    # At-risk list first, the off-track key result at its top.
    at_risk = body.index("at-risk-heading")
    assert at_risk < body.index("teams-heading")
    assert body.index("Fakturering nya kunder 4MSEK", at_risk) < body.index(
        "Generera 100 nya leads", at_risk
    )
    # Deltas against 2 February (scheduled; no review was held): Marknad 15 % -> 65 %.
    assert "Compared with Monday 2 February: no review was held that day." in body
    assert "+50\u00a0pp" in body
    assert "worse, was" in body  # Kari: on track -> off track
    # Notes since the last review; the January note is older.
    assert "Stora kunden hoppade av" in body and "Hemsidan är uppe" in body
    assert "Kampanjen startade" not in body
    # Key results with no check-in since the last review.
    missing = body[body.index("No check-in since the last review", body.index('id="team-'))]
    assert "Generera 100 nya leads" in body and missing
    board = sel.review_board(cast.org, review.date, review=review, charts=False)
    assert {r.title for r in board.missing} == {
        "Generera 100 nya leads",
        "Merförsäljning 1,5MSEK",
        "20MSEK försäljning till nya kunder",
    }
    assert "Ett utkast" not in body  # drafts are not reviewed
    assert w.krs["leads"].title in body


@pytest.mark.django_db
def test_closing_freezes_the_snapshot_later_check_ins_change_nothing(cast):
    w = build(cast)
    client = client_for(cast.leader)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    closed_at = at(date(2026, 2, 16), 10)
    result = svc.review_close(review=review, user=cast.leader, now=closed_at)
    assert result.closed and result.rows == 5
    review.refresh_from_db()
    assert review.is_closed and review.closed_at == closed_at
    assert review.previous_date == date(2026, 2, 2)
    frozen = {r.title: r for r in ReviewKeyResult.objects.filter(review=review)}
    assert frozen["Fakturering nya kunder 4MSEK"].progress == pytest.approx(0.5)
    assert frozen["Fakturering nya kunder 4MSEK"].confidence == "off_track"
    assert frozen["Fakturering nya kunder 4MSEK"].previous_confidence == "on_track"
    assert frozen["Fakturering nya kunder 4MSEK"].value == Decimal(2)
    assert frozen["Lansera översatt hemsida senast 15/2"].done is True
    teams = {t.name: t for t in ReviewTeam.objects.filter(review=review)}
    assert teams["Marknad"].progress == pytest.approx(0.65)
    assert teams["Marknad"].previous_progress == pytest.approx(0.15)
    assert teams[""].team_id is None  # the strategic OKRs
    before = client.get(url("review", review.uuid)).content.decode()
    # A later check-in (after the close) does not change what was reviewed...
    record(
        w.krs["invoicing"],
        w.people["kari"],
        date(2026, 2, 20),
        value=4,
        confidence="on_track",
        note="Vi vände det!",
    )
    after = client.get(url("review", review.uuid)).content.decode()

    def strip(html):
        main = html[html.index("<main") : html.index("</main>")]
        return re.sub(r'(value|nonce)="[^"]+"', "", main)

    assert strip(before) == strip(after)
    assert "Vi vände det!" not in after
    # ...and closing again changes nothing.
    assert svc.review_close(review=review, user=cast.admin).closed is False
    assert ReviewKeyResult.objects.filter(review=review).count() == 5


@pytest.mark.django_db
def test_the_next_review_compares_with_the_frozen_snapshot(cast):
    w = build(cast)
    first = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    svc.review_close(review=first, user=cast.leader, now=at(date(2026, 2, 16), 10))
    # A check-in the same morning before the meeting was reviewed then; one after it is "since".
    record(
        w.krs["leads"], w.people["per"], date(2026, 2, 16), value=50, confidence="on_track", hour=12
    )
    board = sel.review_board(cast.org, date(2026, 3, 2), charts=False)
    assert board.period.previous_date == date(2026, 2, 16)
    assert board.period.since == at(date(2026, 2, 16), 10)
    leads = next(r for r in board.rows if r.title == "Generera 100 nya leads")
    assert leads.before.progress == pytest.approx(0.3) and leads.now.progress == pytest.approx(0.5)
    assert not leads.missing_check_in
    invoicing = next(r for r in board.rows if r.title == "Fakturering nya kunder 4MSEK")
    assert invoicing.missing_check_in


@pytest.mark.django_db
def test_decisions_and_notes_per_team_with_and_without_htmx(cast):
    w = build(cast)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    client = client_for(cast.leader)
    plain = client.post(
        url("review_entry_new", review.uuid),
        {"team": str(w.sales.uuid), "kind": "decision", "text": "Fredrika tar kontakt med kunden"},
    )
    assert plain.status_code == 302 and plain.url.endswith(f"#team-{w.sales.uuid}")
    swapped = client.post(
        url("review_entry_new", review.uuid),
        {"team": str(w.marknad.uuid), "kind": "note", "text": "Katalogen är sen"},
        HTTP_HX_REQUEST="true",
    )
    body = swapped.content.decode()
    assert swapped.status_code == 200 and "<html" not in body
    assert "Katalogen är sen" in body and "data-focus-after-swap" in body
    empty = client.post(
        url("review_entry_new", review.uuid),
        {"team": str(w.marknad.uuid), "kind": "note", "text": "  "},
        HTTP_HX_REQUEST="true",
    )
    assert empty.status_code == 200 and 'aria-invalid="true"' in empty.content.decode()
    entries = {(e.team_id, e.kind, e.text) for e in ReviewEntry.objects.all()}
    assert entries == {
        (w.sales.id, "decision", "Fredrika tar kontakt med kunden"),
        (w.marknad.id, "note", "Katalogen är sen"),
    }
    page = client.get(url("review", review.uuid)).content.decode()
    assert page.index("Fredrika tar kontakt med kunden") > page.index(f'id="team-{w.sales.uuid}"')
    # A closed review takes no more decisions.
    svc.review_close(review=review, user=cast.leader)
    late = client.post(
        url("review_entry_new", review.uuid),
        {"team": str(w.sales.uuid), "kind": "note", "text": "För sent"},
    )
    assert "This review is closed" in late.content.decode()
    assert not ReviewEntry.objects.filter(text="För sent").exists()


@pytest.mark.django_db
def test_meeting_mode_shows_one_team_with_previous_and_next_links(cast):
    w = build(cast)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    client = client_for(cast.member)
    first = client.get(url("review", review.uuid, query=f"?team={w.marknad.uuid}")).content.decode()
    assert "data-meeting" in first and "Team 1 of 3" in first
    assert 'rel="prev"' not in first
    assert re.search(rf'href="[^"]*\?team={w.sales.uuid}" rel="next" data-meeting-nav', first)
    assert "Fakturering nya kunder" not in first  # the other team's key results are not shown
    middle = client.get(url("review", review.uuid, query=f"?team={w.sales.uuid}")).content.decode()
    assert re.search(rf'href="[^"]*\?team={w.marknad.uuid}" rel="prev" data-meeting-nav', middle)
    assert re.search(r'href="[^"]*\?team=strategic" rel="next" data-meeting-nav', middle)
    assert "js/meeting.js" in middle
    assert client.get(url("review", review.uuid, query="?team=nope")).status_code == 404
    # A scheduled review without a row has meeting mode too.
    preview = client.get(url("reviews", query=f"?date=2026-03-02&team={w.sales.uuid}"))
    assert preview.status_code == 200 and "Team 2 of 3" in preview.content.decode()


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.django_db
def test_review_page_queries_do_not_grow(cast, size, django_assert_max_num_queries):
    w = build(cast, extra_owners=size)
    for i, kr in enumerate(w.krs.values()):
        record(
            kr,
            cast.admin,
            date(2026, 2, 3 + i),
            value=1 if kr.kind == "metric" else None,
            done=True if kr.kind == "milestone" else None,
            note=f"Not {i}",
        )
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    ReviewEntry.objects.create(
        organisation=cast.org, review=review, team=w.sales, text="Beslut", author=cast.leader
    )
    client = client_for(cast.leader)
    with django_assert_max_num_queries(14):
        assert client.get(url("review", review.uuid)).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(url("review", review.uuid, query=f"?team={w.sales.uuid}")).status_code == 200
        )
    svc.review_close(review=review, user=cast.leader)
    with django_assert_max_num_queries(14):
        assert client.get(url("review", review.uuid)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("reviews")).status_code == 200


@pytest.mark.django_db
def test_review_page_has_print_styles_and_a_print_button_for_js(cast):
    build(cast)
    review = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    body = client_for(cast.member).get(url("review", review.uuid)).content.decode()
    assert "data-print hidden" in body
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/app.css")).read_text(encoding="utf-8")
    review_css = css[css.index("/* review */") : css.index("/* end review */")]
    assert "@page { size: A4" in review_css


@pytest.mark.django_db
def test_home_shows_the_next_review_with_week_holiday_and_move(cast):
    cast.org.review_every_weeks = 1
    cast.org.save()
    today = calendar.today(cast.org)
    upcoming = sel.next_review(cast.org, today)
    moved_to = upcoming.date + timedelta(days=1)
    Review.objects.create(organisation=cast.org, date=moved_to, moved_from=upcoming.date)
    body = client_for(cast.member).get(reverse("okr:home", args=["acme"])).content.decode()
    assert f'datetime="{moved_to:%Y-%m-%d}"' in body
    assert f"week {moved_to.isocalendar().week}" in body
    assert "Moved from" in body


@pytest.mark.django_db
def test_a_review_on_a_public_holiday_is_flagged(cast):
    # Easter Monday 2026 (6 April) with weekly Monday reviews.
    cast.org.review_every_weeks = 1
    cast.org.save()
    response = client_for(cast.member).get(url("reviews", query="?date=2026-04-06"))
    assert "Public holiday: Easter Monday" in response.content.decode()
    day = sel.next_review(cast.org, date(2026, 4, 2))
    assert day.date == date(2026, 4, 6) and day.holiday == "Easter Monday"
