"""The REST API (v1): every organisation's data under /api/v1/<org_slug>/..., documented by OpenAPI."""
