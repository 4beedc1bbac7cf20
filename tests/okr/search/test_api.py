"""The search API: the same reads as the page, its schema, and its refusals (400, never 500)."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okr.search import selectors
from tests.support.api import api, session_api, token_api
from tests.support.fuzz import HOSTILE
from tests.support.search import KEY_RESULT, search_world

pytestmark = pytest.mark.django_db

URL = api("acme", "search/")


def test_grouped_results_with_links_and_marks(cast):
    world = search_world(cast)
    response = token_api(cast.member, cast.org).get(URL, {"q": "tre pilotkund"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["words"] == ["tre", "pilotkund"] and body["full_text"] is True
    groups = {g["kind"]: g for g in body["groups"]}
    assert list(groups) == list(selectors.KINDS)
    (hit,) = groups["key_results"]["results"]
    assert hit["id"] == str(world.key_result.uuid) and hit["title"] == KEY_RESULT
    assert hit["title_html"] == "<mark>Tre</mark> <mark>pilotkunder</mark> i Norge"
    assert hit["url"] == f"/acme/key-results/{world.key_result.uuid}/"
    assert groups["key_results"]["label"] == "Nyckelresultat"  # Acme's language


def test_one_kind_a_page_at_a_time(cast):
    world = search_world(cast)
    model = world.key_result.__class__
    model.objects.bulk_create(
        model(organisation=cast.org, objective=world.objective, title=f"Pilotkund {i}")
        for i in range(selectors.PER_PAGE + 1)
    )
    client = session_api(cast.member)
    first = client.get(URL, {"q": "pilotkund", "kind": "key_results"}).json()
    (group,) = first["groups"]
    assert len(group["results"]) == selectors.PER_PAGE and group["has_more"]
    second = client.get(URL, {"q": "pilotkund", "kind": "key_results", "page": 2}).json()
    assert len(second["groups"][0]["results"]) == 2 and not second["groups"][0]["has_more"]


def test_too_short_searches_nothing(cast):
    body = session_api(cast.member).get(URL, {"q": "a"}).json()
    assert body["too_short"] is True and all(not g["results"] for g in body["groups"])


def test_never_another_organisations_results(cast):
    search_world(cast)
    body = token_api(cast.member, cast.org).get(URL, {"q": "pilotkunder norge"}).json()
    urls = [h["url"] for g in body["groups"] for h in g["results"]]
    assert urls and all(u.startswith("/acme/") for u in urls)


def test_outsider_and_a_token_of_another_organisation_get_404(cast):
    assert session_api(cast.outsider).get(URL, {"q": "pilot"}).status_code == 404
    other_token = token_api(cast.outsider, cast.other_org)
    assert other_token.get(URL, {"q": "pilot"}).status_code == 404
    assert session_api(cast.member).get(api("nowhere", "search/"), {"q": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "pilot\x00"}, "q"),
        ({"q": "pilot", "kind": "secrets"}, "kind"),
        ({"q": "pilot", "kind": ""}, "kind"),
        ({"q": "pilot", "page": "0"}, "page"),
        ({"q": "pilot", "page": "51"}, "page"),
        ({"q": "pilot", "page": "1" + "0" * 400}, "page"),
        ({"q": "pilot", "page": "x"}, "page"),
    ],
)
def test_bad_parameters_are_400_with_the_field(cast, params, field):
    response = session_api(cast.member).get(URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_raw_surrogate_bytes_never_fail(cast):
    client = session_api(cast.member)
    for raw in ("%ED%A0%80", "%FF%FE", "pilot%ED%A0%80kund"):
        response = client.client.get(f"{URL}?q={raw}")
        assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", HOSTILE + ["a & b | !c", "x:*", "(", "'", "\\", "<->", "\\'"])
def test_hostile_values_never_fail(cast, value):
    response = session_api(cast.member).get(URL, {"q": value})
    assert response.status_code in (200, 400), response.content


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=220))
def test_fuzzed_queries_never_fail(cast, value):
    response = session_api(cast.member).client.get(f"{URL}?q={quote(value)}")
    assert response.status_code in (200, 400), response.content


def test_in_the_openapi_schema(cast):
    response = session_api(cast.member).get("/api/schema/", HTTP_ACCEPT="application/json")
    operation = response.json()["paths"]["/api/v1/{org_slug}/search/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "kind", "page", "org_slug"} <= names
    assert {"200", "400", "404"} <= set(operation["responses"])
