"""API routes. Mounted at /api/v1/<org_slug>/ (okr/urls.py), with explicit paths so that the
tenancy sweep (tests/test_tenancy.py) sees every one: only ``org_slug`` and ``code`` in URLs.

``docs_urlpatterns`` (mounted at /api/) serve the OpenAPI schema and its two readers,
from the sidecar package's static files (no CDN).
"""

from django.urls import path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from okr.objectives import api as views
from okr.reviews import api as views_review

app_name = "api"

LIST = {"get": "list", "post": "create"}
READ_ONLY_LIST = {"get": "list"}
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        "",
        views.OrganisationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="organisation",
    ),
    path("teams/", views.TeamViewSet.as_view(LIST), name="team-list"),
    path("teams/<uuid:code>/", views.TeamViewSet.as_view(DETAIL), name="team-detail"),
    path("members/", views.MemberViewSet.as_view(READ_ONLY_LIST), name="member-list"),
    path("members/<uuid:code>/", views.MemberViewSet.as_view(DETAIL), name="member-detail"),
    path("invitations/", views.InvitationViewSet.as_view(LIST), name="invitation-list"),
    path(
        "invitations/<uuid:code>/",
        views.InvitationViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="invitation-detail",
    ),
    path(
        "invitations/<uuid:code>/resend/",
        views.InvitationViewSet.as_view({"post": "resend"}),
        name="invitation-resend",
    ),
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
    # Reviews and scores (views_review.py).
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
    path("scores/", views_review.ScoreViewSet.as_view(READ_ONLY_LIST), name="score-list"),
    path(
        "scores/<uuid:code>/",
        views_review.ScoreViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="score-detail",
    ),
]

# Redoc injects its styles at run time (styled-components) and searches in a blob: worker:
# its page alone may use inline styles and blob: workers. Scripts stay 'self' + nonce;
# never 'unsafe-eval'. Swagger UI needs nothing more than the site's policy.
REDOC_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_override(REDOC_CSP)(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-redoc",
    ),
]
