"""Strict serializer fields every API uses, and the example ids of the documentation.

Write serializers only parse and check types (strictly: a number is not a
string, a string is not a number, text must be storable); the rules that
cross objects live in the services the pages use. Public ids are the UUIDs:
``id`` of an object and every reference to another object (``PublicId`` to
write one, ``Reference`` to read one from a request).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.cleaning import TEXT_MAX_LENGTH, Refused, check_choice, check_text, check_uuid
from accounts.fields import message
from accounts.models import Team, User

EXAMPLE_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
EXAMPLE_ID_2 = "8d9e2f4a-1c3b-4e5f-9a7b-6c5d4e3f2a1b"
EXAMPLE_USER = "5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
EXAMPLE_TIME = "2026-03-02T09:30:00+01:00"

# --- Strict fields -------------------------------------------------------------
# Each reads only its own JSON type and checks it with the rules the forms use
# (``accounts.cleaning``), with the same messages.


def refused_as_drf(refused: Refused) -> serializers.ValidationError:
    """A pure check's refusal as a field error (translated, with its code)."""
    return serializers.ValidationError(message(refused), code=refused.code)


class TextField(serializers.CharField):
    """Only JSON strings, and only text that can be stored (no NUL, no lone surrogate),
    at most ``max_length`` characters (``TEXT_MAX_LENGTH`` when not given)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            check_text(data, max_length=None)
        except Refused as refused:
            raise refused_as_drf(refused) from None
        return super().to_internal_value(data)


class EmailField(serializers.EmailField):
    """An e-mail address, as a JSON string of storable text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            check_text(data, max_length=None)
        except Refused as refused:
            raise refused_as_drf(refused) from None
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
    """Only one of the listed strings; anything else is told the choices."""

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[check_choice(data, self.choices)]
        except Refused as refused:
            raise refused_as_drf(refused) from None


class ModelSerializer(serializers.ModelSerializer):
    """A model serializer whose text fields are the strict ``TextField``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
        models.EmailField: EmailField,
    }


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
        "does_not_exist": _("There is no such %(kind)s in this organisation."),
    }

    def __init__(self, *, queryset, kind: str, **kwargs):
        self.queryset_for = queryset
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            code = check_uuid(data)
        except Refused as refused:
            raise refused_as_drf(refused) from None
        organisation = self.context["request"].organisation
        found = self.queryset_for(organisation).filter(uuid=code).first()
        if found is None:
            # Interpolated here: DRF's fail() fills "{name}" placeholders, and the catalogues
            # translate the message with its "%(kind)s".
            message = self.error_messages["does_not_exist"] % {"kind": self.kind}
            raise serializers.ValidationError(message, code="does_not_exist")
        return found

    def to_representation(self, value):
        return str(value.uuid) if value is not None else None


# --- Choices of a Reference: the rows of the request's organisation --------------------


def members_of(organisation):
    """The people of the organisation (a reference to a person is their user id)."""
    return User.objects.filter(memberships__organisation=organisation)


def teams_of(organisation):
    return Team.objects.filter(organisation=organisation)


def owner_field(**kwargs):
    """An optional, nullable reference to a member: the owner of an objective, key result..."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return Reference(
        queryset=members_of, kind=_("person"), help_text="A member's user id.", **kwargs
    )
