"""Seeded fuzzing of the reader: mutated workbooks may be refused, never crash it.

Three mutators over a small valid workbook (the default case cut to lithium):
random bytes of the zip file; random bytes of one XML part, re-zipped so the
damage reaches the XML parser; and random values of random types written
into random cells with openpyxl.  The only exception allowed out of
``read_workbook`` is ``InputError``.  A failure prints the kind and seed;
``mutated(kind, seed)`` rebuilds that exact file.
"""

import datetime as dt
import functools
import io
import math
import random
import time
import zipfile
import zlib

import pytest
from openpyxl import load_workbook

from corpus import raw_zip
from planner.workbook import schema as S
from factory import scenarios_still_valid
from planner.workbook.defaults import load_default_tables
from planner.workbook.errors import InputError
from planner.workbook.reader import read_workbook
from planner.workbook.writer import build_input_workbook

CASES = {"zip_bytes": 600, "xml_bytes": 250, "cell_values": 150}  # 1,000 in all, about 35 s
SEED = 20261123

TOKENS = [b"<", b">", b"/>", b'"', b"&", b"&amp;", b"&#0;", b"\x00", b"\xff\xfe", b"<!DOCTYPE x>", b"]]>",
          b'<c r="A1"><v>1</v></c>', b'<c r="ZZZZ9"/>', b'r="A0"', b't="s"', b't="b"', b't="e"', b't="d"',
          b"<v>NaN</v>", b"<v>-1e400</v>", b"9" * 40, b"<row/>", b'<mergeCell ref="A1:B2"/>', b"\xc3\x28"]


@functools.cache
def base_bytes() -> bytes:
    """The default case cut to one mineral and the countries and sources it needs, without the
    header notes (comments): quick to write and read."""
    tables = load_default_tables()
    keep = {k: [r for r in rows if r.get("mineral_id") in (None, "lithium")] for k, rows in tables.items()}
    countries = {"KOR"} | {r[c] for r in keep["Suppliers"] for c in ("origin_country", "processing_country")}
    countries |= {c for r in keep["Agreements"] for c in r["partner_countries"].split(";")}
    keep["Scenarios"] = scenarios_still_valid(keep)
    keep["Countries"] = [r for r in keep["Countries"] if r["country_code"] in countries]
    cited = {r.get("source_id") for name, rows in keep.items() if name != "Sources" for r in rows}
    keep["Sources"] = [r for r in keep["Sources"] if r["source_id"] in cited]
    wb = build_input_workbook(keep)
    wb.remove(wb["About"])
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.comment = None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@functools.cache
def base_members() -> dict[str, tuple[bytes, bytes, int, int]]:
    """name -> (XML, raw deflate data, CRC-32, size), so a mutated part is the only one recompressed."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(base_bytes())) as z:
        for name in z.namelist():
            data = z.read(name)
            c = zlib.compressobj(1, zlib.DEFLATED, -15)
            out[name] = (data, c.compress(data) + c.flush(), zlib.crc32(data), len(data))
    return out


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(buf) + 1)
        op = rng.randrange(6)
        if op == 0:  # flip bits
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # truncate
            del buf[at:]
        elif op == 2:  # insert random bytes
            buf[at:at] = rng.randbytes(rng.randint(1, 64))
        elif op == 3:  # insert a token that means something to a zip or an XML parser
            buf[at:at] = rng.choice(TOKENS)
        elif op == 4:  # delete a slice
            del buf[at:at + rng.randint(1, 256)]
        else:  # repeat a slice
            buf[at:at] = buf[at:at + rng.randint(1, 512)] * rng.randint(2, 20)
        if not buf:
            break
    return bytes(buf)


def random_value(rng: random.Random):
    kind = rng.randrange(12)
    return [
        lambda: rng.choice(["", " ", "lithium", "LITHIUM ", "yes", "No", "on", "CHN", "12700", "1,5", "80%", "#N/A",
                            "1e300", "=SUM(A1:A3)", "Ω≈ç√", "x" * 2000, "2026-01-01", "NaN", "-0", "JPN;;XXX"]),
        lambda: rng.choice([True, False]),
        lambda: None,
        lambda: rng.choice([1e300, -1e300, 1e15 + 1, 5e-324, 2 ** 63, -(2 ** 63), 10 ** 30]),
        lambda: rng.choice([math.nan, math.inf, -math.inf]),
        lambda: dt.datetime(rng.randint(1900, 2200), rng.randint(1, 12), rng.randint(1, 28)),
        lambda: dt.date(rng.randint(1900, 2200), 1, 1),
        lambda: dt.time(rng.randint(0, 23), 30),
        lambda: rng.choice(["=1/0", "=A1", "=Suppliers!F2*2", "=NOW()", "=[1]Prices!A1", '="text"']),
        lambda: rng.randint(-10 ** 6, 10 ** 6),
        lambda: rng.uniform(-2, 2),
        lambda: rng.choice([0, 1, 2023, 2024, 2030, 2031, 2101, -1, 0.5, 1.5, 100]),
    ][kind]()


@functools.cache
def base_workbook():
    return load_workbook(io.BytesIO(base_bytes()))


def mutated(kind: str, seed: int) -> bytes:
    """The workbook bytes of fuzz case ``seed`` of ``kind``."""
    rng = random.Random(seed)
    if kind == "zip_bytes":
        return mutate_bytes(rng, base_bytes())
    if kind == "xml_bytes":
        members = base_members()
        name = rng.choice(sorted(members))
        xml = mutate_bytes(rng, members[name][0])
        c = zlib.compressobj(1, zlib.DEFLATED, -15)
        changed = (name, c.compress(xml) + c.flush(), zlib.crc32(xml), len(xml))
        return raw_zip([changed if n == name else (n, *m[1:]) for n, m in members.items()])
    wb = base_workbook()  # cell_values: edit in place, save, then put every cell back
    changed = {}
    for _ in range(rng.randint(1, 5)):
        ws = wb[rng.choice(wb.sheetnames)]
        cell = ws.cell(rng.randint(1, ws.max_row + 2), rng.randint(1, ws.max_column + 1))
        changed.setdefault(cell, (cell.value, cell.number_format, cell.data_type))
        cell.value = random_value(rng)
    buf = io.BytesIO()
    try:
        wb.save(buf)
    finally:
        for cell, (value, fmt, data_type) in changed.items():
            cell.value, cell.number_format, cell.data_type = value, fmt, data_type
    return buf.getvalue()


@pytest.mark.parametrize("kind", list(CASES))
def test_reader_refuses_or_reads_every_mutation_and_never_crashes(kind, tmp_path):
    path = tmp_path / "fuzzed.xlsx"
    crashes, refused = [], 0
    t0 = time.perf_counter()
    for seed in range(SEED, SEED + CASES[kind]):
        path.write_bytes(mutated(kind, seed))
        try:
            read_workbook(path)
        except InputError:
            refused += 1
        except Exception as exc:  # anything else is a bug in the reader
            crashes.append(f"mutated({kind!r}, {seed}): {type(exc).__name__}: {str(exc)[:200]}")
    print(f"fuzz {kind}: {CASES[kind]} cases, {refused} refused, {len(crashes)} crashes, "
          f"{time.perf_counter() - t0:.1f} s")
    assert not crashes, "\n".join(crashes[:20])


def test_fuzz_base_is_a_valid_workbook(tmp_path):
    path = tmp_path / "base.xlsx"
    path.write_bytes(base_bytes())
    loaded = read_workbook(path)
    assert list(loaded.data.minerals) == ["lithium"]
    assert sum(CASES.values()) >= 1000
    assert set(S.SHEET_BY_NAME) <= set(load_workbook(path).sheetnames)
