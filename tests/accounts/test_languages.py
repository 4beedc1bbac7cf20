"""Languages: the organisation's language is the default, a user may choose their own."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import client_for

pytestmark = pytest.mark.django_db


def test_organisation_language_is_the_default(cast):
    cast.org.language = "nb"
    cast.org.save()
    response = client_for(cast.member).get(reverse("okr:home", args=["acme"]))
    assert response.headers["Content-Language"] == "nb"
    assert '<html lang="nb">' in response.content.decode()


def test_users_own_language_wins(cast):
    cast.member.language = "en"
    cast.member.save()
    response = client_for(cast.member).get(reverse("okr:home", args=["acme"]))
    assert response.headers["Content-Language"] == "en"


def test_anonymous_pages_follow_the_browser(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9")
    assert response.headers["Content-Language"] == "nb"
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="no")
    assert response.headers["Content-Language"] == "nb"
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.headers["Content-Language"] == settings.LANGUAGE_CODE


@pytest.mark.parametrize(
    ("language", "english"),
    [("sv", "Sign in"), ("nb", "Sign in"), ("en", "Sign in")],
)
def test_catalogues_translate_the_interface(language, english):
    """Every language has a compiled catalogue; sv and nb differ from the English source."""
    with translation.override(language):
        text = translation.gettext(english)
    if language == "en":
        assert text == english
    else:
        assert text != english, f"no {language} translation for {english!r}"


def test_profile_language_choice_is_saved(cast):
    client = client_for(cast.member)
    response = client.post(reverse("accounts:profile"), {"name": "Max", "language": "nb"})
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.language == "nb"
    assert client.get(reverse("accounts:profile")).headers["Content-Language"] == "nb"
