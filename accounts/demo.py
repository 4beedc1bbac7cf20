"""The DPAB demo organisation: its people, roles and teams (docs/dpab.md).

Idempotent: every row is looked up by its natural key and brought to the
state described here, so loading twice changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, Organisation, Team, TeamMembership, User

DEMO_PASSWORD = "dpab-demo"  # noqa: S105 - printed for the demo, documented in README

ORGANISATION = {
    "slug": "dpab",
    "name": "Digital Posthantering AB",
    "vision": "Snabb och miljövänlig kommunikation genom pappersfri post",
    "mission": "att vara den föredragna partnern i digitalisering av kommunikation",
    "language": "sv",
    "timezone": "Europe/Stockholm",
    "country": "SE",
    "currency": "SEK",
    "fiscal_year_start_month": 1,
    "review_every_weeks": 2,
    "review_weekday": 0,
}

# (e-mail, name, role in the app, title in the company)
PEOPLE = [
    ("vilma@dpab.example", "Vilma", Membership.Role.ADMIN, "VD"),
    ("pernilla@dpab.example", "Pernilla", Membership.Role.LEADERSHIP, "Produktionsansvarig"),
    ("mats@dpab.example", "Mats", Membership.Role.LEADERSHIP, "Marknadschef"),
    ("fredrika@dpab.example", "Fredrika", Membership.Role.LEADERSHIP, "Försäljningsansvarig"),
    ("per@dpab.example", "Per", Membership.Role.MEMBER, "Marknadsförare"),
    ("par@dpab.example", "Pär", Membership.Role.MEMBER, "Produktion"),
    ("linnea@dpab.example", "Linnea", Membership.Role.MEMBER, "Marknadsförare"),
    ("oskar@dpab.example", "Oskar", Membership.Role.MEMBER, "Marknadskoordinator"),
    ("johan@dpab.example", "Johan", Membership.Role.MEMBER, "Säljare"),
]

# team name -> (lead e-mail, other members)
TEAMS = {
    "Produktion": ("pernilla@dpab.example", ["par@dpab.example"]),
    "Marknad": (
        "mats@dpab.example",
        ["per@dpab.example", "linnea@dpab.example", "oskar@dpab.example"],
    ),
    "Försäljning": ("fredrika@dpab.example", ["johan@dpab.example"]),
}


def _sync(obj, values: dict) -> None:
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)


@transaction.atomic
def load_people_and_teams() -> Organisation:
    org, _ = Organisation.objects.get_or_create(slug=ORGANISATION["slug"], defaults=ORGANISATION)
    _sync(org, ORGANISATION)
    users = {}
    for email, name, role, title in PEOPLE:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        _sync(user, {"name": name})
        users[email] = user
        membership, _ = Membership.objects.get_or_create(
            organisation=org, user=user, defaults={"role": role, "title": title}
        )
        _sync(membership, {"role": role, "title": title})
    for order, (name, (lead, members)) in enumerate(TEAMS.items()):
        team, _ = Team.objects.get_or_create(organisation=org, name=name, defaults={"order": order})
        _sync(team, {"order": order, "parent": None})
        for email in [lead, *members]:
            tm, _ = TeamMembership.objects.get_or_create(team=team, user=users[email])
            _sync(tm, {"is_lead": email == lead})
    return org


def demo_logins() -> list[tuple[str, str, str]]:
    return [(email, name, str(Membership.Role(role).label)) for email, name, role, _ in PEOPLE]
