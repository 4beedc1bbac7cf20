"""The pages and forms of the app, found as a visitor finds them: for the fuzzers.

``pages(client, codes)`` walks every URL pattern (tests.support.urls), fills in
the organisation and, for a pattern that takes an id, each candidate id until
one answers 200, and returns the HTML pages it got. ``forms_on(url, html)``
parses every form that posts (``method="post"`` or ``hx-post``) with its
controls and their values, as a browser would send them. ``encode`` writes a
form body as bytes, so a value may carry bytes that are not UTF-8 (a lone
surrogate as ``b"\\xed\\xa0\\x80"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urljoin, urlsplit

from django.urls import Resolver404, resolve

from tests.support.urls import every_pattern

#: Patterns no page visitor reaches: the API (schemathesis has it), the JavaScript
#: catalogue, the development mail viewer, links that carry a secret token.
SKIPPED_PREFIXES = ("api/", "i18n/js", "dev/", "static/", "__debug__")
SECRET_PARAMETERS = {"token", "uidb64", "name"}


@dataclass
class Control:
    """One named control of a form: what a browser would send for it, and its choices."""

    name: str
    kind: str  # hidden, text, textarea, select, checkbox, radio, submit, number, date, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    htmx: bool
    controls: list[Control]
    view_name: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({c.name for c in self.controls}))

    def key(self) -> tuple:
        """Forms of one kind (the same view, the same fields) are fuzzed once per role."""
        return (self.view_name, self.htmx, self.names)

    def defaults(self) -> dict[str, str]:
        """What submitting the form untouched sends: no unchecked box, the first submit
        button's value."""
        data: dict[str, str] = {}
        for control in self.controls:
            if control.kind in ("checkbox", "radio") and not control.value:
                continue
            data.setdefault(control.name, control.value)
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.current: Form | None = None
        self.select: Control | None = None
        self.select_first: str | None = None
        self.option_value: str | None = None
        self.option_text = ""
        self.textarea: Control | None = None

    def _form_for(self, attrs: dict) -> Form | None:
        if attrs.get("form"):
            return self.by_id.get(attrs["form"])
        return self.current

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._start_form(attrs)
            return
        form = self._form_for(attrs)
        if tag == "option" and self.select is not None:
            self.option_value = attrs.get("value")
            self.option_text = ""
            if "selected" in attrs:
                self.select.value = attrs.get("value", "")
                self.select_first = None
            return
        if form is None or not attrs.get("name") or "disabled" in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("button", "reset", "image", "file"):
                return
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                existing = next(
                    (c for c in form.controls if c.name == name and c.kind == kind), None
                )
                if existing is not None:
                    existing.options.append(value)
                    if "checked" in attrs:
                        existing.value = value
                    return
                form.controls.append(
                    Control(name, kind, value if "checked" in attrs else "", [value])
                )
                return
            form.controls.append(Control(name, kind, value))
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            form.controls.append(Control(name, "submit", attrs.get("value", "")))
        elif tag == "select":
            self.select = Control(name, "select", "")
            self.select_first = ""
            form.controls.append(self.select)
        elif tag == "textarea":
            self.textarea = Control(name, "textarea", "")
            form.controls.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "option" and self.select is not None:
            value = self.option_value if self.option_value is not None else self.option_text
            self.select.options.append(value)
            if self.select_first == "" and len(self.select.options) == 1:
                self.select.value = value
            self.option_value = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.select is not None and self.option_value is None:
            self.option_text += data.strip()

    def _start_form(self, attrs):
        hx = attrs.get("hx-post")
        method = attrs.get("method", "get").lower()
        if hx is None and method != "post":
            self.current = None
            return
        target = hx if hx is not None else attrs.get("action", "")
        action = urljoin(self.page_url, target or self.page_url)
        form = Form(page=self.page_url, action=action, htmx=hx is not None, controls=[])
        try:
            form.view_name = resolve(urlsplit(action).path).view_name
        except Resolver404:
            form.view_name = "?"
        self.forms.append(form)
        if attrs.get("id"):
            self.by_id[attrs["id"]] = form
        self.current = form


def forms_on(url: str, html: str) -> list[Form]:
    """Every form of ``html`` that posts, with its named controls."""
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms


def encode(data: dict[str, str | bytes | list]) -> bytes:
    """A form body, application/x-www-form-urlencoded; bytes values are sent as they are."""
    parts = []
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            raw = one if isinstance(one, bytes) else str(one).encode("utf-8")
            parts.append(f"{quote_plus(name)}={quote_plus(raw)}")
    return "&".join(parts).encode("ascii")


# --- Pages ------------------------------------------------------------------------------------


def page_routes() -> list[tuple[str, str]]:
    """(route, name) of every pattern a visitor may open, the API and secrets left out."""
    found = []
    for route, name in every_pattern():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        parameters = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if parameters & SECRET_PARAMETERS:
            continue
        found.append((route, name))
    return found


def fill(route: str, org_slug: str, code=None) -> str:
    url = route.replace("<slug:org_slug>", org_slug)
    if code is not None:
        url = re.sub(r"<(?:\w+:)?code>", str(code), url)
    return "/" + url.lstrip("^").rstrip("$")


def is_html(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def pages(
    client, org_slug: str, codes: dict[str, list], kinds: dict, counter, extra=()
) -> dict[str, str]:
    """Every HTML page ``client`` may open: URL -> HTML.

    ``codes`` holds ids of every kind of object, several of each (objects in different
    states). A pattern with an id is first tried with one id of each kind, to learn
    which kind it takes (remembered in ``kinds`` for the next client); then every id
    of that kind that answers 200 gives a page, so one pattern shows its forms for
    objects in different states. ``extra`` URLs are opened too.
    """
    found: dict[str, str] = {}

    def get(url):
        response = client.get(url)
        counter(url, response)
        if is_html(response):
            found[url] = response.content.decode()
        return response

    for route, _name in page_routes():
        if "code>" not in route:
            get(fill(route, org_slug))
            continue
        if route not in kinds:
            kinds[route] = _kind_of(
                route, codes, lambda code, route=route: get(fill(route, org_slug, code))
            )
        for kind in kinds[route]:
            for code in codes[kind]:
                get(fill(route, org_slug, code))
    for url in extra:
        get(url)
    # Then the links of those pages, as a visitor follows them (a few pages of each view):
    # they reach objects in the states the chosen ids missed.
    per_view: dict[str, int] = {}
    for url in found:
        view = _view_name(url)
        per_view[view] = per_view.get(view, 0) + 1
    queue = [link for html in list(found.values()) for link in links_on(html)]
    while queue:
        url = queue.pop(0)
        view = _view_name(url)
        if url in found or view is None or per_view.get(view, 0) >= MAX_PAGES_PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        if is_html(get(url)):
            queue.extend(links_on(found[url]))
    return found


def _kind_of(route: str, codes: dict[str, list], get) -> list[str]:
    """The kind of object a pattern's id names: the first kind whose id is not 404 (or 405,
    a POST-only URL). Kinds named in the route ("key-results/<code>") are tried first."""
    words = re.sub(r"[^a-z]", "", route.split("<uuid:code>")[0].rsplit("/", 2)[-2].lower())

    def likely(kind: str) -> bool:
        return kind.lower() in words or words.rstrip("s") in kind.lower()

    for kind in sorted(codes, key=lambda k: not likely(k)):
        if get(codes[kind][0]).status_code not in (404, 405):
            return [kind]
    return []


#: Pages of one view (one URL pattern) followed from links, at most.
MAX_PAGES_PER_VIEW = 6
_LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')


def links_on(html: str) -> list[str]:
    """The site's own links on a page (``href`` and ``hx-get``), HTML entities read."""
    from html import unescape

    return [unescape(link) for link in _LINK.findall(html) if not link.startswith("//")]


def _view_name(url: str) -> str | None:
    path = urlsplit(url).path
    if path.lstrip("/").startswith(SKIPPED_PREFIXES) or "/export/" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if set(match.kwargs) & SECRET_PARAMETERS or match.view_name == "accounts:logout":
        return None
    return match.view_name


# --- Ids ----------------------------------------------------------------------------------------

#: How a row of each kind leads to its organisation.
ORGANISATION_PATHS = (
    "organisation",
    "memberships__organisation",
    "objective__organisation",
    "key_result__objective__organisation",
    "team__organisation",
    "review__organisation",
    "cycle__organisation",
)
#: Fields whose values put a row in a different state (and so its page shows other forms).
STATE_FIELDS = ("level", "status", "kind", "state", "role", "closed_at")


def codes_of(organisation, first: dict | None = None, per_kind: int = 4) -> dict[str, list]:
    """Public ids of the organisation's rows, by model: ``first`` (kind -> ids), one per
    state, then others spread over the rest while there are fewer than ``per_kind``."""
    from django.apps import apps
    from django.core.exceptions import FieldError

    codes: dict[str, list] = {}
    for label in ("accounts", "okr", "alignment"):
        for model in apps.get_app_config(label).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            if "uuid" not in names or model.__name__.startswith("Historical"):
                continue
            for path in ORGANISATION_PATHS:
                try:
                    rows = list(model._base_manager.filter(**{path: organisation}).order_by("pk"))
                except FieldError:
                    continue
                break
            else:
                continue
            picked, states = list((first or {}).get(model.__name__, [])), set()
            for row in rows:
                state = tuple(
                    (getattr(row, f) is None) if f == "closed_at" else getattr(row, f)
                    for f in STATE_FIELDS
                    if f in names
                )
                if state not in states:
                    states.add(state)
                    if row.uuid not in picked:
                        picked.append(row.uuid)
            # Then rows spread over the rest (the first, the last, between), up to per_kind.
            step = max(1, len(rows) // per_kind)
            for row in rows[::step] + rows[-1:]:
                if len(picked) >= per_kind:
                    break
                if row.uuid not in picked:
                    picked.append(row.uuid)
            if picked:
                codes[model.__name__] = picked
    return codes


# --- The world the sweeps run in ------------------------------------------------------------------

#: The DPAB demo's people, one per role, and who each is in the sweeps.
ROLE_EMAILS = {
    "admin": "vilma@dpab.example",
    "leadership": "mats@dpab.example",
    "member": "per@dpab.example",
}


def demo_world():
    """The DPAB demo, with every kind of form on some page (a :class:`World`).

    Loaded as of the last day of the previous quarter (``load_demo --today``): seen today,
    that quarter has ended but is not closed yet, so its close page offers to close it
    and to carry objectives over. Added: a review held today (its page takes entries, a
    move and a close), an initiative on a key result (its status form), an open
    invitation and an API token of each person (their forms on the settings pages).
    """
    from datetime import timedelta
    from io import StringIO
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.utils import timezone

    from accounts import demo as accounts_demo
    from accounts import tokens
    from accounts.models import Organisation, User
    from okr.lib import calendar
    from okr.models import Cycle, KeyResult, Objective, ParkingLotItem
    from okr.objectives import services as okr_services
    from okr.reviews import services as review_services
    from tests.support.factories import InvitationFactory

    start_month = accounts_demo.ORGANISATION["fiscal_year_start_month"]
    today = timezone.localdate(timezone=ZoneInfo(accounts_demo.ORGANISATION["timezone"]))
    quarter = calendar.quarter_of(today, start_month)
    last_day = calendar.quarter_start(quarter.year, quarter.quarter, start_month) - timedelta(1)
    call_command("load_demo", "--today", last_day.isoformat(), stdout=StringIO())
    organisation = Organisation.objects.get(slug="dpab")
    users = {role: User.objects.get(email=email) for role, email in ROLE_EMAILS.items()}
    InvitationFactory(organisation=organisation, email="ny@dpab.example")
    for user in users.values():
        tokens.token_create(user=user, organisation=organisation, name="Fuzz")
    review = review_services.review_create(
        organisation=organisation, day=today, user=users["admin"]
    )
    kr = (
        KeyResult.objects.filter(
            objective__organisation=organisation, objective__level=Objective.Level.STRATEGIC
        )
        .order_by("pk")
        .first()
    )
    okr_services.initiative_create(key_result=kr, title="Ringa kunder", author=users["admin"])
    # A webhook endpoint (its page has the test, rotate and delete forms), turned off so
    # the demo's events stay in the house.
    from accounts.webhooks import services as webhooks

    endpoint, _secret = webhooks.endpoint_create(
        organisation=organisation,
        url="https://intranat.dpab.example/okr",
        events=["objective.approved"],
        author=users["admin"],
    )
    webhooks.endpoint_update(
        endpoint=endpoint,
        url=endpoint.url,
        events=endpoint.events,
        active=False,
        author=users["admin"],
    )
    # A chat hook (okr.chat; its row has the test, turn-off and remove forms), to a host that
    # never answers: no worker runs in the sweeps, so nothing is posted.
    from okr.chat import services as chat

    chat.hook_create(
        organisation=organisation,
        kind="slack",
        url="https://hooks.slack.example/services/dpab",
        events=["quarter.closed"],
        author=users["admin"],
    )
    first = {"Review": [review.uuid], "KeyResult": [kr.uuid]}
    # Pages that show an object only for a chosen quarter: the parking lot of the quarter
    # its items are in, and the close pages of closed quarters (scores to override, objectives to carry).
    slug = organisation.slug
    urls = [
        f"/{slug}/workshop/{item.team.uuid}/?quarter={item.cycle.uuid}"
        for item in ParkingLotItem.objects.filter(organisation=organisation)[:1]
    ] + [
        f"/{slug}/quarter-close/?cycle={cycle.uuid}"
        for cycle in Cycle.objects.filter(
            organisation=organisation, kind=Cycle.Kind.QUARTER, state=Cycle.State.CLOSED
        ).order_by("-end_date")[:4]
    ]
    # The demo's conversation (okr/demo/conversation.py): the pages with its threads.
    from okr.models import Comment

    for comment in Comment.objects.filter(organisation=organisation, parent__isnull=True):
        target = comment.objective or comment.key_result
        if target is not None:
            kind = "objectives" if comment.objective_id else "key-results"
            urls.append(f"/{slug}/{kind}/{target.uuid}/")
        else:
            urls.append(f"/{slug}/check-ins/{comment.check_in.uuid}/comments/")
    urls += _personal_and_next_year(organisation, users)
    return World(organisation, users, first, urls)


def _personal_and_next_year(organisation, users) -> list[str]:
    """States that show the personal OKR and next-year forms; the pages to open for them.

    "My OKRs" (okr/personal, the demo's pilot is on) shows the quarter of today: the member
    gets its new-objective form once their team's objective of that quarter is proposed, and
    the archive and new-key-result forms once they have a personal objective there. Next year
    (okr/years): started, with one of this year's strategic objectives carried on as a draft,
    so this year's page offers to carry the others on and to publish; the year after offers
    to start it.
    """
    from okr.lib import calendar
    from okr.models import Objective
    from okr.personal import selectors as personal_selectors
    from okr.personal import services as personal
    from okr.workshop import services as workshop
    from okr.years import services as years

    member, admin = users["member"], users["admin"]
    quarter = personal_selectors.current_quarter(organisation)
    team_objective = (
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team__members=member,
        )
        .exclude(status=Objective.Status.ARCHIVED)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    if team_objective.status not in personal_selectors.PARENT_STATUSES:
        workshop.objective_submit(
            organisation=organisation, team=team_objective.team, cycle=quarter, author=admin
        )
    mine = personal.personal_objective_create(
        organisation=organisation,
        author=member,
        title="Skriv tre kundcase i kvartalet",
        parent_objective=team_objective,
    )
    personal.personal_key_result_create(
        objective=mine, author=member, title="Tre kundcase publicerade", kind="milestone"
    )
    year = calendar.current_fiscal_year(organisation)
    this_year = Objective.objects.filter(
        organisation=organisation,
        level=Objective.Level.STRATEGIC,
        cycle__kind="year",
        cycle__year=year,
        status=Objective.Status.APPROVED,
    ).order_by("pk")
    years.year_start(organisation=organisation, year=year + 1, carry=this_year[:1], author=admin)
    page = f"/{organisation.slug}/next-year/"
    return [f"{page}?year={year}", f"{page}?year={year + 1}"]


@dataclass
class World:
    organisation: object
    users: dict
    first: dict  # kind -> ids to try first
    urls: list  # pages no URL pattern reaches without a query


def signed_in(user):
    """A test client signed in as ``user`` (anonymous for None) that answers a server error
    with its 500 page instead of raising, as a server would."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client
