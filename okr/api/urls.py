"""API routes of the OKR features: cycles, objectives, key results, check-ins, initiatives
(``okr.objectives``), reviews (``okr.reviews``) and quarter-end scores (``okr.closing``).

Mounted at /api/v1/<org_slug>/ in the ``api`` namespace by okr/urls.py, after
``accounts.api.urls``. Explicit paths, with only ``org_slug`` and ``code`` in URLs, so
the tenancy sweep (tests/project/test_tenancy.py) sees every one.
"""

from django.urls import path

from accounts.api.urls import DETAIL, LIST, READ_ONLY_LIST
from okr.chat import api as chat_api
from okr.closing import api as closing_api
from okr.conversation.urls import api_patterns as conversation_api_patterns
from okr.exports import api as export_api
from okr.imports import api as imports_api
from okr.kiosk import api as kiosk_api
from okr.objectives import api as views
from okr.reviews import api as views_review
from okr.search import api as search_api
from okr.years import api as years_api

urlpatterns = [
    path("cycles/", views.CycleViewSet.as_view(LIST), name="cycle-list"),
    path(
        "cycles/<uuid:code>/",
        views.CycleViewSet.as_view({"get": "retrieve"}),
        name="cycle-detail",
    ),
    path("objectives/", views.ObjectiveViewSet.as_view(LIST), name="objective-list"),
    path(
        "objectives/<uuid:code>/", views.ObjectiveViewSet.as_view(DETAIL), name="objective-detail"
    ),
    path("key-results/", views.KeyResultViewSet.as_view(LIST), name="key-result-list"),
    path(
        "key-results/<uuid:code>/",
        views.KeyResultViewSet.as_view(DETAIL),
        name="key-result-detail",
    ),
    # Append-only: no update, no delete.
    path("check-ins/", views.CheckInViewSet.as_view(LIST), name="check-in-list"),
    path(
        "check-ins/<uuid:code>/",
        views.CheckInViewSet.as_view({"get": "retrieve"}),
        name="check-in-detail",
    ),
    path("initiatives/", views.InitiativeViewSet.as_view(LIST), name="initiative-list"),
    path(
        "initiatives/<uuid:code>/",
        views.InitiativeViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="initiative-detail",
    ),
    # Reviews (okr/reviews/api.py) and scores (okr/closing/api.py).
    path("reviews/", views_review.ReviewViewSet.as_view(LIST), name="review-list"),
    path(
        "reviews/<uuid:code>/",
        views_review.ReviewViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="review-detail",
    ),
    path(
        "reviews/<uuid:code>/close/",
        views_review.ReviewViewSet.as_view({"post": "close"}),
        name="review-close",
    ),
    path("actions/", views_review.ActionViewSet.as_view(READ_ONLY_LIST), name="action-list"),
    path(
        "actions/<uuid:code>/done/",
        views_review.ActionViewSet.as_view({"post": "done"}),
        name="action-done",
    ),
    path(
        "reviews/<uuid:code>/entries/",
        views_review.ReviewViewSet.as_view({"post": "add_entry"}),
        name="review-entries",
    ),
    # The kitchen board's secret links (okr/kiosk/api.py; admins).
    path("board-links/", kiosk_api.BoardLinkViewSet.as_view(LIST), name="board-link-list"),
    path(
        "board-links/<uuid:code>/",
        kiosk_api.BoardLinkViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="board-link-detail",
    ),
    # Chat notifications: Slack and Teams hooks (okr/chat/api.py; admins, team leads).
    path("chat-hooks/", chat_api.ChatHookViewSet.as_view(LIST), name="chat-hook-list"),
    path(
        "chat-hooks/<uuid:code>/",
        chat_api.ChatHookViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="chat-hook-detail",
    ),
    path(
        "chat-hooks/<uuid:code>/test/",
        chat_api.ChatHookViewSet.as_view({"post": "test"}),
        name="chat-hook-test",
    ),
    path(
        "chat-hooks/<uuid:code>/off/",
        chat_api.ChatHookViewSet.as_view({"post": "disable"}),
        name="chat-hook-disable",
    ),
    # The year-end review and next year's strategic drafts (okr/years/api.py).
    path("years/review/", years_api.YearViewSet.as_view({"get": "review"}), name="year-review"),
    path("years/start/", years_api.YearViewSet.as_view({"post": "start"}), name="year-start"),
    path("years/drafts/", years_api.YearViewSet.as_view({"post": "draft"}), name="year-drafts"),
    path("years/publish/", years_api.YearViewSet.as_view({"post": "publish"}), name="year-publish"),
    path(
        "objectives/<uuid:code>/carry-on/",
        years_api.CarryOnViewSet.as_view({"post": "carry_on"}),
        name="objective-carry-on",
    ),
    path("scores/", closing_api.ScoreViewSet.as_view(READ_ONLY_LIST), name="score-list"),
    path(
        "scores/<uuid:code>/",
        closing_api.ScoreViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="score-detail",
    ),
    # Search (okr/search/api.py).
    path("search/", search_api.SearchView.as_view({"get": "search"}), name="search"),
    # Everything of the organisation in one JSON document (okr/exports/api.py; admins).
    path(
        "export/",
        export_api.OrganisationExportView.as_view({"get": "export"}),
        name="organisation-export",
    ),
    # Importing OKRs from a spreadsheet (okr/imports/api.py).
    path("import/", imports_api.ImportViewSet.as_view({"post": "create"}), name="import"),
]

# Comments and notifications (okr/conversation/api.py).
urlpatterns += conversation_api_patterns()
