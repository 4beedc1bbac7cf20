"""Bad input: the forms and the API never answer 500 and never store half.

Generated values for the main forms and API bodies (hypothesis, derandomized):
strings in all scripts (and control characters), huge numbers, NaN and
Infinity, negative targets, dates out of range, wrong types. After every
request either the whole change is there or nothing is.

Then the sweep: every form of every page of the DPAB demo, found by opening the
pages as each role (tests.support.sweep), posted with the fixed hostile values of
tests.support.fuzz; a refused post must leave every row as it was.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core import signals
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import client_for
from okr.models import CheckIn, KeyResult, Objective, Review
from tests.support.api import ApiClient, api, token_api
from tests.support.factories import metric_kr, milestone_kr, strategic_objective, year_and_quarter
from tests.support.fuzz import Tally, fuzz_form, refused
from tests.support.sweep import codes_of, demo_world, forms_on, pages, signed_in

pytestmark = pytest.mark.django_db

# Derandomized (a fixed seed) with no example database: every run sends the same values.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)

#: The requests of the generated-value tests below (the sweep at the end counts its own).
GENERATED = Tally("generated-values")


@pytest.fixture(autouse=True)
def count_requests(request):
    if request.node.name.startswith("test_every_form"):
        yield
        return

    def started(**kwargs):
        GENERATED.requests += 1

    signals.request_started.connect(started)
    yield
    signals.request_started.disconnect(started)


@pytest.fixture(scope="module", autouse=True)
def report_generated():
    yield
    if GENERATED.requests:
        GENERATED.report()


# Text in every script, with control characters and NUL (form posts are UTF-8).
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
long_text = st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=2500)
words = st.sampled_from(
    [
        "",
        " ",
        "Öka försäljningen",
        "Økt salg på nett «NO»",
        "売上を伸ばす",
        "نمو المبيعات",
        "👍🏽",
        "\x00",
        "<script>",
    ]
)
number_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "1e400",
            "1,5",
            "1 500",
            "−3",
            "0x10",
            "1_000",
            "٣",
            "-0",
            "+7",
        ]
    ),
    any_text,
)
date_text = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0000-01-01",
            "9999-12-31",
            "10000-01-01",
            "2026-02-30",
            "-1-01-01",
            "2026-13-01",
            "31/12/2026",
        ]
    ),
    any_text,
)
small_int_text = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), any_text)

# JSON values of every type, for the API.
json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
    words,
    number_text,
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture
def okr(cast):
    year, quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, owner=cast.leader)
    metric = metric_kr(objective, owner=cast.member, start=0, target=20)
    milestone = milestone_kr(objective, owner=cast.member, steps_total=4)
    return {"year": year, "objective": objective, "metric": metric, "milestone": milestone}


def assert_check_in_state(kr: KeyResult):
    """The key result's current value and confidence follow its latest check-in."""
    kr.refresh_from_db()
    latest = CheckIn.objects.filter(key_result=kr).order_by("-created_at", "-id").first()
    if latest is None:
        assert kr.last_check_in_at is None
        return
    assert kr.confidence == latest.confidence
    if kr.kind == KeyResult.Kind.METRIC:
        assert kr.current_value == latest.value


# --- pages -------------------------------------------------------------------------------------


@FUZZ
@given(
    which=st.sampled_from(["metric", "milestone"]),
    value=number_text,
    done=st.sampled_from(["", "on", "true", "0", "yes", "\x00"]),
    steps=small_int_text,
    confidence=st.one_of(st.sampled_from(["on_track", "at_risk", "off_track"]), any_text),
    note=st.one_of(any_text, long_text),
)
def test_check_in_page(cast, okr, which, value, done, steps, confidence, note):
    kr = okr[which]
    client = client_for(cast.member)
    before = CheckIn.objects.count()
    response = client.post(
        reverse("okr:key_result_check_in", args=["acme", kr.uuid]),
        {"value": value, "done": done, "steps_done": steps, "confidence": confidence, "note": note},
    )
    assert response.status_code in (200, 302), response.status_code
    added = CheckIn.objects.count() - before
    assert added == (1 if response.status_code == 302 else 0)
    if response.status_code == 200:
        assert 'aria-invalid="true"' in response.content.decode()
    assert_check_in_state(kr)


@FUZZ
@given(
    title=st.one_of(words, any_text, long_text), why=any_text, owner=any_text, year=small_int_text
)
def test_strategic_objective_form(cast, okr, title, why, owner, year):
    client = client_for(cast.leader)
    before = Objective.objects.count()
    response = client.post(
        reverse("okr:objective_new", args=["acme"]),
        {"title": title, "why": why, "owner": owner, "year": year},
    )
    assert response.status_code in (200, 302), response.status_code
    assert Objective.objects.count() - before == (1 if response.status_code == 302 else 0)


@FUZZ
@given(
    title=st.one_of(words, any_text),
    kind=st.one_of(st.sampled_from(["metric", "milestone"]), any_text),
    direction=st.one_of(st.sampled_from(["increase", "decrease"]), any_text),
    start=number_text,
    target=number_text,
    due=date_text,
    steps=small_int_text,
    unit=any_text,
)
def test_strategic_key_result_form(
    cast, okr, title, kind, direction, start, target, due, steps, unit
):
    client = client_for(cast.leader)
    before = KeyResult.objects.count()
    response = client.post(
        reverse("okr:key_result_new", args=["acme", okr["objective"].uuid]),
        {
            "title": title,
            "kind": kind,
            "unit": unit,
            "direction": direction,
            "start_value": start,
            "target_value": target,
            "due_date": due,
            "steps_total": steps,
            "commitment": "committed",
            "owner": "",
            "version": "",
        },
    )
    assert response.status_code in (200, 302), response.status_code
    assert KeyResult.objects.count() - before == (1 if response.status_code == 302 else 0)
    for kr in KeyResult.objects.filter(objective=okr["objective"]):
        kr.full_clean()


@FUZZ
@given(
    name=st.one_of(words, any_text),
    vision=st.one_of(any_text, long_text),
    country=any_text,
    tz=st.one_of(st.sampled_from(["Europe/Oslo", "Mars/Olympus", ""]), any_text),
    month=small_int_text,
    weeks=small_int_text,
    weekday=small_int_text,
    language=st.one_of(st.sampled_from(["sv", "nb", "en", "de"]), any_text),
)
def test_settings_organisation_form(
    cast, name, vision, country, tz, month, weeks, weekday, language
):
    client = client_for(cast.admin)
    cast.org.refresh_from_db()
    saved_before = {f.name: getattr(cast.org, f.name) for f in cast.org._meta.fields}
    response = client.post(
        reverse("settings:organisation", args=["acme"]),
        {
            "name": name,
            "vision": vision,
            "mission": "",
            "language": language,
            "timezone": tz,
            "country": country,
            "fiscal_year_start_month": month,
            "review_every_weeks": weeks,
            "review_weekday": weekday,
            "reminders_enabled": "on",
        },
    )
    assert response.status_code in (200, 302), response.status_code
    cast.org.refresh_from_db()
    cast.org.full_clean()
    if response.status_code == 200:
        assert {f.name: getattr(cast.org, f.name) for f in cast.org._meta.fields} == saved_before


# --- API ---------------------------------------------------------------------------------------


def json_post(client: ApiClient, url: str, body) -> int:
    response = client.post(url, body)
    assert response.status_code < 500, response.content
    if response.status_code == 400:
        errors = response.json()
        assert isinstance(errors, dict) and errors
    return response.status_code


@FUZZ
@given(
    which=st.sampled_from(["metric", "milestone"]),
    value=json_value,
    done=json_value,
    steps=json_value,
    confidence=st.one_of(st.sampled_from(["on_track", "at_risk"]), json_value),
    note=json_value,
    drop=st.sets(st.sampled_from(["value", "done", "steps_done", "note", "confidence"])),
)
def test_api_check_ins(cast, okr, which, value, done, steps, confidence, note, drop):
    client = token_api(cast.member, cast.org)
    kr = okr[which]
    body = {
        "key_result": str(kr.uuid),
        "value": value,
        "done": done,
        "steps_done": steps,
        "confidence": confidence,
        "note": note,
    }
    body = {k: v for k, v in body.items() if k not in drop}
    before = CheckIn.objects.count()
    status = json_post(client, api("acme", "check-ins/"), body)
    assert status in (201, 400)
    assert CheckIn.objects.count() - before == (1 if status == 201 else 0)
    assert_check_in_state(kr)


@FUZZ
@given(
    title=st.one_of(words, json_value),
    kind=st.one_of(st.sampled_from(["metric", "milestone"]), json_value),
    direction=st.sampled_from(["increase", "decrease"]),
    start=st.one_of(st.integers(min_value=-(10**14), max_value=10**14), json_value),
    target=st.one_of(st.integers(min_value=-(10**14), max_value=10**14), json_value),
    due=st.one_of(date_text, json_value),
    steps=json_value,
    weight=json_value,
)
def test_api_key_results(cast, okr, title, kind, direction, start, target, due, steps, weight):
    client = token_api(cast.leader, cast.org)
    before = KeyResult.objects.count()
    status = json_post(
        client,
        api("acme", "key-results/"),
        {
            "objective": str(okr["objective"].uuid),
            "title": title,
            "kind": kind,
            "direction": direction,
            "start_value": start,
            "target_value": target,
            "due_date": due,
            "steps_total": steps,
            "weight": weight,
        },
    )
    assert status in (201, 400)
    assert KeyResult.objects.count() - before == (1 if status == 201 else 0)
    for kr in KeyResult.objects.filter(objective=okr["objective"]):
        kr.full_clean()
        assert kr.weight > 0


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "vision",
                "language",
                "timezone",
                "country",
                "currency",
                "fiscal_year_start_month",
                "review_every_weeks",
                "review_weekday",
                "reminders_enabled",
            ]
        ),
        json_value,
        max_size=6,
    )
)
def test_api_organisation(cast, body):
    client = token_api(cast.admin, cast.org)
    cast.org.refresh_from_db()
    saved_before = {f.name: getattr(cast.org, f.name) for f in cast.org._meta.fields}
    response = client.patch(api("acme"), body)
    assert response.status_code in (200, 400), response.content
    cast.org.refresh_from_db()
    cast.org.full_clean()
    if response.status_code == 400:
        assert {f.name: getattr(cast.org, f.name) for f in cast.org._meta.fields} == saved_before


@FUZZ
@given(
    title=st.one_of(words, json_value),
    level=st.one_of(st.sampled_from(["strategic", "team"]), json_value),
    why=json_value,
    parent=json_value,
)
def test_api_objectives(cast, okr, title, level, why, parent):
    client = token_api(cast.leader, cast.org)
    before = Objective.objects.count()
    status = json_post(
        client,
        api("acme", "objectives/"),
        {
            "cycle": str(okr["year"].uuid),
            "level": level,
            "title": title,
            "why": why,
            "parent_objective": parent,
        },
    )
    assert status in (201, 400, 403)
    assert Objective.objects.count() - before == (1 if status == 201 else 0)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200), any_text.map(str.encode)))
def test_api_raw_bodies(cast, okr, raw):
    client = token_api(cast.leader, cast.org)
    for url in (api("acme", "check-ins/"), api("acme", "key-results/"), api("acme", "objectives/")):
        response = client.client.post(url, raw, content_type="application/json", **client.headers)
        assert response.status_code in (400, 415), (url, raw, response.status_code)


def test_json_numbers_the_parser_refuses_are_400(cast, okr):
    client = token_api(cast.member, cast.org)
    for literal in ("NaN", "Infinity", "-Infinity", "1e999", "9" * 5000):
        kr = okr["metric"].uuid
        raw = f'{{"key_result": "{kr}", "confidence": "on_track", "value": {literal}}}'
        response = client.client.post(
            api("acme", "check-ins/"), raw, content_type="application/json", **client.headers
        )
        assert response.status_code == 400, (literal, response.content)
    assert not CheckIn.objects.exists()
    assert json.loads(json.dumps(str(Decimal("1.5")))) == "1.5"


# --- Every form of every page --------------------------------------------------------------------

#: Who fuzzes a form seen by several roles: the least privileged (the others post it once).
RANK = {"anonymous": 0, "member": 1, "leadership": 2, "admin": 3}


def test_every_form_refuses_hostile_values_and_a_refusal_writes_nothing(db):
    """Every form on every page of the DPAB demo, as the least privileged role that sees it:
    each hostile value in all its controls, then in each control alone, beside a hostile
    ``next``; and the untouched form from every other role. No answer is a server error,
    no refused write (4xx, the form again with errors, a redirect with an error message)
    changes a row, and no redirect leaves the site."""
    world = demo_world()
    organisation, users = world.organisation, world.users
    clients = {role: signed_in(users[role]) for role in ("admin", "leadership", "member")}
    clients["anonymous"] = signed_in(None)
    tally = Tally("forms")
    codes, kinds, chosen, post_only = codes_of(organisation, world.first), {}, {}, set()

    def opened(url, response):
        tally.read(url, response)
        if response.status_code == 405:
            post_only.add(resolve(url.split("?")[0]).view_name)

    for role in ("admin", "leadership", "member", "anonymous"):
        found = pages(
            clients[role], organisation.slug, codes, kinds, counter=opened, extra=world.urls
        )
        for url, html in found.items():
            for form in forms_on(url, html):
                key = form.key()
                if key not in chosen or RANK[role] < RANK[chosen[key][0]]:
                    chosen[key] = (role, form)
    print(
        f"\nfuzz forms: {len(chosen)} forms ({sorted({f.view_name for _r, f in chosen.values()})})"
    )
    for role, form in chosen.values():
        others = [client for other, client in clients.items() if other != role]
        fuzz_form(tally, clients[role], form, other_clients=others)
    tally.report()
    # Every URL that only takes a POST was reached through a form of some page.
    assert post_only - {form.view_name for _role, form in chosen.values()} == set()
    assert len(chosen) >= 60, sorted(key[0] for key in chosen)
    assert tally.problems() == []


def test_a_posted_day_with_a_percent_sign_is_refused_not_a_server_error(db):
    """Found by the form sweep: the move form's HTML ids were built from the posted
    ``moved_from``, and "%s%n" in it broke Django's id format string (500)."""
    world = demo_world()
    organisation, users = world.organisation, world.users
    client = signed_in(users["admin"])
    reviews = Review.objects.count()
    for moved_from in ("%s%n{0}", ""):
        response = client.post(
            reverse("okr:review_new", args=[organisation.slug]),
            {"moved_from": moved_from, "date": "%s%n{0}"},
        )
        assert response.status_code in (200, 400), response.status_code
    assert refused(response)
    assert Review.objects.count() == reviews
