"""Reading a spreadsheet into rows (okr.imports.reading): pure, no database."""

from __future__ import annotations

import io
import zipfile

import pytest

from okr.imports import reading
from okr.imports.reading import FileRefused
from tests.okr.imports.sheets import HEADER_NB, HEADER_SV, csv_bytes, row, xlsx_bytes


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_either_delimiter_with_or_without_a_bom(delimiter, bom):
    data = csv_bytes([row(target="1 000,5", start="0")], delimiter=delimiter, bom=bom)
    if delimiter == ",":
        data = data.replace(b"1 000,5", b'"1 000,5"')
    sheet = reading.read("okr.csv", data)
    assert sheet.header["team"] == "Team"
    assert sheet.rows == [
        (
            2,
            {
                "team": "Growth", "quarter": "", "objective": "Väx i Norge", "why": "",
                "parent": "", "key_result": "10 nya kunder", "kind": "metric", "unit": "st",
                "start": "0", "target": "1 000,5", "owner": "", "commitment": "",
            },
        )
    ]  # fmt: skip


@pytest.mark.parametrize("header", [HEADER_SV, HEADER_NB])
def test_swedish_and_norwegian_headers(header):
    sheet = reading.read("okr.csv", csv_bytes([row()], header=header))
    assert set(sheet.header) == {key for key, _t in reading.COLUMNS}
    assert sheet.rows[0][1]["target"] == "10"


def test_xlsx_values_numbers_and_no_formulas():
    data = xlsx_bytes([row(start=0, target=1000.5), row(key_result="=1+1", target="=A1*2")])
    sheet = reading.read("okr.xlsx", data)
    assert sheet.rows[0][1]["start"] == "0"
    assert sheet.rows[0][1]["target"] == "1000.5"
    # A formula is not evaluated: read-only, values only, and no cached value means empty.
    assert sheet.rows[1][1]["target"] in ("", "=A1*2")


def test_blank_rows_are_skipped_and_row_numbers_are_the_files():
    data = csv_bytes([row(), [""] * 12, row(key_result="Två")])
    sheet = reading.read("okr.csv", data)
    assert [number for number, _r in sheet.rows] == [2, 4]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x00\x01\x02\xff\xfe" * 100, reading.NOT_UTF8),
        (b"Team;Quarter\r\nGrowth;2027 Q1\r\n", reading.NO_HEADER),
        (csv_bytes([]), reading.EMPTY),
        (b"", reading.EMPTY),
        ("Objective;Key result\n".encode("utf-16"), reading.NOT_UTF8),
        (b"PK\x03\x04garbage", reading.UNREADABLE),
    ],
)
def test_unreadable_files_are_refused_with_a_message(data, message):
    with pytest.raises(FileRefused) as refused:
        reading.read("okr.csv", data)
    assert refused.value.message == message


def test_nul_bytes_and_surrogates_are_cleaned():
    sheet = reading.read("okr.csv", csv_bytes([row(objective="Väx\x00 i Norge")]))
    assert sheet.rows[0][1]["objective"] == "Väx i Norge"
    assert reading._clean("a\ud800b") == "a?b"
    # A lone surrogate written as UTF-8 bytes is not UTF-8: a clear refusal.
    with pytest.raises(FileRefused) as refused:
        reading.read("okr.csv", csv_bytes([row()]).replace(b"Norge", b"\xed\xa0\x80"))
    assert refused.value.message == reading.NOT_UTF8


def test_a_huge_csv_is_refused():
    data = csv_bytes([row()] * 40000)
    assert len(data) > reading.MAX_BYTES
    with pytest.raises(FileRefused) as refused:
        reading.read("okr.csv", data)
    assert refused.value.message == reading.FILE_TOO_BIG


def test_too_many_rows_are_refused():
    data = csv_bytes([["G", "", "O", "", "", f"K{i}", "", "", "", "", "", ""] for i in range(2001)])
    with pytest.raises(FileRefused) as refused:
        reading.read("okr.csv", data)
    assert refused.value.message == reading.TOO_MANY_ROWS


def test_a_zip_bomb_like_xlsx_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (reading.MAX_UNPACKED + 1))
    data = out.getvalue()
    assert len(data) < reading.MAX_BYTES
    with pytest.raises(FileRefused) as refused:
        reading.read("okr.xlsx", data)
    assert refused.value.message == reading.FILE_TOO_BIG


def test_a_file_named_xlsx_that_is_not_a_zip_is_refused():
    with pytest.raises(FileRefused):
        reading.read("okr.xlsx", b"Objective;Key result\nA;B\n")
