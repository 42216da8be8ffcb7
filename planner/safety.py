"""Checks a workbook file before any XML parser sees it.

An .xlsx is a zip of XML parts.  Hostile or broken files (zip bombs, XML
entity bombs, external entities, macro payloads, encrypted or non-xlsx files)
are refused here from the archive's directory and the first bytes of each
part, so a bad file costs milliseconds, not gigabytes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from planner.errors import Issues

# Limits, documented in the README ("When things go wrong").
MAX_FILE_BYTES = 50_000_000  # a planning case is a few hundred kB
MAX_MEMBERS = 1_000
MAX_INFLATED_BYTES = 150_000_000  # sum of uncompressed part sizes
MAX_RATIO = 200  # uncompressed/compressed, for parts over 1 MB
MAX_CELLS_PER_SHEET = 1_000_000  # from the sheet's <dimension>
_HEAD_BYTES = 65_536  # a DOCTYPE must precede the root element

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_workbook_file(path: Path) -> Issues:
    """Return the reasons ``path`` is not a safe, readable .xlsx (empty if it is)."""
    issues = Issues()

    def refuse(expected: str, value: object = None) -> Issues:
        issues.error("", "", "", value, expected)
        return issues

    if not path.exists():
        return refuse(f"the file {str(path)!r} does not exist")
    if path.is_dir():
        return refuse(f"{str(path)!r} is a folder; expected an .xlsx workbook")
    size = path.stat().st_size
    if size == 0:
        return refuse("the file is empty (0 bytes); expected an .xlsx workbook")
    if size > MAX_FILE_BYTES:
        return refuse(f"the file is {size:,} bytes; a planning workbook is at most {MAX_FILE_BYTES:,} bytes")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_OLE2_MAGIC):
        return refuse("the file is password-protected (encrypted) or an old .xls workbook; "
                      "save it unprotected as .xlsx (Excel Workbook)")
    if not head.startswith(b"PK"):
        kind = "a text or CSV file" if _looks_like_text(path) else "not a zip archive"
        return refuse(f"the file is {kind}, not an .xlsx workbook; open it in Excel or LibreOffice "
                      "and save it as .xlsx")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_members(z, infos, issues)
    except zipfile.BadZipFile as exc:
        return refuse(f"the file is a damaged or truncated zip archive ({exc}); expected an .xlsx workbook")
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        return refuse(f"the archive cannot be read ({exc}); expected an .xlsx workbook")
    return issues


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as f:
        sample = f.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _check_members(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], issues: Issues) -> None:
    names = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS:
        issues.error("", "", "", len(infos), f"the archive has more than {MAX_MEMBERS:,} parts; refused")
        return
    if "xl/workbook.xml" not in names:
        issues.error("", "", "", None, "the archive has no xl/workbook.xml: it is not an .xlsx workbook")
        return
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_INFLATED_BYTES:
        issues.error("", "", "", f"{inflated:,} bytes uncompressed",
                     f"at most {MAX_INFLATED_BYTES:,} bytes uncompressed; refused as a possible zip bomb")
        return
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            issues.error("", "", "", f"{i.filename}: {i.file_size:,} bytes from {i.compress_size:,}",
                         f"a compression ratio of at most {MAX_RATIO}; refused as a possible zip bomb")
            return
    if "xl/vbaProject.bin" in names or any(n.lower().endswith(".bin") and "vba" in n.lower() for n in names):
        issues.error("", "", "", "macros (xl/vbaProject.bin)",
                     "a workbook without macros; this is a macro-enabled file (.xlsm) saved as .xlsx. "
                     "Save it as a plain .xlsx")
    if any(n.startswith("xl/externalLinks/") for n in names):
        issues.error("", "", "", "links to other workbooks",
                     "a self-contained workbook; use Data > Edit Links > Break Link (or paste values) and save")
    for i in infos:
        if not i.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with z.open(i) as part:
            head = part.read(_HEAD_BYTES)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            issues.error("", "", "", f"a DOCTYPE/ENTITY declaration in {i.filename}",
                         "plain XML parts; entity declarations (XML bombs, external entities) are refused")
            return
        m = _DIMENSION.search(head) if i.filename.startswith("xl/worksheets/") else None
        if m and m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
            if rows * cols > MAX_CELLS_PER_SHEET:
                issues.error("", "", "", f"{i.filename}: {rows:,} rows x {cols:,} columns",
                             f"at most {MAX_CELLS_PER_SHEET:,} cells per sheet; refused")
                return
