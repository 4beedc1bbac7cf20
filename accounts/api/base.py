"""The base of every API view, and what every view answers the same way.

``OrganisationAPI`` resolves the organisation of the URL first
(``permissions.OrganisationMember``, through
``accounts.access.get_organisation_for_user``: 404 for non-members), then looks
up the object of a ``code`` through the view's access helper, which searches
only inside that organisation (404 for another organisation's id, whatever the
method), then checks the role (403), then the input (400). ``responses``
documents those answers; ``exception_handler`` writes them; ``schema_hook``
describes the path parameters every organisation URL has.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from accounts import policy
from accounts import services as accounts_services
from accounts.api.pagination import Pagination, StrictOrdering
from accounts.api.parsers import JSONParser
from accounts.api.permissions import ByPolicy, OrganisationMember
from accounts.models import Membership
from accounts.settings_forms import SERVICE_ERRORS

# --- Errors ------------------------------------------------------------------------------


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("That conflicts with the current state.")
    default_code = "conflict"


def exception_handler(exc, context):
    """The services' refusals become API answers: the policy's 403 and 409, field errors 400.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 (Django's check, when DRF reads it).
    ``okr.api.errors.exception_handler`` (the one settings name) adds the OKR services'
    stale edits (409) and hands everything else to this one.
    """
    if isinstance(exc, policy.PolicyError):
        # The same translated message the page shows, before DRF makes it a bare 403.
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and "detail" in response.data
    ):
        response.data.setdefault("code", getattr(exc.detail, "code", exc.default_code))
    return response


def service_error(exc: accounts_services.ServiceError, field_map: dict | None = None):
    """An accounts service refusal as a 400 with the field it concerns."""
    code = str(exc)
    field, message = SERVICE_ERRORS.get(code, (None, _("That did not work.")))
    field = (field_map or {}).get(field, field) or "non_field_errors"
    return exceptions.ValidationError({field: [str(message)]})


def rename_errors(exc: DjangoValidationError, names: dict) -> exceptions.ValidationError:
    """A service's field errors under the names the API uses for those fields."""
    errors = as_serializer_error(exc)
    return exceptions.ValidationError({names.get(k, k): v for k, v in errors.items()})


# --- Documentation helpers ------------------------------------------------------------------


def schema_hook(result, generator, request, public):
    """Describe the two path parameters every organisation URL has (drf-spectacular hook)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                if parameter["name"] == "org_slug":
                    parameter["schema"] = {
                        "type": "string",
                        "pattern": r"^[-a-zA-Z0-9_]+$",
                        "example": "dpab",
                    }
                    parameter["description"] = (
                        "The organisation's address: the same as in its pages' URLs."
                    )
                elif parameter["name"] == "code":
                    parameter["description"] = "The object's id."
    return result


class Problem(serializers.Serializer):
    """An error without field errors: not found, not allowed, a conflict."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


PROBLEM = Problem


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(PROBLEM, description=description)


BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Bad input: each field (or query parameter) that is wrong, with its messages; "
    "`non_field_errors` for the request as a whole.",
    examples=[
        OpenApiExample(
            "Field errors",
            value={"title": ["This field may not be blank."], "target_value": ["Enter a number."]},
            status_codes=["400"],
        )
    ],
)
UNAUTHENTICATED = _problem("No credentials, or a token that is invalid, expired or revoked.")
FORBIDDEN = _problem("A member of the organisation the policy does not allow this.")
NOT_FOUND = _problem(
    "No such organisation for you (you are not a member, or the token is for another "
    "organisation), or no such object in it."
)
THROTTLED = OpenApiResponse(
    PROBLEM,
    description="Too many failed token attempts from this address or for this token: "
    "try again after the `Retry-After` header's seconds.",
)
STALE = _problem(
    "Someone else saved first (the version you sent is old), it is in use, or its state "
    "does not allow this now (a proposed, archived or closed object)."
)


def responses(ok: dict, *, bad_input=True, forbidden=True, conflict=False) -> dict:
    """The documented answers of an operation: ``ok`` and the usual problems."""
    answer = dict(ok)
    if bad_input:
        answer[400] = BAD_INPUT
    answer[401] = UNAUTHENTICATED
    if forbidden:
        answer[403] = FORBIDDEN
    answer[404] = NOT_FOUND
    if conflict:
        answer[409] = STALE
    answer[429] = THROTTLED
    return answer


# --- Base ----------------------------------------------------------------------------------


class OrganisationAPI(GenericViewSet):
    """The organisation is resolved first; an object in the URL is looked up before the method."""

    permission_classes = [IsAuthenticated, OrganisationMember, ByPolicy]
    # The operations the policy decides before the view runs (``ByPolicy``).
    policy_actions: dict = {}
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, StrictOrdering]
    parser_classes = [JSONParser]
    lookup_url_kwarg = "code"
    object_label = "object"

    model = None  # for the schema (drf-spectacular reads the model of the queryset)

    # Each view over objects names its access helper, ``staticmethod(get_<thing>_for_user)``,
    # and defines ``scoped_queryset(self)``: its rows inside ``self.organisation``. Like
    # Django's ListView without a queryset, a view that uses them without naming them is
    # misconfigured.
    lookup = None
    scoped_queryset = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return self.model.objects.none()
        if self.scoped_queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} defines no scoped_queryset().")
        return self.scoped_queryset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.lookup_url_kwarg in kwargs:
            self.object = self.get_object()

    def get_object(self):
        if type(self).lookup is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no access helper (lookup).")
        obj = type(self).lookup(self.request, self.kwargs[self.lookup_url_kwarg])
        self.check_object_permissions(self.request, obj)
        return obj

    @property
    def organisation(self):
        return self.request.organisation

    @property
    def membership(self) -> Membership:
        return self.request.membership

    def paginated(self, queryset, serializer_class, prepare=None):
        queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        if prepare is not None:
            prepare(items)
        data = serializer_class(items, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def parse(self, serializer_class, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, serializer_class, obj, status_code=status.HTTP_200_OK):
        return Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=status_code
        )

    def require(self, action, obj=None):
        """Ask the policy about an object the view found (in the body, say); refusals raise."""
        return policy.require(self.membership, action, obj)
