"""Turning the e-mail digest off from the link in the mail: no sign-in, the signed token is enough.

GET shows one button (so a mail scanner following links turns nothing off);
POST turns it off: the button, or a mail program's one-click unsubscribe
(RFC 8058 ``List-Unsubscribe-Post``), which carries no CSRF token.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from accounts import emails
from okr.conversation import digest


@csrf_exempt
def unsubscribe(request, token):
    user = digest.user_of_token(token)
    if user is None:
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    done = request.method == "POST"
    if done:
        digest.digest_off(user)
    membership = user.memberships.select_related("organisation").first()
    language = emails.recipient_language(user, membership.organisation if membership else None)
    with translation.override(language):
        return render(
            request,
            "conversation/unsubscribe.html",
            {"done": done, "person": user, "LANGUAGE_CODE": language},
        )
