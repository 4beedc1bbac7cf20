"""Scratch reproduction (replaced below)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from okr.models import Review, Score
from tests.support.api import api, api_world, token_api

pytestmark = pytest.mark.django_db


def raw_post(client, url, raw, method="post"):
    return getattr(client.client, method)(
        url, raw, content_type="application/json", **client.headers
    )


def test_repro(cast):
    w = api_world(cast)
    client = token_api(cast.admin, cast.org)
    out = {}
    r = raw_post(client, api("acme", "objectives/"), '{"level": "\\ud800", "title": "x", "cycle": "%s"}' % w["year"].uuid)
    out["surrogate_level"] = r.status_code
    r = raw_post(client, api("acme", "objectives/"), "[" * 10000 + "]" * 10000)
    out["deep"] = r.status_code
    score = Score.objects.create(organisation=cast.org, cycle=w["year"], objective=w["strategic"], progress=0.5, computed=0.5, computed_at=timezone.now())
    r = raw_post(client, api("acme", f"scores/{score.uuid}/"), '{"value": 1' + "0" * 400 + ', "reason": "x"}', method="patch")
    out["huge"] = r.status_code
    page = client_for(cast.admin)
    r = page.get(reverse("okr:reviews", args=["acme"]), {"date": "0001-01-01"})
    out["review_date"] = r.status_code
    r = page.post(reverse("okr:review_new", args=["acme"]), {"date": "0001-01-01"})
    out["review_new"] = (r.status_code, Review.objects.filter(date__year=1).exists())
    print(out)
