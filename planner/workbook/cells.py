"""Cell values -> typed values: the parser every sheet's reader shares.

Each bad cell becomes an :class:`~planner.workbook.errors.Issue` with its
sheet, cell, column, the value found and what was expected; the parser then
raises :class:`Bad` so the row is kept out of the dataset.  Ids compare
through :func:`norm_key`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from planner.workbook import schema as S
from planner.workbook.errors import Issues
from planner.workbook.xlsx import Uncalculated, Unreadable

# Larger magnitudes are typing accidents (1e300), not data; and HiGHS takes a matrix entry of 1e15 or
# more (a capacity times a contract) as infinite, so the solve would fail.
MAX_ABS = 1e12
# What Excel shows in a cell whose formula failed; openpyxl reads it as text.
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
                "#GETTING_DATA")
# The unit of a 0-1 column that holds a score (a risk, an index), not a fraction of something: "80%" means
# nothing there, so its message gives no percent hint.
SCORE_UNIT = "0-1"
# A scale factor this large is more often a percentage typed as a number (120 for 120%, 50 for half) than a
# tenfold change: warned of, not refused (a new mine may well multiply a capacity tenfold).
PERCENT_LIKE_FACTOR = 10.0
_DECIMAL_COMMA = re.compile(r"\d,(?!\d{3}(?:\D|$))")  # a comma not before a group of three digits
# A number with a word or a currency after it ("1,200 t", "12,700 USD", "2035 AD").
# The number may have an exponent ("1e5 t": a number with 't' after it, not with 'e5 t').
# Its spaces only between digits ("57 000"): spaces the number and what follows could both take made a long text
# cell take seconds (quadratic backtracking).
_NUMBER = r"([-+\u2212]?\d(?:[\d,.]|\s+(?=\d))*(?:[eE][-+]?\d+)?)"
_UNIT_AFTER = re.compile(r"\s*" + _NUMBER + r"\s*((?:[^\W\d_]|[$\u20ac\u00a3\u00a5\u20a9]).*)", re.S)
# A currency or a word before it ("$16,800", "USD 12,700", "\u20a916,800").
_UNIT_BEFORE = re.compile(r"\s*((?:[^\W\d_]+\.?|[$\u20ac\u00a3\u00a5\u20a9])(?:\s*[$\u20ac\u00a3\u00a5\u20a9])?)\s*"
                          + _NUMBER + r"\s*", re.S)


def _pasted(text: str) -> float | None:
    """The number ``text`` is as pasted from a report or PDF (thousands separated by commas or thin, no-break
    spaces, a typographic minus sign, a percent sign: "4.5%" is 4.5), or None if it is none.  A number too large
    for any spreadsheet ("1e400", text wherever it is typed) is infinite."""
    try:
        x = float("".join(text.replace(",", "").replace("\u2212", "-").split()).rstrip("%"))
    except ValueError:
        return None
    # "NaN", "inf" and "1_000" are numbers to Python alone: typed again, as the message asked, they stay text.
    return None if math.isnan(x) or "_" in text or re.search(r"[^\W\deE]", text) else x


def norm_key(value: object) -> str:
    """Ids compare without regard to case, runs of white space, width (an input method's full-width
    ＫＯＲ is KOR) or the invisible characters a copy from a web page or PDF brings along (a zero-width
    space, a byte-order mark, a soft hyphen): two ids that look the same are the same id."""
    text = str(value)
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).casefold()


def one_of(ids, shown: int) -> str:
    """What a reference to the ids ``ids`` may hold, for a message: 'one of: ' the first ``shown`` in order
    (', ...' for more), or 'it has none' (a sheet without rows)."""
    listed = sorted(ids)
    if not listed:
        return "it has none"
    return "one of: " + ", ".join(listed[:shown]) + (", ..." if len(listed) > shown else "")


def first_few(cells: list[str], shown: int = 5) -> str:
    """Cells for a message: every one of a few, else the first ``shown`` and how many in all ('B3, B7, B9, ...
    (12 in all)')."""
    if len(cells) <= shown:
        return ", ".join(cells)
    return ", ".join(cells[:shown]) + f", ... ({len(cells)} in all)"


# What ``warn_outside`` says of selector years (Scenarios, Uncertainty) outside the horizon, as ``year_span`` cuts them.
SPANS_CUT = "selector year(s) reach outside it, and select only the years they share with it"


# The years some horizon could hold (Settings first_year's range): a year outside them is a typing slip (2401 for
# 2041), an error wherever it is, not a row of another horizon.
POSSIBLE_YEARS = S.bounds(S.SETTING_BY_NAME["first_year"])


def horizon_text(horizon: range) -> str:
    return f"the planning horizon {horizon[0]}-{horizon[-1]} (Settings first_year, last_year)"


def warn_outside(issues: Issues, sheet: str, column: str, cells: list[str], horizon: range, what: str) -> None:
    """One warning for the year cells ``cells`` of ``sheet`` outside ``horizon`` (none if there are none): a what-if on
    a shorter horizon runs on the same workbook, and says what it left out."""
    if cells:
        issues.warn(sheet, cells[0], column, None, f"years inside {horizon_text(horizon)}; {len(cells)} {what}: "
                                                   f"{first_few(cells)}")


def year_span(first: int | None, last: int | None, horizon: range, error, cut: list[str], cells: dict[str, str]
              ) -> range | None:
    """The years a selector's ``first`` and ``last`` year pick (blank: the horizon's end), cut to ``horizon``: a span
    reaching outside it (a what-if on a shorter horizon) picks the years it shares with it, and its cells outside
    go to ``cut`` (``cells``: column -> cell).  None, after ``error(column, value, expected)``, for a span reversed
    or wholly outside the horizon: it would pick nothing."""
    after = first is not None and first > horizon[-1]
    before = last is not None and last < horizon[0]
    for column, year, outside in (("first_year", first, after), ("last_year", last, before)):
        if outside:
            error(column, year, f"a year inside {horizon_text(horizon)}")
    if after or before:
        return None
    low = horizon[0] if first is None else first
    high = horizon[-1] if last is None else last
    if low > high:
        error("first_year", low, f"first_year <= last_year ({high})")
        return None
    cut += [cells[c] for c, y in (("first_year", first), ("last_year", last)) if y is not None and y not in horizon]
    return range(max(low, horizon[0]), min(high, horizon[-1]) + 1)


def another_description(kind: str, name: str, found: object, first: str, where: str) -> str | None:
    """What a later row of a named group (a scenario, a disruption, a risk: the rows with one name) must
    hold in its description cell when it holds ``found`` and the group's description is ``first``, at
    ``where`` ("'Scenarios'!B2"); None when ``found`` may stand (blank, the same, or the first given). A
    second description is a copied block whose name was not changed: its rows would join the first
    block's, and its description be dropped, without a word."""
    if not isinstance(found, str) or not found.strip() or not first or norm_key(found) == norm_key(first):
        return None
    return (f"blank, or the {kind}'s description as at {where}: a {kind} has one description, on its first "
            f"row, and the rows with one name (ignoring case and spaces) form one {kind}. Is this a copy of "
            f"{name!r} whose name was not changed? Give it a name of its own")


def percent_like(factor: float, what: str) -> str | None:
    """The warning for a scale factor (a Scenarios value, an Uncertainty low or high) of ``what`` that looks
    like a percentage typed as a number; None for one that does not."""
    if factor < PERCENT_LIKE_FACTOR:
        return None
    return (f"a factor (scale: 1 changes nothing, 1.2 adds 20%); {factor:g} multiplies {what} by {factor:g}. A "
            f"percentage typed as a number? For {factor:g}% type {factor / 100:g}")


def letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


class Parser:
    """Turns raw cell values into typed values, recording an Issue for each bad cell."""

    def __init__(self, issues: Issues, years: range | None):
        self.issues = issues
        self.years = years

    def parse(self, sheet: str, cell: str, col: S.Column | S.Setting, raw: object):
        """Return the typed value, None for a blank, or raise Bad after recording the issue."""
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            return None
        name = col.name if isinstance(col, S.Column) or sheet == "Settings" else "value"  # a Settings row: its name
        if isinstance(raw, Uncalculated):  # on every sheet, Settings and Scenarios included
            self.issues.error(sheet, cell, name, str(raw), "a value; this formula was never calculated (the "
                              "workbook was written by a program). Open it in Excel or LibreOffice, let it "
                              "recalculate, and save")
            raise Bad
        if isinstance(raw, Unreadable):
            self.issues.error(sheet, cell, name, raw.text, raw.expected)
            raise Bad
        kind = col.kind
        if kind == S.RAW:
            return raw

        def bad(expected: str):
            self.issues.error(sheet, cell, name, raw, expected)
            raise Bad

        if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
            bad("a value, not an Excel error; fix the formula that gives it, or type the value")
        if kind == S.SHARES:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                parts = [raw]  # one share typed as a number
            else:
                parts = [p.strip() for p in str(raw).split(";")]
            try:
                shares = tuple(float(p) for p in parts)
            except ValueError:
                shares = ()
            if not shares or any(not (0 <= x <= 1) or math.isnan(x) for x in shares):
                bad("shares from 0 to 1 separated by ';', such as 0.3;0.6;0.9 (a share above 1 would deliver more "
                    "than the capacity)")
            return shares
        if kind in (S.NUMBER, S.INTEGER, S.SHARE, S.YEAR):
            if isinstance(raw, bool):
                bad(f"a number; found a TRUE/FALSE value. {self._expect(col)}")
            if isinstance(raw, (dt.datetime, dt.date, dt.time)):
                bad(f"a {'year like 2026' if kind == S.YEAR else 'number'}; the cell holds a date "
                    "(format it as Number or General and type the value)")
            if isinstance(raw, str):
                pasted = _pasted(raw)
                if pasted is not None and abs(pasted) > MAX_ABS:  # "1e400": no spreadsheet holds it as a number
                    bad(f"a number of sensible size (|x| <= {MAX_ABS:g}); the cell holds text, a number beyond it. "
                        f"{self._expect(col)}")
                if pasted is not None:
                    # One comma not before a group of three digits is a decimal comma ("0,4"): typed again, as
                    # the message asked, it stayed text where the decimal sign is a point.
                    comma = raw.count(",") == 1 and _DECIMAL_COMMA.search(raw)
                    retype = (f"type it with a decimal point, {raw.strip().replace(',', '.')}" if comma
                              else "re-enter it as a number")
                    share = kind == S.SHARE and col.unit != SCORE_UNIT or col.unit == "share/yr"  # escalation too
                    if share and raw.strip().endswith("%") and not comma:
                        # "4.5%" typed again as 4.5 would be refused as above 1, or read as 450%; "0.5%" of a
                        # price escalation typed again as 0.5 would be read as 50% a year.
                        retype = f"type it as {pasted / 100:g} (the percentage divided by 100)"
                    bad(f"a number, but the cell holds text that looks like a number (a number stored as "
                        f"text); {retype}. {self._expect(col)}")
                # "1,200 t", "12,700 USD", "$16,800": the number is read in the column's unit
                after = _UNIT_AFTER.fullmatch(raw)
                before = None if after else _UNIT_BEFORE.fullmatch(raw)
                for number, unit, where in ((after and after[1], after and after[2], "after"),
                                            (before and before[2], before and before[1], "before")):
                    if number and _pasted(number) is not None:
                        bad(f"a number; the cell holds text, a number with {unit.strip()!r} {where} it: type the "
                            f"number alone, in the column's unit. {self._expect(col)}")
                bad(f"a number; the cell holds text. {self._expect(col)}")
            if not isinstance(raw, (int, float)):
                bad(f"a number. {self._expect(col)}")
            x = float(raw)
            if math.isnan(x) or math.isinf(x):
                bad(f"a finite number. {self._expect(col)}")
            if abs(x) > MAX_ABS:
                bad(f"a number of sensible size (|x| <= {MAX_ABS:g}). {self._expect(col)}")
            if kind in (S.INTEGER, S.YEAR) and x != int(x):
                bad(f"a whole number. {self._expect(col)}")
            if kind == S.YEAR:
                y = int(x)
                if self.years is not None and y not in self.years:
                    bad(f"a year inside {horizon_text(self.years)}")
                return y
            if S.is_tonnage(col.unit) and x > S.MAX_TONNES:
                bad(f"{self._wanted(col)}: {S.TONNES_WHY}")
            if not S.bounds(col).holds(x):
                hint = " (write 0.8 for 80%)" if kind == S.SHARE and col.unit != SCORE_UNIT and 1 < x <= 100 else ""
                bad(f"{self._wanted(col)}{hint}")
            return int(x) if kind == S.INTEGER else x
        if kind == S.YESNO:
            if isinstance(raw, bool):
                return raw
            text = norm_key(raw)
            if text in ("yes", "no", "true", "false"):  # TRUE typed in a cell formatted as text is text
                return text in ("yes", "true")
            bad(f"yes or no; the cell holds {'a number' if isinstance(raw, (int, float)) else 'other text'}. "
                "Expected yes or no (or TRUE/FALSE)")
        if isinstance(raw, (dt.datetime, dt.date, dt.time)):
            bad("text; the cell holds a date")
        if isinstance(raw, float) and raw == int(raw):
            raw = int(raw)  # an id typed as 12 reads back as 12.0
        text = " ".join(str(raw).split())
        if kind == S.CHOICE:
            choices = col.choices
            match = next((c for c in choices if norm_key(c) == norm_key(text)), None)
            if match is None:
                bad("one of the listed choices. Expected one of: " + ", ".join(choices))
            return match
        return text

    @classmethod
    def _expect(cls, col) -> str:
        """What a number cell of ``col`` must hold, as the sentence that ends a message on another fault."""
        return f"Expected {cls._wanted(col)}."

    @staticmethod
    def _wanted(col) -> str:
        """What a number cell of ``col`` must hold, from the schema's bounds (``schema.bounds``): "a number
        from 0 to 1,000,000,000 t/yr", "a share between 0 and 1", "a score between 0 and 1"."""
        b = S.bounds(col)
        unit = f" {col.unit}" if col.unit and col.unit not in ("share", SCORE_UNIT) else ""
        if col.kind == S.YEAR:
            return "a year"
        if col.unit == "year":  # bounds that are years: 'a year from 1990 to 2100', not '... to 2100 year'
            return f"a year {b.text}"
        what = {S.SHARE: "a score" if col.unit == SCORE_UNIT else "a share",
                S.INTEGER: "a whole number"}.get(col.kind, "a number")
        if col.kind == S.SHARE and (b.low, b.high, b.low_open, b.high_open) == (0.0, 1.0, False, False):
            return f"{what} between 0 and 1"
        return f"{what} {b.text}{unit}" if b.text != "any" else f"{what}{unit}"


class Bad(Exception):
    pass
