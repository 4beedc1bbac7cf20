"""Bad input gets a clear answer, never a 500: one rule per kind of field, pages and API alike.

Numbers, days, choices, ids, text and JSON bodies go through the same checks
(``accounts.cleaning``, ``okr.lib.fields``) whether they come from a form or a
request body, and the refusal says what to write instead. The generated
attacks live in test_fuzz_forms.py and test_schemathesis.py; these are the
cases the fuzzers found, one by one, and the proof that every form and every
serializer field uses the shared rules.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import serializers

import accounts
import alignment
import okr
from accounts.api import fields as api_fields
from accounts.cleaning import Refused, check_choice, check_text, check_uuid
from accounts.fields import TextRules
from accounts.models import Membership
from alignment.services import dependency_create
from conftest import client_for
from okr.api import fields as okr_api_fields
from okr.lib.fields import NUMBER_PATTERN, number_from_json, parse_day, parse_number
from okr.models import CheckIn, KeyResult, Objective, Review, Score
from tests.support.api import api, api_world, token_api
from tests.support.factories import ObjectiveFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = Decimal


def raw(client, method: str, url: str, body: str | bytes):
    """Send ``body`` as it is (JSON the test client would not write: escapes, depth)."""
    return getattr(client.client, method)(
        url, body, content_type="application/json", **client.headers
    )


@pytest.fixture
def world(cast):
    w = api_world(cast)
    other = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=TeamFactory(organisation=cast.org, name="Sälj"),
        cycle=w["quarter"],
    )
    w["dependency"] = dependency_create(
        organisation=cast.org,
        needing_objective=w["team_objective"],
        delivering_objective=other,
        description="Katalogen på norska",
        needed_by=w["quarter"].start_date,
    )
    w["review"] = Review.objects.create(organisation=cast.org, date=w["quarter"].start_date)
    w["score"] = Score.objects.create(
        organisation=cast.org,
        cycle=w["year"],
        objective=w["strategic"],
        progress=0.5,
        computed=0.5,
        computed_at=timezone.now(),
    )
    return w


# --- Numbers: one grammar, pages and API ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1500", D(1500)),
        ("1 500", D(1500)),
        ("1 000,5", D("1000.5")),
        ("1\u00a0000,5", D("1000.5")),  # no-break space, as Swedish number formatting writes
        ("1\u202f000\u202f000", D(1000000)),  # narrow no-break space (Norwegian)
        ("12,5", D("12.5")),
        ("12.5", D("12.5")),
        ("\u22123", D(-3)),  # the minus sign
        ("+7", D(7)),
        ("-0,0001", D("-0.0001")),
        ("999 999 999 999", D("999999999999")),
    ],
)
def test_numbers_people_write_are_read(text, number):
    assert parse_number(text) == number
    assert number_from_json(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "1e3",
        "1,500.5",  # a thousands comma and a decimal point: ambiguous
        "1.500,5",
        "10 00",  # groups are three digits
        "1 0000",
        "12,34567",  # at most 4 decimals
        "1234567890123",  # 13 digits
        "0x10",
        "1_000",
        "٣",  # Arabic-Indic three: digits are 0-9
        " 1",  # the API takes the text as it is (forms strip it first)
        "1\n",
        "",
    ],
)
def test_numbers_outside_the_grammar_are_refused_with_how_to_write_one(text):
    with pytest.raises(Refused) as refused:
        parse_number(text)
    assert "1 500" in refused.value.message and "12,5" in refused.value.message


def test_json_numbers_must_be_finite_and_in_range():
    assert number_from_json(0.1) == D("0.1")
    assert number_from_json(10**12 - 1) == D(10**12 - 1)
    for value in (float("nan"), float("inf"), 10**400, 1e300, True, None, [1]):
        with pytest.raises(Refused):
            number_from_json(value)


def test_the_schema_pattern_is_the_grammar():
    """The API documents exactly what it reads: the same pattern (JSON schema anchors)."""
    assert okr_api_fields.DECIMAL_INPUT_SCHEMA["oneOf"][0]["pattern"] == NUMBER_PATTERN
    assert NUMBER_PATTERN.startswith("^") and NUMBER_PATTERN.endswith("$")


def test_nordic_numbers_in_a_page_and_the_api_mean_the_same(cast, world):
    kr = world["owned"]
    page = client_for(cast.member)
    response = page.post(
        reverse("okr:key_result_check_in", args=["acme", kr.uuid]),
        {"value": "1\u00a0000,5", "confidence": "on_track", "note": ""},
    )
    assert response.status_code == 302
    assert CheckIn.objects.filter(key_result=kr).latest("created_at").value == D("1000.5")
    client = token_api(cast.member, cast.org)
    response = client.post(
        api("acme", "check-ins/"),
        {"key_result": str(kr.uuid), "value": "2 000,25", "confidence": "on_track"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "2000.25"


def test_bad_numbers_are_refused_alike_in_a_page_and_the_api(cast, world):
    kr = world["owned"]
    before = CheckIn.objects.count()
    page = client_for(cast.member)
    client = token_api(cast.member, cast.org)
    for text in ("1e309", "NaN", "1,500.5"):
        response = page.post(
            reverse("okr:key_result_check_in", args=["acme", kr.uuid]),
            {"value": text, "confidence": "on_track"},
        )
        assert response.status_code == 200
        assert "1 500 or 12,5" in response.content.decode()
        answer = client.post(
            api("acme", "check-ins/"),
            {"key_result": str(kr.uuid), "value": text, "confidence": "on_track"},
        )
        assert answer.status_code == 400
        assert "1 500 or 12,5" in answer.json()["value"][0]
    assert CheckIn.objects.count() == before


def test_json_number_literals_that_overflow_are_400(cast, world):
    client = token_api(cast.member, cast.org)
    kr = world["owned"].uuid
    for literal in ("NaN", "Infinity", "1e999", "-1e999", "9" * 5000):
        body = f'{{"key_result": "{kr}", "confidence": "on_track", "value": {literal}}}'
        response = raw(client, "post", api("acme", "check-ins/"), body)
        assert response.status_code == 400, (literal, response.content)


def test_a_huge_score_override_is_400(cast, world):
    client = token_api(cast.leader, cast.org)
    url = api("acme", f"scores/{world['score'].uuid}/")
    for literal in ("1" + "0" * 400, "-" + "9" * 400, "1e400", "-0.5", "2"):
        response = raw(client, "patch", url, f'{{"value": {literal}, "reason": "x"}}')
        assert response.status_code == 400, (literal, response.content)
    world["score"].refresh_from_db()
    assert world["score"].override is None


# --- Days: 2000-01-01 to 2100-12-31 everywhere ---------------------------------------------------


def test_days_are_iso_and_within_the_calendar():
    assert parse_day("2026-03-31") == date(2026, 3, 31)
    for text in ("0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"):
        with pytest.raises(Refused) as refused:
            parse_day(text)
        assert refused.value.params == {"first": "2000-01-01", "last": "2100-12-31"}
    for text in ("2026-02-30", "20260331", "31/03/2026", "+2026-03-31", "2026-03-31\n", None, 7):
        with pytest.raises(Refused):
            parse_day(text)


def test_a_review_list_for_year_one_says_what_is_wrong(cast):
    client = client_for(cast.member)
    for bad, says in (("0001-01-01", "2000-01-01"), ("not-a-date", "YYYY-MM-DD")):
        response = client.get(reverse("okr:reviews", args=["acme"]), {"date": bad})
        assert response.status_code == 400
        assert says in response.content.decode()


def test_a_review_cannot_be_dated_year_one(cast):
    client = client_for(cast.leader)
    for day in ("0001-01-01", "2101-01-01"):
        response = client.post(reverse("okr:review_new", args=["acme"]), {"date": day})
        assert response.status_code in (200, 400)
        assert "2000-01-01" in response.content.decode()
    response = client.post(
        reverse("okr:review_new", args=["acme"]),
        {"date": "2026-03-04", "moved_from": "0001-01-01"},
    )
    assert response.status_code in (200, 400)
    assert "2000-01-01" in response.content.decode()  # said on the add form
    assert not Review.objects.exists()


def test_due_dates_and_api_filters_keep_the_range(cast, world):
    client = token_api(cast.leader, cast.org)
    response = client.post(
        api("acme", "key-results/"),
        {"objective": str(world["strategic"].uuid), "title": "X", "due_date": "0001-01-01"},
    )
    assert response.status_code == 400 and "2000-01-01" in response.json()["due_date"][0]
    response = client.get(api("acme", "reviews/"), {"date_after": "0001-01-01"})
    assert response.status_code == 400 and set(response.json()) == {"date_after"}
    page = client_for(cast.leader)
    before = KeyResult.objects.count()
    response = page.post(
        reverse("okr:key_result_new", args=["acme", world["strategic"].uuid]),
        {
            "title": "Lansera i Norge",
            "kind": "milestone",
            "direction": "increase",
            "commitment": "committed",
            "due_date": "0001-01-01",
        },
    )
    assert response.status_code == 200 and "2000-01-01" in response.content.decode()
    assert KeyResult.objects.count() == before


# --- Choices: any string is told the choices ----------------------------------------------------


def choice_requests(w):
    """(method, path, body, field) for every choice an API request body has."""
    kr, objective = str(w["metric"].uuid), str(w["strategic"].uuid)
    return [
        ("patch", "", {"language": "X"}, "language"),
        ("patch", f"members/{w['member_membership'].uuid}/", {"role": "X"}, "role"),
        ("post", "invitations/", {"email": "ny2@acme.example", "role": "X"}, "role"),
        ("post", "objectives/", {"cycle": str(w["year"].uuid), "level": "X", "title": "T"}, "level"),
        ("patch", f"objectives/{objective}/", {"version": 1, "alignment": "X"}, "alignment"),
        ("post", "key-results/", {"objective": objective, "title": "T", "kind": "X"}, "kind"),
        ("post", "key-results/", {"objective": objective, "title": "T", "direction": "X"}, "direction"),
        ("post", "key-results/", {"objective": objective, "title": "T", "commitment": "X"}, "commitment"),
        ("patch", f"key-results/{kr}/", {"version": 1, "rollup": "X"}, "rollup"),
        ("post", "check-ins/", {"key_result": kr, "confidence": "X", "value": 1}, "confidence"),
        ("patch", f"initiatives/{w['initiative'].uuid}/", {"status": "X"}, "status"),
        ("post", f"reviews/{w['review'].uuid}/entries/", {"kind": "X", "text": "T"}, "kind"),
        ("patch", f"dependencies/{w['dependency'].uuid}/", {"state": "X"}, "state"),
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["\ud800", "\udfff", "x\x00", "strategic ", 7, ["team"], {}])
def test_every_choice_answers_400_with_the_choices(cast, world, bad):
    client = token_api(cast.admin, cast.org)
    for method, path, body, field in choice_requests(world):
        body = {**body, field: bad}
        # json.dumps writes a lone surrogate as the escape "\ud800", as an attacker would.
        response = raw(client, method, api("acme", path), json.dumps(body))
        assert response.status_code == 400, (path, field, response.content)
        errors = response.json()
        assert field in errors, (path, errors)
        assert "Choose one of:" in errors[field][0], (path, errors)


def test_choice_messages_list_the_choices_and_quote_the_input_safely():
    with pytest.raises(Refused) as refused:
        check_choice("\ud800", [("sv", "Svenska"), ("nb", "Norsk"), ("", "-")])
    text = str(refused.value)
    text.encode("utf-8")  # encodable: the surrogate is written as an escape
    assert "\\ud800" in text and text.endswith("Choose one of: sv, nb.")


def test_query_choices_list_the_choices_too(cast):
    client = token_api(cast.member, cast.org)
    response = client.get(api("acme", "objectives/"), {"level": "nope"})
    assert response.status_code == 400
    assert "strategic, team" in response.json()["level"][0]


# --- Ids: 404 in a path, 400 in a query or a body ------------------------------------------------


def test_a_bad_id_in_a_path_is_404_and_in_a_query_or_body_400(cast, world):
    client = token_api(cast.member, cast.org)
    for path in ("objectives/not-a-uuid/", "key-results/1,5/", "check-ins/%F0%9F%98%80/"):
        assert client.get(api("acme", path)).status_code == 404
    page = client_for(cast.member)
    assert page.get("/acme/objectives/not-a-uuid/").status_code == 404
    response = client.get(api("acme", "objectives/"), {"team": "not-a-uuid"})
    assert response.status_code == 400 and set(response.json()) == {"team"}
    response = client.post(
        api("acme", "check-ins/"), {"key_result": "not-a-uuid", "confidence": "on_track"}
    )
    assert response.status_code == 400 and "3fa85f64" in response.json()["key_result"][0]
    with pytest.raises(Refused):
        check_uuid("x" * 1000)


# --- Text: NUL, lone surrogates and lengths ------------------------------------------------------


def test_text_rules():
    assert check_text("Öka försäljningen 👍🏽") == "Öka försäljningen 👍🏽"
    for text, code in (("a\x00b", "null"), ("a\ud800b", "surrogate"), ("x" * 5001, "max_length")):
        with pytest.raises(Refused) as refused:
            check_text(text)
        assert refused.value.code == code


def test_text_is_refused_alike_in_a_page_and_the_api(cast, world):
    client = token_api(cast.leader, cast.org)
    page = client_for(cast.leader)
    before = Objective.objects.count()
    for title, says in (("a\x00b", "U+0000"), ("x", None)):
        body = {"cycle": str(world["year"].uuid), "level": "strategic", "title": title}
        response = client.post(api("acme", "objectives/"), {**body, "why": "y" * 5001})
        assert response.status_code == 400
        assert "5000" in response.json()["why"][0]
        if says:
            assert says in response.json()["title"][0]
        response = page.post(
            reverse("okr:objective_new", args=["acme"]),
            {"title": title, "why": "y" * 5001, "owner": "", "year": world["year"].year},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "5000" in html and (says is None or says in html)
    year = world["year"].uuid
    surrogate = f'{{"cycle": "{year}", "level": "strategic", "title": "a\\ud800"}}'
    response = raw(client, "post", api("acme", "objectives/"), surrogate)
    assert response.status_code == 400 and "U+D800" in response.json()["title"][0]
    assert Objective.objects.count() == before


def test_every_form_uses_the_text_rules():
    """Each form class of the app builds on ``accounts.fields.Form``/``ModelForm``."""
    found = [cls for cls in _classes(forms.BaseForm) if cls.__module__ != "accounts.fields"]
    assert len(found) > 20
    missing = [f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, TextRules)]
    assert not missing


STRICT = (
    api_fields.TextField,
    api_fields.EmailField,
    api_fields.ChoiceField,
    api_fields.IntField,
    api_fields.BoolField,
    api_fields.Reference,
    okr_api_fields.NumberField,
    okr_api_fields.DayField,
    serializers.ListField,
)


def test_every_request_serializer_field_is_a_strict_one():
    """No request body reaches DRF's lenient fields ("3" for 3, any date, unescaped choices).

    The request serializers are the ones the API views parse (``self.parse(...)``) or
    document as a request (``request=...``).
    """
    checked = 0
    request_serializers = _request_serializers()
    assert len(request_serializers) >= 15
    for cls in request_serializers:
        for name, field in cls().fields.items():
            if field.read_only:
                continue
            fields = [field, field.child] if isinstance(field, serializers.ListField) else [field]
            for one in fields:
                if type(one).__name__ == "ScoreValueField":  # a JSON number 0..1, tested above
                    continue
                assert isinstance(one, STRICT), f"{cls.__module__}.{cls.__name__}.{name}: {one!r}"
                checked += 1
    assert checked > 40
    model_text = api_fields.ModelSerializer.serializer_field_mapping
    assert all(model_text[k] is api_fields.TextField for k in _model_text_fields())


def _request_serializers() -> set:
    found = set()
    for module in _modules():
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        for expression in re.findall(r"(?:self\.parse\(|request=)\s*([A-Za-z_][\w.]*)", source):
            value = module
            for part in expression.split("."):
                value = getattr(value, part, None) if not isinstance(value, dict) else None
            if inspect.isclass(value) and issubclass(value, serializers.BaseSerializer):
                found.add(value)
    return found


def _model_text_fields():
    from django.db import models

    return (models.CharField, models.TextField)


def _modules():
    for package in (accounts, okr, alignment):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in info.name or info.name.endswith("settings_test"):
                continue
            yield importlib.import_module(info.name)


def _classes(base):
    for _module in _modules():
        pass
    seen, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in seen if c.__module__.split(".")[0] in ("accounts", "okr", "alignment")),
        key=lambda c: (c.__module__, c.__name__),
    )


# --- JSON bodies: bounded size and depth ----------------------------------------------------------


@pytest.mark.parametrize("path", ["check-ins/", "objectives/", "dependencies/"])
def test_deeply_nested_json_is_400(cast, world, path):
    client = token_api(cast.leader, cast.org)
    for body in ("[" * 10000 + "]" * 10000, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 33 + "]" * 33):
        response = raw(client, "post", api("acme", path), body)
        assert response.status_code == 400, response.content[:200]
        assert "nested" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_depth(cast, world):
    client = token_api(cast.member, cast.org)
    note = "[" * 100 + '\\"{' * 50
    body = (
        f'{{"key_result": "{world["owned"].uuid}", "value": "3", '
        f'"confidence": "on_track", "note": "{note}"}}'
    )
    response = raw(client, "post", api("acme", "check-ins/"), body)
    assert response.status_code == 201, response.content


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_upload_limit_is_413(cast, world):
    client = token_api(cast.member, cast.org)
    body = f'{{"key_result": "{world["owned"].uuid}", "confidence": "on_track", "note": "'
    response = raw(client, "post", api("acme", "check-ins/"), body + "x" * 2000 + '"}')
    assert response.status_code == 413
    assert not CheckIn.objects.filter(note__startswith="xxx").exists()


# --- Messages are translated ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_new_messages_are_translated(language):
    from accounts import services
    from accounts.cleaning import CHOICE_MESSAGE
    from okr.lib import fields

    texts = [
        CHOICE_MESSAGE,
        fields.NUMBER_INVALID,
        fields.DAY_RANGE,
        fields.DAY_INVALID,
        str(services.FISCAL_YEAR_LOCKED),
        "Text cannot contain the NUL character (U+0000). Remove it.",
        "Write at most %(limit)d characters (this has %(count)d).",
        "The JSON is nested more than %(depth)d levels deep.",
    ]
    with translation.override(language):
        for text in texts:
            assert translation.gettext(text) != text, f"no {language} translation: {text!r}"


def test_members_endpoint_role_choice_is_unchanged_by_refusals(cast, world):
    """A refused choice changes nothing (the row is as it was)."""
    client = token_api(cast.admin, cast.org)
    membership = world["member_membership"]
    response = client.patch(api("acme", f"members/{membership.uuid}/"), {"role": "\ud800"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_published_patterns_match_what_is_read():
    """The schema's day and weight patterns say exactly what the fields accept."""
    from okr.api.fields import WEIGHT_PATTERN, WeightField
    from okr.lib.fields import DAY_PATTERN

    for day in ("2000-01-01", "2100-12-31", "2026-02-28"):
        assert re.fullmatch(DAY_PATTERN, day) and parse_day(day)
    for day in ("1999-12-31", "2101-01-01", "0001-01-01"):
        assert not re.fullmatch(DAY_PATTERN, day)
    field = WeightField()
    for text, value in (("1,5", D("1.5")), ("999.99", D("999.99")), ("0.05", D("0.05"))):
        assert re.fullmatch(WEIGHT_PATTERN, text) and field.to_internal_value(text) == value
    for bad in ("0", "0,00", "1000", "1.005", "+1", "01", 0, 1000, 0.005, 0.5700000000000001):
        assert not (isinstance(bad, str) and re.fullmatch(WEIGHT_PATTERN, bad))
        with pytest.raises(serializers.ValidationError):
            field.to_internal_value(bad)
    assert field.to_internal_value(0.57) == D("0.57")
