"""The full-text searches can read the GIN indexes of migration okr.0010_search.

If a vector in ``okr.search.selectors`` stops being exactly an index's expression,
the planner can no longer use the index and a big organisation's search reads every
row. With sequential scans off, the match alone must be answered from the indexes
(in a small test table the planner rightly prefers the organisation's b-tree for the
whole query, so the match is planned on its own).
"""

import pytest
from django.db import connection

from accounts.models import Language
from okr.models import Comment, Initiative, KeyResult, Objective
from okr.search import selectors, text

pytestmark = pytest.mark.django_db

MODELS = {
    selectors.OBJECTIVES: Objective,
    selectors.KEY_RESULTS: KeyResult,
    selectors.INITIATIVES: Initiative,
    selectors.COMMENTS: Comment,
}


@pytest.mark.parametrize("language", [Language.SWEDISH, Language.NORWEGIAN, Language.ENGLISH])
@pytest.mark.parametrize("kind", list(MODELS))
def test_each_kind_reads_its_indexes_in_the_language_and_as_typed(cast, kind, language):
    cast.org.language = language
    searcher = selectors._FullText(cast.org, text.parse("tre pilotk"))
    model = MODELS[kind]
    queryset = searcher.match(model.objects.only("id"), selectors.FIELDS[kind])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    explained = queryset.explain()
    table = model._meta.db_table
    assert f"{table}_search_{selectors.CONFIGS[language]}" in explained, explained
    assert f"{table}_search_simple" in explained, explained
