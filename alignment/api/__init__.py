"""The alignment app's API, by resource: cross-team dependencies (``dependencies``) and the
alignment tree as nested JSON (``tree``, documented by ``tree_schema``).

Mounted with the rest of the API under ``/api/v1/<org_slug>/`` (``alignment/api/urls.py``,
included from okr/urls.py). Built on ``accounts.api.base.OrganisationAPI``: the
organisation of the URL is resolved first (404 for non-members, and for a token made for
another organisation), then the object of a ``code`` through ``alignment.access`` (404 for
another organisation's id, whatever the method), then the role (403), then the input (400
with field errors). Writes go through ``alignment.services``, reads through
``alignment.selectors``, the same functions the pages call.
"""
