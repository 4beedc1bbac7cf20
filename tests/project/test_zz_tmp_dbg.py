from django import forms
from django.urls import reverse
from okr.reviews.forms import ReviewDateForm
from tests.support.fuzz import ERROR_MARKS
from tests.support.sweep import demo_world, signed_in
def test_dbg(db, monkeypatch):
    organisation, users = demo_world()
    client = signed_in(users["admin"])
    def go(tag):
        r = client.post(reverse("okr:review_new", args=[organisation.slug]), {"moved_from": "%s%n{0}", "date": "%s%n{0}"})
        html = r.content.decode()
        for m in ERROR_MARKS:
            i = html.find(m)
            if i >= 0: print(tag, m, html[i-300:i+200].replace("\n"," "))
        print(tag, "done")
    go("NEW")
    monkeypatch.setitem(ReviewDateForm.base_fields, "date", forms.DateField(widget=forms.DateInput(attrs={"type": "date"})))
    go("OLD")
