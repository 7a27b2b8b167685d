"""Carrying a checked file from the preview to the confirm.

The file is kept in the database (`PendingUpload`, in parts of `PART_BYTES`), not on one server's disk, so
the confirm may reach any app server; only its uploader may import it, within `PENDING_UPLOAD_HOURS`, and
the bytes imported are checked against the SHA-256 taken at upload. Imported or expired uploads are deleted.
"""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from .importer import FileRejected
from .models import PendingUpload, PendingUploadPart

PART_BYTES = 1024 * 1024
PENDING_UPLOAD_HOURS = 24


def keep(kind, uploaded_file, user):
    """Store an uploaded file for `user` to confirm later; replaces that user's earlier pending uploads."""
    with transaction.atomic():
        expire(user)
        digest = hashlib.sha256()
        upload = PendingUpload.objects.create(
            kind=kind, filename=uploaded_file.name[:255], size=uploaded_file.size, sha256="", uploaded_by=user
        )
        parts = []
        for index, chunk in enumerate(uploaded_file.chunks(PART_BYTES)):
            digest.update(chunk)
            parts.append(PendingUploadPart(upload=upload, index=index, data=chunk))
            if len(parts) == 4:
                PendingUploadPart.objects.bulk_create(parts)
                parts = []
        PendingUploadPart.objects.bulk_create(parts)
        upload.sha256 = digest.hexdigest()
        upload.save(update_fields=["sha256"])
    return upload


def expire(user=None):
    """Delete uploads older than the limit, and `user`'s own earlier ones."""
    old = PendingUpload.objects.filter(uploaded_at__lt=timezone.now() - datetime.timedelta(hours=PENDING_UPLOAD_HOURS))
    old.delete()
    if user is not None:
        PendingUpload.objects.filter(uploaded_by=user).delete()


def find(pk, user, kind, *, for_import=False):
    """The user's own pending upload of this kind, if it is still there. `for_import` (inside a transaction) locks it:
    a second confirm of the same file waits for the first, then finds it imported and gone."""
    if not (str(pk).isascii() and str(pk).isdigit()):
        return None
    cutoff = timezone.now() - datetime.timedelta(hours=PENDING_UPLOAD_HOURS)
    pending = PendingUpload.objects.filter(pk=pk, uploaded_by=user, kind=kind, uploaded_at__gte=cutoff)
    return (pending.select_for_update() if for_import else pending).first()


def verified_chunks(upload):
    """The upload's bytes, streamed; raises FileRejected at the end if they are not the bytes that were checked."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != upload.sha256:
        raise FileRejected("The stored file has changed since it was checked. Upload it again.")
