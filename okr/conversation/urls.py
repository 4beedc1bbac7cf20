"""The conversation's pages, added to ``okr.urls_org`` (under /<org_slug>/, namespace ``okr``)."""

from django.urls import path

from okr.conversation import views

urlpatterns = [
    path("objectives/<uuid:code>/comments/", views.objective_comments, name="objective_comments"),
    path(
        "key-results/<uuid:code>/comments/", views.key_result_comments, name="key_result_comments"
    ),
    path("check-ins/<uuid:code>/comments/", views.check_in_comments, name="check_in_comments"),
    path("comments/<uuid:code>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<uuid:code>/delete/", views.comment_delete, name="comment_delete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<uuid:code>/", views.notification_open, name="notification_open"),
    path("notifications/<uuid:code>/read/", views.notification_read, name="notification_read"),
]


def api_patterns():
    """The conversation's API routes (``okr.api.urls`` adds them under /api/v1/<org_slug>/)."""
    from accounts.api.urls import DETAIL, LIST
    from okr.conversation import api

    notifications = api.NotificationViewSet
    return [
        path("comments/", api.CommentViewSet.as_view(LIST), name="comment-list"),
        path("comments/<uuid:code>/", api.CommentViewSet.as_view(DETAIL), name="comment-detail"),
        path("notifications/", notifications.as_view({"get": "list"}), name="notification-list"),
        path(
            "notifications/unread-count/",
            notifications.as_view({"get": "unread_count"}),
            name="notification-unread-count",
        ),
        path(
            "notifications/read/",
            notifications.as_view({"post": "read_all"}),
            name="notification-read-all",
        ),
        path(
            "notifications/<uuid:code>/read/",
            notifications.as_view({"post": "read"}),
            name="notification-read",
        ),
    ]
