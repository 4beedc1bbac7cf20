"""API routes of the alignment app, mounted at /api/v1/<org_slug>/ beside okr.api.urls
(okr/urls.py). Explicit paths, only ``org_slug`` and ``code`` in URLs, so the tenancy
sweep (tests/test_tenancy.py) sees every one."""

from django.urls import path

from alignment import api

app_name = "alignment_api"

urlpatterns = [
    path(
        "dependencies/",
        api.DependencyViewSet.as_view({"get": "list", "post": "create"}),
        name="dependency-list",
    ),
    path(
        "dependencies/<uuid:code>/",
        api.DependencyViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="dependency-detail",
    ),
    path("alignment/tree/", api.AlignmentTreeView.as_view({"get": "retrieve"}), name="tree"),
]
