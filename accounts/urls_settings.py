"""Organisation settings (admin only), mounted under /<org_slug>/settings/."""

from django.urls import path

from . import settings_views as views

app_name = "settings"

urlpatterns = [
    path("", views.organisation, name="organisation"),
]
