"""Spreadsheets for the import's tests: CSV text and XLSX built with openpyxl."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER_EN = [
    "Team", "Quarter", "Objective", "Why", "Parent objective", "Key result", "Kind", "Unit",
    "Start", "Target", "Owner", "Commitment",
]  # fmt: skip
HEADER_SV = [
    "Team", "Kvartal", "Mål", "Varför", "Överordnat mål", "Nyckelresultat", "Typ", "Enhet",
    "Start", "Målvärde", "Ägare", "Åtagande",
]  # fmt: skip
HEADER_NB = [
    "Team", "Kvartal", "Mål", "Hvorfor", "Overordnet mål", "Nøkkelresultat", "Type", "Enhet",
    "Start", "Målverdi", "Eier", "Forpliktelse",
]  # fmt: skip


def csv_bytes(rows, header=HEADER_EN, delimiter=";", bom=False) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows, header=HEADER_EN) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(
    objective="Väx i Norge",
    key_result="10 nya kunder",
    *,
    team="Growth",
    quarter="",
    why="",
    parent="",
    kind="metric",
    unit="st",
    start="0",
    target="10",
    owner="",
    commitment="",
):
    return [
        team, quarter, objective, why, parent, key_result, kind, unit, start, target, owner,
        commitment,
    ]  # fmt: skip
