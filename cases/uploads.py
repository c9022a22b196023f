"""What an uploaded file really is, found out before anything costly is done with it.

Every form that takes a file asks here: the visit form (fieldwork.photos) and the enterprise's
attachments (cases.files). The answer comes from the content, never the name or the
browser's claimed type, and it is cheap to get:

- a picture is measured from its header, width × height, before a single pixel is decoded: a
  560 KB PNG can hold 144 million pixels, and decoding them takes gigabytes;
- a PDF must parse as one and hold a page: its first five bytes prove nothing, `%PDF-1.4` may be
  followed by a web page;
- an Office document is a .docx/.xlsx/.pptx whose zip directory names its main part, or an old
  Word or Excel file (.doc, .xls: an OLE2 compound file, read with olefile) whose directory holds
  the Word or Excel stream and whose stream starts as one — the compound-file signature alone
  proves nothing: an installer (.msi) has it too. Macros are refused in every kind.

One rule decides which of these an attachment may be (cases.files.check_attachment, for
the enterprise's files and for those of progress notes and replies alike).

The page apps word their own "this is not a picture" message; the messages about limits that are
the same everywhere live here.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import IO

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import DependencyError

# The pictures phones and their browsers send (HEIC arrives converted to JPEG): Pillow's name for
# the format → (the type we serve it as, the extension it is stored and downloaded with).
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = ("application/pdf", "pdf")
PDF_SIGNATURE = b"%PDF-"
# Office Open XML documents (a zip with [Content_Types].xml), by the part that makes each what it
# is → (the type we serve it as, the extension).
OFFICE_TYPES = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
ZIP_SIGNATURE = b"PK\x03\x04"
# Old binary Word and Excel documents (97–2003, and Excel 5/95's "Book"): OLE2 compound files, by
# the stream that makes each what it is → (the type we serve it as, the extension). PowerPoint's
# .ppt is not taken: it keeps its macros inside its main stream, where no directory shows them.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_TYPES = {
    "worddocument": ("application/msword", "doc"),
    "workbook": ("application/vnd.ms-excel", "xls"),
    "book": ("application/vnd.ms-excel", "xls"),
}
# Where an old document keeps macros: Word's "Macros" storage, Excel's "_VBA_PROJECT_CUR".
OLE_MACRO_ENTRIES = frozenset({"macros", "_vba_project_cur", "_vba_project"})
# A .docx/.xlsx/.pptx with an opening password is an OLE2 file holding the encrypted package.
OLE_ENCRYPTED_ENTRIES = frozenset({"encryptioninfo", "encryptedpackage"})
# What olefile notes and reads past that is only a header field other writers fill in their own
# way (WPS Office writes a class id there); any other defect it notes is a broken structure.
OLE_HEADER_DEFECT = "OLE header"
# How each main stream starts: Word's FIB identifier (Word 97+ and Word 6/95); Excel's BOF record.
WORD_FIB_IDENTS = (0xA5EC, 0xA5DC)
EXCEL_BOF_RECORD = 0x0809
EXCEL_BOUNDSHEET_RECORD, EXCEL_EOF_RECORD, EXCEL_FILEPASS_RECORD = 0x0085, 0x000A, 0x002F
EXCEL_MACRO_SHEET_TYPES = (1, 6)  # an Excel 4.0 macro sheet, a VBA module sheet
EXTENSIONS = dict(
    [*IMAGE_TYPES.values(), PDF_TYPE, *OFFICE_TYPES.values(), *OLE_TYPES.values()]
)  # content type → extension

# Phones take 12–50 MP photos; decoding 50 MP takes about 150 MB, 144 MP about 1.2 GB.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000


def max_image_pixels() -> int:
    return int(getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


@dataclass(frozen=True)
class CheckedImage:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return IMAGE_TYPES[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_TYPES[self.format][1]


def image_check(upload: IO[bytes], *, name: str) -> CheckedImage | None:
    """The picture's format and size; None when it is not a JPEG, PNG, GIF or WebP whose structure
    holds; a ValidationError naming the file when it has more pixels than we will decode.

    Only the header is read and the structure verified: no pixel is decoded here, so the caller may
    decode (a thumbnail) knowing the cost is bounded. Pillow's own bomb guard only warns below
    twice its MAX_IMAGE_PIXELS (179 MP), which is why the size is checked here, first."""
    limit = max_image_pixels()
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(IMAGE_TYPES)) as image:
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    _(
                        "图片“%(name)s”为 %(width)d×%(height)d，共 %(pixels)s 像素，"
                        "超过了 %(limit)s 像素的上限，请缩小后再上传。"
                    )
                    % {
                        "name": name,
                        "width": width,
                        "height": height,
                        "pixels": f"{width * height:,}",
                        "limit": f"{limit:,}",
                    },
                    code="too_many_pixels",
                )
            image.verify()  # the chunks and their checksums, without decoding the pixels
            kind = image.format
    except Image.DecompressionBombError:
        # Pillow refused to open it at all: past twice its limit, and so far past ours.
        raise ValidationError(
            _("图片“%(name)s”超过 %(pixels)s 像素，远超 %(limit)s 像素的上限，请缩小后再上传。")
            % {"name": name, "pixels": f"{2 * Image.MAX_IMAGE_PIXELS:,}", "limit": f"{limit:,}"},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None  # not a picture, or a damaged one
    finally:
        upload.seek(0)
    return CheckedImage(kind, width, height) if kind in IMAGE_TYPES else None


def is_pdf(upload: IO[bytes]) -> bool:
    """Does the file say it is a PDF? Only which check to run next: pdf_check decides."""
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    return head == PDF_SIGNATURE


def pdf_check(upload: IO[bytes], *, name: str) -> None:
    """A ValidationError naming the file unless it parses as a PDF with at least one page.

    Lenient (pypdf's strict=False) about what Word, WPS and scanners get slightly wrong — an xref
    table off by a few bytes, a missing end-of-file marker — but the cross-reference table, the
    trailer and the page tree must be found. A locked PDF counts once its structure has parsed:
    its pages are behind a password, and that is the sender's business."""
    damaged = ValidationError(
        _("“%(name)s”不是有效的 PDF 文件：无法读出其中的页面。请重新导出或扫描后再上传。")
        % {"name": name},
        code="not_a_pdf",
    )
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        pages = 1 if reader.is_encrypted else len(reader.pages)
    except DependencyError:
        pages = 1  # AES-encrypted: pypdf opens it only with `cryptography`, but it has parsed
    except Exception:  # pypdf raises many kinds (and RecursionError) on a damaged file
        raise damaged from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise damaged


def is_office(upload: IO[bytes]) -> bool:
    """Does the file start as a zip (an Office Open XML document) or an old OLE Office file? Only
    which check to run next: office_check decides."""
    upload.seek(0)
    head = upload.read(len(OLE_SIGNATURE))
    upload.seek(0)
    return head.startswith(ZIP_SIGNATURE) or head == OLE_SIGNATURE


def max_office_unpacked_bytes() -> int:
    """What a document may hold once unzipped: the cap the Excel import uses (50 MB)."""
    return int(getattr(settings, "ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024))


def office_check(upload: IO[bytes], *, name: str) -> tuple[str, str]:
    """(content type, extension) of a .docx, .xlsx or .pptx whose structure holds: a zip archive
    with [Content_Types].xml and the main part of its kind, unpacking to no more than the cap; or
    of an old .doc or .xls (ole_check). A ValidationError naming the file otherwise.

    Only the archive's directory is read; nothing is unpacked. The sizes there are the sender's
    word, but zipfile stops each part at its stated size, so their sum bounds what any reader of
    the document through zipfile can be made to unpack."""
    upload.seek(0)
    head = upload.read(len(OLE_SIGNATURE))
    upload.seek(0)
    if head == OLE_SIGNATURE:
        return ole_check(upload, name=name)
    damaged = ValidationError(
        _("“%(name)s”不是有效的 Word、Excel 或 PowerPoint 文件（.docx、.xlsx、.pptx）。")
        % {"name": name},
        code="not_office",
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    finally:
        upload.seek(0)
    names = {part.filename for part in parts}
    kinds = [kind for part, kind in OFFICE_TYPES.items() if part in names]
    if "[Content_Types].xml" not in names or len(kinds) != 1:
        raise damaged
    if any(part.lower().endswith("vbaproject.bin") for part in names):
        raise _with_macros(name)
    unpacked, limit = sum(part.file_size for part in parts), max_office_unpacked_bytes()
    if unpacked > limit:
        raise ValidationError(
            _(
                "“%(name)s”解压后有 %(size)s MB，超过了 %(limit)s MB 的上限，"
                "请删去多余内容或压缩其中的图片后再上传。"
            )
            % {
                "name": name,
                "size": f"{unpacked / (1024 * 1024):.1f}",
                "limit": f"{limit / (1024 * 1024):.0f}",
            },
            code="too_large_unpacked",
        )
    return kinds[0]


def ole_check(upload: IO[bytes], *, name: str) -> tuple[str, str]:
    """(content type, extension) of an old Word (.doc) or Excel (.xls) document, or a
    ValidationError naming the file.

    The compound file must parse (olefile) with no defect but in the header's fields (the class id
    WPS Office writes there), its root must hold exactly one Word or Excel stream and that stream
    must start as one (Word's FIB identifier, Excel's BOF record); no macro storage, and in a
    workbook no macro sheet (Excel 4.0 macros live in the workbook stream itself). A workbook with
    an opening password is refused: its sheets, macro sheets among them, cannot be read. Only the
    directory and the start of the main stream are read; the file is within the upload cap."""
    not_office = ValidationError(
        _(
            "“%(name)s”不是有效的 Word 或 Excel 文件（.doc、.xls）。"
            "旧版 PowerPoint 文件（.ppt）请“另存为”.pptx 后再上传。"
        )
        % {"name": name},
        code="not_office",
    )
    upload.seek(0)
    try:
        with olefile.OleFileIO(upload, raise_defects=olefile.DEFECT_FATAL) as ole:
            entries = {tuple(part.lower() for part in path) for path in ole.listdir(True, True)}
            top = {path[0] for path in entries}
            if top & OLE_ENCRYPTED_ENTRIES:
                raise _password_protected(name)
            kinds = [stream for stream in OLE_TYPES if (stream,) in entries]
            if len(kinds) != 1 or ole.get_type(kinds[0]) != olefile.STGTY_STREAM:
                raise not_office
            if top & OLE_MACRO_ENTRIES:
                raise _with_macros(name)
            with ole.openstream(kinds[0]) as stream:  # Word's identifier; Excel's globals
                content = stream.read(2 if kinds[0] == "worddocument" else -1)
            if any(OLE_HEADER_DEFECT not in issue for _kind, issue in ole.parsing_issues):
                raise not_office  # a broken sector chain, a stream cut short, …
    except ValidationError:
        raise
    except Exception:  # olefile raises OSError, ValueError, struct.error, … on a damaged file
        raise not_office from None
    finally:
        upload.seek(0)
    if kinds[0] == "worddocument":
        if len(content) < 2 or int.from_bytes(content[:2], "little") not in WORD_FIB_IDENTS:
            raise not_office
    else:
        _workbook_check(content, name=name, not_office=not_office)
    return OLE_TYPES[kinds[0]]


def _workbook_check(content: bytes, *, name: str, not_office: ValidationError) -> None:
    """An Excel workbook stream: it starts with a BOF record, and its globals (the records before
    the first EOF) declare no macro sheet and no opening password."""
    offset, first = 0, True
    while offset + 4 <= len(content):
        kind, size = struct.unpack_from("<HH", content, offset)
        data = content[offset + 4 : offset + 4 + size]
        if first and kind != EXCEL_BOF_RECORD:
            raise not_office
        first = False
        if kind == EXCEL_FILEPASS_RECORD:
            raise _password_protected(name)
        if kind == EXCEL_BOUNDSHEET_RECORD and len(data) >= 6:
            if data[5] in EXCEL_MACRO_SHEET_TYPES:
                raise _with_macros(name)
        if kind == EXCEL_EOF_RECORD:
            return
        offset += 4 + size
    raise not_office  # no end to the workbook's globals: truncated


def _with_macros(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”含有宏，请“另存为”不含宏的 .docx、.xlsx 或 .pptx 后再上传。") % {"name": name},
        code="macros",
    )


def _password_protected(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”设有打开密码，无法检查其内容：请去掉密码后再上传。") % {"name": name},
        code="password",
    )
