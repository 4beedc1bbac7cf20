"""Single sign-on pages: sign in by e-mail domain, the provider's return, the admin's settings.

The flow: ``start`` (the e-mail, then the organisation's provider, with ``state``,
``nonce`` and a PKCE verifier kept in the session) → the provider → ``callback``
(the code exchanged, the ID token verified, the person signed in). The site's CSP
allows forms to post only to itself, so ``start`` answers with a page that goes on
to the provider by a link (and a meta refresh), not with a redirect from the form.

Whatever the provider does, the person gets a page that says what happened, never a
500: "single sign-on for X is not working; ask your admin", while the admin reads the
details on the settings page (``SsoConfiguration.last_problem``).
"""

from __future__ import annotations

import logging
import secrets
import time

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import org_view
from accounts.middleware import CHOSEN_LANGUAGE, supported
from accounts.models import SsoConfiguration
from accounts.policy import Action
from accounts.sso import provider, services
from accounts.sso.forms import SsoEmailForm, SsoSettingsForm

log = logging.getLogger(__name__)

FLOWS = "sso_flows"  # session key: {state: {...}} of the sign-ins under way
FLOW_SECONDS = 600  # a sign-in must come back from the provider within ten minutes
MAX_FLOWS = 5

REFUSALS = {
    "domain": gettext_lazy(
        "%(email)s is not in a domain that %(organisation)s signs in through single sign-on."
    ),
    "not_member": gettext_lazy(
        "There is already an account for %(email)s, and it is not a member of "
        "%(organisation)s. Sign in with your password, or ask an admin of %(organisation)s "
        "for an invitation."
    ),
    "inactive": gettext_lazy("The account for %(email)s is turned off."),
}


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("accounts:sso:callback"))


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _not_working(request, configuration, problem, status=502):
    """The person's page when the provider fails; the admin's details are kept."""
    log.warning("SSO for %s failed: %s", configuration.organisation.slug, problem)
    services.record_problem(configuration, problem)
    message = _(
        "Single sign-on for %(organisation)s is not working at the moment; ask your admin."
    ) % {"organisation": configuration.organisation.name}
    return _sign_in_page(request, SsoEmailForm(), problem=message, status=status)


def _sign_in_page(request, form, *, problem="", status=200):
    context = {"form": form, "problem": problem, "next": request.GET.get("next", "")}
    return render(request, "accounts/sso_login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def start(request):
    """The e-mail first; its domain's provider, if any, signs the person in."""
    form = SsoEmailForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _sign_in_page(request, form, status=400 if request.method == "POST" else 200)
    email = form.cleaned_data["email"]
    configuration = services.configuration_for_email(email)
    if configuration is None:
        form.add_error(
            "email",
            _(
                "Single sign-on is not set up for this e-mail address. Sign in with your "
                "password instead."
            ),
        )
        return _sign_in_page(request, form, status=400)
    try:
        discovery = provider.discover(configuration.issuer)
        services.client_secret(configuration)
    except provider.ProviderProblem as problem:
        return _not_working(request, configuration, problem)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    flows = dict(request.session.get(FLOWS) or {})
    now = time.time()
    flows = {k: v for k, v in flows.items() if now - v.get("started", 0) < FLOW_SECONDS}
    while len(flows) >= MAX_FLOWS:
        flows.pop(min(flows, key=lambda k: flows[k]["started"]))
    flows[state] = {
        "configuration": configuration.pk,
        "nonce": nonce,
        "verifier": verifier,
        "started": now,
        "next": _safe_next(request, request.POST.get("next", "")),
    }
    request.session[FLOWS] = flows
    url = provider.authorization_url(
        discovery,
        client_id=configuration.client_id,
        redirect_uri=_callback_url(request),
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        login_hint=email,
    )
    return render(
        request,
        "accounts/sso_continue.html",
        {"url": url, "organisation": configuration.organisation},
    )


def _refused(request, message: str, status: int = 400):
    return _sign_in_page(request, SsoEmailForm(), problem=message, status=status)


@require_GET
def callback(request):
    """The provider sends the person back here with a code (or an error) and the state."""
    state = request.GET.get("state", "")
    flows = request.session.get(FLOWS) or {}
    flow = None
    if state and state in flows:  # used once: a replayed return finds nothing
        flows = dict(flows)
        flow = flows.pop(state)
        request.session[FLOWS] = flows
    if flow is None or time.time() - flow.get("started", 0) > FLOW_SECONDS:
        return _refused(
            request,
            _(
                "This sign-in could not be completed: it took too long, or it was started in "
                "another browser or window. Start again."
            ),
        )
    configuration = (
        SsoConfiguration.objects.select_related("organisation")
        .filter(pk=flow["configuration"], enabled=True)
        .first()
    )
    if configuration is None:
        return _refused(request, _("Single sign-on is no longer on for this organisation."))
    if request.GET.get("error"):
        return _refused(
            request,
            _("The provider did not sign you in (%(error)s).")
            % {"error": request.GET.get("error", "")[:100]},
            status=403,
        )
    code = request.GET.get("code", "")
    if not code or len(code) > 2000:
        return _refused(request, _("The provider sent no sign-in code. Start again."))
    try:
        discovery = provider.discover(configuration.issuer)
        id_token = provider.exchange(
            discovery,
            client_id=configuration.client_id,
            client_secret=services.client_secret(configuration),
            redirect_uri=_callback_url(request),
            code=code,
            code_verifier=flow["verifier"],
        )
        claims = provider.verify_id_token(
            id_token,
            provider.key_set(discovery),
            issuer=configuration.issuer,
            client_id=configuration.client_id,
            nonce=flow["nonce"],
        )
        email = provider.verified_email(claims)
    except provider.ProviderProblem as problem:
        return _not_working(request, configuration, problem)
    try:
        user = services.sso_person(configuration, email, claims)
    except services.SsoRefused as refusal:
        message = REFUSALS.get(refusal.code, REFUSALS["domain"])
        return _refused(request, str(message) % refusal.params, status=403)
    services.record_problem(configuration, None)
    chosen = request.session.get(CHOSEN_LANGUAGE)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if chosen in supported() and not user.language:
        user.language = chosen
        user.save(update_fields=["language"])
    return redirect(flow.get("next") or reverse("okr:home", args=[configuration.organisation.slug]))


# --- The admin's settings -----------------------------------------------------------------------


def _initial(configuration: SsoConfiguration | None) -> dict:
    if configuration is None:
        return {}
    return {
        "issuer": configuration.issuer,
        "client_id": configuration.client_id,
        "domains": "\n".join(configuration.domains.values_list("domain", flat=True)),
        "enabled": configuration.enabled,
        "require_sso": configuration.require_sso,
    }


def _problem_text(configuration: SsoConfiguration | None) -> str:
    problem = getattr(configuration, "last_problem", None)
    if not isinstance(problem, dict):
        return ""
    return provider.ProviderProblem(problem.get("code", ""), **problem.get("params", {})).message


@org_view(action=Action.SSO_MANAGE)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The organisation's provider: set up, test, turn on, require."""
    org = request.organisation
    configuration = services.configuration_for(org)
    has_secret = configuration is not None and configuration.has_secret
    form = SsoSettingsForm(
        request.POST or None, initial=_initial(configuration), has_secret=has_secret
    )
    test = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif "test" in request.POST:
            test = _test(form.cleaned_data["issuer"])
        else:
            data = form.cleaned_data
            try:
                services.sso_configure(
                    organisation=org,
                    author=request.user,
                    issuer=data["issuer"],
                    client_id=data["client_id"],
                    client_secret=data["client_secret"],
                    domains=data["domains"],
                    enabled=data["enabled"],
                    require_sso=data["require_sso"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            except services.NotProven as exc:
                form.add_error("require_sso", str(exc))
                status = 409
            else:
                messages.success(request, _("The single sign-on settings were saved."))
                return redirect("settings:sso", org.slug)
    context = {
        "form": form,
        "configuration": configuration,
        "callback_url": _callback_url(request),
        "test": test,
        "last_problem": _problem_text(configuration),
    }
    return render(request, "settings/sso.html", context, status=status)


def _test(issuer: str) -> dict:
    try:
        discovery = provider.check(issuer)
    except provider.ProviderProblem as problem:
        return {"ok": False, "message": problem.message}
    return {
        "ok": True,
        "message": _(
            "The provider answered: issuer %(issuer)s, its keys can be read and it signs "
            "with RS256."
        )
        % {"issuer": discovery.issuer},
    }
