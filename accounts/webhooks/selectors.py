"""Reads of the webhook settings: an organisation's endpoints, one by its public id, its log.

The settings pages (``views``) and the API (``api``) read through these, so both show the
same rows in the same order.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import get_for_org
from accounts.models import WebhookDelivery, WebhookEndpoint


def endpoints_of(organisation) -> QuerySet:
    """The organisation's endpoints, oldest first (the model's order), with who made each."""
    return WebhookEndpoint.objects.filter(organisation=organisation).select_related("created_by")


def get_endpoint_for_user(request, code) -> WebhookEndpoint:
    """An endpoint of the request's organisation by its public id; 404 for missing and not-yours."""
    queryset = WebhookEndpoint.objects.select_related("organisation", "created_by")
    return get_for_org(request, queryset, code)


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet:
    """The endpoint's delivery log, newest first (index webhook_delivery_log_idx)."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .order_by("-created_at", "-id")
    )


def delivery_of(event, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The one delivery of ``event`` to ``endpoint`` (unique per event and endpoint)."""
    return WebhookDelivery.objects.select_related("event").get(event=event, endpoint=endpoint)
