"""API routes of the accounts endpoints, and the API's documentation.

``urlpatterns`` (the organisation, teams, members, invitations, single sign-on, the
audit log, deletion, signed webhooks) are mounted at
/api/v1/<org_slug>/ in the ``api`` namespace by okr/urls.py, together with
``okr.api.urls``. Explicit paths, with only ``org_slug`` and ``code`` in URLs, so
the tenancy sweep (tests/project/test_tenancy.py) sees every one.

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

from accounts.api import views
from accounts.audit.api import AuditLogViewSet
from accounts.deletion import api as deletion_api
from accounts.sso import api as sso_api
from accounts.webhooks import api as webhooks_api

LIST = {"get": "list", "post": "create"}
READ_ONLY_LIST = {"get": "list"}
DETAIL = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    path(
        "",
        views.OrganisationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="organisation",
    ),
    path(
        "sso/",
        sso_api.SsoViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="sso",
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
    path("audit-log/", AuditLogViewSet.as_view(READ_ONLY_LIST), name="audit-log"),
    path(
        "deletion/",
        deletion_api.DeletionViewSet.as_view(
            {"get": "retrieve", "post": "create", "delete": "destroy"}
        ),
        name="deletion",
    ),
    path("webhooks/", webhooks_api.WebhookViewSet.as_view(LIST), name="webhook-list"),
    path(
        "webhooks/<uuid:code>/",
        webhooks_api.WebhookViewSet.as_view(DETAIL),
        name="webhook-detail",
    ),
    path(
        "webhooks/<uuid:code>/rotate/",
        webhooks_api.WebhookViewSet.as_view({"post": "rotate"}),
        name="webhook-rotate",
    ),
    path(
        "webhooks/<uuid:code>/test/",
        webhooks_api.WebhookViewSet.as_view({"post": "test"}),
        name="webhook-test",
    ),
    path(
        "webhooks/<uuid:code>/deliveries/",
        webhooks_api.WebhookDeliveryViewSet.as_view(READ_ONLY_LIST),
        name="webhook-deliveries",
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
