"""The API's OpenAPI description: drf-spectacular's, with the rules its fields alone cannot say.

Text fields say in a ``pattern`` that they take no NUL (``accounts.cleaning.check_text``
refuses it). A serializer may state rules that span its fields, or narrow a field further than
its type, in ``schema_rules``: JSON Schema keywords added to its request schema.
``properties`` are merged into the fields' own schemas (a ``pattern``, an ``enum``);
every other keyword (``anyOf``, ``allOf``) is added beside them. The rules say what
the serializer's ``validate`` methods check, so a client (and schemathesis) can tell
a request the API takes from one it refuses without sending it.

PATCH bodies are documented as the views read them: whole, not partial
(``SPECTACULAR_SETTINGS["COMPONENT_SPLIT_PATCH"]`` is off), so a field a view
requires is required in its schema too.
"""

from __future__ import annotations

import copy

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance


def not_null(name: str, schema: dict | None = None) -> dict:
    """A JSON Schema: ``name`` is present and not null (a uuid string unless ``schema``)."""
    return {
        "required": [name],
        "properties": {name: schema or {"type": "string", "format": "uuid"}},
    }


def null_or_absent(*names: str, type: str = "string") -> dict:  # noqa: A002 - JSON Schema's word
    """A JSON Schema: each of ``names`` (of JSON ``type`` when given) is left out or null.

    Said as "not a ``type``": OpenAPI 3.0 has no null type.
    """
    return {"properties": {name: {"not": {"type": type}} for name in names}}


#: Request component name -> the rules of its serializer, noted while the schema is made.
_RULES: dict[str, dict] = {}


#: Text the API stores has no NUL (``accounts.cleaning.check_text``; it refuses a lone
#: surrogate too, but a pattern that says so makes schemathesis generate NULs).
STORABLE_TEXT = r"^[^\u0000]*$"


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        from accounts.api.fields import EmailField, TextField

        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, TextField | EmailField)
            and isinstance(schema, dict)
            and schema.get("type") == "string"
        ):
            schema.setdefault("pattern", STORABLE_TEXT)
        return schema

    def resolve_serializer(self, serializer, direction, bypass_extensions=False):
        component = super().resolve_serializer(serializer, direction, bypass_extensions)
        rules = getattr(force_instance(serializer), "schema_rules", None)
        if rules and direction == "request" and component is not None and component.name:
            _RULES[component.name] = rules
        return component


def apply_schema_rules(result, generator, request, public):
    """Add each serializer's ``schema_rules`` to its request component (a postprocessing
    hook, listed after drf-spectacular's enum hook, which would take an ``enum`` in a rule
    for a field's choices)."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, rules in _RULES.items():
        if name not in schemas:
            continue
        schema = schemas[name]
        for keyword, value in copy.deepcopy(rules).items():
            if keyword == "properties":
                for field, narrower in value.items():
                    schema.setdefault("properties", {}).setdefault(field, {}).update(narrower)
            else:
                schema[keyword] = value
    return result
