"""Integrity under concurrency: double submits get a form error, orders stay distinct.

These run on PostgreSQL with real transactions (``transaction=True``) and real
threads, each with its own connection. A barrier holds every thread just past
the check a form or service makes ("is the address free?") until all of them
are there, so the writes really collide; without the fixes they answered 500
(unique violations) or shared one ``order``.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from accounts import forms as account_forms
from accounts import services as account_services
from accounts import signup
from accounts.models import Organisation, User
from conftest import client_for
from okr.models import Initiative, KeyResult, Objective
from okr.objectives import services
from tests.support.api import api, token_api
from tests.support.factories import UserFactory, metric_kr, strategic_objective, year_and_quarter

PARALLEL = 5


def in_parallel(work, count: int = PARALLEL) -> list:
    """``work(i)`` in ``count`` threads at once; each closes its own connection."""

    def run(i):
        try:
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def held_at(barrier: threading.Barrier, function):
    """``function`` that, the first time a thread calls it, waits for every thread after
    it has run (so all have passed the check before any of them writes)."""
    seen = threading.local()

    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=20)
        return result

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_with_one_address_make_one_account(monkeypatch):
    barrier = threading.Barrier(PARALLEL)
    monkeypatch.setattr(signup, "pending_user", held_at(barrier, signup.pending_user))

    def sign_up(i):
        return (
            Client()
            .post(
                reverse("accounts:register"),
                {
                    "name": f"Ada {i}",
                    "email": "ada@parallel.example",
                    "password": "korrekt-häst-batteri-9",
                    "organisation": "Parallel AB",
                    "slug": "parallel",
                    "language": "sv",
                    "timezone": "Europe/Stockholm",
                },
            )
            .status_code
        )

    statuses = in_parallel(sign_up)
    # Each is told to check their e-mail; the address has one (pending) account, and the
    # latest sign-up's link is the one that works (a repeat sign-up replaces the link).
    assert statuses == [302] * PARALLEL
    assert User.objects.filter(email="ada@parallel.example").count() == 1
    assert not Organisation.objects.filter(slug="parallel").exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_new_organisations_with_one_address_make_one(monkeypatch):
    barrier = threading.Barrier(PARALLEL)
    # The form's last check of the address (its unique check) is passed by all five.
    form = account_forms.OrganisationCreateForm
    monkeypatch.setattr(form, "validate_unique", held_at(barrier, form.validate_unique))
    users = [UserFactory(email=f"founder{i}@parallel.example") for i in range(PARALLEL)]

    def create(i):
        client = Client()
        client.force_login(users[i])
        response = client.post(
            reverse("accounts:organisation_new"),
            {
                "name": f"Parallel {i}",
                "slug": "parallel",
                "language": "sv",
                "timezone": "Europe/Oslo",
            },
        )
        return response.status_code, response.content.decode()

    answers = in_parallel(create)
    assert sorted(status for status, _html in answers) == [200] * (PARALLEL - 1) + [302]
    for status, html in answers:
        if status == 200:
            assert "That address is taken. Choose another." in html
    organisation = Organisation.objects.get(slug="parallel")
    assert organisation.memberships.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_unique_address_is_a_service_error_not_a_500():
    first, second = UserFactory(), UserFactory()
    account_services.organisation_create(user=first, name="A", slug="same")
    with pytest.raises(account_services.ServiceError, match="slug_taken"):
        account_services.organisation_create(user=second, name="B", slug="same")
    with pytest.raises(account_services.ServiceError, match="email_taken"):
        account_services.user_create(email=first.email.upper(), password=None)
    assert Organisation.objects.filter(slug="same").count() == 1


@pytest.fixture
def objective(cast):
    year, _quarter = year_and_quarter(cast.org)
    return strategic_objective(cast.org, year, owner=cast.leader)


def _started_together(barrier):
    """Hold each thread inside its transaction, just before the order is read."""
    original = services._next_order

    def next_order(queryset, *, parent):
        barrier.wait(timeout=20)
        return original(queryset, parent=parent)

    return next_order


@pytest.mark.django_db(transaction=True)
def test_parallel_key_results_get_distinct_orders(cast, objective, monkeypatch):
    barrier = threading.Barrier(PARALLEL)
    monkeypatch.setattr(services, "_next_order", _started_together(barrier))
    created = in_parallel(
        lambda i: (
            services.key_result_create(
                objective=objective, title=f"KR {i}", author=cast.leader, kind="milestone"
            ).order
        )
    )
    assert sorted(created) == list(range(1, PARALLEL + 1))
    orders = KeyResult.objects.filter(objective=objective).values_list("order", flat=True)
    assert sorted(orders) == list(range(1, PARALLEL + 1))


@pytest.mark.django_db(transaction=True)
def test_parallel_objectives_and_initiatives_get_distinct_orders(cast, objective, monkeypatch):
    kr = metric_kr(objective, owner=cast.member, start=0, target=10)
    barrier = threading.Barrier(PARALLEL)
    monkeypatch.setattr(services, "_next_order", _started_together(barrier))
    in_parallel(
        lambda i: services.objective_create(
            organisation=cast.org,
            cycle=objective.cycle,
            level=Objective.Level.STRATEGIC,
            title=f"Objective {i}",
            author=cast.leader,
        )
    )
    orders = Objective.objects.filter(cycle=objective.cycle).values_list("order", flat=True)
    assert sorted(orders) == list(range(1, PARALLEL + 2))
    in_parallel(
        lambda i: services.initiative_create(key_result=kr, title=f"Ring {i}", author=cast.member)
    )
    orders = Initiative.objects.filter(key_result=kr).values_list("order", flat=True)
    assert sorted(orders) == list(range(1, PARALLEL + 1))


@pytest.mark.django_db(transaction=True)
def test_parallel_key_results_through_the_api_get_distinct_orders(cast, objective):
    clients = [token_api(cast.leader, cast.org) for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def post(i):
        barrier.wait(timeout=20)
        return clients[i].post(
            api("acme", "key-results/"),
            {"objective": str(objective.uuid), "title": f"KR {i}", "kind": "milestone"},
        )

    answers = in_parallel(post)
    assert [a.status_code for a in answers] == [201] * PARALLEL
    assert sorted(a.json()["order"] for a in answers) == list(range(1, PARALLEL + 1))


# --- The fiscal year's first month is fixed once there are cycles ----------------------------


SETTINGS = {
    "name": "Acme AB",
    "vision": "",
    "mission": "",
    "language": "en",
    "timezone": "Europe/Stockholm",
    "country": "SE",
    "review_every_weeks": "2",
    "review_weekday": "0",
    "reminders_enabled": "on",
}


@pytest.mark.django_db
def test_the_fiscal_year_start_can_change_while_there_are_no_cycles(cast):
    response = client_for(cast.admin).post(
        reverse("settings:organisation", args=["acme"]),
        {**SETTINGS, "fiscal_year_start_month": "7"},
    )
    assert response.status_code == 302
    cast.org.refresh_from_db()
    assert cast.org.fiscal_year_start_month == 7


@pytest.mark.django_db
def test_the_fiscal_year_start_is_fixed_once_cycles_exist(cast):
    year_and_quarter(cast.org)
    start = cast.org.fiscal_year_start_month
    page = client_for(cast.admin)
    settings_url = reverse("settings:organisation", args=["acme"])
    shown = page.get(settings_url).content.decode()
    assert "there is no tool yet to move" in shown  # said before anyone tries
    response = page.post(settings_url, {**SETTINGS, "fiscal_year_start_month": "7"})
    assert response.status_code == 200
    assert "no tool yet to move existing years and quarters" in response.content.decode()
    # Other settings can still be saved, with the month as it is.
    response = page.post(
        settings_url, {**SETTINGS, "name": "Acme Nordic", "fiscal_year_start_month": str(start)}
    )
    assert response.status_code == 302
    client = token_api(cast.admin, cast.org)
    response = client.patch(api("acme"), {"fiscal_year_start_month": 7})
    assert response.status_code == 409  # the organisation's state, not the input
    assert response.json()["code"] == "fiscal_year_in_use"
    assert "no tool yet" in response.json()["detail"]
    response = client.patch(api("acme"), {"fiscal_year_start_month": start, "currency": "NOK"})
    assert response.status_code == 200
    cast.org.refresh_from_db()
    assert (cast.org.fiscal_year_start_month, cast.org.name) == (start, "Acme Nordic")
    with pytest.raises(account_services.ValidationError):
        account_services.organisation_update(
            organisation=cast.org, data={"fiscal_year_start_month": start % 12 + 1}
        )
