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


# --- The language chosen on the sign-in page sticks ------------------------------------------


def choose_then_sign_in(client, language, email="member@acme.example"):
    from tests.support.factories import PASSWORD

    client.post(reverse("set_language"), {"language": language, "next": "/accounts/login/"})
    page = client.get(reverse("accounts:login"))
    assert page.headers["Content-Language"] == language
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


def test_language_chosen_on_the_sign_in_page_is_saved_to_the_user(client, cast):
    cast.org.language = "sv"
    cast.org.save()
    assert choose_then_sign_in(client, "en").status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.language == "en"
    assert client.get("/acme/").headers["Content-Language"] == "en"
    # On another browser, without the cookie, it is still English.
    other = client_for(cast.member)
    assert other.get("/acme/").headers["Content-Language"] == "en"
    assert other.get(reverse("accounts:profile")).headers["Content-Language"] == "en"


def test_signing_in_without_a_choice_keeps_the_users_language(client, cast):
    from tests.support.factories import PASSWORD

    cast.member.language = "nb"
    cast.member.save()
    client.post(
        reverse("accounts:login"),
        {"username": "member@acme.example", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    cast.member.refresh_from_db()
    assert cast.member.language == "nb"


def test_a_signed_in_user_switching_language_saves_it(cast):
    client = client_for(cast.member)
    client.post(reverse("set_language"), {"language": "nb", "next": "/acme/"})
    cast.member.refresh_from_db()
    assert cast.member.language == "nb"


# --- Pages outside the organisation follow the user, else the organisation ------------------


@pytest.mark.parametrize("path", ["/accounts/profile/", "/accounts/tokens/", "/?pick=1"])
def test_pages_outside_the_organisation_follow_its_language(cast, path):
    cast.org.language = "nb"
    cast.org.save()
    client = client_for(cast.member)  # no language of their own
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.headers["Content-Language"] == "nb"
    assert '<html lang="nb">' in response.content.decode()
    cast.member.language = "sv"
    cast.member.save()
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"] == "sv"


def test_profile_offers_the_organisations_language_not_a_bare_blank(cast):
    cast.org.language = "sv"
    cast.org.save()
    body = client_for(cast.member).get(reverse("accounts:profile")).content.decode()
    with translation.override("sv"):
        organisations = translation.gettext("The organisation's language")
        blank = translation.gettext("- Select an option -")
    assert organisations in body.replace("&#x27;", "'")
    assert "Select an option" not in body and blank not in body


def test_blank_choice_label_is_translated():
    for language in ("sv", "nb"):
        with translation.override(language):
            assert translation.gettext("- Select an option -") != "- Select an option -"


def test_profile_saved_message_is_in_the_new_language(cast):
    cast.org.language = "sv"
    cast.org.save()
    client = client_for(cast.member)
    response = client.post(
        reverse("accounts:profile"), {"name": "Max", "language": "nb"}, follow=True
    )
    with translation.override("nb"):
        saved = translation.gettext("Your profile was saved.")
    assert saved != "Your profile was saved."
    assert saved in response.content.decode()
    assert response.headers["Content-Language"] == "nb"
    # The sign-in page after signing out speaks it too (the cookie follows the choice).
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"


# --- Dates as each language writes them ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "short", "month_day", "long_weekday"),
    [
        ("sv", ["6 dec 2026", "1 okt 2026", "18 maj 2026"], "6 dec", "söndag 6 december"),
        ("nb", ["6. des 2026", "1. okt 2026", "18. mai 2026"], "6. des", "søndag 6. desember"),
        ("en", ["6 Dec 2026", "1 Oct 2026", "18 May 2026"], "6 Dec", "Sunday 6 December"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, short, month_day, long_weekday):
    from datetime import date

    from django.utils.formats import date_format

    days = [date(2026, 12, 6), date(2026, 10, 1), date(2026, 5, 18)]
    with translation.override(language):
        assert [date_format(day, "ABBR_DATE_FORMAT") for day in days] == short
        assert date_format(days[0], "ABBR_MONTH_DAY_FORMAT") == month_day
        assert date_format(days[0], "WEEKDAY_MONTH_DAY_FORMAT") == long_weekday


def test_a_page_writes_swedish_months_in_lower_case(cast):
    from datetime import datetime

    from django.utils import timezone

    from tests.support.factories import InvitationFactory

    cast.org.language = "sv"
    cast.org.save()
    InvitationFactory(
        organisation=cast.org,
        expires_at=timezone.make_aware(datetime(2026, 12, 6, 12)),
    )
    body = client_for(cast.admin).get("/acme/settings/invitations/").content.decode()
    assert "6 dec 2026" in body and "6 Dec" not in body


def test_no_template_or_module_spells_out_a_date_format_with_a_capitalised_month():
    """Formats are named (okr/formats): "j M" would write "6 Dec" in Swedish too."""
    import re
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    spelled = re.compile(r"""(?:\|date:|date_format\((?:[^()]|\([^()]*\))*?,\s*)["']([^"']+)["']""")
    machine = {"Y-m-d", "c", "U", "Y", "H:i", "Y-m-d H:i"}  # ISO: the same in every language
    found, seen = [], 0
    for folder, pattern in (
        ("templates", "*.*"),
        ("okr", "*.py"),
        ("accounts", "*.py"),
        ("alignment", "*.py"),
    ):
        for path in (root / folder).rglob(pattern):
            if "formats" in path.parts or path.suffix not in {".html", ".txt", ".py"}:
                continue
            for fmt in spelled.findall(path.read_text(encoding="utf-8")):
                seen += 1
                if fmt not in machine and not re.fullmatch(r"[A-Z_]+_FORMAT", fmt):
                    found.append((str(path.relative_to(root)), fmt))
    assert seen > 40  # the search does find the formats
    assert found == []


# --- Date inputs do not depend on the browser's locale ---------------------------------------


def test_date_fields_are_text_inputs_with_the_iso_order():
    from okr.objectives.forms import DayField, KeyResultForm
    from okr.reviews.forms import ReviewDateForm, ReviewMoveForm

    with translation.override("sv"):
        for form, name in ((ReviewDateForm(), "date"), (ReviewMoveForm(), "date")):
            html = str(form[name])
            assert 'type="text"' in html and 'placeholder="ÅÅÅÅ-MM-DD"' in html, html
        assert isinstance(KeyResultForm.base_fields["due_date"], DayField)
    with translation.override("en"):
        assert 'placeholder="YYYY-MM-DD"' in str(ReviewMoveForm()["date"])
    field = DayField()
    assert str(field.clean("2026-12-06")) == "2026-12-06"
    for typed in ("12/06/2026", "6 dec 2026", "2026-13-01"):
        with pytest.raises(Exception, match="YYYY-MM-DD"):
            field.clean(typed)
