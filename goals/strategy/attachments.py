"""Files attached to evidence: checked by their content (not their name), limited in size, stored outside the
static files under a random name, and only ever served as downloads by a permission-checked view."""

import uuid
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
# kind -> (extension to store under, the first bytes every such file starts with)
SIGNATURES = {
    "PDF": (".pdf", [b"%PDF-"]),
    "PNG image": (".png", [b"\x89PNG\r\n\x1a\n"]),
    "JPEG image": (".jpg", [b"\xff\xd8\xff"]),
    "Office document": (None, [b"PK\x03\x04"]),  # .docx, .xlsx, .pptx are zip files; the name inside decides
}
OFFICE = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}
ALLOWED = "a PDF, a PNG or JPEG image, or a Word, Excel or PowerPoint file"


def detect(upload):
    """The extension the file's content shows it to be, or a ValidationError saying what is accepted."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, (extension, starts) in SIGNATURES.items():
        if any(head.startswith(start) for start in starts):
            if extension:
                return extension
            return _office_extension(upload)
    raise ValidationError(f"The file must be {ALLOWED}; its content is not one of these")


def _office_extension(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise ValidationError(f"The file must be {ALLOWED}; it is a damaged zip file") from None
    finally:
        upload.seek(0)
    for prefix, extension in OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            return extension
    raise ValidationError(f"The file must be {ALLOWED}; this zip file is not an Office document")


def storage_name(instance, filename):
    """A random name (the uploader's name is kept only as the download name)."""
    return f"evidence/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"
