"""The kitchen board: a read-only wall screen of the OKRs, opened by a secret link (no sign-in).

``selectors`` (the board, the links, the link of a secret), ``services`` (make,
revoke, note a link as seen), ``views`` (the public board and the admins'
settings page), ``api`` + ``serializers`` (the links in the API), ``urls`` (the
public ``/board/<secret>/``). The model is ``okr.models.BoardLink``.
"""
