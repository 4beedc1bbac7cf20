"""Browser tests share the DPAB demo on the live server."""

from tests.support.browser import demo  # noqa: F401  (a fixture)
