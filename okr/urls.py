"""URL map. Everything an organisation owns lives under ``/<org_slug>/``."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from okr.api import urls as api_urls

organisation_patterns = [
    path("", include("okr.urls_org")),
    path("settings/", include("accounts.urls_settings")),
    path("alignment/", include("alignment.urls")),
]

urlpatterns = [
    # The REST API: /api/v1/<org_slug>/..., its OpenAPI schema and docs under /api/.
    path("api/v1/<slug:org_slug>/", include("okr.api.urls")),
    path("api/v1/<slug:org_slug>/", include("alignment.api_urls")),
    path("api/", include(api_urls.docs_urlpatterns)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("accounts.urls")),
    path("<slug:org_slug>/", include(organisation_patterns)),
]

# JSON 404s under /api/ (a URL that matches nothing); the usual page elsewhere.
handler404 = "okr.objectives.api.not_found"
