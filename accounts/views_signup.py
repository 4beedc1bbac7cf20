"""Sign-up pages: the form, "check your e-mail", and the link that creates the organisation.

``accounts.signup`` keeps the rules: nothing is created until the address is confirmed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import signup
from accounts.forms import RegisterForm
from accounts.services import ServiceError
from accounts.settings_forms import add_service_error

#: Session key: the organisation whose address was taken while the link was in the mail.
ORGANISATION_WANTED = "organisation_wanted"
#: Session key: where the confirmation link was sent (for the "check your e-mail" page).
SENT_TO = "signup_sent_to"

#: The time zone offered first to someone signing up in a language.
LIKELY_TIMEZONE = {"sv": "Europe/Stockholm", "nb": "Europe/Oslo"}

PROBLEMS = {
    signup.INVALID: gettext_lazy(
        "This link is not valid. Copy the whole link from the e-mail, or sign up again."
    ),
    signup.EXPIRED: gettext_lazy("This link has expired. Sign up again to get a new one."),
    signup.USED: gettext_lazy("This link has already been used. Sign in with your password."),
    signup.REPLACED: gettext_lazy(
        "A newer link was sent to this address. Use the one in the latest e-mail."
    ),
}


@require_http_methods(["GET", "POST"])
def register(request):
    """Sign up: an account and its organisation, created once the e-mail address is confirmed."""
    if request.user.is_authenticated:
        return redirect("accounts:organisation_new")
    initial = {
        "language": request.LANGUAGE_CODE,
        "timezone": LIKELY_TIMEZONE.get(request.LANGUAGE_CODE, settings.TIME_ZONE),
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            signup.start(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                organisation=form.organisation_wanted(),
            )
        except ServiceError as exc:  # an account for the address appeared meanwhile
            add_service_error(form, str(exc))
            return render(request, "accounts/register.html", {"form": form})
        request.session[SENT_TO] = form.cleaned_data["email"]
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form})


@require_GET
def register_sent(request):
    """Check your e-mail: the link there creates the organisation."""
    return render(
        request,
        "accounts/register_sent.html",
        {"email": request.session.get(SENT_TO, ""), "days": settings.SIGNUP_CONFIRMATION_DAYS},
    )


@require_GET
def register_confirm(request, token):
    """The link from the e-mail: confirm the address, create the organisation, sign in."""
    try:
        confirmed = signup.confirm(token)
    except signup.SignupProblem as problem:
        if problem.code == signup.USED and request.user == problem.user:
            # Opened again by the same person, already in: take them to their organisation.
            return redirect("accounts:home")
        status = 404 if problem.code == signup.INVALID else 410
        return render(
            request,
            "accounts/register_confirm.html",
            {"problem": PROBLEMS[problem.code], "code": problem.code},
            status=status,
        )
    login(request, confirmed.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SENT_TO, None)
    organisation = confirmed.organisation
    if organisation is None:
        # Its address was taken while the link was in the mail: the person picks another.
        request.session[ORGANISATION_WANTED] = confirmed.wanted
        messages.warning(
            request,
            _(
                "Your e-mail address is confirmed. The address %(slug)s was taken meanwhile: choose another."
            )
            % {"slug": confirmed.wanted.get("slug", "")},
        )
        return redirect("accounts:organisation_new")
    messages.success(
        request,
        _("Your e-mail address is confirmed. Welcome to %(name)s: you are its admin.")
        % {"name": organisation.name},
    )
    return redirect("okr:home", organisation.slug)


def wanted_organisation(request) -> dict:
    """The organisation a confirmed sign-up could not create: the new-organisation form's start."""
    wanted = request.session.get(ORGANISATION_WANTED) or {}
    return {key: wanted[key] for key in ("name", "language", "timezone") if wanted.get(key)}
