"""Readable mail: one .eml file per message, and /dev/mail/ to read them under DEBUG only."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client, override_settings
from django.urls import reverse

from accounts import emails
from accounts.emails import EmlFileBackend
from accounts.views_dev_mail import LIMIT

pytestmark = pytest.mark.django_db

FILE_NAME = re.compile(r"\d{8}-\d{6}-\d{6}-[0-9a-f]{12}\.eml")
SUBJECT = "Påminnelse: checka in före avstämningen"
TEXT = "Hej Per!\n\nDags att checka in på dina nyckelresultat: https://okr.example.com/dpab/\n"


def file_mailer(folder):
    return {
        "default": {
            "BACKEND": "accounts.emails.EmlFileBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }


def eml_files(folder):
    return sorted(folder.glob("*.eml"))


def test_each_message_is_one_eml_file_a_mail_program_reads(tmp_path):
    backend = EmlFileBackend(file_path=str(tmp_path))
    messages = []
    for to in ("per@dpab.example", "vilma@dpab.example"):
        message = EmailMultiAlternatives(
            subject=SUBJECT, body=TEXT, from_email="OKR <okr@localhost>", to=[to]
        )
        message.attach_alternative(f"<p>{TEXT}</p>", "text/html")
        messages.append(message)
    assert backend.send_messages(messages) == 2

    files = eml_files(tmp_path)
    assert len(files) == 2
    assert all(FILE_NAME.fullmatch(f.name) for f in files), [f.name for f in files]
    assert list(tmp_path.glob(".*")) == [], "no half-written files stay behind"
    recipients = set()
    for path in files:
        raw = path.read_bytes()
        assert not raw.rstrip().endswith(b"-" * 79), "no separator lines between messages"
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Subject"] == SUBJECT
        assert parsed.get_body(preferencelist=("plain",)).get_content() == TEXT
        assert "<p>" in parsed.get_body(preferencelist=("html",)).get_content()
        assert parsed["Message-ID"]
        recipients.add(parsed["To"])
    assert recipients == {"per@dpab.example", "vilma@dpab.example"}


def test_the_embedded_default_writes_eml_files(settings, tmp_path):
    """okr/settings.py without EMAIL_HOST: the app's own send() ends up in a .eml file."""
    settings.MAILERS = file_mailer(tmp_path)
    emails.send(
        "password-reset",
        "per@dpab.example",
        {"protocol": "https", "domain": "okr.example.com", "uid": "MQ", "token": "abc-def"},
        "sv",
    )
    (path,) = eml_files(tmp_path)
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "per@dpab.example"
    assert (
        "https://okr.example.com/accounts/reset/MQ/abc-def/"
        in parsed.get_body(preferencelist=("plain",)).get_content()
    )


def send_one(folder, subject=SUBJECT, to="per@dpab.example"):
    message = EmailMultiAlternatives(
        subject=subject, body=TEXT, from_email="OKR <okr@localhost>", to=[to]
    )
    return EmlFileBackend(file_path=str(folder)).write_eml(message)


def test_dev_mail_lists_the_messages_under_debug(tmp_path):
    older = send_one(tmp_path, subject="Inbjudan till DPAB", to="linnea@dpab.example")
    newer = send_one(tmp_path)
    client = Client()
    with override_settings(DEBUG=True, MAILERS=file_mailer(tmp_path)):
        response = client.get(reverse("dev_mail"))
        assert response.status_code == 200
        page = response.content.decode()
        for expected in (SUBJECT, "Inbjudan till DPAB", "per@dpab.example", "linnea@dpab.example"):
            assert expected in page
        assert "Dags att checka in på dina nyckelresultat" in page
        assert page.index(SUBJECT) < page.index("Inbjudan till DPAB"), "newest first"
        assert [m.name for m in response.context["mails"]] == [newer.name, older.name]
        assert response.context["mails"][0].date is not None

        link = reverse("dev_mail_file", args=[newer.name])
        assert link in page
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "message/rfc822"
        assert b"".join(response.streaming_content) == newer.read_bytes()


def test_dev_mail_shows_at_most_the_newest_messages(tmp_path):
    for i in range(LIMIT + 3):
        send_one(tmp_path, subject=f"Meddelande {i:03}")
    with override_settings(DEBUG=True, MAILERS=file_mailer(tmp_path)):
        response = Client().get(reverse("dev_mail"))
    subjects = [m.subject for m in response.context["mails"]]
    assert len(subjects) == LIMIT
    assert subjects[0] == f"Meddelande {LIMIT + 2:03}" and "Meddelande 000" not in subjects


def test_dev_mail_is_404_without_debug_from_elsewhere_and_outside_the_folder(tmp_path):
    path = send_one(tmp_path)
    (tmp_path / "secret_key").write_text("not for the browser")
    list_url = reverse("dev_mail")
    file_url = reverse("dev_mail_file", args=[path.name])
    with override_settings(DEBUG=False, MAILERS=file_mailer(tmp_path)):
        assert Client().get(list_url).status_code == 404
        assert Client().get(file_url).status_code == 404
    with override_settings(DEBUG=True, MAILERS=file_mailer(tmp_path)):
        # The messages hold reset links: only the machine itself may read them.
        assert Client(REMOTE_ADDR="192.0.2.10").get(list_url).status_code == 404
        assert Client().get(list_url).status_code == 200
        for name in ("secret_key", "..%2Fsecret_key.eml", ".hidden.eml", "missing.eml"):
            assert Client().get(f"{list_url}{name}").status_code == 404, name
    # A real mail server: nothing to list.
    smtp = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    with override_settings(DEBUG=True, MAILERS=smtp):
        assert Client().get(list_url).status_code == 404


@pytest.mark.parametrize(("debug", "status"), [(True, 405), (False, 404)])
def test_dev_mail_answers_get_only_and_hides_even_that_without_debug(tmp_path, debug, status):
    with override_settings(DEBUG=debug, MAILERS=file_mailer(tmp_path)):
        assert Client().post(reverse("dev_mail")).status_code == status
        assert Client(enforce_csrf_checks=True).post(reverse("dev_mail")).status_code == 403
