"""Alignment pages of one organisation (mounted under /<org_slug>/alignment/)."""

from django.urls import path

from alignment import views

app_name = "alignment"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("dependencies/", views.dependencies, name="dependencies"),
    path("dependencies/<uuid:code>/state/", views.dependency_state, name="dependency_state"),
    path("dependencies/<uuid:code>/delete/", views.dependency_delete, name="dependency_delete"),
    path("key-results/<uuid:code>/steps/", views.key_result_steps, name="key_result_steps"),
]
