"""A URL conf for the error tests: the project's URLs plus views that fail on purpose.

``override_settings(ROOT_URLCONF="tests.support.failing_urls")`` keeps every real
page and adds a page, a plain view under /api/ and an API view that raise (500), and
a page that refuses with PermissionDenied (403); the handlers are the project's.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from rest_framework.views import APIView

from okr.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class Broken(Exception):
    """What the failing views raise."""


def broken_page(request):
    raise Broken("a bug")


def forbidden_page(request):
    raise PermissionDenied


class BrokenAPI(APIView):
    def get(self, request, *args, **kwargs):
        raise Broken("a bug in the API")


urlpatterns = [
    path("test-broken/", broken_page),
    path("test-forbidden/", forbidden_page),
    path("api/test-broken/", broken_page),
    path("api/v1/<slug:org_slug>/test-broken/", BrokenAPI.as_view()),
    *urlpatterns,
]
