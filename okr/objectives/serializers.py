"""API representations. Reading and writing use separate serializers.

Write serializers only parse and check types (strictly: a number is not a
string, a string is not a number, text must be storable); the rules that
cross objects live in the services the pages use. Public ids are the UUIDs:
``id`` of an object and every reference to another object.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import TIMEZONE_CHOICES, Invitation, Language, Membership, Organisation, Team
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives.forms import MAX_ABS_VALUE

TIME_ZONES = frozenset(name for name, _label in TIMEZONE_CHOICES)

EXAMPLE_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
EXAMPLE_ID_2 = "8d9e2f4a-1c3b-4e5f-9a7b-6c5d4e3f2a1b"
EXAMPLE_USER = "5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
EXAMPLE_TIME = "2026-03-02T09:30:00+01:00"

# --- Strict fields -------------------------------------------------------------


class TextField(serializers.CharField):
    """Only JSON strings, and only text that can be stored (no lone surrogates, no NUL)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("invalid")
        return super().to_internal_value(data)


class IntField(serializers.IntegerField):
    """Only JSON integers (not "3", not 3.0, not true)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class BoolField(serializers.BooleanField):
    """Only JSON true or false."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class ChoiceField(serializers.ChoiceField):
    """Only one of the listed strings."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


DECIMAL_PATTERN = r"^-?\d{1,12}(\.\d{1,4})?$"
DECIMAL_INPUT_SCHEMA = {
    "oneOf": [
        {"type": "string", "pattern": DECIMAL_PATTERN, "example": "1500.5"},
        {
            "type": "number",
            "minimum": -int(MAX_ABS_VALUE),
            "maximum": int(MAX_ABS_VALUE),
            "example": 1500.5,
        },
    ],
    "description": "A number with at most 12 digits before and 4 after the point, "
    "as a JSON number or a string (exact).",
}


@extend_schema_field(DECIMAL_INPUT_SCHEMA)
class NumberField(serializers.Field):
    """A decimal number as a JSON number (rounded to 4 decimals) or an exact string."""

    default_error_messages = {
        "invalid": _("Enter a number, like 1500 or 12.5."),
        "range": _("Enter a number between -999 999 999 999 and 999 999 999 999."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int | float):
            try:
                number = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
            except InvalidOperation:
                self.fail("invalid")
            if not number.is_finite():
                self.fail("invalid")
        elif isinstance(data, str):
            if not re.fullmatch(r"[-+]?\d{1,12}(\.\d{1,4})?", data.strip()):
                self.fail("invalid")
            number = Decimal(data.strip())
        else:
            self.fail("invalid")
        if abs(number) > MAX_ABS_VALUE:
            self.fail("range")
        return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)

    def to_representation(self, value):
        return format_decimal(value)


def format_decimal(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "12.5"}
)
class NumberOut(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return format_decimal(value)


@extend_schema_field(OpenApiTypes.UUID)
class PublicId(serializers.Field):
    """A reference written as the object's public id, read from an already loaded object."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value.uuid) if value is not None else None

    def get_attribute(self, instance):
        return getattr(instance, self.source, None)


@extend_schema_field(OpenApiTypes.UUID)
class Reference(serializers.Field):
    """An object of the request's organisation, chosen by its public id.

    ``queryset`` is a function of the organisation, so another organisation's
    id reads as "does not exist" (the same as a made-up one).
    """

    default_error_messages = {
        "invalid": _("Enter a valid id."),
        "does_not_exist": _("There is no such %(kind)s in this organisation."),
    }

    def __init__(self, *, queryset, kind: str, **kwargs):
        self.queryset_for = queryset
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        import uuid

        if not isinstance(data, str):
            self.fail("invalid")
        try:
            code = uuid.UUID(data)
        except ValueError:
            self.fail("invalid")
        organisation = self.context["request"].organisation
        found = self.queryset_for(organisation).filter(uuid=code).first()
        if found is None:
            self.fail("does_not_exist", kind=self.kind)
        return found

    def to_representation(self, value):
        return str(value.uuid) if value is not None else None


def _members(organisation):
    from accounts.models import User

    return User.objects.filter(memberships__organisation=organisation)


def _teams(organisation):
    return Team.objects.filter(organisation=organisation)


def _cycles(organisation):
    return Cycle.objects.filter(organisation=organisation)


def _objectives(organisation):
    return Objective.objects.filter(organisation=organisation).select_related("organisation")


def _key_results(organisation):
    return KeyResult.objects.filter(organisation=organisation).select_related(
        "objective", "organisation"
    )


def _owner(**kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return Reference(queryset=_members, kind=_("person"), help_text="A member's user id.", **kwargs)


class Problem(serializers.Serializer):
    """An error without field errors: not found, not allowed, a conflict."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


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
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "vision",
            "mission",
            "language",
            "timezone",
            "country",
            "currency",
            "fiscal_year_start_month",
            "review_every_weeks",
            "review_weekday",
            "reminders_enabled",
            "created_at",
        ]
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
        queryset=_teams,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="The department (another team) this team is part of.",
    )
    leads = serializers.ListField(
        child=Reference(queryset=_members, kind=_("person")), required=False, max_length=500
    )
    members = serializers.ListField(
        child=Reference(queryset=_members, kind=_("person")), required=False, max_length=500
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
    email = serializers.EmailField(max_length=254)
    role = ChoiceField(choices=Membership.Role.choices, required=False)
    teams = serializers.ListField(
        child=Reference(queryset=_teams, kind=_("team")), required=False, max_length=200
    )


# --- Cycles ------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Quarter",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "kind": "quarter",
                "year": 2026,
                "quarter": 1,
                "label": "Q1 2026",
                "parent": EXAMPLE_ID_2,
                "start_date": "2026-01-01",
                "end_date": "2026-03-31",
                "state": "active",
                "closed_at": None,
            },
        )
    ]
)
class CycleSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=Cycle.Kind.choices, read_only=True)
    year = serializers.IntegerField(read_only=True)
    quarter = serializers.IntegerField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)
    parent = serializers.UUIDField(source="parent.uuid", read_only=True, allow_null=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=Cycle.State.choices, read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_serializer(
    examples=[OpenApiExample("Plan next year", request_only=True, value={"year": 2027})]
)
class CycleWriteSerializer(serializers.Serializer):
    year = IntField(
        min_value=2000,
        max_value=2100,
        help_text="The calendar year in which the fiscal year starts; its quarters come with it.",
    )


# --- Objectives --------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Strategic objective",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "cycle": EXAMPLE_ID_2,
                "level": "strategic",
                "team": None,
                "owner": EXAMPLE_USER,
                "title": "Kommande år vårt starkaste tillväxtår någonsin",
                "why": "",
                "status": "approved",
                "parent_objective": None,
                "parent_key_result": None,
                "alignment": "indirect",
                "order": 1,
                "progress": 0.2,
                "version": 3,
                "created_at": EXAMPLE_TIME,
                "updated_at": EXAMPLE_TIME,
            },
        )
    ]
)
class ObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    cycle = PublicId()
    level = serializers.ChoiceField(choices=Objective.Level.choices, read_only=True)
    team = PublicId(allow_null=True)
    owner = PublicId(allow_null=True)
    title = serializers.CharField(read_only=True)
    why = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Objective.Status.choices, read_only=True)
    parent_objective = PublicId(allow_null=True)
    parent_key_result = PublicId(allow_null=True)
    alignment = serializers.ChoiceField(choices=Objective.Alignment.choices, read_only=True)
    order = serializers.IntegerField(read_only=True)
    progress = serializers.FloatField(
        source="progress_value",
        read_only=True,
        allow_null=True,
        help_text="0 to 1 (may pass 1), from the weighted progress of its live key results; "
        "null while no key result has progress.",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change the objective."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Team objective under a strategic key result",
            request_only=True,
            value={
                "cycle": EXAMPLE_ID_2,
                "level": "team",
                "team": EXAMPLE_ID,
                "title": "Fler nöjda kunder i Norge",
                "parent_key_result": EXAMPLE_ID,
                "alignment": "direct",
            },
        )
    ]
)
class ObjectiveCreateSerializer(serializers.Serializer):
    cycle = Reference(
        queryset=_cycles,
        kind=_("cycle"),
        help_text="A year for a strategic objective, a quarter for a team's.",
    )
    level = ChoiceField(choices=Objective.Level.choices)
    team = Reference(
        queryset=_teams,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="Required for a team objective.",
    )
    title = TextField(max_length=300)
    why = TextField(max_length=5000, required=False, allow_blank=True)
    owner = _owner()
    parent_objective = Reference(
        queryset=_objectives, kind=_("objective"), required=False, allow_null=True
    )
    parent_key_result = Reference(
        queryset=_key_results, kind=_("key result"), required=False, allow_null=True
    )
    alignment = ChoiceField(choices=Objective.Alignment.choices, required=False)

    def validate(self, data):
        if data.get("parent_objective") and data.get("parent_key_result"):
            raise serializers.ValidationError(
                {"parent_key_result": [_("Choose a parent objective or a parent key result.")]}
            )
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rename",
            request_only=True,
            value={"version": 3, "title": "Kommande år vårt starkaste tillväxtår någonsin"},
        )
    ]
)
class ObjectiveUpdateSerializer(serializers.Serializer):
    version = IntField(
        min_value=1,
        help_text="The version you read; a newer one on the server answers 409 (someone saved first).",
    )
    title = TextField(max_length=300, required=False)
    why = TextField(max_length=5000, required=False, allow_blank=True)
    owner = _owner()
    parent_objective = Reference(
        queryset=_objectives, kind=_("objective"), required=False, allow_null=True
    )
    parent_key_result = Reference(
        queryset=_key_results, kind=_("key result"), required=False, allow_null=True
    )
    alignment = ChoiceField(choices=Objective.Alignment.choices, required=False)

    def validate(self, data):
        if data.get("parent_objective") and data.get("parent_key_result"):
            raise serializers.ValidationError(
                {"parent_key_result": [_("Choose a parent objective or a parent key result.")]}
            )
        return data


# --- Key results -------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric key result",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "objective": EXAMPLE_ID_2,
                "title": "20MSEK försäljning till nya kunder",
                "kind": "metric",
                "unit": "MSEK",
                "direction": "increase",
                "start_value": "0",
                "target_value": "20",
                "current_value": "4",
                "due_date": None,
                "done": False,
                "steps_total": None,
                "steps_done": None,
                "commitment": "committed",
                "owner": EXAMPLE_USER,
                "weight": "1",
                "current_from_children": False,
                "order": 1,
                "archived": False,
                "confidence": "on_track",
                "last_check_in_at": EXAMPLE_TIME,
                "progress": 0.2,
                "is_pending": False,
                "version": 2,
                "created_at": EXAMPLE_TIME,
                "updated_at": EXAMPLE_TIME,
            },
        )
    ]
)
class KeyResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    objective = PublicId()
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=KeyResult.Kind.choices, read_only=True)
    unit = serializers.CharField(read_only=True)
    direction = serializers.ChoiceField(choices=KeyResult.Direction.choices, read_only=True)
    start_value = NumberOut(allow_null=True)
    target_value = NumberOut(allow_null=True, help_text="null: pending (not known yet).")
    current_value = NumberOut(allow_null=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    done = serializers.BooleanField(read_only=True)
    steps_total = serializers.IntegerField(read_only=True, allow_null=True)
    steps_done = serializers.IntegerField(read_only=True, allow_null=True)
    commitment = serializers.ChoiceField(choices=KeyResult.Commitment.choices, read_only=True)
    owner = PublicId(allow_null=True)
    weight = NumberOut()
    current_from_children = serializers.BooleanField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    archived = serializers.BooleanField(read_only=True)
    confidence = serializers.CharField(
        read_only=True, help_text="The latest check-in's confidence ('' before any check-in)."
    )
    last_check_in_at = serializers.DateTimeField(read_only=True, allow_null=True)
    progress = serializers.FloatField(read_only=True, allow_null=True)
    is_pending = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class KeyResultFieldsSerializer(serializers.Serializer):
    title = TextField(max_length=300)
    kind = ChoiceField(choices=KeyResult.Kind.choices, required=False)
    unit = TextField(max_length=30, required=False, allow_blank=True)
    direction = ChoiceField(choices=KeyResult.Direction.choices, required=False)
    start_value = NumberField(required=False, allow_null=True)
    target_value = NumberField(
        required=False, allow_null=True, help_text="Leave out or null while the target is pending."
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    steps_total = IntField(min_value=1, max_value=100, required=False, allow_null=True)
    commitment = ChoiceField(choices=KeyResult.Commitment.choices, required=False)
    owner = _owner()
    weight = NumberField(required=False, help_text="Above 0, at most 999.99.")

    def validate_weight(self, value):
        if value <= 0 or value > Decimal("999.99") or value != value.quantize(Decimal("0.01")):
            raise serializers.ValidationError(
                _("Enter a weight above 0 and at most 999.99, with at most two decimals.")
            )
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric from 0 to 20 MSEK",
            request_only=True,
            value={
                "objective": EXAMPLE_ID_2,
                "title": "20MSEK försäljning till nya kunder",
                "kind": "metric",
                "unit": "MSEK",
                "start_value": "0",
                "target_value": "20",
                "commitment": "committed",
            },
        )
    ]
)
class KeyResultCreateSerializer(KeyResultFieldsSerializer):
    objective = Reference(queryset=_objectives, kind=_("objective"))


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Set a pending target", request_only=True, value={"version": 2, "target_value": "45"}
        )
    ]
)
class KeyResultUpdateSerializer(KeyResultFieldsSerializer):
    version = IntField(
        min_value=1,
        help_text="The version you read; a newer one on the server answers 409 (someone saved first).",
    )
    title = TextField(max_length=300, required=False)


# --- Check-ins ---------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Check-in",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "key_result": EXAMPLE_ID_2,
                "value": "4",
                "done": None,
                "steps_done": None,
                "confidence": "on_track",
                "note": "Två nya kunder i Norge",
                "author": EXAMPLE_USER,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class CheckInSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    key_result = PublicId()
    value = NumberOut(allow_null=True)
    done = serializers.BooleanField(read_only=True, allow_null=True)
    steps_done = serializers.IntegerField(read_only=True, allow_null=True)
    confidence = serializers.ChoiceField(choices=CheckIn.Confidence.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    author = PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric check-in",
            request_only=True,
            value={
                "key_result": EXAMPLE_ID_2,
                "value": "4",
                "confidence": "on_track",
                "note": "Två nya kunder i Norge",
            },
        ),
        OpenApiExample(
            "Milestone check-in",
            request_only=True,
            value={"key_result": EXAMPLE_ID, "done": True, "confidence": "on_track"},
        ),
    ]
)
class CheckInCreateSerializer(serializers.Serializer):
    key_result = Reference(queryset=_key_results, kind=_("key result"))
    confidence = ChoiceField(choices=CheckIn.Confidence.choices)
    value = NumberField(
        required=False, allow_null=True, help_text="The current value (metric key results)."
    )
    done = BoolField(required=False, allow_null=True, help_text="Milestone key results.")
    steps_done = IntField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Milestones with steps: how many are done.",
    )
    note = TextField(max_length=2000, required=False, allow_blank=True)

    def validate(self, data):
        kr: KeyResult = data["key_result"]
        errors = {}
        if kr.kind == KeyResult.Kind.METRIC:
            if data.get("value") is None:
                errors["value"] = [_("Enter the current value.")]
            for name in ("done", "steps_done"):
                if data.get(name) is not None:
                    errors[name] = [_("A metric key result takes a value.")]
        else:
            if data.get("value") is not None:
                errors["value"] = [_("A milestone takes done or steps done, not a value.")]
            steps = data.get("steps_done")
            if steps is not None and not kr.steps_total:
                errors["steps_done"] = [_("This milestone has no steps.")]
            elif steps is not None and steps > kr.steps_total:
                errors["steps_done"] = [_("At most %(total)s steps.") % {"total": kr.steps_total}]
        if errors:
            raise serializers.ValidationError(errors)
        return data


# --- Initiatives -------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Initiative",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "key_result": EXAMPLE_ID_2,
                "title": "Ringa 50 kunder i Norge",
                "owner": EXAMPLE_USER,
                "status": "in_progress",
                "order": 1,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class InitiativeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    key_result = PublicId()
    title = serializers.CharField(read_only=True)
    owner = PublicId(allow_null=True)
    status = serializers.ChoiceField(choices=Initiative.Status.choices, read_only=True)
    order = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "New initiative",
            request_only=True,
            value={"key_result": EXAMPLE_ID_2, "title": "Ringa 50 kunder i Norge"},
        )
    ]
)
class InitiativeCreateSerializer(serializers.Serializer):
    key_result = Reference(queryset=_key_results, kind=_("key result"))
    title = TextField(max_length=300)
    owner = _owner()


@extend_schema_serializer(
    examples=[OpenApiExample("Done", request_only=True, value={"status": "done"})]
)
class InitiativeUpdateSerializer(serializers.Serializer):
    status = ChoiceField(choices=Initiative.Status.choices)
