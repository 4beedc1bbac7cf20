"""Forms for signing in, joining, creating an organisation and one's profile."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form, ModelForm, TextRules
from accounts.models import TIMEZONE_CHOICES, Language, Organisation, User

# Django's label for an empty choice ("- Select an option -"): its own sv and nb catalogues
# lack it, so it is named here for ours (Django looks in LOCALE_PATHS first).
BLANK_CHOICE_LABEL = _("- Select an option -")

RESERVED_SLUGS = {
    "accounts",
    "api",
    "static",
    "media",
    "admin",
    "invitations",
    "i18n",
    "new",
    "settings",
    "login",
    "logout",
    "healthz",
    "board",  # the kitchen board's secret links: /board/<secret>/
    "favicon.ico",
    "robots.txt",
}


class EmailAuthenticationForm(TextRules, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def confirm_login_allowed(self, user):
        """A member of an organisation that requires single sign-on signs in there only."""
        super().confirm_login_allowed(user)
        from accounts.sso.services import password_refusal  # accounts.sso imports this app

        organisation = password_refusal(user)
        if organisation is not None:
            raise forms.ValidationError(
                _(
                    "%(organisation)s requires single sign-on: sign in with “Sign in with "
                    "single sign-on (SSO)” below, not with a password."
                ),
                code="sso_required",
                params={"organisation": organisation.name},
            )


class OrganisationCreateForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "language", "timezone"]
        help_texts = {
            "slug": _("Used in the web address of the organisation. Letters, digits and hyphens.")
        }

    def clean_slug(self):
        return clean_organisation_slug(self.cleaned_data["slug"])


def clean_organisation_slug(text: str) -> str:
    """A free address for a new organisation, or a ``ValidationError`` that says why not."""
    slug = slugify(text)[:60].strip("-")
    if not slug:
        raise forms.ValidationError(_("Enter an address of letters, digits or hyphens."))
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(_("That address is reserved. Choose another."))
    if Organisation.objects.filter(slug=slug).exists():
        raise forms.ValidationError(_("That address is taken. Choose another."))
    return slug


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "email_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty is a choice of its own here: follow the organisation.
        self.fields["language"].choices = [
            ("", _("The organisation's language")),
            *Language.choices,
        ]


class SignUpForm(Form):
    """A new person joining through an invitation: the e-mail comes from the invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The organisation's language"))] + list(Language.choices),
        required=False,
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(
            password, User(email=self.email, name=self.data.get("name", ""))
        )
        return password


class RegisterForm(SignUpForm):
    """Sign up without an invitation: the account, and the organisation it will create.

    Nothing is created until the address is confirmed (``accounts.signup``). The
    person's own language stays empty: they read the organisation's.
    """

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    organisation = forms.CharField(label=_("Name of the organisation"), max_length=200)
    slug = forms.CharField(
        label=_("Address"),
        max_length=60,
        required=False,
        help_text=_(
            "Used in the web address of the organisation. Letters, digits and hyphens. "
            "Leave empty to make one from the name."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("The organisation's language. Each person may choose their own."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"), choices=TIMEZONE_CHOICES, initial="Europe/Stockholm"
    )
    field_order = ["name", "email", "password", "organisation", "slug", "language", "timezone"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        # An account never confirmed may sign up again (the first mail went missing).
        if (
            User.objects.filter(email__iexact=email)
            .exclude(is_active=False, last_login=None)
            .exists()
        ):
            raise forms.ValidationError(
                _("There is already an account for this e-mail. Sign in instead.")
            )
        self.email = email
        return email

    def clean_slug(self):
        return clean_organisation_slug(
            self.cleaned_data.get("slug") or self.cleaned_data.get("organisation", "")
        )

    def organisation_wanted(self) -> dict:
        """What the confirmation link carries: the organisation to create."""
        data = self.cleaned_data
        return {
            "name": data["organisation"],
            "slug": data["slug"],
            "language": data["language"],
            "timezone": data["timezone"],
        }
