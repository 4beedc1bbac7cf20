"""What the OKR features' APIs share: number fields, the OKR list filters, the exception
handler, and the URL map of /api/v1/<org_slug>/ (``urls``). The generic base (views,
permissions, authentication, pagination) lives in ``accounts.api``."""
