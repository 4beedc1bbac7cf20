"""The search API: ``GET /api/v1/<org>/search/?q=…&kind=…&page=…``.

The same reads as the page (``okr.search.selectors``): every kind, a few results
each, or one kind a page at a time; each result with its page's URL and the
matched words in ``<mark>`` (the rest escaped). Bad parameters are a 400 with
field errors: a query over 200 characters, a NUL character, an unknown kind, a
page that is not a number from 1 to 50. Any words at all are safe to send: only
letters and digits reach the text search.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, responses
from accounts.api.fields import ChoiceField, TextField
from accounts.api.schema import STORABLE_TEXT
from okr.search import selectors, text


class SearchParameters(serializers.Serializer):
    q = TextField(max_length=text.MAX_LENGTH, trim_whitespace=False)
    kind = ChoiceField(choices=list(selectors.KINDS), required=False)
    page = serializers.IntegerField(min_value=1, max_value=selectors.MAX_PAGE, required=False)


class HitSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", help_text="The object's id (a person's user id).")
    title = serializers.CharField(help_text="As plain text (a comment: the part around the match).")
    title_html = serializers.CharField(
        help_text="The title as HTML: escaped, the matched words in `<mark>`."
    )
    snippet_html = serializers.CharField(
        help_text="Where the match is in a longer text (an objective's why, a comment, a "
        "person's e-mail), as HTML like `title_html`; empty when there is none."
    )
    context = serializers.CharField(help_text="Where it belongs: cycle, team, objective, author.")
    url = serializers.CharField(help_text="The page that shows it (a path on this site).")


class GroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(selectors.KINDS))
    label = serializers.CharField(help_text="The kind, in the caller's language.")
    page = serializers.IntegerField()
    has_more = serializers.BooleanField(help_text="Whether the next page (`page` + 1) has more.")
    results = HitSerializer(many=True, source="hits")


EXAMPLE = {
    "query": "norska pilotk",
    "words": ["norska", "pilotk"],
    "too_short": False,
    "full_text": True,
    "groups": [
        {
            "kind": "key_results",
            "label": "Nyckelresultat",
            "page": 1,
            "has_more": False,
            "results": [
                {
                    "id": "7d0f3c3e-2b1a-4c55-9a43-5f1f0b6a9e21",
                    "title": "5 signerade norska pilotkunder",
                    "title_html": "5 signerade <mark>norska</mark> <mark>pilotkunder</mark>",
                    "snippet_html": "",
                    "context": "Q1 2027 · Marknad · Etablera oss på den norska marknaden",
                    "url": "/dpab/key-results/7d0f3c3e-2b1a-4c55-9a43-5f1f0b6a9e21/",
                }
            ],
        }
    ],
}


@extend_schema_serializer(
    examples=[OpenApiExample("Key results found", response_only=True, value=EXAMPLE)]
)
class SearchSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as received, stripped.")
    words = serializers.ListField(
        child=serializers.CharField(), help_text="The words searched for (the last as a prefix)."
    )
    too_short = serializers.BooleanField(
        help_text=f"Fewer than {text.MIN_LENGTH} letters and digits: nothing was searched."
    )
    full_text = serializers.BooleanField(
        help_text="PostgreSQL full-text search (ranked, stemmed); false: the plain fallback."
    )
    groups = GroupSerializer(many=True)


class SearchView(OrganisationAPI):
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="search",
        summary="Search the organisation",
        description="Objectives, key results, initiatives, comments, people and teams whose text "
        "has every word (the last one also as the start of a word), grouped by kind. Without "
        f"`kind`: up to {selectors.PER_KIND} results of each kind; with it: that kind, "
        f"{selectors.PER_PAGE} a page. On PostgreSQL objectives, key results, initiatives and "
        "comments are matched by full-text search in the organisation's language (Swedish, "
        "Norwegian or English: inflected forms match) and as typed, best match first.",
        parameters=[
            OpenApiParameter(
                "q",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": text.MAX_LENGTH,
                    "pattern": STORABLE_TEXT,
                },
                required=True,
                description=f"The words: at most {text.MAX_LENGTH} characters, no NUL. Fewer "
                f"than {text.MIN_LENGTH} letters and digits in all search nothing "
                "(`too_short`).",
            ),
            OpenApiParameter(
                "kind", {"type": "string", "enum": list(selectors.KINDS)}, description="One kind."
            ),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": selectors.MAX_PAGE},
                description=f"The page, 1 to {selectors.MAX_PAGE} (with `kind`, "
                f"{selectors.PER_PAGE} a page; without, {selectors.PER_KIND} of each kind).",
            ),
        ],
        responses=responses({200: SearchSerializer}, forbidden=False),
        tags=["search"],
    )
    def search(self, request, org_slug):
        # A plain dict: a parameter that is present must be valid, "?kind=" included.
        params = SearchParameters(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = text.parse(data["q"])
        kind = data.get("kind")
        groups = selectors.search(
            self.organisation,
            query,
            kinds=(kind,) if kind else selectors.KINDS,
            page=data.get("page") or 1,
        )
        answer = {
            "query": query.text,
            "words": list(query.terms),
            "too_short": query.too_short,
            "full_text": selectors.full_text(),
            "groups": groups,
        }
        return Response(SearchSerializer(answer, context=self.get_serializer_context()).data)
