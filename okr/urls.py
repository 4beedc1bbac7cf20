"""URL map. Everything an organisation owns lives under ``/<org_slug>/``."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts import views, views_dev_mail
from accounts.api import urls as accounts_api_urls
from okr.api import urls as okr_api_urls
from okr.conversation import views_digest

# One ``api`` namespace for the organisation's API: the accounts endpoints, then the OKR ones.
api_patterns = ([*accounts_api_urls.urlpatterns, *okr_api_urls.urlpatterns], "api")

organisation_patterns = [
    path("", include("okr.urls_org")),
    path("settings/", include("accounts.urls_settings")),
    path("alignment/", include("alignment.urls")),
]

urlpatterns = [
    # The REST API: /api/v1/<org_slug>/..., its OpenAPI schema and docs under /api/.
    path("api/v1/<slug:org_slug>/", include(api_patterns)),
    path("api/v1/<slug:org_slug>/", include("alignment.api.urls")),
    path("api/", include(accounts_api_urls.docs_urlpatterns)),
    # Django's, keeping the choice for the account (accounts.views.set_language).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The digest mail's signed one-click unsubscribe link (okr/conversation).
    path(
        "accounts/digest/unsubscribe/<str:token>/",
        views_digest.unsubscribe,
        name="conversation_unsubscribe",
    ),
    path("", include("accounts.urls")),
    # The e-mails written to files, for a developer: 404 unless DEBUG (and from this machine).
    path("dev/mail/", views_dev_mail.mail_list, name="dev_mail"),
    path("dev/mail/<str:name>", views_dev_mail.mail_file, name="dev_mail_file"),
    # The kitchen board, by its secret link: no sign-in, nothing else of the organisation.
    path("board/", include("okr.kiosk.urls")),
    path("<slug:org_slug>/", include(organisation_patterns)),
]

# The app's error pages in the base layout; JSON in the API's error shape under /api/.
handler400 = "accounts.errors.bad_request"
handler403 = "accounts.errors.permission_denied"
handler404 = "accounts.errors.page_not_found"
handler500 = "accounts.errors.server_error"
