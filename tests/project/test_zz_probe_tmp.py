import pytest
from conftest import client_for
from tests.support.urls import fill, objects_of, organisation_patterns
pytestmark = pytest.mark.django_db
def test_probe(cast):
    codes = objects_of(cast.org, cast.admin)
    client = client_for(cast.admin)
    for route, name in organisation_patterns():
        statuses = [client.get(fill(route, "acme", c)).status_code for c in codes]
        print("PROBE", name, route, sorted(set(statuses)))
