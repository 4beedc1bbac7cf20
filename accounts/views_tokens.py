"""Personal API tokens: make one for an organisation (shown once), see them, revoke them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import tokens
from accounts.fields import Form
from accounts.models import ApiToken, Membership
from accounts.settings_forms import ObjectChoiceField

TEMPLATE = "accounts/tokens.html"


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, such as “Reporting script”."),
    )
    organisation = ObjectChoiceField(label=gettext_lazy("Organisation"))
    expires_in = forms.TypedChoiceField(
        label=gettext_lazy("Expires"),
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
        choices=[
            ("30", gettext_lazy("In 30 days")),
            ("90", gettext_lazy("In 90 days")),
            ("365", gettext_lazy("In a year")),
            ("", gettext_lazy("Never")),
        ],
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = ObjectChoiceField(
            label=gettext_lazy("Organisation"),
            objects=organisations,
            help_text=gettext_lazy("The token works for this organisation only."),
        )
        self.fields["organisation"] = field
        if len(organisations) == 1:
            self.initial.setdefault("organisation", str(organisations[0].uuid))


def _context(request, form, new_token=None, created=None) -> dict:
    return {
        "form": form,
        "tokens": list(
            ApiToken.objects.filter(user=request.user)
            .select_related("organisation")
            .order_by("-created_at", "-id")
        ),
        "new_token": new_token,
        "created": created,
    }


def _organisations(request) -> list:
    return [
        m.organisation
        for m in Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The person's tokens and the form to make one. A new token is shown on this answer only."""
    organisations = _organisations(request)
    form = TokenForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = tokens.token_create(
                user=request.user,
                organisation=data["organisation"],
                name=data["name"],
                expires_in_days=data["expires_in"],
            )
        except tokens.TokenError:
            form.add_error("organisation", _("Choose one of your organisations."))
        else:
            # Rendered, not redirected: the secret must not be stored anywhere to show it later.
            fresh = TokenForm(organisations=organisations)
            return render(request, TEMPLATE, _context(request, fresh, raw, token), status=201)
    return render(request, TEMPLATE, _context(request, form))


@login_required
@require_POST
def token_revoke(request, code):
    token = ApiToken.objects.filter(user=request.user, uuid=code).first()
    if token is None:
        raise Http404
    tokens.token_revoke(token=token, author=request.user)
    messages.success(
        request, _("The token %(name)s was revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("accounts:tokens")
