"""Organisation settings (admin only), mounted under /<org_slug>/settings/.

Objects are addressed by their public UUID and looked up through
accounts.access, so another organisation's id gives 404.
"""

from django.urls import path

from accounts import settings_views as views
from accounts.audit import views as audit_views
from accounts.deletion import views as deletion_views
from accounts.sso import views as sso_views
from accounts.webhooks import views as webhook_views

app_name = "settings"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("teams/", views.teams, name="teams"),
    path("teams/<uuid:code>/", views.team, name="team"),
    path("teams/<uuid:code>/delete/", views.team_delete, name="team_delete"),
    path("members/", views.members, name="members"),
    path("members/<uuid:code>/role/", views.member_role, name="member_role"),
    path("members/<uuid:code>/remove/", views.member_remove, name="member_remove"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<uuid:code>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<uuid:code>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("sso/", sso_views.settings_page, name="sso"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/audit-log.csv", audit_views.audit_csv, name="audit_csv"),
    path("audit/audit-log.json", audit_views.audit_json, name="audit_json"),
    path("webhooks/", webhook_views.webhooks, name="webhooks"),
    path("webhooks/<uuid:code>/", webhook_views.webhook, name="webhook"),
    path("webhooks/<uuid:code>/rotate/", webhook_views.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<uuid:code>/test/", webhook_views.webhook_test, name="webhook_test"),
    path("webhooks/<uuid:code>/delete/", webhook_views.webhook_delete, name="webhook_delete"),
    path("delete/", deletion_views.deletion, name="deletion"),
]
