"""URL map. Everything an organisation owns lives under ``/<org_slug>/``."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

organisation_patterns = [
    path("", include("okr.urls_org")),
    path("settings/", include("accounts.urls_settings")),
]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("accounts.urls")),
    path("<slug:org_slug>/", include(organisation_patterns)),
]
