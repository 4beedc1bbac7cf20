"""Language: the user's own choice, else the browser's, else Swedish.

Inside an organisation the access helper switches to the organisation's
language when the user has chosen none (see accounts.access).
"""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated and user.language in self.supported:
            language = user.language
        if language is None:
            language = translation.get_language_from_request(request)
            if language not in self.supported:
                # "no", "nn" and "nb-NO" browsers read bokmål; anything else falls back.
                language = "nb" if language and language.split("-")[0] in {"no", "nn"} else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
