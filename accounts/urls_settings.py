"""Organisation settings (admin only), mounted under /<org_slug>/settings/.

Objects are addressed by their public UUID and looked up through
accounts.access, so another organisation's id gives 404.
"""

from django.urls import path

from accounts import settings_views as views

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
]
