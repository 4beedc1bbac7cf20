"""API routes of the OKR features: cycles, objectives, key results, check-ins, initiatives
(``okr.objectives``), reviews (``okr.reviews``) and quarter-end scores (``okr.closing``).

Mounted at /api/v1/<org_slug>/ in the ``api`` namespace by okr/urls.py, after
``accounts.api.urls``. Explicit paths, with only ``org_slug`` and ``code`` in URLs, so
the tenancy sweep (tests/project/test_tenancy.py) sees every one.
"""

from django.urls import path

from accounts.api.urls import DETAIL, LIST, READ_ONLY_LIST
from okr.closing import api as closing_api
from okr.objectives import api as views
from okr.reviews import api as views_review

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
    path(
        "reviews/<uuid:code>/entries/",
        views_review.ReviewViewSet.as_view({"post": "add_entry"}),
        name="review-entries",
    ),
    path("scores/", closing_api.ScoreViewSet.as_view(READ_ONLY_LIST), name="score-list"),
    path(
        "scores/<uuid:code>/",
        closing_api.ScoreViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="score-detail",
    ),
]
