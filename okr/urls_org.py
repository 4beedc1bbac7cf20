"""The OKR pages of one organisation (mounted under /<org_slug>/)."""

from django.urls import path

from . import views

app_name = "okr"

urlpatterns = [
    path("", views.home, name="home"),
]
