"""The fallback without full-text search (SQLite, the embedded default), run here on PostgreSQL.

``selectors.full_text()`` decides; with it off the same searches go through ``icontains``
and Python's highlighting. tests/project/test_embedded.py searches the demo on real SQLite.
"""

import pytest

from okr.search import selectors, text
from tests.support.search import INITIATIVE, KEY_RESULT, OBJECTIVE, search_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def fallback(monkeypatch):
    monkeypatch.setattr(selectors, "full_text", lambda: False)


def groups(org, words, **kwargs):
    return {g.kind: g for g in selectors.search(org, text.parse(words), **kwargs) if g.hits}


def test_every_word_somewhere_case_insensitively(cast, fallback):
    search_world(cast)
    found = groups(cast.org, "PILOTKUND norge")
    assert [h.title for h in found[selectors.OBJECTIVES].hits] == [OBJECTIVE]
    assert [h.title for h in found[selectors.KEY_RESULTS].hits] == [KEY_RESULT]
    assert selectors.INITIATIVES not in found  # "Ringa pilotkunder i Oslo": no "norge"
    assert [h.title for h in groups(cast.org, "oslo")[selectors.INITIATIVES].hits] == [INITIATIVE]


def test_highlights_the_matched_letters_and_shows_the_why_around_them(cast, fallback):
    search_world(cast)
    objective = groups(cast.org, "pilotkund")[selectors.OBJECTIVES].hits[0]
    assert objective.title_html == "Etablera oss på den norska marknaden"
    assert "tre <mark>pilotkund</mark>er i Norge" in objective.snippet_html
    key_result = groups(cast.org, "pilotkund")[selectors.KEY_RESULTS].hits[0]
    assert key_result.title_html == "Tre <mark>pilotkund</mark>er i Norge"


def test_the_fallback_stays_inside_the_organisation(cast, fallback):
    search_world(cast)
    for group in selectors.search(cast.org, text.parse("pilotkund")):
        assert all("/acme/" in hit.url for hit in group.hits)


def test_the_fallback_escapes(cast, fallback):
    world = search_world(cast)
    world.initiative.title = "<img src=x onerror=alert(1)> pilotkund"
    world.initiative.save(update_fields=["title"])
    hit = groups(cast.org, "pilotkund")[selectors.INITIATIVES].hits[0]
    assert hit.title_html == "&lt;img src=x onerror=alert(1)&gt; <mark>pilotkund</mark>"


@pytest.mark.parametrize("size", [0, 200])
def test_the_fallback_is_bounded_too(cast, fallback, django_assert_max_num_queries, size):
    world = search_world(cast)
    model = world.key_result.__class__
    model.objects.bulk_create(
        model(organisation=cast.org, objective=world.objective, title=f"Pilotkund {i}")
        for i in range(size)
    )
    with django_assert_max_num_queries(len(selectors.KINDS)):
        found = groups(cast.org, "pilotkund")
    assert len(found[selectors.KEY_RESULTS].hits) <= selectors.PER_KIND
