"""The demo runs DPAB's personal OKR pilot: Per's own OKRs under Marknad's this quarter."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation, User
from conftest import client_for
from okr.demo import personal as personal_demo
from okr.models import CheckIn, Objective

pytestmark = pytest.mark.django_db


def test_the_demo_turns_the_pilot_on_and_writes_pers_okrs_once():
    call_command("load_demo", stdout=StringIO())
    org = Organisation.objects.get(slug="dpab")
    assert org.personal_okrs
    personal = Objective.objects.filter(organisation=org, level=Objective.Level.PERSONAL)
    titles = sorted(personal.values_list("title", flat=True))
    assert titles == sorted(spec[0] for spec in personal_demo.PERSONAL_OKRS)
    assert {o.owner.email for o in personal} == {"per@dpab.example"}
    assert {o.team.name for o in personal} == {"Marknad"}
    assert CheckIn.objects.filter(key_result__objective__in=personal).count() == 2
    call_command("load_demo", stdout=StringIO())
    assert personal.count() == 2  # idempotent

    per = User.objects.get(email="per@dpab.example")
    home = client_for(per).get(reverse("okr:home", args=["dpab"])).content.decode()
    assert personal_demo.PERSONAL_OKRS[0][0] in home
    page = client_for(per).get(reverse("okr:my_okrs", args=["dpab"]))
    assert page.status_code == 200
    assert personal_demo.PERSONAL_OKRS[1][0] in page.content.decode()
