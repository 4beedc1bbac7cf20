"""Signed webhooks in the API: endpoints, their secrets, the test event, the delivery log.

``/api/v1/<org_slug>/webhooks/``. Like the settings pages (``views``) it reads through
``selectors`` and writes through ``services``, under the same policy action
(``Action.WEBHOOKS_MANAGE``: admins; other members 403, non-members 404). The secret is
in the answer to making an endpoint and to rotating its secret, never again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, rename_errors, responses
from accounts.api.pagination import StrictOrdering
from accounts.models import WebhookDelivery, WebhookEndpoint
from accounts.policy import Action
from accounts.webhooks import selectors, services
from accounts.webhooks import serializers as s

TAGS = ["webhooks"]


class WebhookViewSet(OrganisationAPI):
    model = WebhookEndpoint
    policy_actions = {"*": Action.WEBHOOKS_MANAGE}
    serializer_class = s.WebhookEndpointSerializer
    filter_backends = [StrictOrdering]
    ordering_fields = ["created_at"]
    ordering = ["created_at"]
    lookup = staticmethod(selectors.get_endpoint_for_user)

    def scoped_queryset(self):
        return selectors.endpoints_of(self.organisation)

    def _reload(self, endpoint) -> WebhookEndpoint:
        return selectors.endpoints_of(self.organisation).get(pk=endpoint.pk)

    def _with_secret(self, endpoint, secret: str, status_code=status.HTTP_200_OK):
        endpoint = self._reload(endpoint)
        endpoint.secret = secret  # the one answer that shows it
        return self.answer(s.WebhookEndpointSecretSerializer, endpoint, status_code)

    @extend_schema(
        summary="The organisation's webhook endpoints (admin)",
        description="Oldest first. The secrets are never listed.",
        responses=responses({200: s.WebhookEndpointSerializer(many=True)}),
        tags=TAGS,
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.WebhookEndpointSerializer)

    @extend_schema(
        summary="Add a webhook endpoint (admin)",
        description="Each event it takes is posted to `url` as JSON, signed with the secret in "
        "this answer (`X-OKR-Signature`), which is shown this once. The address must be https "
        "on the public internet: a private, loopback or link-local address (or a name that "
        "resolves to one), a user name or password in it and other schemes are 400, with the "
        "settings page's messages.",
        request=s.WebhookEndpointWriteSerializer,
        responses=responses({201: s.WebhookEndpointSecretSerializer}),
        tags=TAGS,
    )
    def create(self, request, org_slug):
        data = self.parse(s.WebhookEndpointWriteSerializer)
        try:
            endpoint, secret = services.endpoint_create(
                organisation=self.organisation,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                author=request.user,
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        return self._with_secret(endpoint, secret, status.HTTP_201_CREATED)

    @extend_schema(
        summary="A webhook endpoint (admin)",
        description="Without its secret.",
        responses=responses({200: s.WebhookEndpointSerializer}, bad_input=False),
        tags=TAGS,
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.WebhookEndpointSerializer, self.object)

    @extend_schema(
        summary="Change a webhook endpoint (admin)",
        description="Only the fields sent change. Turning it on (`active`) starts the count "
        "of failures from zero. The address is checked as when it is added.",
        request=s.WebhookEndpointUpdateSerializer,
        responses=responses({200: s.WebhookEndpointSerializer}),
        tags=TAGS,
    )
    def partial_update(self, request, org_slug, code):
        data = self.parse(s.WebhookEndpointUpdateSerializer)
        endpoint = self.object
        try:
            services.endpoint_update(
                endpoint=endpoint,
                url=data.get("url", endpoint.url),
                events=data.get("events", endpoint.events),
                active=data.get("active", endpoint.active),
                description=data.get("description", endpoint.description),
                author=request.user,
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        return self.answer(s.WebhookEndpointSerializer, self._reload(endpoint))

    @extend_schema(
        summary="Rotate the endpoint's secret (admin)",
        description="A new secret at once: the old one stops signing. The new one is in this "
        "answer only.",
        request=None,
        responses=responses({200: s.WebhookEndpointSecretSerializer}, bad_input=False),
        tags=TAGS,
    )
    def rotate(self, request, org_slug, code):
        secret = services.endpoint_rotate_secret(endpoint=self.object, author=request.user)
        return self._with_secret(self.object, secret)

    @extend_schema(
        summary="Send a test event to the endpoint (admin)",
        description="Queues a `ping` event to this endpoint only, also when it is turned off "
        "(to try it first). The answer is its delivery, pending; the delivery log shows how it "
        "went.",
        request=None,
        responses=responses({202: s.WebhookDeliverySerializer}, bad_input=False),
        tags=TAGS,
    )
    def test(self, request, org_slug, code):
        endpoint = self.object
        event = services.endpoint_send_test(endpoint=endpoint, author=request.user)
        delivery = selectors.delivery_of(event, endpoint)
        return self.answer(s.WebhookDeliverySerializer, delivery, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Delete a webhook endpoint (admin)",
        description="With its delivery log; nothing more is sent to it.",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=TAGS,
    )
    def destroy(self, request, org_slug, code):
        services.endpoint_delete(endpoint=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryViewSet(OrganisationAPI):
    """One endpoint's delivery log (the endpoint is the object of the URL)."""

    model = WebhookDelivery
    policy_actions = {"*": Action.WEBHOOKS_MANAGE}
    serializer_class = s.WebhookDeliverySerializer
    filter_backends = []  # always newest first, as on the endpoint's page
    lookup = staticmethod(selectors.get_endpoint_for_user)

    def scoped_queryset(self):
        return selectors.deliveries_of(self.object)

    @extend_schema(
        summary="An endpoint's delivery log (admin)",
        description="Newest first: each event sent to the endpoint, its state, attempts, the "
        "receiver's last answer and error.",
        operation_id="webhooks_deliveries_list",
        responses=responses({200: s.WebhookDeliverySerializer(many=True)}),
        tags=TAGS,
    )
    def list(self, request, org_slug, code):
        return self.paginated(self.get_queryset(), s.WebhookDeliverySerializer)
