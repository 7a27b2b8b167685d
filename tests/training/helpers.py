import datetime
import io

from training.importer import FEEDBACK_COLUMNS, TRAINING_COLUMNS

TODAY = datetime.date(2024, 1, 31)  # "today" for the importer in these tests


def training_csv(*rows, header=TRAINING_COLUMNS, bom=False):
    """CSV bytes from rows of strings (or lists) under the training header."""
    lines = [",".join(header)] + [row if isinstance(row, str) else ",".join(row) for row in rows]
    text = "\n".join(lines) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def feedback_csv(*rows):
    return training_csv(*rows, header=FEEDBACK_COLUMNS)


def chunks(data, size=7):
    """Bytes in small chunks, as an upload streams them (a small size crosses every boundary)."""
    stream = io.BytesIO(data)
    while chunk := stream.read(size):
        yield chunk


def workbook(*rows, header=TRAINING_COLUMNS, formats=None):
    """.xlsx bytes, as Excel saves them: the header, then rows of cells (str, numbers, dates); `formats` gives a
    number format to the cells of a column (by index), e.g. {1: "0%"}."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for index, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
