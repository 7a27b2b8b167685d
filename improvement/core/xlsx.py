"""Excel workbooks out (.xlsx, openpyxl): one sheet or more of a header row and data rows, formula-safe by the same
rule as the CSVs (improvement.core.csvfiles.safe_cell). Numbers stay numbers and dates stay dates."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .csvfiles import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, str):
        # Control characters are stored as typed elsewhere, but an .xlsx cannot hold them: they are left out here.
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def workbook(sheets):
    """An .xlsx file's bytes from [(sheet title, header, rows)]."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in header]
        for row in rows:
            cells = [_cell(v) for v in row]
            sheet.append(cells)
            widths = [max(w, min(len(str(v)) if v is not None else 0, 60)) for w, v in zip(widths, cells)]
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(filename, sheets):
    response = HttpResponse(workbook(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
