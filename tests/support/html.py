"""Reading the HTML a page answers with: its text, and whether a form field is marked invalid."""

import html
import re


def body(response) -> str:
    """The page's HTML as text."""
    return response.content.decode()


def text_of(response) -> str:
    """The page's HTML with its entities decoded (&#x27; → '), to look for a message in it."""
    return html.unescape(response.content.decode())


def marked_invalid(html: str, field: str) -> bool:
    """Whether the form control named ``field`` carries aria-invalid="true" (in either attribute order)."""
    return bool(
        re.search(rf'<[^>]*\bname="{field}"[^>]*\baria-invalid="true"', html)
        or re.search(rf'<[^>]*\baria-invalid="true"[^>]*\bname="{field}"', html)
    )
