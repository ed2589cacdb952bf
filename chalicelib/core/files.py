"""Checks of uploaded files, without I/O: what a file really is (magic bytes, never the name or
the declared type), an image fully decoded within pixel limits, a PDF parsed and refused when
it could act on the reader's machine. Product images (`catalog.images`) and registration
documents (`accounts.document_check`) both use them. Pillow and pypdf are imported inside the
functions: the API Lambda never loads them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"%PDF-", "PDF"),
)
_OTHER_IMAGES = (b"GIF8", b"II*\x00", b"MM\x00*")
# a PDF's keys and action types that run code or reach out when it is opened or clicked
ACTIVE_PDF_KEYS = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/RichMedia", "/XFA"})
ACTIVE_PDF_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"})


class FileRejected(Exception):
    """The file is refused; `reason` is a stable code (translated where it is shown)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class ImageLimits:
    min_side: int
    max_side: int
    max_pixels: int


def sniff(data: bytes) -> str:
    """JPEG, PNG, WEBP or PDF from the first bytes; `unsupported_format` for other images,
    `not_a_known_file` for anything else."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:4] in _OTHER_IMAGES or data[:2] == b"BM":
        raise FileRejected("unsupported_format")
    raise FileRejected("not_a_known_file")


def decoded_image(data: bytes, kind: str, limits: ImageLimits) -> Any:
    """The image fully decoded (a PIL image, EXIF orientation applied), or `FileRejected`:
    `not_an_image` (Pillow cannot read all of it, or it is not `kind`), `too_small`,
    `dimensions_too_large` (decompression bombs included)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind:
                raise FileRejected("not_an_image")
            width, height = probe.size
            if max(width, height) > limits.max_side or width * height > limits.max_pixels:
                raise FileRejected("dimensions_too_large")
            if min(width, height) < limits.min_side:
                raise FileRejected("too_small")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return ImageOps.exif_transpose(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRejected("dimensions_too_large") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected("not_an_image") from exc


def checked_pdf(data: bytes, max_pages: int) -> int:
    """The page count of a harmless PDF, or `FileRejected`: `pdf_unreadable`, `pdf_encrypted`,
    `pdf_too_many_pages`, `pdf_active_content` (scripts, launch, form or open actions
    anywhere in the document), `pdf_attachments` (embedded files)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise FileRejected("pdf_encrypted")
        pages = len(reader.pages)
        if pages == 0:
            raise FileRejected("pdf_unreadable")
        if pages > max_pages:
            raise FileRejected("pdf_too_many_pages")
        _refuse_active(reader.trailer["/Root"])
    except FileRejected:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise FileRejected("pdf_unreadable") from exc
    return pages


def _refuse_active(root: Any, budget: int = 50_000) -> None:
    """Walk every object reachable from the catalog (pages, annotations, names, forms; object
    streams included) and refuse the names that act: a visited set, and a bounded walk."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    while stack:
        budget -= 1
        if budget < 0:
            raise FileRejected("pdf_unreadable")  # a structure this large is not a scanned certificate
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            keys = set(node.keys())
            if keys & ACTIVE_PDF_KEYS or node.get("/S") in ACTIVE_PDF_ACTIONS:
                raise FileRejected("pdf_active_content")
            if keys & {"/EmbeddedFiles", "/EmbeddedFile"} or node.get("/Type") == "/Filespec":
                raise FileRejected("pdf_attachments")
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
