"""Export everything: the settings page, its download and the API (admins only)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from conftest import client_for
from tests.support.api import api, token_api
from tests.support.org_world import build_world

pytestmark = pytest.mark.django_db

PAGE = "okr:organisation_export"
DOWNLOAD = "okr:organisation_export_json"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_admin_reads_the_page_and_downloads_everything(cast):
    build_world(cast.org, cast.admin, cast.lead, cast.member)
    client = client_for(cast.admin)
    page = client.get(reverse(PAGE, args=["acme"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse(DOWNLOAD, args=["acme"]) in text and "check_ins" in text
    # The settings navigation links it.
    assert 'aria-current="page">Export everything' in text
    response = client.get(reverse(DOWNLOAD, args=["acme"]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="acme-organisation-')
    data = json.loads(_body(response))
    assert data["format"] == "okr-organisation" and data["organisation"]["slug"] == "acme"
    event = AuditEvent.objects.filter(organisation=cast.org, action="export.downloaded").get()
    assert event.details["export"] == "organisation" and event.actor == cast.admin


@pytest.mark.parametrize("who", ["leader", "lead", "member"])
def test_members_who_are_not_admins_are_refused(cast, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse(PAGE, args=["acme"])).status_code == 403
    assert client.get(reverse(DOWNLOAD, args=["acme"])).status_code == 403
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_outsiders_get_404(cast):
    client = client_for(cast.outsider)
    assert client.get(reverse(PAGE, args=["acme"])).status_code == 404
    assert client.get(reverse(DOWNLOAD, args=["acme"])).status_code == 404


def test_the_api_streams_the_same_document_to_an_admin_token(cast):
    build_world(cast.org, cast.admin, cast.lead, cast.member)
    response = token_api(cast.admin, cast.org).get(api("acme", "export/"))
    assert response.status_code == 200 and response.streaming
    data = json.loads(_body(response))
    assert data["organisation"]["uuid"] == str(cast.org.uuid) and data["check_ins"]
    assert AuditEvent.objects.filter(action="export.downloaded").count() == 1


def test_the_api_refuses_members_and_hides_from_outsiders(cast):
    assert token_api(cast.leader, cast.org).get(api("acme", "export/")).status_code == 403
    assert token_api(cast.outsider, cast.other_org).get(api("acme", "export/")).status_code == 404


def test_the_api_description_documents_it(cast):
    schema = client_for(cast.admin).get(reverse("api-schema"))
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/{org_slug}/export/" in text and "okr-organisation" in text
