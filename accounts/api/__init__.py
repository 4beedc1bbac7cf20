"""The REST API's shared ground and the accounts endpoints.

``base`` (the organisation-scoped view base, error answers, schema helpers),
``authentication``, ``permissions``, ``pagination``, ``fields`` and ``filters``
are used by every feature's API (okr, alignment); ``views``, ``serializers`` and
``urls`` serve the organisation, its teams, members and invitations.
"""
