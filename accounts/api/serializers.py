"""API representations of the organisation, its teams, members and invitations.

Reading and writing use separate serializers; write serializers only parse and
check types (``accounts.api.fields``), the rules live in ``accounts.services``.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    BoolField,
    ChoiceField,
    EmailField,
    IntField,
    ModelSerializer,
    PublicId,
    Reference,
    TextField,
    members_of,
    teams_of,
)
from accounts.models import TIMEZONE_CHOICES, Invitation, Language, Membership, Organisation
from accounts.services import ORGANISATION_SETTINGS

TIME_ZONES = frozenset(name for name, _label in TIMEZONE_CHOICES)

# --- Organisation ------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Organisation",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "name": "Demo Produkter AB",
                "slug": "dpab",
                "vision": "Snabb och miljövänlig kommunikation",
                "mission": "",
                "language": "sv",
                "timezone": "Europe/Stockholm",
                "country": "SE",
                "currency": "SEK",
                "fiscal_year_start_month": 1,
                "review_every_weeks": 2,
                "review_weekday": 0,
                "reminders_enabled": True,
                "personal_okrs": False,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class OrganisationSerializer(ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", *ORGANISATION_SETTINGS, "created_at"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Change the review rhythm",
            request_only=True,
            value={"review_every_weeks": 2, "review_weekday": 0},
        )
    ]
)
class OrganisationWriteSerializer(serializers.Serializer):
    name = TextField(max_length=200, required=False)
    vision = TextField(max_length=5000, required=False, allow_blank=True)
    mission = TextField(max_length=5000, required=False, allow_blank=True)
    language = ChoiceField(choices=Language.choices, required=False)
    timezone = TextField(
        max_length=64, required=False, help_text="An IANA time zone, such as Europe/Stockholm."
    )
    country = TextField(
        min_length=2, max_length=2, required=False, help_text="Two-letter country code, e.g. SE."
    )
    currency = TextField(
        min_length=3, max_length=3, required=False, help_text="Three-letter code, e.g. SEK."
    )
    fiscal_year_start_month = IntField(min_value=1, max_value=12, required=False)
    review_every_weeks = IntField(min_value=1, max_value=8, required=False)
    review_weekday = IntField(
        min_value=0, max_value=6, required=False, help_text="0 is Monday, 6 is Sunday."
    )
    reminders_enabled = BoolField(required=False)
    personal_okrs = BoolField(
        required=False,
        help_text="The personal OKR pilot: people write their own OKRs under their team's.",
    )

    # What the validate_ methods below accept (the server upper-cases the codes).
    schema_rules = {
        "properties": {
            "country": {"pattern": "^[A-Za-z]{2}$"},
            "currency": {"pattern": "^[A-Za-z]{3}$"},
            "timezone": {"enum": sorted(TIME_ZONES)},
        }
    }

    def validate_timezone(self, value):
        if value not in TIME_ZONES:
            raise serializers.ValidationError(
                _("Enter a time zone such as Europe/Stockholm or Europe/Oslo.")
            )
        return value

    def validate_country(self, value):
        value = value.upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise serializers.ValidationError(
                _("Enter a two-letter country code, such as SE, NO or DK.")
            )
        return value

    def validate_currency(self, value):
        value = value.upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise serializers.ValidationError(_("Enter a three-letter currency code, such as SEK."))
        return value


# --- Teams, members, invitations ---------------------------------------------------


class TeamPersonSerializer(serializers.Serializer):
    user = serializers.UUIDField(source="user.uuid", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    is_lead = serializers.BooleanField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Team",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "name": "Marknad",
                "parent": None,
                "people": [{"user": EXAMPLE_USER, "name": "Vilma", "is_lead": True}],
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class TeamSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)
    parent = PublicId(allow_null=True)
    people = TeamPersonSerializer(source="team_memberships", many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A team in a department",
            request_only=True,
            value={"name": "Marknad", "parent": EXAMPLE_ID_2, "leads": [EXAMPLE_USER]},
        )
    ]
)
class TeamWriteSerializer(serializers.Serializer):
    name = TextField(max_length=120)
    parent = Reference(
        queryset=teams_of,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="The department (another team) this team is part of.",
    )
    leads = serializers.ListField(
        child=Reference(queryset=members_of, kind=_("person")), required=False, max_length=500
    )
    members = serializers.ListField(
        child=Reference(queryset=members_of, kind=_("person")), required=False, max_length=500
    )


class TeamUpdateSerializer(TeamWriteSerializer):
    name = TextField(max_length=120, required=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Member",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "user": EXAMPLE_USER,
                "name": "Vilma",
                "email": "vilma@dpab.example",
                "role": "leadership",
                "title": "VD",
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class MemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    user = serializers.UUIDField(source="user.uuid", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample("Make someone leadership", request_only=True, value={"role": "leadership"})
    ]
)
class MemberUpdateSerializer(serializers.Serializer):
    role = ChoiceField(choices=Membership.Role.choices)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Invitation",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "email": "ny@dpab.example",
                "role": "member",
                "teams": [EXAMPLE_ID_2],
                "state": "open",
                "invited_by": EXAMPLE_USER,
                "created_at": EXAMPLE_TIME,
                "sent_at": EXAMPLE_TIME,
                "expires_at": "2026-03-16T09:30:00+01:00",
                "accepted_at": None,
                "revoked_at": None,
            },
        )
    ]
)
class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    teams = serializers.SerializerMethodField()
    state = serializers.ChoiceField(
        choices=["open", "accepted", "revoked", "expired"], read_only=True
    )
    invited_by = PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(read_only=True)
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
    def get_teams(self, invitation: Invitation) -> list[str]:
        return [str(team.uuid) for team in invitation.teams.all()]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Invite someone to a team",
            request_only=True,
            value={"email": "ny@dpab.example", "role": "member", "teams": [EXAMPLE_ID_2]},
        )
    ]
)
class InvitationWriteSerializer(serializers.Serializer):
    email = EmailField(max_length=254)
    role = ChoiceField(choices=Membership.Role.choices, required=False)
    teams = serializers.ListField(
        child=Reference(queryset=teams_of, kind=_("team")), required=False, max_length=200
    )
