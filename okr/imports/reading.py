"""From an uploaded file to rows of text: CSV (``;`` or ``,``, UTF-8 with or without a
BOM) or XLSX (openpyxl, read-only, values only: formulas are never evaluated). Pure.

Limits: :data:`MAX_BYTES` per file, :data:`MAX_ROWS` rows, :data:`MAX_CELL` characters
per cell; an XLSX whose parts unpack to more than :data:`MAX_UNPACKED` bytes is refused
before openpyxl opens it (a zip bomb). Anything unreadable raises :class:`FileRefused`
with a message to translate, never another exception.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime


def _(text: str) -> str:
    """Mark ``text`` for translation (the caller translates it)."""
    return text


def pgettext(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` (the caller translates it, with ``COLUMN``)."""
    return text


COLUMN = "import column"


MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 20 * 1024 * 1024
MAX_ROWS = 2000
MAX_CELL = 2000
MAX_COLUMNS = 40
MAX_TEXT = 4 * 1024 * 1024  # characters in all cells: bounds what waits for the confirmation

#: The columns, in the template's order: (key, English header as the template writes it).
COLUMNS = (
    ("team", pgettext("import column", "Team")),
    ("quarter", pgettext("import column", "Quarter")),
    ("objective", pgettext("import column", "Objective")),
    ("why", pgettext("import column", "Why")),
    ("parent", pgettext("import column", "Parent objective")),
    ("key_result", pgettext("import column", "Key result")),
    ("kind", pgettext("import column", "Kind")),
    ("unit", pgettext("import column", "Unit")),
    ("start", pgettext("import column", "Start")),
    ("target", pgettext("import column", "Target")),
    ("owner", pgettext("import column", "Owner")),
    ("commitment", pgettext("import column", "Commitment")),
)
REQUIRED = ("objective", "key_result")

#: Header names in English, Swedish and Norwegian (normalised: lower case, no accents
#: folded away, no text in brackets) to the column they mean.
HEADERS = {
    "team": ("team", "lag", "teamet", "laget"),
    "quarter": ("quarter", "kvartal", "period", "cycle", "cykel", "syklus"),
    "objective": ("objective", "mål", "mal", "objektiv", "målsättning"),
    "why": ("why", "varför", "hvorfor", "motivering", "begrunnelse", "description"),
    "parent": (
        "parent objective",
        "parent",
        "strategic objective",
        "överordnat mål",
        "överordnat",
        "strategiskt mål",
        "overordnet mål",
        "overordnet",
        "strategisk mål",
    ),
    "key_result": ("key result", "nyckelresultat", "nøkkelresultat", "kr"),
    "kind": ("kind", "type", "typ", "sort", "slag"),
    "unit": ("unit", "enhet"),
    "start": ("start", "start value", "startvärde", "startverdi", "från", "fra", "from"),
    "target": ("target", "target value", "målvärde", "målverdi", "mål värde", "till", "til", "to"),
    "owner": (
        "owner",
        "ägare",
        "eier",
        "ansvarig",
        "ansvarlig",
        "owner e-mail",
        "e-mail",
        "e-post",
    ),
    "commitment": (
        "commitment",
        "åtagande",
        "forpliktelse",
        "ambition",
        "ambisjon",
        "ambitionsnivå",
        "ambisjonsnivå",
    ),
}
_BY_NAME = {name: key for key, names in HEADERS.items() for name in names}

FILE_TOO_BIG = _("The file is larger than 2 MB: split it into smaller files.")
TOO_MANY_ROWS = _("The file has more than 2,000 rows: split it into smaller files.")
UNREADABLE = _("The file could not be read: upload a CSV file (UTF-8) or an Excel file (.xlsx).")
NOT_UTF8 = _("The CSV file is not UTF-8: save it as “CSV UTF-8” and upload it again.")
NO_HEADER = _(
    "The first row must name the columns: at least “Objective” and “Key result” "
    "(download the template)."
)
EMPTY = _("The file has no rows below the header.")


class FileRefused(Exception):
    """The file as a whole cannot be read; ``message`` is untranslated (see ``_``)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """The rows of a file: ``header`` maps a column key to the header as written;
    each row is ``(row number in the file, {key: text})``."""

    header: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]


def normalise_header(text: str) -> str:
    text = re.sub(r"\(.*?\)|\[.*?\]|[*:]", " ", text.lower())
    return " ".join(text.replace("_", " ").replace("-", " ").split()).replace("e mail", "e-mail")


def _clean(value) -> str:
    """A cell as text: numbers as written, days as YYYY-MM-DD; no NULs, no lone surrogates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()[:10]
    text = str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = "".join(c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc")
    return unicodedata.normalize("NFC", text).strip()[: MAX_CELL + 1]


def _sheet(raw_rows) -> Sheet:
    header: dict[str, str] = {}
    index: dict[int, str] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    total = 0
    for number, raw in enumerate(raw_rows, start=1):
        cells = [_clean(v) for v in list(raw)[:MAX_COLUMNS]]
        if not header:
            if not any(cells):
                continue  # blank lines above the header
            for position, cell in enumerate(cells):
                key = _BY_NAME.get(normalise_header(cell))
                if key and key not in header:
                    header[key] = cell
                    index[position] = key
            if not all(key in header for key in REQUIRED):
                raise FileRefused(NO_HEADER)
            continue
        row = {key: (cells[pos] if pos < len(cells) else "") for pos, key in index.items()}
        total += sum(len(v) for v in row.values())
        if total > MAX_TEXT:
            raise FileRefused(FILE_TOO_BIG)
        if any(row.values()):
            if len(rows) >= MAX_ROWS:
                raise FileRefused(TOO_MANY_ROWS)
            rows.append((number, row))
    if not header:
        raise FileRefused(NO_HEADER)
    if not rows:
        raise FileRefused(EMPTY)
    return Sheet(header, rows)


def read_csv(data: bytes) -> Sheet:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(NOT_UTF8) from None
    if "\x00" in text[:4096] and text.count("\x00") > len(text) // 10:
        raise FileRefused(UNREADABLE)  # UTF-16 or a binary file
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    if "\t" in first and not first.count(delimiter):
        delimiter = "\t"
    csv.field_size_limit(MAX_BYTES)
    try:
        return _sheet(
            csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)
        )
    except csv.Error:
        raise FileRefused(UNREADABLE) from None


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook  # only when someone uploads a workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise FileRefused(FILE_TOO_BIG)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise FileRefused(UNREADABLE) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise FileRefused(EMPTY)
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50, max_col=MAX_COLUMNS)
        return _sheet(rows)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(UNREADABLE) from None
    finally:
        book.close()


def read(name: str, data: bytes) -> Sheet:
    """The rows of an uploaded file, by its content (an XLSX is a zip), else by its name."""
    if len(data) > MAX_BYTES:
        raise FileRefused(FILE_TOO_BIG)
    if not data:
        raise FileRefused(EMPTY)
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if (name or "").lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise FileRefused(UNREADABLE)
    return read_csv(data)
