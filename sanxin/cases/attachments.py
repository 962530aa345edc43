"""Attachment checks: a size limit and an allow-list of types, verified by the file's first bytes."""
from django.utils.translation import gettext as _

from .errors import CaseError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# extension → (content type, accepted leading bytes; None = text that must decode as UTF-8)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "txt": ("text/plain", None),
}


def check_upload(upload) -> str:
    """The content type to store, or a CaseError naming the file field."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise CaseError(_("“%(name)s”: only PDF, PNG, JPEG, DOCX, XLSX and TXT files are accepted.")
                        % {"name": name}, "file")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise CaseError(_("“%(name)s” is larger than %(mb)d MB.")
                        % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, "file")
    if upload.size == 0:
        raise CaseError(_("“%(name)s” is empty.") % {"name": name}, "file")
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut at 2048 bytes is fine
                raise CaseError(_("“%(name)s” is not a UTF-8 text file.") % {"name": name}, "file") from None
    elif not head.startswith(signatures):
        raise CaseError(_("“%(name)s” does not contain what its extension says.") % {"name": name}, "file")
    return content_type
