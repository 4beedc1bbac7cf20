"""Pages outside any organisation: sign in and out, pick or create an organisation, join by invitation, profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services, views_signup
from accounts.forms import (
    EmailAuthenticationForm,
    OrganisationCreateForm,
    ProfileForm,
    SignUpForm,
)
from accounts.middleware import CHOSEN_LANGUAGE, supported, use_language, user_language
from accounts.models import Invitation, Membership, User
from accounts.redirects import SafeNextMixin, drop_unsafe_next
from accounts.settings_forms import add_service_error


class LoginView(SafeNextMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Sign in; a language picked on the pages before is saved to the account."""
        chosen = self.request.session.pop(CHOSEN_LANGUAGE, None)
        response = super().form_valid(form)  # login() keeps the visitor's session data
        user = form.get_user()
        if chosen in supported() and chosen != user.language:
            user.language = chosen
            user.save(update_fields=["language"])
        return response


@require_POST
def set_language(request):
    """Django's ``set_language``, and the choice kept for the account.

    A visitor's choice waits in the session until they sign in (``LoginView``);
    a signed-in user's is saved at once.
    """
    drop_unsafe_next(request)
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if language in supported():
        if request.user.is_authenticated:
            if request.user.language != language:
                request.user.language = language
                request.user.save(update_fields=["language"])
        else:
            request.session[CHOSEN_LANGUAGE] = language
    return response


def _remember_language(response, language: str) -> None:
    """The language cookie follows the account's choice, so the sign-in page speaks it next time."""
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password-reset-body.txt"
    html_email_template_name = "emails/password-reset-body.html"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def home(request):
    """Where a signed-in user lands: their only organisation, or a picker."""
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if len(memberships) == 1 and not request.GET.get("pick"):
        return redirect("okr:home", memberships[0].organisation.slug)
    pending = Invitation.objects.filter(
        email__iexact=request.user.email, accepted_at=None, revoked_at=None
    ).select_related("organisation")
    return render(
        request,
        "accounts/pick.html",
        {"memberships": memberships, "pending": [i for i in pending if i.is_open]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    initial = {"language": request.LANGUAGE_CODE, **views_signup.wanted_organisation(request)}
    form = OrganisationCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                user=request.user,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                language=form.cleaned_data["language"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except services.ServiceError as exc:  # the address was taken at the same moment
            add_service_error(form, str(exc))
            return render(request, "accounts/organisation_new.html", {"form": form})
        request.session.pop(views_signup.ORGANISATION_WANTED, None)
        messages.success(
            request, _("Welcome to %(name)s. You are its admin.") % {"name": organisation.name}
        )
        return redirect("okr:home", organisation.slug)
    return render(request, "accounts/organisation_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The message is in the language just chosen, like the page it appears on.
        use_language(request, user_language(user) or settings.LANGUAGE_CODE)
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


_INVITATION_PROBLEMS = {
    "accepted": gettext_lazy("This invitation has already been used."),
    "revoked": gettext_lazy("This invitation has been withdrawn."),
    "expired": gettext_lazy("This invitation has expired. Ask for a new one."),
    "wrong_user": gettext_lazy(
        "This invitation was sent to another e-mail address. Sign out and open the link again."
    ),
}


def _invitation_refused(request, invitation, problem, status: int = 410):
    """The invitation page saying why it cannot be used: 410 gone, 403 for another account."""
    return render(
        request,
        "accounts/invitation.html",
        {"problem": problem, "invitation": invitation},
        status=status,
    )


def _accept_problem(exc: services.ServiceError) -> str:
    return _INVITATION_PROBLEMS.get(str(exc), _("This invitation cannot be used."))


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Accept an invitation: sign in (or create an account) and join."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(
            request,
            "accounts/invitation.html",
            {"problem": _("This invitation link is not valid.")},
            status=404,
        )
    if not invitation.is_open:
        if (
            invitation.state == "accepted"
            and request.user.is_authenticated
            and Membership.objects.filter(
                organisation=invitation.organisation, user=request.user
            ).exists()
        ):
            # Opened again by someone who is already in: just take them there.
            return redirect("okr:home", invitation.organisation.slug)
        return _invitation_refused(
            request, invitation, _INVITATION_PROBLEMS.get(invitation.state, "")
        )

    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None and not existing.is_active and existing.last_login is None:
        # Signed up but never confirmed: the invitation link proves the address too, so
        # they set their password here (user_create confirms that account).
        existing = None
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email.lower():
        return _invitation_refused(
            request, invitation, _INVITATION_PROBLEMS["wrong_user"], status=403
        )

    form = None
    if user is None and existing is None:
        form = SignUpForm(request.POST or None, email=invitation.email)

    if request.method == "POST":
        if user is None and existing is not None:
            # They have an account: sign in first, then come back here.
            return redirect(f"{reverse_lazy('accounts:login')}?next={request.path}")
        if user is None:
            if not form.is_valid():
                return render(
                    request, "accounts/invitation.html", {"invitation": invitation, "form": form}
                )
            try:
                with transaction.atomic():
                    user = services.user_create(
                        email=invitation.email,
                        password=form.cleaned_data["password"],
                        name=form.cleaned_data["name"],
                        language=form.cleaned_data["language"],
                        address_proven=True,
                    )
                    services.invitation_accept(invitation=invitation, user=user)
            except services.ServiceError as exc:
                if str(exc) == "email_taken":
                    # An account for this address appeared meanwhile (a double submit).
                    return redirect(f"{reverse_lazy('accounts:login')}?next={request.path}")
                # The invitation was used, withdrawn or expired while the form was open.
                return _invitation_refused(request, invitation, _accept_problem(exc))
            except IntegrityError:
                # An account for this address appeared meanwhile (a double submit): sign in instead.
                return redirect(f"{reverse_lazy('accounts:login')}?next={request.path}")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except services.ServiceError as exc:
                return _invitation_refused(request, invitation, _accept_problem(exc))
        messages.success(
            request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("okr:home", invitation.organisation.slug)

    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "needs_login": user is None and existing is not None,
        },
    )
