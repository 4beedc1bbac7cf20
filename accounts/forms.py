"""Forms for signing in, joining, creating an organisation and one's profile."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Organisation, User

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
    "favicon.ico",
    "robots.txt",
}


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class OrganisationCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "language", "timezone"]
        help_texts = {
            "slug": _("Used in the web address of the organisation. Letters, digits and hyphens.")
        }

    def clean_slug(self):
        slug = slugify(self.cleaned_data["slug"])
        if not slug:
            raise forms.ValidationError(_("Enter an address of letters, digits or hyphens."))
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("That address is reserved. Choose another."))
        if Organisation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("That address is taken. Choose another."))
        return slug


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]


class SignUpForm(forms.Form):
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
    """Sign up without an invitation (to create one's own organisation)."""

    email = forms.EmailField(label=_("E-mail"))
    field_order = ["name", "email", "password", "language"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account for this e-mail. Sign in instead.")
            )
        self.email = email
        return email
