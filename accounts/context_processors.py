"""Puts the request's organisation and membership into every template."""


def tenancy(request):
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": getattr(request, "membership", None),
    }
