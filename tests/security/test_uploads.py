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
