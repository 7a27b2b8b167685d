"""Evidence files: type by content, size limit, stored outside the static files, served only as downloads."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from goals.models import EvidenceItem

from ..helpers import HTMX, text_of

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post(client, upload, **extra):
    data = {"kind": "publication", "date": "01/05/2023", "title": "Paper", "summary": "S", "link": "", "ambition": "", "attachment": upload}
    return client.post(reverse("goals:evidence_new", args=[3]), data, **extra)


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_under_a_random_name_outside_static_and_served_as_a_download(qisg_client, goal, media_root):
    response = post(qisg_client, SimpleUploadedFile("Board paper.pdf", PDF, content_type="application/pdf"), **HTMX)
    item = EvidenceItem.objects.get()
    assert "Download Board paper.pdf" in text_of(response)
    stored = media_root / item.attachment.name
    assert stored.read_bytes() == PDF and "Board paper" not in item.attachment.name
    assert str(settings.STATIC_ROOT) not in str(stored)
    download = qisg_client.get(reverse("goals:evidence_file", args=[item.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="Board paper.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_the_type_comes_from_the_content_not_the_name(qisg_client, goal):
    html = text_of(post(qisg_client, SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")))
    assert "its content is not one of these" in html and 'id="id_attachment-error"' in html
    assert not EvidenceItem.objects.exists()
    post(qisg_client, SimpleUploadedFile("notes.bin", docx(), content_type="application/octet-stream"))
    item = EvidenceItem.objects.get()
    assert item.attachment_name == "notes.docx" and item.attachment.name.endswith(".docx")


def test_a_file_over_ten_megabytes_is_refused(qisg_client, goal):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    assert "larger than 10 MB" in text_of(post(qisg_client, big))
    assert not EvidenceItem.objects.exists()


def test_the_board_can_download_but_not_upload(qisg_client, make_user, goal):
    post(qisg_client, SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"))
    item = EvidenceItem.objects.get()
    board_client = Client()
    board_client.force_login(make_user("board"))
    assert board_client.get(reverse("goals:evidence_file", args=[item.pk])).status_code == 200
    assert post(board_client, SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")).status_code == 403


# A file whose given name Django's parser would drop ("..": issue 16, 10e). The test client cannot send such a name,
# so these bodies are written by hand, as a browser sends them.
BOUNDARY = "----improvement-test-boundary"


def multipart(fields, files):
    """A multipart/form-data body: `fields` {name: value}, `files` [(field, filename, content type, bytes)]."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    for field, filename, content_type, data in files:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_by_hand(client, url, fields, files):
    return client.generic("POST", url, multipart(fields, files), content_type=f"multipart/form-data; boundary={BOUNDARY}")


EVIDENCE = {"kind": "publication", "date": "01/05/2023", "title": "Paper", "summary": "S", "link": "", "ambition": ""}


@pytest.mark.parametrize("filename", ["..", ".", "reports/", "..\\\\", "&#46;&#46;"])
def test_an_evidence_file_whose_name_cannot_be_used_is_refused_by_its_field_and_nothing_is_saved(qisg_client, goal, filename):
    response = post_by_hand(qisg_client, reverse("goals:evidence_new", args=[3]), EVIDENCE,
                            [("attachment", filename, "application/pdf", PDF)])
    assert response.status_code == 200
    html = text_of(response)
    assert 'id="id_attachment-error"' in html
    assert "This file's name cannot be used: rename the file and choose it again" in html.replace("&#x27;", "'")
    assert "Saved" not in html
    assert not EvidenceItem.objects.exists()


def test_an_evidence_file_refused_for_its_name_is_refused_inline_with_htmx_too(qisg_client, goal):
    response = qisg_client.generic("POST", reverse("goals:evidence_new", args=[3]),
                                   multipart(EVIDENCE, [("attachment", "..", "application/pdf", PDF)]),
                                   content_type=f"multipart/form-data; boundary={BOUNDARY}", **HTMX)
    assert "rename the file and choose it again" in text_of(response)
    assert not EvidenceItem.objects.exists()


def test_a_file_input_left_empty_still_means_no_file(qisg_client, goal):
    response = post_by_hand(qisg_client, reverse("goals:evidence_new", args=[3]), EVIDENCE,
                            [("attachment", "", "application/octet-stream", b"")])
    assert response.status_code == 302
    assert EvidenceItem.objects.get().attachment.name == ""


def test_a_file_posted_by_hand_with_a_good_name_is_stored(qisg_client, goal, media_root):
    post_by_hand(qisg_client, reverse("goals:evidence_new", args=[3]), EVIDENCE, [("attachment", "../../Board paper.pdf", "application/pdf", PDF)])
    item = EvidenceItem.objects.get()
    assert item.attachment_name == "Board paper.pdf"
    assert (media_root / item.attachment.name).read_bytes() == PDF


def test_a_training_file_whose_name_cannot_be_used_is_refused_by_its_field(qisg_client):
    from training.models import PendingUpload

    response = post_by_hand(qisg_client, reverse("training:import_training"), {}, [("file", "..", "text/csv", b"staff_number\n1\n")])
    html = text_of(response)
    assert "rename the file and choose it again" in html and 'id="id_file-error"' in html
    assert not PendingUpload.objects.exists()


def test_a_strategy_file_whose_name_cannot_be_used_is_refused_by_its_field(client, make_user):
    client.force_login(make_user("admin"))
    response = post_by_hand(client, reverse("strategy_file"), {}, [("file", "..", "application/yaml", b"organisation: X\n")])
    assert "rename the file and choose it again" in text_of(response)


def test_a_training_file_over_twelve_megabytes_still_uploads_and_is_checked_whole(qisg_client):
    from improvement.demo.training import seed_courses
    from training.importer import TRAINING_COLUMNS
    from training.models import PendingUpload

    seed_courses()
    rows = [",".join(TRAINING_COLUMNS)] + [f"{20000000 + n},Learner {n},Nursing,Ward {n % 40},LIM Foundation,2023-01-17,"
                                           for n in range(200_000)]
    data = ("\n".join(rows) + "\n").encode()
    assert len(data) > 12 * 1024 * 1024 == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_by_hand(qisg_client, reverse("training:import_training"), {}, [("file", "big.csv", "text/csv", data)])
    assert response.status_code == 200
    assert "200,000" in text_of(response) or "200000" in text_of(response)
    pending = PendingUpload.objects.get()
    assert (pending.filename, pending.size) == ("big.csv", len(data))


def test_every_file_field_of_our_forms_refuses_a_name_that_cannot_be_used():
    import importlib
    import pkgutil

    from django import forms
    from django.apps import apps

    from improvement.core.uploads import UploadField

    for config in apps.get_app_configs():
        if config.name.split(".")[0] in ("goals", "training", "partners", "improvement"):
            for module in [config.name] + [f"{config.name}.{m.name}" for m in pkgutil.iter_modules([config.path])]:
                try:
                    importlib.import_module(f"{module}.forms" if module == config.name else module)
                except ModuleNotFoundError:
                    pass

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [f for f in subclasses(forms.BaseForm) if f.__module__.split(".")[0] in ("goals", "training", "partners", "improvement")]
    file_fields = {(form.__name__, name): type(field) for form in ours for name, field in getattr(form, "base_fields", {}).items()
                   if isinstance(field, forms.FileField)}
    assert len(file_fields) >= 4, file_fields  # evidence, training import, measure data, strategy file
    assert {key: field for key, field in file_fields.items() if not issubclass(field, UploadField)} == {}
