"""Signing in through an organisation's provider, under /accounts/sso/.

Register ``<site>/accounts/sso/callback/`` as the redirect URI at the provider.
"""

from django.urls import path

from accounts.sso import views

app_name = "sso"

urlpatterns = [
    path("", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
]
