import time
from io import StringIO
import pytest
from django.core.management import call_command
from accounts.models import User
from conftest import client_for
from tests.support.sweep import pages, forms_on
from tests.support.fuzz import snapshot, all_uuids
pytestmark = pytest.mark.django_db

def test_scratch():
    t=time.time()
    call_command("load_demo", stdout=StringIO())
    print("demo", time.time()-t)
    t=time.time(); s=snapshot(); print("snapshot", time.time()-t, sum(v[0] for v in s.values()))
    t=time.time(); s=snapshot(); print("snapshot", time.time()-t)
