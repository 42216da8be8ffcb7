"""Checks a workbook file before any XML parser sees it.

An .xlsx is a zip of XML parts.  Hostile or broken files (zip bombs, XML
entity bombs, external entities, macro payloads, links to other workbooks,
encrypted or non-xlsx files, sheets with millions of cells) are refused here
from the archive's directory and one streamed pass over each part, in bounded
memory, so a bad file costs at most a second, not gigabytes.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from planner.workbook.errors import Issues
from planner.workbook.xlsx import BINARY_SUFFIXES, XlsxError, read_structure

# Limits, documented in the README ("Limits on input files").  The default case is a 58 kB file
# holding 0.3 MB of XML, 3,300 cells and 11,000 XML elements.
MAX_FILE_BYTES = 20_000_000
MAX_MEMBERS = 1_000  # parts in the zip
MAX_INFLATED_BYTES = 50_000_000  # sum of uncompressed part sizes
MAX_RATIO = 100  # uncompressed/compressed, for parts over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1_000_000
MAX_CELLS = 100_000  # in all parts; reading one costs ~6 us (30 times the cells of the default case)
MAX_XML_ELEMENTS = 500_000  # in all parts: rows, styles, strings, ...; ~1.5 us each to read

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK_BYTES = 1 << 20
# Custom XML (SharePoint may write it in UTF-16) is counted like every other part: the workbook's
# relationships can name any part as a worksheet, wherever it is stored.
_UTF16_FOLDERS = ("customXml/",)
# A cell element with any namespace prefix or none (<c>, <x:c>, <ns0:c/>), as the reader finds them.
_CELL = re.compile(rb"<(?:[^\s<>/:!?]+:)?c[\s/>]")


class _Refused(Exception):
    """One reason to refuse the file; the first found is the one reported."""

    def __init__(self, expected: str, value: object = None, sheet: str = ""):
        super().__init__(expected)
        self.expected, self.value, self.sheet = expected, value, sheet


def check_workbook_file(path: Path) -> Issues:
    """Return the reasons ``path`` is not a safe, readable .xlsx (empty if it is)."""
    issues = Issues()
    try:
        _check(path)
    except _Refused as r:
        issues.error(r.sheet, "", "", r.value, r.expected)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        issues.error("", "", "", None, f"an .xlsx workbook; the file is a damaged or truncated zip archive ({exc})")
    except (OSError, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError) as exc:
        issues.error("", "", "", None, f"an .xlsx workbook; the archive cannot be read ({type(exc).__name__}: "
                                       f"{str(exc)[:200]})")
    return issues


def _check(path: Path) -> None:
    if not path.exists():
        raise _Refused(f"the file {str(path)!r} does not exist")
    if path.is_dir():
        raise _Refused(f"{str(path)!r} is a folder; expected an .xlsx workbook")
    if not path.is_file():  # a pipe, as <(...) gives, or a device: it reads as empty, and is read more than once
        raise _Refused(f"{str(path)!r} is a pipe or a device, not a file; expected an .xlsx workbook saved as a file")
    size = path.stat().st_size
    if size == 0:
        raise _Refused("an .xlsx workbook; the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise _Refused(f"a workbook of at most {MAX_FILE_BYTES:,} bytes (a planning case is well under 1 MB)",
                       f"{size:,} bytes")
    with path.open("rb") as f:
        head = f.read(8)
        if head.startswith(_OLE2_MAGIC):
            f.seek(0)
            _refuse_ole2(f.read())
    if not head.startswith(b"PK"):
        _refuse_lock_file(path)
        kind = "a text or CSV file" if _looks_like_text(path) else "not a zip archive"
        raise _Refused(f"an .xlsx workbook; the file is {kind}. Open it in Excel or LibreOffice and save it "
                       "as .xlsx (Excel Workbook)")
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        _refuse_opendocument(z)
        _check_directory(infos)
        totals = {"cells": 0, "elements": 0}
        cells: dict[str, int] = {}  # part -> its cells
        for info in infos:
            cells[info.filename] = _scan_part(z, info, totals)
            if totals["cells"] > MAX_CELLS:
                _refuse_cells(z, cells)


def _refuse_lock_file(path: Path) -> None:
    """The lock file a spreadsheet keeps beside an open workbook (Excel's ``~$name``, LibreOffice's
    ``.~lock.name#``), given in its place (a shell's completion offers it first): a few bytes naming who has
    the workbook open, which read as "a text file" or "not a zip" without a word of what it is."""
    name = path.name
    lock = re.fullmatch(r"~\$(.+)|\.~lock\.(.+)#", name)
    if lock is None:
        return
    program = "Excel" if lock[1] else "LibreOffice"
    tail = lock[1] or lock[2]
    # Excel may drop the first letters of a long name (~$rea_2030.xlsx for korea_2030.xlsx): match the rest.
    try:
        books = sorted(p.name for p in path.parent.iterdir() if p.name.endswith(tail) and p.name != name
                       and not p.name.startswith(("~$", ".~lock.")))
    except OSError:  # a folder that cannot be listed: the file itself was readable
        books = []
    raise _Refused(f"an .xlsx workbook; {name} is the lock file {program} keeps beside a workbook while it is open "
                   f"(it only names who has it open). Give {books[0] if books else 'the workbook'} itself")


def _refuse_ole2(data: bytes) -> None:
    """An OLE2 compound file: an encrypted .xlsx (its streams are named Encrypted...) or an old .xls."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _Refused("a workbook without a password; this one is password-protected (encrypted). Remove the "
                       "password in Excel (File > Info > Protect Workbook > Encrypt with Password, clear it) "
                       "and save again")
    raise _Refused("an .xlsx workbook; this is an old Excel 97-2003 .xls file (or another OLE2 document). "
                   "Open it in Excel and save it as .xlsx (Excel Workbook)")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as f:
        sample = f.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _refuse_opendocument(z: zipfile.ZipFile) -> None:
    """LibreOffice's own format (.ods, also renamed to .xlsx): a zip too, named by its ``mimetype`` part."""
    try:
        info = z.getinfo("mimetype")
    except KeyError:
        return
    if info.file_size > 200:  # an ODF mimetype is one short line; anything else is not one
        return
    kind = z.read(info).decode("ascii", "replace").strip()
    if kind == ODS_MIMETYPE:
        raise _Refused("an .xlsx workbook; this is an OpenDocument spreadsheet (.ods, LibreOffice's own format). "
                       "In LibreOffice use File > Save As, choose the file type 'Excel 2007-365 (.xlsx)' and "
                       "keep that format")
    if kind.startswith("application/vnd.oasis.opendocument."):
        raise _Refused(f"an .xlsx workbook; this is an OpenDocument file ({kind}), not a spreadsheet")


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """What the zip's central directory alone gives away, before anything is inflated."""
    names = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS:
        raise _Refused(f"at most {MAX_MEMBERS:,} parts in the archive; refused", f"{len(infos):,} parts")
    if "xl/workbook.bin" in names:
        raise _Refused("an .xlsx workbook; this is an Excel Binary Workbook (.xlsb). Open it in Excel and save it as "
                       ".xlsx (Excel Workbook)")
    if "xl/workbook.xml" not in names:
        raise _Refused("an .xlsx workbook; the archive has no xl/workbook.xml, so it is some other zip file")
    if any(i.flag_bits & 0x1 for i in infos):
        raise _Refused("a workbook without a password; parts of this archive are encrypted. Remove the "
                       "password and save again")
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_INFLATED_BYTES:
        raise _Refused(f"at most {MAX_INFLATED_BYTES:,} bytes uncompressed; refused as a possible zip bomb",
                       f"{inflated:,} bytes uncompressed")
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _Refused(f"a compression ratio of at most {MAX_RATIO}; refused as a possible zip bomb",
                           f"{i.filename}: {i.file_size:,} bytes from {i.compress_size:,}")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _Refused("a workbook without macros; this is a macro-enabled workbook (an .xlsm, whatever its name). "
                       "Open it in Excel and save it as a plain .xlsx (Excel Workbook)", "macros (vbaProject.bin)")
    if any(n.startswith("xl/externalLinks/") for n in names):
        raise _Refused("a self-contained workbook; this one has links to other workbooks. In Excel use Data > "
                       "Edit Links > Break Link (or paste the values) and save", "links to other workbooks")


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, totals: dict[str, int]) -> int:
    """Stream one part: refuse non-UTF-8 XML, entity declarations anywhere in it, and more elements than
    the limit (``totals`` counts them, and the cells, across the whole workbook); return the part's cells.
    A part is counted to its end, its cells past the limit too (the size of a sheet too big is named; the
    zip's inflated size bounds the cost)."""
    name = info.filename
    if info.is_dir() or name.lower().endswith(BINARY_SUFFIXES):
        return 0
    cells = 0
    tail = b""
    with z.open(info) as part:
        for chunk in _utf8_chunks(part, name):
            data = tail + chunk
            cut = data.rfind(b"<") if chunk else len(data)  # keep a tag cut by the chunk for the next round
            cut = cut if cut > 0 else len(data)
            cells += _count(data[:cut], name, totals)
            tail = data[cut:]
    return cells


def _utf8_chunks(part, name: str):
    """The part's bytes in chunks, as UTF-8, ending with an empty chunk; UTF-16 only in custom XML."""
    chunk = part.read(_CHUNK_BYTES)
    encoding = _utf16(chunk[:4])
    if encoding is None:
        while chunk:
            yield chunk
            chunk = part.read(_CHUNK_BYTES)
        yield b""
        return
    if not name.startswith(_UTF16_FOLDERS):
        raise _Refused("XML parts in UTF-8, as Excel writes them; open the file in Excel and save it again",
                       f"{name} in UTF-16")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    while chunk:
        yield decoder.decode(chunk).encode("utf-8")
        chunk = part.read(_CHUNK_BYTES)
    yield decoder.decode(b"", final=True).encode("utf-8")


def _utf16(head: bytes) -> str | None:
    """The UTF-16 codec a part starting with ``head`` is in (by its byte-order mark, or the zero
    byte of its first character), or None for UTF-8."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if b"\x00" in head:
        return "utf-16-be" if head[:1] == b"\x00" else "utf-16-le"
    return None


def _count(xml: bytes, name: str, totals: dict[str, int]) -> int:
    """The cells in ``xml``, added to ``totals`` with its elements."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _Refused("plain XML parts; entity declarations (XML bombs, external entities) are refused",
                       f"a DOCTYPE/ENTITY declaration in {name}")
    cells = len(_CELL.findall(xml))
    totals["cells"] += cells
    if totals["cells"] > MAX_CELLS:  # only cells are counted on: the part's own count names the sheet
        return cells
    totals["elements"] += xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")
    if totals["elements"] > MAX_XML_ELEMENTS:
        raise _Refused(f"at most {MAX_XML_ELEMENTS:,} XML elements in the workbook; refused",
                       f"more than {MAX_XML_ELEMENTS:,} XML elements")
    return cells


def _refuse_cells(z: zipfile.ZipFile, cells: dict[str, int]) -> None:
    """Refuse a workbook of more cells than the limit, naming the sheet with the most of those counted, and
    its size: a stray value or a format reaching far below a table makes one sheet hold them all."""
    part, most = max(cells.items(), key=lambda item: item[1])
    sheet = _sheet_names(z).get(part)
    counted = sum(cells.values())
    raise _Refused(f"at most {MAX_CELLS:,} cells in the workbook (a planning case has a few thousand); refused. "
                   f"{'This sheet' if sheet else 'The part ' + part} holds {most:,} of the {counted:,} cells "
                   "counted (a cell formatted but empty counts too): delete the rows and columns beyond its table, "
                   "and save", f"{most:,} cells", sheet or "")


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, as the reader finds them (``xlsx.read_structure``); empty where the
    workbook's structure cannot be read (the file is refused all the same)."""
    try:
        return {part: name for name, part in read_structure(z).sheet_parts.items()}
    except (XlsxError, expat.ExpatError):
        return {}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
