"""Uploaded files whose name cannot be used: refused by the field, never dropped without a word.

Django's multipart parser skips a file part whose given name sanitises to nothing ("..", ".", "/", a name of control
characters): the form then sees no file, and a form whose file is optional saves without it and says "Saved". Here
the first upload handler (FILE_UPLOAD_HANDLERS) parses the request itself, through Django's documented
`handle_raw_input` hook, with a parser that keeps such a file under UNUSABLE_NAME; the other handlers store it as
usual (in memory, or streamed to a temporary file when large), so nothing is read whole into memory. UploadField,
the one file field of our forms, refuses it next to the field. A file input left empty (filename="") is still no
file at all.
"""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser

# What such a file is called: a backslash never survives Django's sanitising (it splits on it), so no file that a
# person named and chose can carry this name; it survives the uploaded file's own basename (POSIX) and checks.
UNUSABLE_NAME = "\\unusable-file-name"
UNUSABLE_MESSAGE = "This file's name cannot be used: rename the file and choose it again"


class _KeepingParser(MultiPartParser):
    def sanitize_file_name(self, file_name):
        # Called only for a non-empty given name (an empty one means "no file" and is skipped before).
        return super().sanitize_file_name(file_name) or UNUSABLE_NAME


class KeepUnusableNames(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: parses the multipart request with _KeepingParser and the other handlers."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [h for h in self.request.upload_handlers if not isinstance(h, KeepUnusableNames)]
        return _KeepingParser(META, input_data, others, encoding).parse()

    def receive_data_chunk(self, raw_data, start):  # never called: handle_raw_input has parsed the request
        return raw_data

    def file_complete(self, file_size):
        return None


def has_unusable_name(upload):
    return getattr(upload, "name", None) == UNUSABLE_NAME


class UploadField(forms.FileField):
    """A file field that refuses a file whose name cannot be used (see above) with UNUSABLE_MESSAGE."""

    def to_python(self, data):
        if has_unusable_name(data):
            raise forms.ValidationError(UNUSABLE_MESSAGE, code="unusable_name")
        return super().to_python(data)
