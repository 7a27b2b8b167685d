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
