import time, collections
from io import StringIO
import pytest
from django.core.management import call_command
from accounts.models import User, Organisation
from conftest import client_for
from tests.support.sweep import pages, forms_on, codes_of
from tests.support.fuzz import snapshot
pytestmark = pytest.mark.django_db

def test_scratch():
    call_command("load_demo", stdout=StringIO())
    org = Organisation.objects.get(slug="dpab")
    codes = codes_of(org)
    print({k: len(v) for k, v in codes.items()})
    kinds = {}
    n = [0]
    statuses = collections.Counter()
    def counter(url, r):
        n[0] += 1; statuses[r.status_code] += 1
        if r.status_code >= 500: print("500!", url)
        if "code" not in url and r.status_code != 200 and r.wsgi_request.user.email.startswith("vilma"): print("NON200", r.status_code, url, r.get("Location"))
    seen = {}
    for email in ["vilma@dpab.example", "mats@dpab.example", "per@dpab.example"]:
        t = time.time(); n[0] = 0
        client = client_for(User.objects.get(email=email))
        found = pages(client, "dpab", codes, kinds, counter)
        print(email, len(found), "pages", n[0], "requests", time.time() - t)
        for url, html in found.items():
            for f in forms_on(url, html):
                seen.setdefault(f.key(), (email, f))
    print(statuses)
    for k, (email, f) in sorted(seen.items(), key=lambda x: x[0][0]):
        print(email.split("@")[0], f.view_name, f.htmx, [(c.name, c.kind, c.value[:20], len(c.options)) for c in f.controls if c.name != "csrfmiddlewaretoken"])
    print(len(seen), "form kinds")
    print({r: k for r, k in kinds.items() if k})
    from tests.support.sweep import page_routes
    got = {k[0] for k in seen}
    print("MISSING", sorted(n for r, n in page_routes() if n not in got))
    print("PAGES", sorted(found))
