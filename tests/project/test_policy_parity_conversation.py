"""Page and API agree on the conversation: comments and notifications, every role x state x write.

The same method as tests/project/test_policy_parity.py. For each person (admin,
leadership, the team's lead, a member of the team, the author of the comment acted
on, an outsider from another organisation), each state (a comment live or removed,
a notification unread or read) and each write both a page and the API offer
(comment, reply, change and remove a comment on an objective, a key result and a
check-in; mark one notification read, open one, mark all read), a small organisation
is built twice inside rolled-back savepoints and the write is done once through
the page and once through the API.

The page's write is what a browser sends: the page showing the form is rendered
first (as the person who sees it), its real field names and values are read from
the HTML (tests/support/page_forms.py), then the state is set (as if someone else
removed the comment while the page was open) and the form is posted. Both ways
must give the same outcome (ok; 400 for the input, 403 for the person, 404 for what
is not theirs to see, 409 for the state) in the same words, and the same rows:
comments, mentions and notifications, compared without ids.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.conversation import services
from okr.models import Comment, CommentMention, Notification, Objective
from tests.support.api import api, session_api
from tests.support.factories import (
    CheckInFactory,
    MembershipFactory,
    UserFactory,
    metric_kr,
    year_and_quarter,
)
from tests.support.page_forms import form_posting_to, value_of

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "author", "outsider")
TARGETS = ("objective", "key_result", "check_in")
MENTION = "@Max Member kan du titta på siffrorna?"


@dataclass
class World:
    org: object
    people: dict
    objective: object
    kr: object
    check_in: object
    comments: dict  # target kind: the author's comment on it (mentions the member)
    notification: object  # the member's, about the comment on the objective


def build(cast) -> World:
    org = cast.org
    author = UserFactory(email="agnes@acme.example", name="Agnes Author")
    MembershipFactory(organisation=org, user=author, role=Membership.Role.MEMBER)
    _year, quarter = year_and_quarter(org)
    objective = Objective.objects.create(
        organisation=org,
        cycle=quarter,
        level=Objective.Level.TEAM,
        team=cast.team,
        owner=cast.lead,
        title="Etablera oss i Norge",
        status=Objective.Status.APPROVED,
        order=1,
    )
    kr = metric_kr(objective, title="5 pilotkunder", owner=cast.lead, start=0, target=5)
    check_in = CheckInFactory(key_result=kr, author=cast.lead, value=2, note="Två klara")
    targets = {"objective": objective, "key_result": kr, "check_in": check_in}
    comments = {
        kind: services.comment_create(target=target, author=author, text=f"{MENTION} ({kind})")
        for kind, target in targets.items()
    }
    notification = Notification.objects.get(
        recipient=cast.member, comment=comments["objective"], kind=Notification.Kind.MENTION
    )
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "author": author,
        "outsider": cast.outsider,
    }
    return World(org, people, objective, kr, check_in, comments, notification)


def target_of(w: World, kind: str):
    return {"objective": w.objective, "key_result": w.kr, "check_in": w.check_in}[kind]


# --- The rows, without ids ---------------------------------------------------------------------


def _who(user) -> str | None:
    return user.email if user else None


def _about(row) -> str:
    if row.objective_id:
        return f"objective {row.objective.title}"
    if row.key_result_id:
        return f"key result {row.key_result.title}"
    if row.check_in_id:
        return f"check-in {row.check_in.key_result.title} {row.check_in.note}"
    return ""


def snapshot(org) -> dict:
    related = ("objective", "key_result", "check_in__key_result")
    comments = Comment.objects.filter(organisation=org).select_related(
        "author", "parent__author", *related
    )
    return {
        "comments": sorted(
            (
                _about(c),
                _who(c.author),
                c.text,
                c.deleted,
                c.deleted_at is not None,
                c.edited_at is not None,
                (c.parent.text, _who(c.parent.author)) if c.parent else None,
            )
            for c in comments
        ),
        "mentions": sorted(
            (m.comment.text, _who(m.user))
            for m in CommentMention.objects.filter(organisation=org).select_related(
                "comment", "user"
            )
        ),
        "notifications": sorted(
            (
                _who(n.recipient),
                n.kind,
                _who(n.actor),
                _about(n),
                n.title,
                n.excerpt,
                n.read_at is not None,
                n.comment.text if n.comment else None,
            )
            for n in Notification.objects.filter(organisation=org).select_related(
                "recipient", "actor", "comment", *related
            )
        ),
    }


# --- The states ----------------------------------------------------------------------------------


def removed(w: World, kind: str) -> None:
    """Someone (the author) removed the comment while the page was open."""
    services.comment_delete(comment=w.comments[kind], author=w.people["author"])
    w.comments[kind].refresh_from_db()


def read(w: World, _kind: str) -> None:
    services.notifications_read_all(organisation=w.org, user=w.people["member"])
    w.notification.refresh_from_db()


STATES = {"live": None, "removed": removed, "unread": None, "read": read}


# --- The writes: (the page to read the form from, as whom, the form's action, what is typed) ---


def page(name: str, *args) -> str:
    return reverse(f"okr:{name}", args=["acme", *args])


def thread_page(w: World, kind: str) -> str:
    target = target_of(w, kind)
    name = {"objective": "objective_detail", "key_result": "key_result_detail"}.get(
        kind, "check_in_comments"
    )
    return page(name, target.uuid)


def post_url(w: World, kind: str) -> str:
    return page(f"{'objective' if kind == 'objective' else kind}_comments", target_of(w, kind).uuid)


def _new_comment_form(form) -> bool:
    return "text" in form.names and not value_of(form, "parent")


def comment_page(kind: str, text: str, *, reply: bool = False):
    def form(w: World):
        if reply:
            parent = str(w.comments[kind].uuid)
            return (
                thread_page(w, kind),
                "author",
                post_url(w, kind),
                lambda f: value_of(f, "parent") == parent,
                {"text": text},
            )
        return (
            thread_page(w, kind),
            "author",
            post_url(w, kind),
            _new_comment_form,
            {"text": text},
        )

    return form


def comment_api(kind: str, text: str, *, reply: bool = False):
    def write(w: World, client):
        body = {kind: str(target_of(w, kind).uuid), "text": text}
        if reply:
            body["parent"] = str(w.comments[kind].uuid)
        return client.post(api("acme", "comments/"), body)

    return write


def edit_page(kind: str):
    def form(w: World):
        url = page("comment_edit", w.comments[kind].uuid)
        return (url, "author", url, None, {"text": f"@Ada Admin hänger du med? ({kind})"})

    return form


def delete_page(kind: str):
    def form(w: World):
        url = page("comment_delete", w.comments[kind].uuid)
        return (thread_page(w, kind), "author", url, None, {})

    return form


def _notifications(w: World, action: str):
    return (page("notifications"), "member", action, None, {})


ACTIONS: dict[str, tuple] = {}
for _kind in TARGETS:
    ACTIONS |= {
        f"comment on {_kind}": (
            comment_page(_kind, "@Liam Lead vad tror du? Och @Otto Outsider."),
            comment_api(_kind, "@Liam Lead vad tror du? Och @Otto Outsider."),
            ("live",),
        ),
        f"reply on {_kind}": (
            comment_page(_kind, "Jag tittar i morgon, @Lea Leader", reply=True),
            comment_api(_kind, "Jag tittar i morgon, @Lea Leader", reply=True),
            ("live", "removed"),
        ),
        f"edit comment on {_kind}": (
            edit_page(_kind),
            lambda w, c, k=_kind: c.patch(
                api("acme", f"comments/{w.comments[k].uuid}/"),
                {"text": f"@Ada Admin hänger du med? ({k})"},
            ),
            ("live", "removed"),
        ),
        f"remove comment on {_kind}": (
            delete_page(_kind),
            lambda w, c, k=_kind: c.delete(api("acme", f"comments/{w.comments[k].uuid}/")),
            ("live", "removed"),
        ),
    }
ACTIONS |= {
    # Bad input: the same field error in the same words both ways (the service's).
    "empty comment on objective": (
        comment_page("objective", "   "),
        comment_api("objective", "   "),
        ("live",),
    ),
    "empty edit on objective": (
        lambda w: (*edit_page("objective")(w)[:4], {"text": ""}),
        lambda w, c: c.patch(
            api("acme", f"comments/{w.comments['objective'].uuid}/"), {"text": ""}
        ),
        ("live",),
    ),
    "mark read": (
        lambda w: _notifications(w, page("notification_read", w.notification.uuid)),
        lambda w, c: c.post(api("acme", f"notifications/{w.notification.uuid}/read/")),
        ("unread", "read"),
    ),
    "open (marks read)": (
        lambda w: _notifications(w, page("notification_open", w.notification.uuid)),
        lambda w, c: c.post(api("acme", f"notifications/{w.notification.uuid}/read/")),
        ("unread", "read"),
    ),
    "mark all read": (
        lambda w: _notifications(w, page("notifications_read_all")),
        lambda w, c: c.post(api("acme", "notifications/read/")),
        ("unread", "read"),
    ),
}
CASES = [
    (role, state, action)
    for action, (_page, _api, states) in ACTIONS.items()
    for state in states
    for role in ROLES
]


# --- Doing it ------------------------------------------------------------------------------------


def outcome(response, *, via_page: bool) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    if via_page:
        return "ok" if code == 302 else f"page {code}"
    return "ok" if code in (200, 201, 204) else f"api {code}"


def words(response, *, via_page: bool) -> str | list:
    if via_page:
        return html.unescape(response.content.decode())
    if not response.content or response.status_code != 400:
        return (response.json() or {}).get("detail", "") if response.content else ""
    body = response.json()
    if isinstance(body, dict) and "detail" in body:
        return body["detail"]
    return [m for messages in body.values() for m in messages if isinstance(m, str)]


class _RolledBack(Exception):
    pass


def attempt(cast, role: str, state: str, action: str, *, via_page: bool):
    kind = action.rsplit(" ", 1)[-1] if action.split(" on ")[-1] in TARGETS else ""
    set_state = STATES[state]
    try:
        with transaction.atomic():
            world = build(cast)
            person = world.people[role]
            if via_page:
                shown_at, viewer, action_url, which, typed = ACTIONS[action][0](world)
                shown = client_for(world.people[viewer]).get(shown_at)
                data = form_posting_to(shown, action_url, which).data(**typed)
            if set_state:
                set_state(world, kind)
            before = snapshot(world.org)
            if via_page:
                response = client_for(person).post(action_url, data)
            else:
                response = ACTIONS[action][1](world, session_api(person))
            said = words(response, via_page=via_page)
            result = outcome(response, via_page=via_page)
            raise _RolledBack(result, before, snapshot(world.org), said)
    except _RolledBack as done:
        return done.args


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_page_and_api_agree_on_the_conversation(cast, role, state, action):
    by_page, before_page, after_page, page_said = attempt(cast, role, state, action, via_page=True)
    by_api, before_api, after_api, api_said = attempt(cast, role, state, action, via_page=False)
    assert before_page == before_api  # the same world twice
    assert by_page == by_api, (by_page, by_api)  # the same answer, refusals for the same reason
    assert by_page in ("ok", "400", "403", "404", "409"), by_page
    if by_api in ("400", "403", "409"):
        expected = api_said if isinstance(api_said, list) else [api_said]
        assert expected and all(m in page_said for m in expected), (expected, by_page)
    assert after_page == after_api  # the same comments, mentions and notifications
    if by_page != "ok":
        assert after_page == before_page  # a refused write wrote nothing


EXPECTED = {  # (action kind, state): the roles allowed (the rest: "404" outsider, else refused)
    ("comment", "live"): {"admin", "leadership", "lead", "member", "author"},
    ("reply", "live"): {"admin", "leadership", "lead", "member", "author"},
    ("reply", "removed"): set(),  # 400: that comment was removed
    ("edit comment", "live"): {"author"},
    ("edit comment", "removed"): set(),  # 409 for the author, 403 for the rest
    ("remove comment", "live"): {"author", "admin"},
    ("remove comment", "removed"): set(),
    ("empty comment", "live"): set(),  # 400: write a comment
    ("empty edit", "live"): set(),  # 400 for the author, 403 for the rest
    ("mark read", "unread"): {"member"},
    ("mark read", "read"): {"member"},  # marking it again changes nothing
    ("open (marks read)", "unread"): {"member"},
    ("open (marks read)", "read"): {"member"},
    ("mark all read", "unread"): {"admin", "leadership", "lead", "member", "author"},
    ("mark all read", "read"): {"admin", "leadership", "lead", "member", "author"},
}


@pytest.mark.parametrize(
    ("role", "state", "action"),
    [case for case in CASES if case[2].endswith("objective") or "read" in case[2]],
    ids=lambda v: str(v),
)
def test_the_answers_are_the_policys(cast, role, state, action):
    """What both doors agreed on is the rule (accounts.policy), not an agreement in error."""
    by_api, _before, _after, _said = attempt(cast, role, state, action, via_page=False)
    base = action.split(" on ")[0]
    if role == "outsider":
        assert by_api == "404"
    elif role in EXPECTED[(base, state)]:
        assert by_api == "ok"
    elif base in ("reply", "empty comment") or (base, role) == ("empty edit", "author"):
        assert by_api == "400"  # the comment replied to was removed; nothing written
    elif base in ("mark read", "open (marks read)"):
        assert by_api == "404"  # someone else's notification: as if it did not exist
    elif state == "removed" and role in EXPECTED[(base, "live")]:
        assert by_api == "409"  # they may, but not any more: the state
    else:
        assert by_api == "403"


def test_the_matrix_covers_every_role_state_and_shared_write():
    assert len(ACTIONS) == 4 * 3 + 2 + 3
    # comment: 1 state; reply, edit, remove: 2 each, on 3 targets; 2 empty ones;
    # 3 notification writes x 2.
    assert len(CASES) == 6 * (3 * (1 + 2 + 2 + 2) + 2 + 3 * 2)
