"""Every page in Swedish, Norwegian bokmål and English, with nothing left untranslated.

The sweep takes its pages from the URL resolver (tests.support.urls), filled in with
one object of each kind, so a page added later is swept too. Each page is rendered
for a user whose language is sv, nb or en (and the pages outside an organisation
for a visitor who chose that language), and its text (with labels, placeholders and
titles) is searched for interface strings left in the wrong language:

- in sv and nb: every source string of the catalogues (more than three words, no
  placeholders) that the language translates differently must not appear verbatim;
- in en: no Swedish or Norwegian translation of such a string may appear.

It also checks that no page has a ``type=date`` input (those follow the browser's
locale, not the page's: ``accounts.fields.DayInput``).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conftest import client_for
from okr.lib import calendar
from okr.models import Objective
from okr.reviews.services import review_create
from tests.support.factories import ObjectiveFactory, metric_kr, year_and_quarter
from tests.support.urls import every_pattern, fill, objects_of, organisation_patterns

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("sv", "nb", "en")
#: Pages that are not the app's own interface: the API (JSON, and the docs' own UI), i18n
#: plumbing, developer pages and file downloads.
SKIPPED = re.compile(r"^/(api|i18n|dev)/|\.(csv|json)$")
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a person reads or hears: text nodes and the labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.date_inputs = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.skipping += 1
        if tag == "input" and (attributes.get("type") or "").lower() == "date":
            self.date_inputs += 1
        self.parts.extend(attributes[name] for name in ATTRIBUTES if attributes.get(name))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> tuple[str, int]:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), parser.date_inputs


def _worth_checking(text: str) -> bool:
    """Long enough to be unambiguous, and shown verbatim (no placeholders or markup)."""
    return len(text.split()) > 3 and not re.search(r"%[(sd]|\{|<|&", text)


def _shown(text: str) -> str:
    """As a page shows it: one space between words, "%%" (the catalogue's "%") as "%"."""
    return " ".join(text.replace("%%", "%").split())


@cache
def source_strings() -> tuple[tuple[str | None, str], ...]:
    """(context, msgid) of every singular string in the three catalogues."""
    found = set()
    for language in LANGUAGES:
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
            if entry.obsolete or entry.msgid_plural or not _worth_checking(entry.msgid):
                continue
            found.add((entry.msgctxt, " ".join(entry.msgid.split())))
    return tuple(sorted(found, key=lambda item: (item[0] or "", item[1])))


def _translate(context, msgid):
    return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


@cache
def untranslated_markers(language: str) -> tuple[str, ...]:
    """The strings that must not appear in a page in ``language``."""
    if language == "en":
        # English pages: no Swedish or Norwegian interface text.
        markers = set()
        for other in ("sv", "nb"):
            with translation.override(other):
                for context, msgid in source_strings():
                    text = " ".join(_translate(context, msgid).split())
                    if text != msgid and _worth_checking(text):
                        markers.add(_shown(text))
        return tuple(sorted(markers))
    with translation.override(language):
        return tuple(
            _shown(msgid)
            for context, msgid in source_strings()
            if " ".join(_translate(context, msgid).split()) != msgid
        )


def _problems(url: str, response, language: str) -> list[tuple]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    text, date_inputs = page_text(response.content.decode())
    found = [(language, url, marker) for marker in untranslated_markers(language) if marker in text]
    if date_inputs:
        found.append((language, url, f"{date_inputs} input(s) of type=date"))
    return found


def more_objects(cast) -> list:
    """What the sweep's objects lack for a full page: a workshop draft, a proposal, a review."""
    org = cast.org
    _year, quarter = year_and_quarter(org)

    def team_objective(title, status):
        return ObjectiveFactory(
            organisation=org,
            cycle=quarter,
            level="team",
            team=cast.team,
            title=title,
            status=status,
        )

    draft = team_objective("Ett utkast i workshopen", Objective.Status.DRAFT)
    draft_kr = metric_kr(draft, title="Tio nya kunder i utkastet", owner=cast.member, target=10)
    proposed = team_objective("Ett föreslaget mål", Objective.Status.PROPOSED)
    metric_kr(proposed, title="Fem nya kunder i förslaget", owner=cast.lead, target=5)
    review = review_create(organisation=org, day=calendar.today(org), user=None)  # an added review
    return [draft.uuid, draft_kr.uuid, proposed.uuid, review.uuid]


def organisation_urls(cast) -> list[str]:
    """One URL per organisation page, with an object that exists where it takes one."""
    codes = objects_of(cast.org, cast.admin) + more_objects(cast)
    client = client_for(cast.admin)
    urls = []
    for route, _name in organisation_patterns():
        candidates = (
            [fill(route, "acme", code) for code in codes]
            if "code>" in route
            else [fill(route, "acme", codes[0])]
        )
        candidates = [url for url in candidates if not SKIPPED.search(url)]
        for url in candidates:
            if client.get(url).status_code == 200:
                urls.append(url)
                break
    return urls


def plain_urls() -> list[str]:
    """Every page outside an organisation that takes no parameter."""
    urls = []
    for route, _name in every_pattern():
        if "<" in route:
            continue
        url = "/" + route.lstrip("^").rstrip("$")
        if not SKIPPED.search(url):
            urls.append(url)
    return urls


def test_the_markers_are_found_where_they_should_be():
    """The check itself: it knows untranslated text when it sees it."""
    sv = untranslated_markers("sv")
    assert "Update any number of your key results and save them together." in " ".join(sv)
    assert "- Select an option -" in sv
    text, dates = page_text('<p title="x">Rows you <b>leave</b> untouched</p><input type="date">')
    assert text == "x Rows you leave untouched" and dates == 1
    with translation.override("en"):
        assert untranslated_markers("en")  # Swedish and Norwegian texts to look for


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_in_the_users_language(cast, language):
    cast.org.language = "sv"
    cast.org.save(update_fields=["language"])
    cast.admin.language = language
    cast.admin.save(update_fields=["language"])
    urls = organisation_urls(cast)
    assert len(urls) > 25, urls  # the sweep found the pages (27 today)
    client = client_for(cast.admin)
    problems = []
    for url in urls + plain_urls():
        response = client.get(url)
        assert response.status_code < 500, url
        problems += _problems(url, response, language)
    # Pages for visitors (sign in, sign up, password reset) in the language they chose.
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in plain_urls():
        problems += _problems(url, visitor.get(url), language)
    assert not problems, "\n".join(" · ".join(problem) for problem in problems)


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_pages_follow_the_organisation_when_the_user_has_no_language(cast, language):
    cast.org.language = language
    cast.org.save(update_fields=["language"])
    cast.member.language = ""
    cast.member.save(update_fields=["language"])
    client = client_for(cast.member)
    for url in ["/acme/", "/accounts/profile/", "/accounts/tokens/", "/accounts/new-organisation/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.headers["Content-Language"] == language, url
        assert _problems(url, response, language) == []
