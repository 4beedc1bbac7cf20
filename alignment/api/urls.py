"""API routes of the alignment app, mounted at /api/v1/<org_slug>/ beside the ``api``
namespace (okr/urls.py). Explicit paths, only ``org_slug`` and ``code`` in URLs, so the
tenancy sweep (tests/project/test_tenancy.py) sees every one."""

from django.urls import path

from alignment.api.dependencies import DependencyViewSet
from alignment.api.tree import AlignmentTreeView

app_name = "alignment_api"

urlpatterns = [
    path(
        "dependencies/",
        DependencyViewSet.as_view({"get": "list", "post": "create"}),
        name="dependency-list",
    ),
    path(
        "dependencies/<uuid:code>/",
        DependencyViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="dependency-detail",
    ),
    path("alignment/tree/", AlignmentTreeView.as_view({"get": "retrieve"}), name="tree"),
]
