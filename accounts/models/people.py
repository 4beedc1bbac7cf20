"""Who: users, organisations (the tenants), memberships and roles, teams, invitations."""

import hashlib
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    NORWEGIAN = "nb", _("Norwegian bokmål")
    ENGLISH = "en", _("English")


class Weekday(models.IntegerChoices):
    # A context keeps these apart from Django's own date names, which our
    # catalogues must not override (Swedish and Norwegian write them in lower case).
    MONDAY = 0, pgettext_lazy("weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday", "Sunday")


class Month(models.IntegerChoices):
    JANUARY = 1, pgettext_lazy("month", "January")
    FEBRUARY = 2, pgettext_lazy("month", "February")
    MARCH = 3, pgettext_lazy("month", "March")
    APRIL = 4, pgettext_lazy("month", "April")
    MAY = 5, pgettext_lazy("month", "May")
    JUNE = 6, pgettext_lazy("month", "June")
    JULY = 7, pgettext_lazy("month", "July")
    AUGUST = 8, pgettext_lazy("month", "August")
    SEPTEMBER = 9, pgettext_lazy("month", "September")
    OCTOBER = 10, pgettext_lazy("month", "October")
    NOVEMBER = 11, pgettext_lazy("month", "November")
    DECEMBER = 12, pgettext_lazy("month", "December")


TIMEZONE_CHOICES = sorted(
    (name, name)
    for name in zoneinfo.available_timezones()
    if "/" in name and not name.startswith("Etc/")
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # E-mail login is case-insensitive: "Vilma@DPAB.example" finds vilma.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with e-mail; may belong to several organisations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=Language.choices,
        blank=True,
        help_text=_("Leave empty to use the organisation's language."),
    )
    email_digest = models.BooleanField(
        _("daily e-mail digest"),
        default=True,
        help_text=_("At most one e-mail a day with the notifications you have not read yet."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name or self.email).split(" ")[0]


class Organisation(models.Model):
    """The tenant. Everything an organisation owns hangs from one of these."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SWEDISH
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Stockholm"
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default="SE",
        help_text=_("Two-letter country code, used to flag reviews on public holidays."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"), choices=Month.choices, default=Month.JANUARY
    )
    review_every_weeks = models.PositiveSmallIntegerField(
        _("review every (weeks)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    review_weekday = models.PositiveSmallIntegerField(
        _("review weekday"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    reminders_enabled = models.BooleanField(_("send check-in reminders"), default=True)
    # The personal OKR pilot (okr.personal): people write their own OKRs under their team's.
    personal_okrs = models.BooleanField(
        _("personal OKRs (pilot)"),
        default=False,
        help_text=_(
            "People write their own objectives under their team's. Everyone reads them; "
            "they never count in a team's progress or score."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Deletion (accounts/deletion): an admin asked for it; every row goes at ``deletion_due_at``
    # unless an admin undoes it first. Both times set, or neither.
    deletion_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    deletion_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who asked (the audit log keeps their name too). DO_NOTHING without a database
    # constraint: no SET_NULL of either kind is possible here, as the audit log's DB_CASCADE
    # to this model and the Python CASCADEs of every other model cannot be mixed on it
    # (fields.E323); a requester whose account is gone reads as None (``requested_by``).
    deletion_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        indexes = [
            # The deletion job: WHERE deletion_due_at <= now (only the few pending ones).
            models.Index(
                fields=["deletion_due_at"],
                name="organisation_deletion_due_idx",
                condition=Q(deletion_due_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deletion_requested_at__isnull=True, deletion_due_at__isnull=True)
                | Q(deletion_requested_at__isnull=False, deletion_due_at__isnull=False),
                name="organisation_deletion_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="organisation_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_every_weeks__gte=1, review_every_weeks__lte=8),
                name="organisation_review_every_weeks_1_8",
            ),
            models.CheckConstraint(
                condition=Q(review_weekday__gte=0, review_weekday__lte=6),
                name="organisation_review_weekday_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def deletion_pending(self) -> bool:
        """Whether an admin asked for the deletion and nobody undid it (accounts/deletion)."""
        return self.deletion_due_at is not None


class Membership(models.Model):
    """A user's place in an organisation. Roles nest: admin > leadership > member."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        LEADERSHIP = "leadership", _("Leadership")
        MEMBER = "member", _("Member")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("title"), max_length=120, blank=True)
    #: The bell's number: kept by okr/conversation whenever this person's notifications in
    #: this organisation change, so a page shows it from the membership it loads anyway.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Also the index for "resolve the membership of this request".
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "leadership", "member"]),
                name="membership_role_valid",
            ),
        ]
        indexes = [
            # The organisation picker: "which organisations is this user in?"
            models.Index(fields=["user", "organisation"], name="membership_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_leadership(self) -> bool:
        """Leadership powers: set strategic OKRs, approve, run reviews. Admins have them too."""
        return self.role in (self.Role.ADMIN, self.Role.LEADERSHIP)


class Team(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", blank=True
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "organisation", name="team_name_unique_in_organisation"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="team_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="team_memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique")
        ]
        indexes = [
            # "Which teams do I lead / belong to?" on every workshop and check-in page.
            models.Index(fields=["user", "team"], name="team_membership_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} in {self.team}{' (lead)' if self.is_lead else ''}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mail invitation to join an organisation. Only the token's hash is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organisation; resend reuses it.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(accepted_at__isnull=False, revoked_at__isnull=False),
                name="invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ApiToken(models.Model):
    """A personal API token for one organisation. Only the secret's sha256 is stored.

    The token a person copies is ``okr_<prefix>_<secret>``: the prefix finds the
    row, the secret's hash proves it. The whole token is shown once, when made.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # Also the index for "find the token of this request" (unique).
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(prefix=""), name="api_token_prefix_not_empty"),
            models.CheckConstraint(
                condition=Q(secret_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_is_sha256"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_empty"),
        ]
        indexes = [
            # The tokens page: "my tokens", newest first.
            models.Index(fields=["user", "-created_at"], name="api_token_user_idx"),
            # Removing a member revokes their tokens for that organisation.
            models.Index(fields=["organisation", "user"], name="api_token_org_user_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"
