"""The OKR pages of one organisation (mounted under /<org_slug>/)."""

from django.urls import path

from . import views, views_detail, views_strategic

app_name = "okr"

urlpatterns = [
    path("", views.home, name="home"),
    path("check-ins/", views.my_check_ins, name="my_check_ins"),
    # Strategic OKRs (leadership edits in place, everyone reads).
    path("strategic/", views_strategic.strategic, name="strategic"),
    path("strategic/objectives/new/", views_strategic.objective_new, name="objective_new"),
    path("objectives/<uuid:code>/edit/", views_strategic.objective_edit, name="objective_edit"),
    path("objectives/<uuid:code>/move/", views_strategic.objective_move, name="objective_move"),
    path(
        "objectives/<uuid:code>/archive/",
        views_strategic.objective_archive,
        name="objective_archive",
    ),
    path(
        "objectives/<uuid:code>/key-results/new/",
        views_strategic.key_result_new,
        name="key_result_new",
    ),
    path("key-results/<uuid:code>/edit/", views_strategic.key_result_edit, name="key_result_edit"),
    path("key-results/<uuid:code>/move/", views_strategic.key_result_move, name="key_result_move"),
    path(
        "key-results/<uuid:code>/archive/",
        views_strategic.key_result_archive,
        name="key_result_archive",
    ),
    path("coach/", views_strategic.coach, name="coach"),
    # Detail pages.
    path("objectives/<uuid:code>/", views_detail.objective_detail, name="objective_detail"),
    path("key-results/<uuid:code>/", views_detail.key_result_detail, name="key_result_detail"),
    path(
        "key-results/<uuid:code>/check-in/",
        views_detail.key_result_check_in,
        name="key_result_check_in",
    ),
    path(
        "key-results/<uuid:code>/initiatives/", views_detail.initiative_new, name="initiative_new"
    ),
    path(
        "initiatives/<uuid:code>/status/", views_detail.initiative_status, name="initiative_status"
    ),
]
