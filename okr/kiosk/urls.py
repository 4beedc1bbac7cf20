"""The kitchen board's public URL (outside ``/<org_slug>/``: the secret finds the organisation).

Mounted at /board/ by okr/urls.py. The parameter is named ``token`` so the page
fuzzers (tests/support/sweep.py) treat it as the secret it is. The admins' page of
links is in okr/urls_org.py (``okr:kiosk_links``).
"""

from django.urls import path

from okr.kiosk import views

app_name = "kiosk"

urlpatterns = [
    path("<str:token>/", views.board, name="board"),
]
