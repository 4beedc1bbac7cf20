"""The search page and its reads: every kind, grouped, highlighted, inside the organisation."""

import html

import pytest
from django.urls import reverse

from conftest import client_for
from okr.search import selectors, text
from tests.support.search import COMMENT, INITIATIVE, KEY_RESULT, OBJECTIVE, TEAM, search_world

pytestmark = pytest.mark.django_db


def url(org="acme", **params):
    from urllib.parse import urlencode

    return f"/{org}/search/?{urlencode(params)}"


def kinds_found(org, words, **kwargs):
    groups = selectors.search(org, text.parse(words), **kwargs)
    return {g.kind: [h.title for h in g.hits] for g in groups if g.hits}


def test_every_kind_is_found_by_an_inflected_word(cast):
    world = search_world(cast)
    found = kinds_found(cast.org, "pilotkund")
    assert found[selectors.OBJECTIVES] == [OBJECTIVE]  # by its why
    assert found[selectors.KEY_RESULTS] == [KEY_RESULT]
    assert found[selectors.INITIATIVES] == [INITIATIVE]
    assert len(found[selectors.COMMENTS]) == 2  # on the objective and on a check-in
    assert selectors.PEOPLE not in found and selectors.TEAMS not in found
    assert kinds_found(cast.org, "pilots")[selectors.PEOPLE] == [world.person.name]
    assert kinds_found(cast.org, "norgetea")[selectors.TEAMS] == [TEAM]


def test_the_last_word_is_a_prefix_and_every_word_must_match(cast):
    search_world(cast)
    assert kinds_found(cast.org, "tre pilotk")[selectors.KEY_RESULTS] == [KEY_RESULT]
    assert selectors.KEY_RESULTS not in kinds_found(cast.org, "tre pilotkunder danmark")


def test_codes_and_names_match_as_typed(cast):
    search_world(cast)
    assert kinds_found(cast.org, "oslo")[selectors.INITIATIVES] == [INITIATIVE]
    assert kinds_found(cast.org, "nora@acme")[selectors.PEOPLE] == ["Nora Pilotsson"]
    assert kinds_found(cast.org, "säljare")[selectors.PEOPLE] == ["Nora Pilotsson"]


def test_never_a_result_from_another_organisation(cast):
    search_world(cast)
    for words in ("pilotkunder", "norge", "nora", "norgeteamet", "oslo"):
        for group in selectors.search(cast.org, text.parse(words)):
            for hit in group.hits:
                assert "/acme/" in hit.url, hit
    other = {g.kind: g.hits for g in selectors.search(cast.other_org, text.parse("pilotkunder"))}
    assert all("/other/" in h.url for hits in other.values() for h in hits)
    response = client_for(cast.admin).get(url(q="nora"))
    assert "@acme.example" in response.content.decode()
    assert "@other.example" not in response.content.decode()


def test_the_page_groups_links_and_highlights(cast):
    world = search_world(cast)
    response = client_for(cast.member).get(url(q="pilotkunder"))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Mål", "Nyckelresultat", "Initiativ", "Kommentarer"):
        assert f">{label}</h2>" in page, label
    slug = cast.org.slug
    assert reverse("okr:objective_detail", args=[slug, world.objective.uuid]) in page
    assert reverse("okr:key_result_detail", args=[slug, world.key_result.uuid]) in page
    assert f"#comment-{world.comment.uuid}" in page
    check_in = world.check_in_comment.check_in
    assert (
        reverse("okr:check_in_comments", args=[slug, check_in.uuid])
        + f"#comment-{world.check_in_comment.uuid}"
    ) in page
    assert "<mark>pilotkunder</mark>" in page
    assert "Tre <mark>pilotkunder</mark> i Norge" in page


def test_titles_are_escaped_around_the_marks(cast):
    world = search_world(cast)
    world.key_result.title = "<script>alert(1)</script> pilotkunder & co"
    world.key_result.save(update_fields=["title"])
    page = client_for(cast.member).get(url(q="pilotkunder")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>pilotkunder</mark> &amp; co" in page


def test_removed_comments_are_not_found(cast):
    world = search_world(cast)
    world.comment.deleted = True
    world.comment.save(update_fields=["deleted"])
    hits = kinds_found(cast.org, "pilotkunderna")[selectors.COMMENTS]
    assert COMMENT not in hits


def test_more_link_and_pages_of_one_kind(cast):
    world = search_world(cast)
    for n in range(selectors.PER_PAGE + 3):
        world.key_result.__class__.objects.create(
            organisation=cast.org,
            objective=world.objective,
            title=f"Pilotkund nummer {n}",
            kind="milestone",
        )
    client = client_for(cast.member)
    page = client.get(url(q="pilotkund")).content.decode()
    more = html.escape(url(q="pilotkund", kind="key_results"))
    assert more in page
    first = client.get(url(q="pilotkund", kind="key_results")).content.decode()
    assert first.count("search-hit-title") == selectors.PER_PAGE
    assert html.escape(url(q="pilotkund", kind="key_results", page=2)) in first
    second = client.get(url(q="pilotkund", kind="key_results", page=2)).content.decode()
    assert second.count("search-hit-title") == 4  # 24 in all
    assert "Nästa sida" not in second and "Föregående sida" in second


def test_empty_short_and_nothing_found(cast):
    search_world(cast)
    client = client_for(cast.member)
    assert "Skriv några ord" in client.get(url()).content.decode()
    assert "Skriv minst 2 bokstäver" in client.get(url(q="a")).content.decode()
    assert "Inget hittades för ”zzzz”" in client.get(url(q="zzzz")).content.decode()


def test_htmx_gets_only_the_results(cast):
    search_world(cast)
    response = client_for(cast.member).get(url(q="pilotk"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<mark>" in page and "<html" not in page and "search-q" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "pilot\x00kund"},
        {"q": "pilot", "kind": "secrets"},
        {"q": "pilot", "page": "0"},
        {"q": "pilot", "page": "999999999999999999999"},
        {"q": "pilot", "page": "x"},
    ],
)
def test_bad_parameters_are_form_errors(cast, params):
    response = client_for(cast.member).get(url(**params))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    "words", ["a & b | !c", "pilot:*", "(()", "'", '"x', "\\", "<->", "x" * 200, "\ufffd\ue000"]
)
def test_hostile_words_never_fail(cast, words):
    search_world(cast)
    assert client_for(cast.member).get(url(q=words)).status_code == 200


def test_outsider_gets_404_and_anonymous_goes_to_login(cast, client):
    assert client_for(cast.outsider).get(url(q="pilot")).status_code == 404
    response = client.get(url(q="pilot"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_has_the_field_with_its_shortcut(cast):
    page = client_for(cast.member).get("/acme/").content.decode()
    assert 'id="site-search-q"' in page and 'aria-keyshortcuts="/"' in page
    assert 'action="/acme/search/"' in page


def _grow(cast, n):
    world = search_world(cast)
    model = world.key_result.__class__
    model.objects.bulk_create(
        model(organisation=cast.org, objective=world.objective, title=f"Pilotkund {i}")
        for i in range(n)
    )


@pytest.mark.parametrize("size", [0, 300])
def test_queries_are_bounded_whatever_the_size(cast, django_assert_max_num_queries, size):
    _grow(cast, size)
    client = client_for(cast.member)
    client.get("/acme/")  # session and caches warm
    # The user and the membership, one query per kind (6), the header's notification bell.
    with django_assert_max_num_queries(10):
        response = client.get(url(q="pilotkund"))
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url(q="pilotkund", kind="key_results", page=2)).status_code == 200


@pytest.mark.parametrize(
    ("language", "title", "words"),
    [
        ("nb", "Vi skal doble salget til nye kunder", "kundene"),
        ("en", "Win three pilot customers in Norway", "customer pilots"),
        ("sv", "Tre pilotkunder i Norge", "pilotkunderna"),
    ],
)
def test_inflected_forms_match_in_the_organisations_language(cast, language, title, words):
    from tests.support.factories import metric_kr, strategic_objective, year_and_quarter

    cast.org.language = language
    cast.org.save(update_fields=["language"])
    year, _ = year_and_quarter(cast.org)
    metric_kr(strategic_objective(cast.org, year, title="Ett mål"), title=title, target=3)
    assert kinds_found(cast.org, words)[selectors.KEY_RESULTS] == [title]


@pytest.mark.parametrize(
    ("language", "heading", "kind"),
    [("sv", "Sök", "Nyckelresultat"), ("nb", "Søk", "Nøkkelresultater"), ("en", "Search", "Key")],
)
def test_the_page_speaks_the_organisations_language(cast, language, heading, kind):
    search_world(cast)
    cast.org.language = language
    cast.org.save(update_fields=["language"])
    page = client_for(cast.member).get(url(q="pilotkund")).content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f'<h2 id="search-key_results">{kind}' in page
