"""Hostile files, made small and fast: a picture of 144 million pixels in 18 KB, a workbook of
60 MB in 150 KB. Each is valid by its format's rules; only its size once unpacked is hostile."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """A complete, valid black-and-white PNG, compressed row by row: no pixel buffer is ever
    built here (12,000 × 12,000 takes 0.1 s and 18 KB), but decoding it takes 144 million pixels."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte "none", then 1 bit a pixel
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def with_shared_strings(xlsx: bytes, size: int) -> bytes:
    """The same workbook with a shared-strings table of `size` bytes, as Excel writes one (openpyxl
    writes its text inline), full of unused strings: a reader loads the whole table. Streamed into
    the zip, so 60 MB takes 0.2 s and 150 KB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    added = {
        "[Content_Types].xml": (
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>',
        ),
        "xl/_rels/workbook.xml.rels": (
            "</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_REL}" '
            'Target="sharedStrings.xml"/>',
        ),
    }
    block = ("<si><t>" + "填充" * 300 + "</t></si>").encode() * 100
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename in added:
                end, entry = added[part.filename]
                content = content.decode().replace(end, entry + end).encode()
            target.writestr(part, content)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for _ in range(size // len(block) + 1):
                strings.write(block)
            strings.write(b"</sst>")
    return out.getvalue()
