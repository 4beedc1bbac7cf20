"""Single sign-on with OpenID Connect, set up per organisation by its admin.

``provider`` talks to the organisation's provider (Authlib, joserfc); ``services`` holds
the writes and the decisions at sign-in (who signs in, who may use a password);
``secrets`` keeps the client secret encrypted; ``views`` and ``api`` are the pages
(sign-in, the provider's return, the settings page) and ``/api/v1/<org>/sso/``.
"""
