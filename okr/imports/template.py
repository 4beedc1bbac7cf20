"""The template to download: the columns in the reader's language and two example rows
from DPAB's story (docs/dpab.md), as CSV (``;``, UTF-8 with a BOM, so Excel opens it
with å, ä and ö) or XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import pgettext

from okr.imports.checking import default_quarter
from okr.imports.reading import COLUMN, COLUMNS
from okr.lib import calendar

MARKETING_OBJECTIVE = "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter"
STRATEGIC = "Kommande år vårt starkaste tillväxtår någonsin"


def rows(organisation) -> list[list[str]]:
    """The header and the example rows."""
    year, quarter = default_quarter(organisation)
    label = f"Q{quarter} {calendar.fiscal_year_label(year, organisation.fiscal_year_start_month)}"
    metric = pgettext("import kind", "metric")
    milestone = pgettext("import kind", "milestone")
    aspirational = pgettext("import commitment", "aspirational")
    return [
        [pgettext(COLUMN, title) for _key, title in COLUMNS],
        [
            "Marknad", label, MARKETING_OBJECTIVE, "", STRATEGIC,
            "Ta fram ett kampanjkoncept färdigt att lansera 1 februari", milestone, "", "", "",
            "mats@dpab.example", aspirational,
        ],
        [
            "Marknad", label, MARKETING_OBJECTIVE, "", "",
            "Nå 1000 beslutsfattare med vårt budskap", metric, "st", "0", "1 000",
            "linnea@dpab.example", aspirational,
        ],
    ]  # fmt: skip


def as_csv(organisation) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows(organisation))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def as_xlsx(organisation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "OKR"
    for row in rows(organisation):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in "ABCDEFGHIJKL":
        sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
