"""Tables in: the one reader of rows pasted from a spreadsheet or uploaded as .csv or .xlsx, and of the cells people
type in them (UK or ISO dates; numbers with thousands separators, "%" or "£").

`read_text` takes pasted text, `read_upload` a file as byte chunks (a CSV is read as a stream, never whole into
memory; a workbook is read by openpyxl in read-only mode, its first sheet, each cell's value as Excel last showed
it). Both yield (row number, cells as text) with the spreadsheet's row numbers, blank rows included (callers skip
them), and raise FileRejected for a problem with the whole file. Tab- or comma-separated: the first line decides.

Formula-safe: a workbook's formulas are never read (only the values Excel computed); a text cell is returned as it
is, so a caller that keeps text refuses one starting with = + - @ (`FORMULA_STARTS`), as a spreadsheet could run it.
"""

import csv
import datetime
import io
import math
import re
import zipfile

import openpyxl

from .csvfiles import reader_error

FORMULA_STARTS = ("=", "+", "-", "@")
NOT_A_TABLE = {
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF",
    b"\xff\xfe": "UTF-16 text",
    b"\xfe\xff": "UTF-16 text",
}
XLSX_SIGNATURE = b"PK\x03\x04"
SAVE_AS = "In Excel choose File, Save As, and the type \u201cExcel Workbook (.xlsx)\u201d or \u201cCSV UTF-8 (Comma delimited)\u201d."


class FileRejected(Exception):
    """A problem with the whole file (not a table, not UTF-8, too large): nothing is read further."""


def size_text(n):
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def too_large(limit):
    return FileRejected(
        f"The file is larger than {size_text(limit)}, the most one import accepts. Split it into smaller files and import each one."
    )


# ------------------------------------------------------------------------------------------------ rows


def _delimiter(first_line):
    return "\t" if "\t" in first_line else ","


def read_text(text):
    """Rows of pasted text: tab-separated (copied from Excel) or comma-separated."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            yield row, cells
    except csv.Error as error:
        raise FileRejected(f"Row {row + 1} cannot be read: {reader_error(error)}.") from None


class _ChunkStream(io.RawIOBase):
    """A read-only byte stream over an iterable of chunks that refuses to pass `limit` bytes."""

    def __init__(self, chunks, limit):
        self._chunks = iter(chunks)
        self._buffer = b""
        self._limit = limit
        self.size = 0

    def readable(self):
        return True

    def readinto(self, target):
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self.size += len(chunk)
            if self.size > self._limit:
                raise too_large(self._limit)
            self._buffer = bytes(chunk)
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def read_upload(chunks, limit):
    """Rows of an uploaded .csv (UTF-8, with or without Excel's byte-order mark) or .xlsx, told apart by content."""
    buffered = io.BufferedReader(_ChunkStream(chunks, limit), buffer_size=64 * 1024)
    head = buffered.peek(8)[:8]
    if head.startswith(XLSX_SIGNATURE):
        yield from _workbook_rows(buffered)
        return
    for signature, what in NOT_A_TABLE.items():
        if head.startswith(signature):
            raise FileRejected(f"This is {what}, not a CSV file or an Excel workbook. {SAVE_AS}")
    start = buffered.peek(64)[:64]
    if len(start) >= 4 and max(start[0::2].count(0), start[1::2].count(0)) >= len(start) // 4:
        # text with a NUL beside every other character: UTF-16 saved without its byte-order mark
        raise FileRejected(f"This is UTF-16 text, not UTF-8. {SAVE_AS}")
    yield from _csv_rows(buffered)


def _csv_rows(buffered):
    text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="strict", newline="")
    row = 0
    try:
        first = text.readline()
        rest = io.StringIO(first)
        reader = csv.reader(_chain(rest, text), delimiter=_delimiter(first))
        for row, cells in enumerate(reader, start=1):
            if any("\x00" in cell for cell in cells):
                raise FileRejected(f"This is not a readable CSV file: row {row} holds binary data. {SAVE_AS}")
            yield row, cells
    except UnicodeDecodeError:
        raise FileRejected(f"The file is not UTF-8 text (found near row {row + 1}). {SAVE_AS}") from None
    except csv.Error as error:
        raise FileRejected(f"This is not a readable CSV file: row {row + 1} cannot be read ({reader_error(error)}). {SAVE_AS}") from None


def _chain(*files):
    for handle in files:
        yield from handle


def _workbook_rows(buffered):
    data = buffered.read()  # a zip is read from its end: whole, within the size limit
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileRejected(f"This is not a readable Excel workbook ({type(error).__name__}). {SAVE_AS}") from None
    try:
        sheet = book.worksheets[0]
        for row, cells in enumerate(sheet.iter_rows(), start=1):
            yield row, [_cell_text(cell) for cell in cells]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileRejected(f"This is not a readable Excel workbook ({type(error).__name__}). {SAVE_AS}") from None
    finally:
        book.close()


def _cell_text(cell):
    """A workbook cell as the text a person would have typed: dates ISO, a percentage cell as "12%"."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{_number_text(value * 100)}%"
        return _number_text(value)
    return str(value)


def _number_text(value):
    if isinstance(value, int):
        return str(value)
    value = round(value, 10)  # 0.12 * 100 is 12.000000000000002
    return str(int(value)) if value.is_integer() else repr(value)


# ----------------------------------------------------------------------------------------------- cells


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
DATE_HELP = "write it as 31/03/2023 or 2023-03-31"


def parse_date(text):
    """(date, None) or (None, reason) for a date typed as DD/MM/YYYY or YYYY-MM-DD (a time after it is ignored)."""
    value = text.strip()
    if not value:
        return None, "No value: enter a date"
    value = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", value)
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(value)
        if not match:
            return None, f"Not a date: {DATE_HELP}"
        day, month, year = (int(g) for g in match.groups())
    try:
        parsed = datetime.date(year, month, day)
    except ValueError:
        return None, "Not a real date (check the day and the month)"
    if parsed.year < 1950:
        return None, "Before 1950: check the year"
    return parsed, None


def parse_number(text):
    """(number, None) or (None, reason) for a number as people type it: "1,234", "12%", "£12,500.50", "-3"."""
    value = text.strip()
    if not value:
        return None, "No value: enter a number"
    value = value.replace("\u00a3", "", 1).replace("\u2212", "-").replace(" ", "")
    if value.endswith("%"):
        value = value[:-1]
    if value.startswith(("-\u00a3", "+\u00a3")):
        value = value[0] + value[2:]
    if not value or not _NUMBER.match(value) or not any(c.isdigit() for c in value):
        return None, "Not a number"
    number = float(value.replace(",", ""))
    if not math.isfinite(number):
        return None, "Not a number (too large)"
    return number, None


def looks_like_a_header(cells):
    """A first row whose first cell is neither a date nor a number names the columns."""
    first = next((cell for cell in cells if cell.strip()), "")
    return parse_date(first)[0] is None and parse_number(first)[0] is None
