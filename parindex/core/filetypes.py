"""Evidence file types, recognised by their content and not only by their name.

Accepted: pdf, doc, docx, xls, xlsx, jpg, png. A file whose bytes are not of the type its
extension claims (an .exe renamed .pdf) is refused.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word and Excel files


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    content_type: str


PDF = FileKind((".pdf",), "application/pdf")
DOC = FileKind((".doc",), "application/msword")
XLS = FileKind((".xls",), "application/vnd.ms-excel")
DOCX = FileKind(
    (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = FileKind((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JPEG = FileKind((".jpg", ".jpeg"), "image/jpeg")
PNG = FileKind((".png",), "image/png")

ACCEPTED_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png")


class FileTypeError(ValueError):
    """The file is not one of the accepted types (message in Vietnamese)."""


def _zip_kind(file) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    return None


def detect_kind(file, extension: str) -> FileKind | None:
    """Return the kind of ``file`` from its first bytes (and, for Office files, its parts)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(OLE2):
        # Word and Excel 97–2003 share the OLE2 container; the extension tells which.
        kind = XLS if extension == ".xls" else DOC
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(file)
        file.seek(0)
    return kind


def check_evidence_file(file, name: str, max_bytes: int) -> FileKind:
    """Return the kind of an uploaded evidence file, or raise FileTypeError saying why not."""
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise FileTypeError(
            _("Tệp “%(name)s” không được nhận: chỉ nhận pdf, doc, docx, xls, xlsx, jpg, png.")
            % {"name": name}
        )
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise FileTypeError(
            _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB.")
            % {"name": name, "limit": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise FileTypeError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    kind = detect_kind(file, extension)
    if kind is None or extension not in kind.extensions:
        raise FileTypeError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s hợp lệ.")
            % {"name": name, "ext": extension.lstrip(".")}
        )
    return kind
