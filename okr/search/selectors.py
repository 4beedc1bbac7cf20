"""Search an organisation: one bounded query per kind of thing, ranked, highlighted.

On PostgreSQL the texts of objectives, key results, initiatives and comments are
matched with full-text search twice over: in the text search configuration of the
organisation's language (``swedish``, ``norwegian``, ``english``: "pilotkund" finds
"pilotkunder") and in ``simple`` (names and codes such as "20MSEK" as typed). Each
vector is exactly the expression of a GIN index (migration ``okr.0010_search``), so
a big organisation's search reads the index, not every row. Matches are ranked
(``ts_rank``) and highlighted by ``ts_headline`` (``okr.search.text.from_headline``
escapes it). People (name, e-mail, title) and teams (name) are few per organisation
and matched by ``icontains`` within it on every database.

Elsewhere (SQLite, the embedded default) every word must occur in one of the texts
(``icontains``), newest first, and ``okr.search.text`` highlights in Python.

Every query starts from the organisation and takes at most ``limit + 1`` rows (the
one more tells whether there is a next page): at most one query per kind, whatever
the organisation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Team
from okr.models import Comment, Initiative, KeyResult, Objective
from okr.search import text
from okr.search.text import Query

OBJECTIVES = "objectives"
KEY_RESULTS = "key_results"
INITIATIVES = "initiatives"
COMMENTS = "comments"
PEOPLE = "people"
TEAMS = "teams"

KIND_LABELS = {
    OBJECTIVES: _("Objectives"),
    KEY_RESULTS: _("Key results"),
    INITIATIVES: _("Initiatives"),
    COMMENTS: _("Comments"),
    PEOPLE: _("People"),
    TEAMS: _("Teams"),
}
KINDS = tuple(KIND_LABELS)

#: The text search configuration of each organisation language (PostgreSQL's names).
CONFIGS = {"sv": "swedish", "nb": "norwegian", "en": "english"}
SIMPLE = "simple"

#: The texts of each full-text kind, as indexed (okr.0010_search): title A, why B.
FIELDS = {
    OBJECTIVES: ("title", "why"),
    KEY_RESULTS: ("title",),
    INITIATIVES: ("title",),
    COMMENTS: ("text",),
}

PER_KIND = 5  # on the page of all kinds
PER_PAGE = 20  # on the page of one kind
MAX_PAGE = 50  # deeper than this nobody pages: a bounded OFFSET


@dataclass
class Hit:
    kind: str
    uuid: object
    title: str  # plain
    title_html: SafeString  # escaped, with <mark>
    url: str
    context: str = ""  # plain: where it belongs
    snippet_html: SafeString = field(default_factory=lambda: _safe(""))


@dataclass
class Group:
    kind: str
    hits: list[Hit]
    page: int = 1
    has_more: bool = False

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def full_text() -> bool:
    """Whether this database searches with PostgreSQL's full-text search."""
    return connection.vendor == "postgresql"


def search(organisation, query: Query, *, kinds=KINDS, page: int = 1, limit: int | None = None):
    """One ``Group`` per kind in ``kinds`` (empty ones too), page ``page`` of ``limit``."""
    limit = limit or (PER_KIND if len(kinds) > 1 else PER_PAGE)
    page = max(1, min(page, MAX_PAGE))
    if query.too_short:
        return [Group(kind, []) for kind in kinds]
    searcher = _FullText(organisation, query) if full_text() else _Fallback(query)
    offset = (page - 1) * limit
    groups = []
    for kind in kinds:
        rows = list(_SPECS[kind](organisation, searcher)[offset : offset + limit + 1])
        hits = [_hit(kind, row, searcher, organisation) for row in rows[:limit]]
        groups.append(Group(kind, hits, page=page, has_more=len(rows) > limit))
    return groups


# --- How each database matches ------------------------------------------------------------


def vector(fields: tuple[str, ...], config: str):
    """The indexed vector of ``fields``: title weighted A, a second text B (okr.0010_search)."""
    if len(fields) == 1:
        return SearchVector(fields[0], config=config)
    first, second = fields
    return SearchVector(first, weight="A", config=config) + SearchVector(
        second, weight="B", config=config
    )


class _FullText:
    def __init__(self, organisation, query: Query):
        self.terms = query.terms
        self.config = CONFIGS.get(organisation.language, SIMPLE)
        raw = text.tsquery(query)
        self.in_language = SearchQuery(raw, search_type="raw", config=self.config)
        self.as_typed = SearchQuery(raw, search_type="raw", config=SIMPLE)

    def match(self, queryset: QuerySet, fields, *, headlines=()) -> QuerySet:
        queryset = queryset.alias(
            v_lang=vector(fields, self.config), v_simple=vector(fields, SIMPLE)
        ).filter(Q(v_lang=self.in_language) | Q(v_simple=self.as_typed))
        either = self.in_language | self.as_typed
        extra = {}
        for name, whole in headlines:
            options = (
                {"highlight_all": True}
                if whole
                else {"max_words": 30, "min_words": 12, "max_fragments": 2}
            )
            extra[f"hl_{name}"] = SearchHeadline(
                name,
                either,
                config=self.config,
                start_sel=text.START,
                stop_sel=text.STOP,
                fragment_delimiter=" … ",
                **options,
            )
        return queryset.annotate(
            rank=SearchRank(F("v_lang"), self.in_language)
            + SearchRank(F("v_simple"), self.as_typed),
            **extra,
        ).order_by("-rank", "-id")

    def show(self, row, name: str, *, whole: bool) -> SafeString:
        headline = getattr(row, f"hl_{name}", None)
        if headline is None:
            return _python_highlight(getattr(row, name), self.terms, whole=whole)
        if not whole and not text.has_mark(headline):
            return _safe("")
        return _safe(text.from_headline(headline))


class _Fallback:
    def __init__(self, query: Query):
        self.terms = query.terms

    def match(self, queryset: QuerySet, fields, *, headlines=()) -> QuerySet:
        return contains_every_term(queryset, fields, self.terms).order_by("-id")

    def show(self, row, name: str, *, whole: bool) -> SafeString:
        return _python_highlight(getattr(row, name), self.terms, whole=whole)


def contains_every_term(queryset: QuerySet, fields, terms) -> QuerySet:
    """Rows where each term occurs in at least one of ``fields`` (case-insensitively)."""
    per_term = [reduce(or_, (Q(**{f"{f}__icontains": t}) for f in fields)) for t in terms]
    return queryset.filter(reduce(and_, per_term))


def _safe(built: str) -> SafeString:
    """HTML that ``okr.search.text`` built: every character escaped, only ``<mark>`` added."""
    return mark_safe(built)  # noqa: S308 - see okr.search.text


def _python_highlight(value: str, terms, *, whole: bool) -> SafeString:
    value = value or ""
    if not whole:
        if not text.matches(value, terms):
            return _safe("")
        value = text.snippet(value, terms)
    return _safe(text.highlight(value, terms))


# --- The kinds ---------------------------------------------------------------------------------


def _objectives(organisation, searcher) -> QuerySet:
    queryset = (
        Objective.objects.filter(organisation=organisation)
        .select_related("cycle", "team")
        .only(
            "uuid", "title", "why", "level", "status", "cycle__kind", "cycle__year",
            "cycle__quarter", "cycle__start_date", "team__name",
        )
    )  # fmt: skip
    return searcher.match(queryset, FIELDS[OBJECTIVES], headlines=(("title", True), ("why", False)))


def _key_results(organisation, searcher) -> QuerySet:
    queryset = (
        KeyResult.objects.filter(organisation=organisation)
        .select_related("objective__cycle", "objective__team")
        .only(
            "uuid", "title", "archived", "objective__title", "objective__cycle__kind",
            "objective__cycle__year", "objective__cycle__quarter",
            "objective__cycle__start_date", "objective__team__name",
        )
    )  # fmt: skip
    return searcher.match(queryset, FIELDS[KEY_RESULTS], headlines=(("title", True),))


def _initiatives(organisation, searcher) -> QuerySet:
    queryset = (
        Initiative.objects.filter(organisation=organisation)
        .select_related("key_result")
        .only("uuid", "title", "status", "key_result__uuid", "key_result__title")
    )
    return searcher.match(queryset, FIELDS[INITIATIVES], headlines=(("title", True),))


def _comments(organisation, searcher) -> QuerySet:
    queryset = (
        Comment.objects.filter(organisation=organisation, deleted=False)
        .select_related("author", "objective", "key_result", "check_in__key_result")
        .only(
            "uuid", "text", "created_at", "author__name", "author__email", "objective__uuid",
            "objective__title", "key_result__uuid", "key_result__title",
            "check_in__uuid", "check_in__key_result__title",
        )
    )  # fmt: skip
    return searcher.match(queryset, FIELDS[COMMENTS], headlines=(("text", False),))


def _people(organisation, searcher) -> QuerySet:
    queryset = Membership.objects.filter(organisation=organisation).select_related("user")
    fields = ("user__name", "user__email", "title")
    return contains_every_term(queryset, fields, searcher.terms).order_by(
        "user__name", "user__email", "pk"
    )


def _teams(organisation, searcher) -> QuerySet:
    queryset = Team.objects.filter(organisation=organisation).select_related("parent")
    return contains_every_term(queryset, ("name",), searcher.terms).order_by("name", "pk")


_SPECS = {
    OBJECTIVES: _objectives,
    KEY_RESULTS: _key_results,
    INITIATIVES: _initiatives,
    COMMENTS: _comments,
    PEOPLE: _people,
    TEAMS: _teams,
}


# --- Hits --------------------------------------------------------------------------------------


def _url(name: str, organisation, code, anchor: str = "") -> str:
    return reverse(name, args=[organisation.slug, code]) + (f"#{anchor}" if anchor else "")


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _hit(kind: str, row, searcher, organisation) -> Hit:
    terms = searcher.terms
    if kind == OBJECTIVES:
        where = row.team.name if row.team_id else row.get_level_display()
        status = row.get_status_display() if row.status != Objective.Status.APPROVED else ""
        return Hit(
            kind,
            row.uuid,
            row.title,
            searcher.show(row, "title", whole=True),
            _url("okr:objective_detail", organisation, row.uuid),
            _join(row.cycle.label, where, status),
            searcher.show(row, "why", whole=False),
        )
    if kind == KEY_RESULTS:
        objective = row.objective
        where = objective.team.name if objective.team_id else ""
        return Hit(
            kind,
            row.uuid,
            row.title,
            searcher.show(row, "title", whole=True),
            _url("okr:key_result_detail", organisation, row.uuid),
            _join(objective.title, objective.cycle.label, where),
        )
    if kind == INITIATIVES:
        return Hit(
            kind,
            row.uuid,
            row.title,
            searcher.show(row, "title", whole=True),
            _url("okr:key_result_detail", organisation, row.key_result.uuid),
            _join(row.key_result.title, row.get_status_display()),
        )
    if kind == COMMENTS:
        return _comment_hit(row, searcher, organisation)
    if kind == PEOPLE:
        user = row.user
        name = user.name or user.email
        return Hit(
            kind,
            user.uuid,
            name,
            _safe(text.highlight(name, terms)),
            reverse("alignment:tree", args=[organisation.slug]) + f"?owner={user.uuid}",
            row.title,
            _safe(text.highlight(user.email, terms)),
        )
    parent = row.parent.name if row.parent_id else ""
    return Hit(
        kind,
        row.uuid,
        row.name,
        _safe(text.highlight(row.name, terms)),
        _url("okr:team_workshop", organisation, row.uuid),
        _join(parent),
    )


def _comment_hit(row, searcher, organisation) -> Hit:
    if row.objective_id:
        about, url_name, code = row.objective.title, "okr:objective_detail", row.objective.uuid
    elif row.key_result_id:
        about, url_name, code = row.key_result.title, "okr:key_result_detail", row.key_result.uuid
    else:  # a check-in's conversation has a page of its own
        about, url_name, code = (
            row.check_in.key_result.title,
            "okr:check_in_comments",
            row.check_in.uuid,
        )
    author = (row.author.name or row.author.email) if row.author_id else ""
    snippet = searcher.show(row, "text", whole=False) or _safe(
        text.highlight(text.snippet(row.text, ()), ())
    )
    return Hit(
        COMMENTS,
        row.uuid,
        text.snippet(row.text, searcher.terms),
        snippet,
        _url(url_name, organisation, code, anchor=f"comment-{row.uuid}"),
        _join(
            author,
            date_format(localtime(row.created_at, organisation.tz), "SHORT_DATE_FORMAT"),
            about,
        ),
    )
