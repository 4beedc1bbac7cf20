import pytest
from django.test import Client
from conftest import client_for
from django.urls import reverse
pytestmark = pytest.mark.django_db

def show(label, r):
    body = r.content[:200] if not getattr(r, "streaming", False) else b"<stream>"
    print(label, r.status_code, r.get("Content-Type"), "CSP" if r.has_header("Content-Security-Policy") else "NOCSP", body)

def test_explore(cast):
    m = client_for(cast.member)
    o = client_for(cast.outsider)
    show("api unknown", m.get("/api/v1/acme/dependencies/null,null/"))
    show("api unknown2", m.get("/api/nothing"))
    show("api 405", m.delete("/api/v1/acme/"))
    show("api 405 anon", Client().delete("/api/v1/acme/"))
    show("nul token", Client().get("/api/v1/acme/", HTTP_AUTHORIZATION="Bearer okr_ab\x00cd_x"))
    show("page 404", m.get("/acme/nothing/"))
    show("org 404", m.get("/nothing/"))
    show("outsider", o.get("/acme/"))
    show("outsider none", o.get("/nothing-here/"))
    show("405 page", m.get(reverse("alignment:dependency_state", args=["acme", "3fa85f64-5717-4562-b3fc-2c963f66afa6"])))
    show("405 page2", m.put("/acme/"))
    show("csrf", Client(enforce_csrf_checks=True).post(reverse("accounts:login")))
    show("redirect", Client().get("/acme/"))
    show("export", client_for(cast.admin).get("/acme/export/okrs.csv"))

def test_debug(cast, settings):
    settings.DEBUG = True
    m = client_for(cast.member)
    o = client_for(cast.outsider)
    show("dbg outsider", o.get("/acme/"))
    show("dbg none", o.get("/nothing-here/"))
    show("dbg unknown", o.get("/a/b/c/d/e/"))
    show("dbg 405", m.get(reverse("alignment:dependency_state", args=["acme", "3fa85f64-5717-4562-b3fc-2c963f66afa6"])))
