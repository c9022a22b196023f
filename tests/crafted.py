"""Hostile files, made small and fast: a picture of 144 million pixels in 18 KB, a workbook of
60 MB in 150 KB. Each is valid by its format's rules; only its size once unpacked is hostile.

And the smallest real documents of each Office kind, to be accepted or — with macros, a password,
the wrong stream — refused: Office Open XML zips, and old Word/Excel compound files (ole_file)."""

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


def office_bytes(main: str = "word/document.xml", *, extra: dict | None = None) -> bytes:
    """A minimal Office Open XML document: [Content_Types].xml and the main part of its kind."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main, "<document>答复函：已增设变压器</document>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


# --- old Office documents: OLE2 compound files ---------------------------------------------------

OLE_SECTOR = 512
OLE_FREE, OLE_END, OLE_FAT, OLE_NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams: dict[str, bytes], *, class_id: bytes = bytes(16)) -> bytes:
    """A compound file (MS-CFB, version 3, 512-byte sectors) holding these streams, named by path
    ("WordDocument", "Macros/VBA/dir"): the container of Word 97–2003 .doc, Excel .xls and an
    .msi alike. Each stream is padded to 4 KB so that it lives in regular sectors (no mini
    stream); siblings hang off one another in the order MS-CFB sorts them. The header's class id
    is zero by the specification; WPS Office writes one (`class_id`)."""
    tree: dict = {}
    for path, content in streams.items():
        *storages, leaf = path.split("/")
        node = tree
        for storage in storages:
            node = node.setdefault(storage, {})
        node[leaf] = content.ljust(4096, b"\0")

    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": tree}]

    def add(children: dict) -> int:
        ids = []
        for name in sorted(children, key=lambda n: (len(n), n.upper())):
            value = children[name]
            entry = {"name": name, "type": 1 if isinstance(value, dict) else 2, "value": value}
            entries.append(entry)
            ids.append(len(entries) - 1)
            if isinstance(value, dict):
                entry["child"] = add(value)
        for this, following in zip(ids, ids[1:] + [OLE_NONE], strict=True):
            entries[this]["right"] = following
        return ids[0] if ids else OLE_NONE

    entries[0]["child"] = add(tree)
    directory_sectors = (len(entries) + 3) // 4
    fat = [OLE_FAT] + [i + 2 for i in range(directory_sectors - 1)] + [OLE_END]
    data = b""
    for entry in entries:
        if entry["type"] == 2:
            entry["start"], count = len(fat), len(entry["value"]) // OLE_SECTOR
            fat += [entry["start"] + i + 1 for i in range(count - 1)] + [OLE_END]
            data += entry["value"]
    assert len(fat) <= OLE_SECTOR // 4, "one FAT sector holds 128 sectors: keep the file small"
    fat += [OLE_FREE] * (OLE_SECTOR // 4 - len(fat))

    def entry_bytes(entry: dict) -> bytes:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        size = len(entry["value"]) if entry["type"] == 2 else 0
        siblings = (OLE_NONE, entry.get("right", OLE_NONE), entry.get("child", OLE_NONE))
        return (
            name.ljust(64, b"\0")
            + struct.pack("<HBB", len(name), entry["type"], 1)  # 1: black
            + struct.pack("<III", *siblings)
            + bytes(16 + 4 + 16)  # class id, state bits, times
            + struct.pack("<IQ", entry.get("start", OLE_END), size)
        )

    empty = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", *[OLE_NONE] * 3)
    empty += bytes(16 + 4 + 16) + struct.pack("<IQ", 0, 0)
    directory = b"".join(entry_bytes(e) for e in entries)
    directory += empty * (directory_sectors * 4 - len(entries))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + class_id
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, OLE_END, 0, OLE_END, 0)
        + struct.pack("<I", 0)  # the first (only) FAT sector: sector 0
        + struct.pack("<I", OLE_FREE) * 108
    )
    assert len(header) == OLE_SECTOR
    fat_sector = struct.pack(f"<{OLE_SECTOR // 4}I", *fat)
    return header + fat_sector + directory + data


def _biff(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def word_97(*, macros: bool = False) -> bytes:
    """A Word 97–2003 document: the WordDocument stream opening with its FIB identifier (0xA5EC),
    the table stream, the summary; with `macros`, Word's Macros storage as Word keeps VBA."""
    streams = {
        "WordDocument": struct.pack("<HH", 0xA5EC, 0x00C1) + "答复函".encode("utf-16-le"),
        "1Table": b"\0" * 16,
        "\x05SummaryInformation": b"\xfe\xff" + b"\0" * 46,
    }
    if macros:
        streams |= {"Macros/VBA/dir": b"\x01" * 16, "Macros/PROJECT": b'ID="{0}"\r\n'}
    return ole_file(streams)


def excel_97(*, sheet_type: int = 0, password: bool = False, wps: bool = False) -> bytes:
    """An Excel 97–2003 workbook stream: BOF, a sheet declared in the globals (BOUNDSHEET: 0 a
    worksheet, 1 an Excel 4.0 macro sheet), EOF; with `password`, the FILEPASS record; with `wps`,
    as WPS Office writes it: a class id in the header and its own ETExtData stream."""
    name = "台账".encode("utf-16-le")
    globals_ = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    if password:
        globals_ += _biff(0x002F, b"\x01\x00" + bytes(52))
    sheet = struct.pack("<IBBBB", 0, 0, sheet_type, 2, 1) + name
    globals_ += _biff(0x0085, sheet) + _biff(0x000A)
    worksheet = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)) + _biff(0x000A)
    if wps:
        streams = {"Workbook": globals_ + worksheet, "ETExtData": b"\x00" * 32}
        return ole_file(streams, class_id=bytes(range(1, 17)))
    return ole_file({"Workbook": globals_ + worksheet})
