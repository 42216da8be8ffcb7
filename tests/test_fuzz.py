"""Seeded fuzzing of the reader: mutated workbooks may be refused, never crash it.

Five mutators over a small valid workbook (the default case cut to lithium):
random bytes of the zip file; random bytes of one XML part, re-zipped so the
damage reaches the XML parser; random values of random types written into
random cells with openpyxl, anywhere or in the cells the study sheets and
settings are read from (every Settings value, the Disruptions and Disruption
risks sheets); and structural edits other programs and attackers
make (namespace prefixes, cells far from the table, formulas without values,
sheets stored under customXml/, declared sizes, formulas in headers).  Every
bound the schema declares is tried too, on every column and setting at once:
out of range, NaN and text are each refused at their cell.  The
only exception allowed out of ``read_workbook`` is ``InputError``.  A failure
prints the kind and seed; ``mutated(kind, seed)`` rebuilds that exact file.
Command-line option values are fuzzed the same way: refused with exit 2,
before any work.
"""

import datetime as dt
import functools
import io
import math
import random
import re
import time
import zipfile
import zlib

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.indexed_list import IndexedList

from click.testing import CliRunner

from corpus import kept_writer, namespaced, raw_zip
from planner.cli import main
from planner.workbook.sheet_xml import xlsx_bytes
from planner.workbook.cells import POSSIBLE_YEARS
from planner.workbook import schema as S
from factory import default_tables_for
from planner.workbook.errors import InputError
from planner.workbook.reader import YEAR_SPANS, YEARLY_ROWS, read_workbook
from planner.workbook.writer import build_input_workbook

CASES = {"zip_bytes": 600, "xml_bytes": 250, "cell_values": 150, "structure": 200,
         "study_cells": 150}  # 1,350, about 45 s
SEED = 20261123

TOKENS = [b"<", b">", b"/>", b'"', b"&", b"&amp;", b"&#0;", b"\x00", b"\xff\xfe", b"<!DOCTYPE x>", b"]]>",
          b'<c r="A1"><v>1</v></c>', b'<c r="ZZZZ9"/>', b'r="A0"', b't="s"', b't="b"', b't="e"', b't="d"',
          b"<v>NaN</v>", b"<v>-1e400</v>", b"9" * 40, b"<row/>", b'<mergeCell ref="A1:B2"/>', b"\xc3\x28"]


@functools.cache
def base_bytes() -> bytes:
    """The default case cut to one mineral and the countries and sources it needs, without the
    header notes (comments): quick to write and read."""
    keep = default_tables_for("lithium")
    countries = {"KOR"} | {r[c] for r in keep["Suppliers"] for c in ("origin_country", "processing_country")}
    countries |= {c for r in keep["Agreements"] for c in r["partner_countries"].split(";")}
    for sheet in ("Disruptions", "Disruption risks"):
        keep[sheet] = [r for r in keep[sheet] if r["country"] in countries]
        countries |= {c for r in keep[sheet] for c in (r["partners_hit"] or "").split(";") if c}
    countries |= {r["country"] for r in keep["Partners"]} | {e.split(":")[0] for r in keep["Partners"]
                                                              for e in (r["main_suppliers"] or "").split(";") if e}
    keep["Countries"] = [r for r in keep["Countries"] if r["country_code"] in countries]
    cited = {r.get(c.name) for name, rows in keep.items() if name != "Sources" for r in rows
             for c in (S.SHEET_BY_NAME[name].columns if name != "Settings" else ()) if c.kind == S.SOURCE}
    cited |= {r.get("source_id") for r in keep["Settings"]}
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
        lambda: rng.choice([0, 1, 2023, 2024, 2030, 2031, 2101, -1, 0.5, 1.5, 100, 0.999, 0.9995, 1e11]),
    ][kind]()


@functools.cache
def base_workbook():
    """The fuzz base, opened once for every case that edits its cells, and saved twice: openpyxl writes a sheet's
    outline level from its second save on, so every case's save writes it as the second did.  Each case's edits
    are put back after (_put_back): every case starts from this workbook, and its sheets not edited are written
    as their parts of that second save."""
    wb = load_workbook(io.BytesIO(base_bytes()))
    xlsx_bytes(wb)
    _AS_SAVED["xlsx"] = xlsx_bytes(wb, writer=kept_writer(_KEPT, set()))
    _AS_SAVED["sheets"] = dict(_KEPT)
    _AS_SAVED["styles"] = list(wb._number_formats), list(wb._cell_styles)
    return wb


_KEPT: dict = {}  # the parts of base_workbook()'s sheets as last written, for the sheets not edited since
_AS_SAVED: dict = {}  # base_workbook() as its second save wrote it: "xlsx" its bytes, "sheets" their parts (as
# _KEPT holds them), "styles" its number formats and cell styles


def _edit(ws, row: int, column: int, value, held: dict) -> None:
    """Type ``value`` into a cell of base_workbook(), into a copy of the cell as built (kept in ``held``: (sheet,
    row, column) -> the cell, None where there was none) for _put_back."""
    key = (row, column)
    if (ws.title, *key) not in held:
        cell = held[ws.title, *key] = ws._cells.get(key)
        if cell is not None:
            typed = ws._cells[key] = cell.__class__(ws, *key, style_array=cell._style)  # which it copies
            typed._value, typed.data_type, typed._hyperlink, typed._comment = (
                cell._value, cell.data_type, cell._hyperlink, cell._comment)
    ws.cell(row, column).value = value


def saved(wb, held: dict) -> bytes:
    """base_workbook() with the cells in ``held`` typed in (_edit), as its .xlsx bytes: the sheets typed in are
    written anew, the others as their parts of the last write (kept_writer; serialising every sheet was half of a
    case's time).  Then every cell, style and sheet part is put back."""
    try:
        return xlsx_bytes(wb, writer=kept_writer(_KEPT, {sheet for sheet, *_ in held}))
    finally:
        _put_back(wb, held)


def _put_back(wb, held: dict) -> None:
    """base_workbook() as built again: each cell in ``held`` as it was; the cells the edits made deleted (kept, they
    moved ws.max_row, and so the cells later cases picked: mutated(kind, seed) alone made another file); the number
    formats and styles a date typed in added dropped; its sheets' parts as written before the edits."""
    for (sheet, *key), cell in held.items():
        if cell is None:
            del wb[sheet]._cells[tuple(key)]
        else:
            wb[sheet]._cells[tuple(key)] = cell
        _KEPT[sheet] = _AS_SAVED["sheets"][sheet]
    number_formats, cell_styles = _AS_SAVED["styles"]
    if len(wb._number_formats) != len(number_formats) or len(wb._cell_styles) != len(cell_styles):
        wb._number_formats, wb._cell_styles = IndexedList(number_formats), IndexedList(cell_styles)


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
    if kind == "structure":
        base = base_members()
        members = {n: m[0] for n, m in base.items()}
        for _ in range(rng.randint(1, 3)):
            rng.choice(STRUCTURE_EDITS)(rng, members)
        parts = []
        for name, xml in members.items():
            if name in base and base[name][0] == xml:  # a part no edit changed: its deflate data, made once
                parts.append((name, *base[name][1:]))
                continue
            c = zlib.compressobj(1, zlib.DEFLATED, -15)
            parts.append((name, c.compress(xml) + c.flush(), zlib.crc32(xml), len(xml)))
        return raw_zip(parts)
    wb = base_workbook()  # cell_values, study_cells: edit in place, save, then put the workbook back
    held: dict = {}
    for _ in range(rng.randint(1, 5)):
        if kind == "study_cells":
            ws = wb[rng.choice(["Settings", "Disruptions", "Disruption risks"])]
            at = rng.randint(2, ws.max_row + 1), 2 if ws.title == "Settings" else rng.randint(1, ws.max_column)
        else:
            ws = wb[rng.choice(wb.sheetnames)]
            at = rng.randint(1, ws.max_row + 2), rng.randint(1, ws.max_column + 1)
        _edit(ws, *at, random_value(rng), held)
    # openpyxl's writer, in memory: every part the bytes of wb.save (tests/test_sheet_xml.py) in a third of the
    # time, which was three quarters of a case's
    return saved(wb, held)


def _sheet_part(rng: random.Random, members: dict[str, bytes]) -> str:
    return rng.choice(sorted(n for n in members if n.startswith("xl/worksheets/sheet")))


def _far_cell(rng: random.Random) -> bytes:
    row, column = rng.choice([rng.randint(1, 1_048_576), rng.randint(1, 12)]), rng.randint(1, 16_384)
    letters = ""
    while column:
        column, r = divmod(column - 1, 26)
        letters = chr(65 + r) + letters
    p = rng.choice(["", "x:"])
    body = rng.choice([b"", b"<v>7</v>", b"<v>NaN</v>", b"<f>1+1</f>", b"<x:f>A1*2</x:f>", b"<v>99999</v>",
                       b"<is><t>far</t></is>"])
    kind = rng.choice([b"", b' t="s"', b' t="inlineStr"', b' t="b"', b' t="e"', b' s="1"'])
    return (b'<%srow r="%d"><%sc r="%s%d"%s>' % (p.encode(), row, p.encode(), letters.encode(), row, kind)
            + body.replace(b"<x:", b"<" + p.encode()).replace(b"</x:", b"</" + p.encode())
            + b"</%sc></%srow>" % (p.encode(), p.encode()))


def _edit_prefix(rng, members):
    name = rng.choice(sorted(n for n in members if n.endswith(".xml") or n.endswith(".rels")))
    members[name] = namespaced(members[name])


def _edit_far_cell(rng, members):
    name = _sheet_part(rng, members)
    members[name] = members[name].replace(b"</sheetData>", _far_cell(rng) + b"</sheetData>")


def _edit_formula_without_value(rng, members):
    name = _sheet_part(rng, members)
    values = list(re.finditer(rb"<v>[^<]*</v>", members[name]))
    if values:
        v = rng.choice(values)
        members[name] = members[name][:v.start()] + rng.choice([b"<f>1+1</f>", b'<y:f xmlns:y="urn:y">2*2</y:f>',
                                                                  b"<f/>"]) + members[name][v.end():]


def _edit_dimension(rng, members):
    name = _sheet_part(rng, members)
    members[name] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD%d"' % rng.randint(1, 1_048_576),
                           members[name])


def _edit_custom_xml(rng, members):
    name = _sheet_part(rng, members)
    moved = f"customXml/item{rng.randint(1, 9)}.xml"
    members[moved] = members.pop(name)
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(name.encode(),
                                                                                          moved.encode())


def _edit_header(rng, members):
    name = _sheet_part(rng, members)
    members[name] = re.sub(rb'(<c r="[A-Z]+1"[^>]*><is><t>)[^<]*', rb'\g<1>=HYPERLINK("http://evil.example/","x")',
                           members[name], count=1)


STRUCTURE_EDITS = [_edit_prefix, _edit_far_cell, _edit_formula_without_value, _edit_dimension, _edit_custom_xml,
                   _edit_header]


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
    if kind in ("cell_values", "study_cells"):  # every case's edits were put back: the base written anew is the base
        assert _parts(xlsx_bytes(base_workbook())) == _parts(_AS_SAVED["xlsx"])


def _parts(xlsx: bytes) -> dict[str, bytes]:
    """The parts of an .xlsx but the time it was saved at (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


NAN = 987654.125  # written by openpyxl, then turned into NaN in the XML (openpyxl writes NaN as blank)


def edited_base(edits: dict[tuple[str, str], object]) -> bytes:
    """The fuzz base with ``edits`` ((sheet, cell) -> value; math.nan for NaN) written."""
    wb = base_workbook()
    held: dict = {}
    for (sheet, coord), value in edits.items():
        _edit(wb[sheet], *coordinate_to_tuple(coord), NAN if isinstance(value, float) and math.isnan(value) else value,
              held)
    written = io.BytesIO(saved(wb, held))
    out = io.BytesIO()
    with zipfile.ZipFile(written) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name).replace(f"<v>{NAN!r}</v>".encode(), b"<v>NaN</v>"))
    return out.getvalue()


def _specs():
    """(sheet, cell, spec) of every Settings value and of the first data row of every other sheet."""
    for i, spec in enumerate(S.SETTINGS, start=2):
        yield "Settings", f"B{i}", spec
    for sheet in S.SHEETS[1:]:
        for j, col in enumerate(sheet.columns, start=1):
            yield sheet.name, f"{chr(64 + j)}2", col


def _outside(sheet: str, spec, years: range) -> list:
    """Values just outside the range the schema declares for ``spec`` on ``sheet``: for a year, the horizon
    ``years``, or the years any horizon could hold where a row outside this one is ignored or a span cut to it."""
    if spec.kind == S.YEAR:
        if sheet in YEARLY_ROWS + YEAR_SPANS:
            return [POSSIBLE_YEARS.low - 1, POSSIBLE_YEARS.high + 1, years[0] + 0.5]
        return [years[0] - 1, years[-1] + 1, years[0] + 0.5]
    b = S.bounds(spec)
    out = [] if spec.kind != S.INTEGER else [(b.low or 0) + 1.5]
    if b.low is not None:
        out.append(b.low if b.low_open else b.low - (1 if spec.kind == S.INTEGER else 1e-3))
    if b.high is not None:
        out.append(b.high if b.high_open else b.high + (1 if spec.kind == S.INTEGER else 1e-3))
    return out


def _refused_at(edits: dict, tmp_path) -> dict[str, list[str]]:
    """cell -> the errors read_workbook reports there, for the fuzz base with ``edits``."""
    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited_base(edits))
    with pytest.raises(InputError) as e:
        read_workbook(path)
    found: dict[str, list[str]] = {}
    for issue in e.value.issues:
        found.setdefault(issue.where, []).append(str(issue))
    return found


@pytest.mark.parametrize("which", [0, 1, 2])
def test_every_declared_bound_is_enforced_at_its_cell(which, tmp_path):
    """Each number column and setting, just outside each bound the schema declares (the README and
    the About sheet state the same, generated from it): every cell refused, in one pass."""
    years = read_workbook_base().data.settings.years
    edits = {}
    for sheet, coord, spec in _specs():
        if spec.kind in S.NUMERIC and (spec.kind != S.YEAR or sheet != "Settings"):
            values = _outside(sheet, spec, years)
            if which < len(values):
                edits[sheet, coord] = values[which]
    found = _refused_at(edits, tmp_path)
    missed = {f"'{sheet}'!{coord}": v for (sheet, coord), v in edits.items() if f"'{sheet}'!{coord}" not in found}
    assert not missed, missed


@pytest.mark.parametrize("value", [math.nan, "not a value", "1e3 t"])
def test_nan_and_text_are_refused_in_every_typed_cell(value, tmp_path):
    """NaN and text in every number, choice, yes/no and reference cell of every sheet and every
    setting, all at once: each refused at its cell (text columns may hold anything)."""
    typed = (*S.NUMERIC, S.CHOICE, S.YESNO, *S.REFERENCES)
    edits = {(sheet, coord): value for sheet, coord, spec in _specs() if spec.kind in typed}
    found = _refused_at(edits, tmp_path)
    missed = [f"'{sheet}'!{coord}" for sheet, coord in edits if f"'{sheet}'!{coord}" not in found]
    assert not missed, missed


@functools.cache
def _base_loaded():
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/base.xlsx"
        with open(path, "wb") as f:
            f.write(base_bytes())
        return read_workbook(path)


def read_workbook_base():
    return _base_loaded()


def test_fuzz_base_is_a_valid_workbook(tmp_path):
    path = tmp_path / "base.xlsx"
    path.write_bytes(base_bytes())
    loaded = read_workbook(path)
    assert list(loaded.data.minerals) == ["lithium"]
    assert sum(CASES.values()) >= 1000
    assert set(S.SHEET_BY_NAME) <= set(load_workbook(path).sheetnames)


def test_namespace_prefixes_change_nothing_read(tmp_path):
    """Every part written with a prefix (<x:c>, as the .NET Open XML SDK does) reads as the plain file."""
    plain, prefixed = tmp_path / "plain.xlsx", tmp_path / "prefixed.xlsx"
    plain.write_bytes(base_bytes())
    with zipfile.ZipFile(io.BytesIO(base_bytes())) as src, zipfile.ZipFile(prefixed, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, namespaced(src.read(name)))
    assert read_workbook(prefixed).data == read_workbook(plain).data


# Command-line values as a careless user or a script might pass them.
NUMBERS = ["nan", "NaN", "inf", "-inf", "1e400", "1e-320", "-0", "0", "-5", "1e15", "100000", "256", "257", "0.0999",
           "0.1", "1", "1.5", "", " ", "1_000", "0x10", "١", "two", "1,5", "99999999999999999999999"]


def option_case(rng: random.Random) -> list[str]:
    def number():
        return rng.choice(NUMBERS)

    options = [["--time-limit", number()], ["--gap", number()], ["--threads", number()]]
    command = rng.choice(["solve", "compare", "sweep"])
    if command == "compare":
        options += [["-j", number()], ["-s", rng.choice(["", "x" * 300, "base"])]]
    if command == "sweep":
        ranges = [f"{number()}:{number()}:{number()}", ",".join([number()] * rng.choice([1, 2, 201, 5000])),
                  number(), f"{number()}:{number()}"]
        options += [[rng.choice(["--china-cap", "--risk-cap", "--recycling", "--stockpile-days"]), rng.choice(ranges)],
                    ["--years", rng.choice(["all", "2030", "2024-99999999999999", "2030-2024", "1-2", "x", ""])]]
    chosen = rng.sample(options, rng.randint(1, len(options)))
    return [command, "no-such-workbook.xlsx"] + [part for option in chosen for part in option]


def test_option_values_are_refused_plainly_before_any_work():
    """Every case names a workbook that does not exist: an option that passes its check meets that
    error, so every case ends with exit 2, quickly, never with a traceback or a hang."""
    rng = random.Random(SEED)
    for _ in range(300):
        args = option_case(rng)
        t0 = time.process_time()  # CPU time: the same on a machine busy with other work
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), (args, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output, (args, result.output)
        assert time.process_time() - t0 < 1.0, args
