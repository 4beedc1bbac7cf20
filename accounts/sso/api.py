"""The organisation's single sign-on settings in the API: ``/api/v1/<org>/sso/`` (admins).

Read without the secret (``has_client_secret`` says whether one is stored); write
with PATCH: only the fields sent change, and a ``client_secret`` sent is stored
encrypted and never returned. The same rules and messages as the settings page
(``accounts.sso.cleaning``, ``accounts.sso.services.sso_configure``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers

from accounts import outbound
from accounts.api.base import Conflict, OrganisationAPI, rename_errors, responses
from accounts.api.fields import BoolField, TextField, refused_as_drf
from accounts.cleaning import Refused
from accounts.models import SsoConfiguration
from accounts.policy import Action
from accounts.sso import cleaning, provider, services

SSO_EXAMPLE = {
    "configured": True,
    "issuer": "https://login.microsoftonline.com/0f1e2d3c-4b5a-6978-8a9b-acbdcedf0123/v2.0",
    "client_id": "6c1f9a52-okr",
    "has_client_secret": True,
    "domains": ["dpab.se"],
    "enabled": True,
    "require_sso": False,
    "callback_url": "https://okr.example.com/accounts/sso/callback/",
    "last_problem": None,
}


@extend_schema_serializer(
    examples=[OpenApiExample("Entra ID for dpab.se", response_only=True, value=SSO_EXAMPLE)]
)
class SsoSerializer(serializers.Serializer):
    configured = serializers.BooleanField(help_text="False until an admin saves the settings.")
    issuer = serializers.CharField(help_text="The provider's issuer URL.")
    client_id = serializers.CharField()
    has_client_secret = serializers.BooleanField(
        help_text="Whether a client secret is stored. The secret itself is never returned."
    )
    domains = serializers.ListField(child=serializers.CharField())
    enabled = serializers.BooleanField()
    require_sso = serializers.BooleanField(
        help_text="Members cannot sign in with a password, only through the provider."
    )
    callback_url = serializers.CharField(help_text="The redirect URI to register at the provider.")
    last_problem = serializers.CharField(
        allow_null=True, help_text="The last failed sign-in's reason, for the admin."
    )


def _checked(check, value):
    try:
        return check(value)
    except Refused as refused:
        raise refused_as_drf(refused) from None


def _exactly(pattern: str, message: str):
    return lambda value: cleaning.matching(value, pattern, message)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Connect a provider",
            request_only=True,
            value={
                "issuer": SSO_EXAMPLE["issuer"],
                "client_id": "6c1f9a52-okr",
                "client_secret": "the secret from the provider",
                "domains": ["dpab.se"],
                "enabled": True,
            },
        ),
        OpenApiExample("Require single sign-on", request_only=True, value={"require_sso": True}),
    ]
)
class SsoWriteSerializer(serializers.Serializer):
    # Not trimmed: the schema's patterns say exactly what is taken.
    issuer = TextField(
        max_length=500,
        trim_whitespace=False,
        help_text="https://… (http only for localhost and 127.0.0.1). Its discovery document "
        "is read from /.well-known/openid-configuration under it. It, and the token and key "
        "set endpoints the document names, must be on the public internet: a host resolving "
        "to a loopback, private or link-local address is 400.",
    )
    client_id = TextField(max_length=255, trim_whitespace=False)
    client_secret = TextField(
        max_length=1000,
        trim_whitespace=False,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Stored encrypted, never returned. Leave out (or empty) to keep the stored one.",
    )
    domains = serializers.ListField(
        child=TextField(max_length=253, trim_whitespace=False),
        required=False,
        max_length=cleaning.MAX_DOMAINS,
        help_text="E-mail domains whose people sign in through this provider, like example.com. "
        "Left out: unchanged.",
    )
    enabled = BoolField(required=False, help_text="Left out: unchanged.")
    require_sso = BoolField(
        required=False,
        help_text="Only with single sign-on on, and once someone has signed in through these "
        "provider settings (409 before). Left out: unchanged, but off when `enabled` is false.",
    )

    # The exact rules (``accounts.sso.cleaning``); the ones between fields say that turning
    # single sign-on on takes a secret and a domain, and requiring it takes it on.
    schema_rules = {
        "properties": {
            "issuer": {"pattern": cleaning.ISSUER_PATTERN},
            "client_id": {"pattern": cleaning.CLIENT_ID_PATTERN},
            "client_secret": {"pattern": cleaning.SECRET_PATTERN},
            "domains": {
                "items": {"type": "string", "maxLength": 253, "pattern": cleaning.DOMAIN_PATTERN}
            },
        },
        "allOf": [
            {
                "anyOf": [
                    {"properties": {"enabled": {"enum": [False]}}},
                    {
                        "required": ["client_secret", "domains"],
                        "properties": {
                            "client_secret": {"minLength": 1},
                            "domains": {"minItems": 1},
                        },
                    },
                ]
            },
            {
                "anyOf": [
                    {"properties": {"require_sso": {"enum": [False]}}},
                    {"required": ["enabled"], "properties": {"enabled": {"enum": [True]}}},
                ]
            },
        ],
    }

    def validate_issuer(self, value):
        try:
            value = cleaning.matching(value, cleaning.ISSUER_PATTERN, cleaning.ISSUER_MESSAGE)
        except Refused as refused:
            _checked(cleaning.check_issuer, value)  # the settings page's reason, when it has one
            raise refused_as_drf(refused) from None
        value = _checked(cleaning.check_issuer, value)
        try:
            outbound.check_url(value)  # public https addresses only (SSRF)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.error_list[0].code) from None
        return value

    def validate_client_id(self, value):
        value = _checked(_exactly(cleaning.CLIENT_ID_PATTERN, cleaning.CLIENT_ID_MESSAGE), value)
        return _checked(cleaning.check_client_id, value)

    def validate_client_secret(self, value):
        return _checked(cleaning.check_client_secret, value)

    def validate_domains(self, value):
        exactly = _exactly(cleaning.DOMAIN_PATTERN, cleaning.DOMAIN_MESSAGE)
        return _checked(cleaning.check_domains, [_checked(exactly, item) for item in value])


def _problem(configuration) -> str | None:
    problem = getattr(configuration, "last_problem", None)
    if not isinstance(problem, dict):
        return None
    return provider.ProviderProblem(problem.get("code", ""), **problem.get("params", {})).message


class SsoViewSet(OrganisationAPI):
    """One object per organisation: its provider."""

    model = SsoConfiguration
    policy_actions = {"*": Action.SSO_MANAGE}
    pagination_class = None
    filter_backends = []
    serializer_class = SsoSerializer

    def _data(self, configuration) -> dict:
        return {
            "configured": configuration is not None,
            "issuer": getattr(configuration, "issuer", ""),
            "client_id": getattr(configuration, "client_id", ""),
            "has_client_secret": bool(configuration and configuration.has_secret),
            "domains": (
                list(configuration.domains.values_list("domain", flat=True))
                if configuration
                else []
            ),
            "enabled": bool(configuration and configuration.enabled),
            "require_sso": bool(configuration and configuration.require_sso),
            "callback_url": self.request.build_absolute_uri(reverse("accounts:sso:callback")),
            "last_problem": _problem(configuration),
        }

    def _answer(self, configuration):
        return self.answer(SsoSerializer, self._data(configuration))

    @extend_schema(
        summary="The organisation's single sign-on (admin)",
        operation_id="sso_retrieve",
        description="The OpenID Connect provider its people sign in through. The client "
        "secret is never returned.",
        responses=responses({200: SsoSerializer}, bad_input=False),
        tags=["organisation"],
    )
    def retrieve(self, request, org_slug):
        return self._answer(services.configuration_for(self.organisation))

    @extend_schema(
        summary="Set up single sign-on (admin)",
        operation_id="sso_partial_update",
        description="`issuer` and `client_id` always; the other fields change only when sent. "
        "A domain another organisation signs in, `enabled` without a secret or a domain, and "
        "`require_sso` with single sign-on off are 400; `require_sso` before anyone signed in "
        "through these provider settings is 409 (`sso_not_proven`).",
        request=SsoWriteSerializer,
        responses=responses({200: SsoSerializer}, conflict=True),
        tags=["organisation"],
    )
    def partial_update(self, request, org_slug):
        data = self.parse(SsoWriteSerializer)
        base = self._data(services.configuration_for(self.organisation))
        enabled = data.get("enabled", base["enabled"])
        try:
            configuration = services.sso_configure(
                organisation=self.organisation,
                author=request.user,
                issuer=data["issuer"],
                client_id=data["client_id"],
                client_secret=data.get("client_secret") or None,
                domains=data.get("domains", base["domains"]),
                enabled=enabled,
                # Turning single sign-on off turns "require" off too, unless it is sent.
                require_sso=data.get("require_sso", base["require_sso"] and enabled),
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        except services.NotProven as exc:
            raise Conflict(detail=str(exc), code="sso_not_proven") from None
        return self._answer(configuration)
