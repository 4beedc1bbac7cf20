"""Language: the user's own choice, else their organisation's; for visitors the browser's.

Inside an organisation (``/<org_slug>/...``) the access helper switches to that
organisation's language when the user has chosen none (see accounts.access).
Outside one (profile, tokens, the organisation picker) such a user reads the
language of their first organisation (``process_view``). A visitor reads the
language chosen on the page (the cookie), else the browser's, else Swedish; the
choice is saved to the account they sign in to (``accounts.views``).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from accounts.models import Membership

#: Session key: the language a visitor picked on a page before signing in.
CHOSEN_LANGUAGE = "chosen_language"


def supported() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def organisation_language(user) -> str | None:
    """The language of the user's first organisation (by name), if they are in one."""
    language = (
        Membership.objects.filter(user=user)
        .order_by("organisation__name")
        .values_list("organisation__language", flat=True)
        .first()
    )
    return language if language in supported() else None


def user_language(user) -> str | None:
    """The user's own language, else their first organisation's; None when they have neither."""
    if user.language in supported():
        return user.language
    return organisation_language(user)


def use_language(request, language: str) -> None:
    """Switch the rest of this request to ``language``."""
    translation.activate(language)
    request.LANGUAGE_CODE = language


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        own = None
        if user is not None and user.is_authenticated and user.language in supported():
            own = user.language
        use_language(request, own or self._from_browser(request))
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Outside an organisation, a user without a language of their own reads their organisation's.

        Inside one the access helper sets that organisation's language: no look-up here.
        """
        user = getattr(request, "user", None)
        if "org_slug" in view_kwargs or user is None or not user.is_authenticated:
            return None
        if user.language not in supported():
            language = organisation_language(user)
            if language:
                use_language(request, language)
        return None

    def _from_browser(self, request) -> str:
        """The language chosen on a page (cookie), else the browser's first supported one.

        "no" and "nn" read bokmål.
        """
        languages = supported()
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in languages:
            return cookie
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        for code, _quality in parse_accept_lang_header(header):
            base = code.split("-")[0].lower()
            if base in {"no", "nn"}:
                base = "nb"
            if base in languages:
                return base
        return settings.LANGUAGE_CODE
