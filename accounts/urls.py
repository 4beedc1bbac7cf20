from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import ratelimit, redirects, views, views_signup, views_tokens

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    # Single sign-on through the organisation's OpenID Connect provider (accounts/sso).
    path("accounts/sso/", include("accounts.sso.urls")),
    path("accounts/logout/", redirects.LogoutView.as_view(), name="logout"),
    # Sign-up: the organisation is created when the link mailed to the address is opened.
    path("accounts/register/", views_signup.register, name="register"),
    path("accounts/register/sent/", views_signup.register_sent, name="register_sent"),
    path(
        "accounts/register/confirm/<str:token>/",
        views_signup.register_confirm,
        name="register_confirm",
    ),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/new-organisation/", views.organisation_new, name="organisation_new"),
    path("accounts/password-reset/", ratelimit.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    # Personal API tokens.
    path("accounts/tokens/", views_tokens.token_list, name="tokens"),
    path("accounts/tokens/<uuid:code>/revoke/", views_tokens.token_revoke, name="token_revoke"),
]
