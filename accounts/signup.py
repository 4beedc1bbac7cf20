"""Sign-up with a confirmed e-mail address: the organisation exists only once the link is opened.

``start`` keeps the new account inactive (it cannot sign in) and mails a signed,
expiring link that carries the organisation to create. ``confirm`` checks the link,
activates the account and creates the organisation with its creator as admin.

The link stops working when it expires (``SIGNUP_CONFIRMATION_DAYS``), once it has
been used (the account is active), and when a newer sign-up for the same address
replaced it (a new password): its signature covers a fingerprint of that state. A
changed character anywhere breaks the signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import emails
from accounts.models import Organisation, User
from accounts.services import ServiceError, organisation_create

SALT = "accounts.signup"

#: Why a link cannot be used (the page says it in words).
INVALID, EXPIRED, USED, REPLACED = "invalid", "expired", "used", "replaced"


class SignupProblem(Exception):
    def __init__(self, code: str, user: User | None = None):
        super().__init__(code)
        self.code = code
        self.user = user


@dataclass(frozen=True)
class Confirmed:
    user: User
    organisation: Organisation | None  # None: its address was taken meanwhile
    wanted: dict  # the organisation asked for (name, slug, language, timezone)


def max_age() -> timedelta:
    return timedelta(days=settings.SIGNUP_CONFIRMATION_DAYS)


def _fingerprint(user: User) -> str:
    """Changes when the account is confirmed, signs in or gets a new password."""
    state = f"{user.pk}:{user.password}:{user.is_active}:{user.last_login}"
    return salted_hmac(SALT, state, algorithm="sha256").hexdigest()[:24]


def link_token(user: User, organisation: dict) -> str:
    payload = {"u": user.pk, "f": _fingerprint(user), "o": organisation}
    return signing.dumps(payload, salt=SALT, compress=True)


def pending_user(email: str) -> User | None:
    """An account for ``email`` that was signed up for but never confirmed."""
    return User.objects.filter(email__iexact=email, is_active=False, last_login=None).first()


@transaction.atomic
def start(*, email: str, password: str, name: str, organisation: dict) -> str:
    """Keep an inactive account for ``email`` and mail the link; returns the link's token.

    Signing up again with the same address (the mail went missing) sets the new name
    and password and mails a new link; the earlier link stops working.
    """
    email = email.strip().lower()
    user = pending_user(email)
    created = False
    if user is None:
        try:
            with transaction.atomic():  # a savepoint: a double submit may create it first
                user = User.objects.create_user(email=email, password=password, name=name)
                user.is_active = False
                user.save(update_fields=["is_active"])
                created = True
        except IntegrityError:
            # The same address signed up at the same moment: that account is the one, and
            # this is a repeat of its sign-up (below). An active one is the form's error.
            user = pending_user(email)
            if user is None:
                raise ServiceError("email_taken") from None
    if not created:
        user.name = name
        user.set_password(password)
        user.save(update_fields=["name", "password"])
    token = link_token(user, organisation)
    url = settings.SITE_URL + reverse("accounts:register_confirm", args=[token])
    language = organisation.get("language") or settings.LANGUAGE_CODE
    context = {
        "name": name,
        "organisation_name": organisation.get("name", ""),
        "url": url,
        "days": settings.SIGNUP_CONFIRMATION_DAYS,
    }
    transaction.on_commit(
        lambda: emails.send(
            "signup", email, context, language, headers={"Content-Language": language}
        ),
        robust=True,
    )
    return token


def check(token: str) -> tuple[User, dict]:
    """The account and the organisation a link asks for, or ``SignupProblem``."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise SignupProblem(EXPIRED) from None
    except signing.BadSignature:
        raise SignupProblem(INVALID) from None
    if not isinstance(data, dict) or not isinstance(data.get("o"), dict):
        raise SignupProblem(INVALID)
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        raise SignupProblem(INVALID)
    if user.is_active or user.last_login is not None:
        raise SignupProblem(USED, user)
    if not constant_time_compare(str(data.get("f", "")), _fingerprint(user)):
        raise SignupProblem(REPLACED, user)
    return user, data["o"]


@transaction.atomic
def confirm(token: str) -> Confirmed:
    """Activate the account and create its organisation (once: a second call is ``USED``)."""
    user, wanted = check(token)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:  # opened twice at the same moment
        raise SignupProblem(USED, locked)
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    organisation = None
    slug = wanted.get("slug", "")
    if slug and not Organisation.objects.filter(slug=slug).exists():
        try:
            organisation = organisation_create(  # a savepoint of its own
                user=locked,
                name=wanted.get("name") or slug,
                slug=slug,
                language=wanted.get("language") or settings.LANGUAGE_CODE,
                timezone_name=wanted.get("timezone") or settings.TIME_ZONE,
            )
        except ServiceError:  # "slug_taken"
            organisation = None  # taken at this very moment: the person picks another
    return Confirmed(user=locked, organisation=organisation, wanted=wanted)
