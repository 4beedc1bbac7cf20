"""Strict serializer fields every API uses, and the example ids of the documentation.

Write serializers only parse and check types (strictly: a number is not a
string, a string is not a number, text must be storable); the rules that
cross objects live in the services the pages use. Public ids are the UUIDs:
``id`` of an object and every reference to another object (``PublicId`` to
write one, ``Reference`` to read one from a request).
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team, User

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
