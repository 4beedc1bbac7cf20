"""The forms a page renders, read as a browser reads them: each form's action and named fields.

The parity tests post what a browser would: they render the page that shows a form,
take its real field names and default values from the HTML (hidden inputs, the
selected option, checked boxes, a textarea's text), and change only what a person
would type or choose. A renamed field then breaks the test instead of passing unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


@dataclass
class PageForm:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every named control, files and boxes too

    def data(self, **typed) -> dict:
        """The values a browser would send, with ``typed`` in place of the defaults.

        Every key of ``typed`` must be a field of the form: a test never invents one.
        """
        unknown = set(typed) - self.names
        assert not unknown, f"{self.action} has no field {unknown}; it has {sorted(self.names)}"
        data: dict = {}
        for name, value in self.fields:
            if name in typed or name == "csrfmiddlewaretoken":
                continue
            data.setdefault(name, []).append(value)
        data = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
        return data | typed


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(
                a.get("action", ""),
                a.get("method", "get").lower(),
                a.get("enctype", "application/x-www-form-urlencoded"),
            )
            self.forms.append(self._form)
            return
        if self._form is None or (tag != "option" and not a.get("name")):
            return
        name = a.get("name", "")
        if tag == "button":  # sent only when it is the one clicked: the test types it
            self._form.names.add(name)
        elif tag == "input":
            self._form.names.add(name)
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_INPUTS or "disabled" in a:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._form.names.add(name)
            self._textarea, self._text = name, []
        elif tag == "select":
            self._form.names.add(name)
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = (a.get("value"), "selected" in a), []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form.fields.append((self._textarea, text[1:] if text[:1] == "\n" else text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            self._options.append(
                (value if value is not None else "".join(self._option_text), selected)
            )
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self._form.fields.extend((self._select, v) for v in chosen)
            self._select = None


def forms_of(html: str) -> list[PageForm]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms


def form_posting_to(response, action: str, where=None) -> PageForm:
    """The page's POST form whose action is the path ``action`` (its query left aside).

    A form without an action posts to the page itself. ``where``: among several such
    forms, the first one it accepts (a reply form carries its comment's id).
    """
    assert response.status_code == 200, (response.status_code, action)
    own = response.request.get("PATH_INFO", "")
    path = urlsplit(action).path
    found = [
        f
        for f in forms_of(response.content.decode())
        if f.method == "post" and (urlsplit(f.action).path or own) == path
    ]
    if where is not None:
        found = [f for f in found if where(f)]
    assert found, f"No form posting to {action} on the page"
    return found[0]


def value_of(form: PageForm, name: str) -> str | None:
    return next((value for field_name, value in form.fields if field_name == name), None)
