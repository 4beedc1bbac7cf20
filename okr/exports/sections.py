"""What the whole-organisation document holds: its sections (one per table) and what it leaves out.

A ``Section`` names a model, the lookup from it to the organisation, the order
its rows are written in (always total, so the same rows give the same bytes in
any database) and the fields it leaves out. Every other concrete field is
written: a foreign key as the public id (UUID) of the row it points to, never a
database id; the organisation itself is implied. New fields on a model are
written without a change here.

``accounts`` and ``okr`` sections are listed below; ``alignment`` adds its own
through ``register`` (``alignment/portability.py``, from its ``AppConfig.ready``),
so okr never imports alignment. The document is written and read in the order of
``sections()``: a row's references point to rows of earlier sections, or to later
ones (and its own) that the importer fills in afterwards.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models

from accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    SsoConfiguration,
    SsoDomain,
    Team,
    TeamMembership,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from okr.models import (
    BoardLink,
    ChatHook,
    ChatMessage,
    CheckIn,
    Comment,
    CommentMention,
    Cycle,
    DigestClaim,
    Initiative,
    KeyResult,
    Notification,
    Objective,
    ObjectiveEvent,
    ParkingLotItem,
    ReminderClaim,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    ReviewTeam,
    Score,
)

FORMAT = "okr-organisation"
VERSION = 1

#: The stored numbers of objectives and key results: the progress engine's output,
#: recomputed by the importer (``okr.objectives.stored.refresh_organisation``).
STORED_NUMBERS = frozenset({"stored_progress", "stored_verdict", "stored_numbers", "numbers_on"})


@dataclass(frozen=True)
class Section:
    """One table of the document: ``name`` is its key, rows are dicts of field values."""

    name: str
    model: type[models.Model]
    #: The lookup from a row to its organisation.
    scope: str = "organisation"
    #: The order rows are written in (total: ties are impossible).
    order: tuple[str, ...] = ("uuid",)
    #: Fields not written (secrets, database ids, numbers the importer recomputes).
    exclude: frozenset[str] = frozenset()
    #: For simple-history tables: the model whose versions these are (``id`` follows ``uuid``).
    history_of: type[models.Model] | None = None
    #: Values the importer makes for fields left out that may not be empty (name, maker).
    fill: tuple[tuple[str, object], ...] = ()

    def fields(self) -> list[models.Field]:
        """The fields written, in a stable order (the row's keys are sorted when written)."""
        skip = {"organisation", *self.exclude}
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in skip and not (self.history_of and f.name == "id")
        ]

    def many_to_many(self) -> list[models.ManyToManyField]:
        """Many-to-many fields kept on the row as lists of ids (their through table is automatic)."""
        return [
            f
            for f in self.model._meta.many_to_many
            if f.remote_field.through._meta.auto_created and f.name not in self.exclude
        ]


@dataclass
class Registry:
    sections: list[Section] = field(default_factory=list)
    #: What the document leaves out, as (table or field, why): written in its header.
    left_out: list[tuple[str, str]] = field(default_factory=list)
    #: Tables of an organisation that are not written, on purpose (the list above says why).
    left_out_models: set[type[models.Model]] = field(default_factory=set)

    def register(
        self, *sections: Section, left_out: tuple[tuple[str, str], ...] = (), models=()
    ) -> None:
        self.left_out_models.update(models)
        names = {s.name for s in self.sections}
        for section in sections:
            if section.name not in names:
                self.sections.append(section)
                names.add(section.name)
        for item in left_out:
            if item not in self.left_out:
                self.left_out.append(item)


REGISTRY = Registry()


def register(*sections: Section, left_out: tuple[tuple[str, str], ...] = (), models=()) -> None:
    """Add sections (after those already known) and what is left out (and its ``models``)."""
    REGISTRY.register(*sections, left_out=left_out, models=models)


def sections() -> list[Section]:
    return list(REGISTRY.sections)


def left_out() -> list[dict]:
    return [{"what": what, "why": why} for what, why in REGISTRY.left_out]


def organisation_fields() -> list[models.Field]:
    """The organisation's own fields written (its settings): no database ids, no deletion."""
    return [
        f
        for f in Organisation._meta.concrete_fields
        if not f.primary_key and not f.is_relation and not f.name.startswith("deletion_")
    ]


def user_section() -> Section:
    return USERS


# --- Values -------------------------------------------------------------------------------------


def encode(value):
    """A value as JSON: times and dates in ISO 8601 (UTC, to the microsecond), decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


# --- The sections of accounts and okr -------------------------------------------------------------

SECRET = "a secret: set it again after importing"

USERS = Section(
    "users",
    User,
    scope="",  # the people the organisation's rows name (see organisation.users_of)
    exclude=frozenset({"password", "is_superuser", "is_staff", "groups", "user_permissions"}),
)

register(
    USERS,
    Section("teams", Team),
    Section("memberships", Membership),
    Section(
        "team_memberships",
        TeamMembership,
        scope="team__organisation",
        order=("team__uuid", "user__uuid"),
    ),
    Section(
        "invitations",
        Invitation,
        exclude=frozenset({"token_hash"}),
        fill=(("token_hash", lambda: secrets.token_hex(32)),),  # a new link nobody knows
    ),
    Section("sso_configurations", SsoConfiguration, exclude=frozenset({"client_secret_encrypted"})),
    Section("sso_domains", SsoDomain, order=("domain",)),
    Section("cycles", Cycle),
    Section("objectives", Objective, exclude=STORED_NUMBERS),
    Section("key_results", KeyResult, exclude=STORED_NUMBERS),
    Section("check_ins", CheckIn),
    Section("initiatives", Initiative),
    Section("objective_events", ObjectiveEvent),
    Section(
        "objective_history",
        Objective.history.model,
        order=("uuid", "history_date", "history_id"),
        history_of=Objective,
    ),
    Section(
        "key_result_history",
        KeyResult.history.model,
        order=("uuid", "history_date", "history_id"),
        history_of=KeyResult,
    ),
    Section(
        "initiative_history",
        Initiative.history.model,
        order=("uuid", "history_date", "history_id"),
        history_of=Initiative,
    ),
    Section("parking_lot_items", ParkingLotItem),
    Section("reviews", Review),
    Section(
        "review_teams",
        ReviewTeam,
        order=("review__uuid", "order", "team__uuid", "name", "id"),
    ),
    Section(
        "review_key_results",
        ReviewKeyResult,
        order=("review__uuid", "order", "key_result__uuid", "title", "id"),
    ),
    Section("review_entries", ReviewEntry),
    Section("reminder_claims", ReminderClaim),
    Section("scores", Score),
    Section("retrospective_notes", RetrospectiveNote),
    Section("comments", Comment),
    Section("comment_mentions", CommentMention, order=("comment__uuid", "user__uuid")),
    Section("digest_claims", DigestClaim),
    Section("notifications", Notification),
    Section("audit_events", AuditEvent),
    models=(
        ApiToken,
        BoardLink,
        WebhookEndpoint,
        WebhookEvent,
        WebhookDelivery,
        ChatHook,
        ChatMessage,
    ),
    left_out=(
        ("users.password", "password hashes: people set a password again or sign in with SSO"),
        ("users.is_staff, users.is_superuser", "rights on the whole site, not the organisation's"),
        ("invitations.token_hash", "the links of pending invitations: send them again"),
        ("sso_configurations.client_secret_encrypted", SECRET),
        ("api_tokens", "personal API tokens (their hashes): people make new ones"),
        ("board_links", "the kitchen board's secret links: make new ones"),
        ("webhook_endpoints", "webhook addresses and signing secrets: add them again"),
        ("webhook_events, webhook_deliveries", "the webhook outbox and its delivery log"),
        ("chat_hooks", "Slack and Teams incoming-webhook addresses (secrets): add them again"),
        ("chat_messages", "the chat outbox"),
        ("organisation.deletion_*", "a pending deletion stays with the database it was asked in"),
        (
            "objectives.stored_*, key_results.stored_*",
            "stored numbers: the importer recomputes them with the progress engine",
        ),
    ),
)
