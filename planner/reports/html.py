"""Self-contained HTML reports with inline SVG charts, using the standard library only.

Every function returns a string of HTML (or SVG) that needs nothing outside
itself: no scripts, fonts, images or style sheets are fetched, so a report
opens offline and prints as it shows. All text that may come from a workbook
(names, titles, cells) is escaped.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from importlib import resources

from planner.reports.labels import EN, label

# Okabe-Ito (colour-blind safe), then Paul Tol's muted colours for charts with more series;
# yellow and grey come last because thin lines in them are hard to see on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#332288", "#882255",
           "#117733", "#999933", "#AA4499", "#44AA99", "#661100", "#F0E442", "#888888"]
FORMATS = ("number", "percent", "usd_m", "usd", "days", "t", "year", "probability", "text")

# Korean after the Latin faces: Noto Sans CJK (Linux), Apple SD Gothic Neo (macOS), Malgun Gothic (Windows).
FONT = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans CJK KR', "
        "'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif")
TEXT, MUTED, AXIS, GRID = "#1f2933", "#52606d", "#7b8794", "#e4e7eb"
TITLE_PX, TICK_PX, LEGEND_PX = 15, 11.5, 12
ROTATED_COS = math.cos(math.radians(40))  # category labels turn 40°
EN_DASH = "\u2013"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML, even escaped


# One colour per country in every chart of every report: the countries Korea buys most from are fixed
# (China in vermilion, Korea in blue), any other takes one of the rest by a stable hash of its code.
COUNTRY_COLORS = {
    "CHN": "#D55E00", "KOR": "#0072B2", "AUS": "#E69F00", "CHL": "#009E73", "USA": "#332288", "CAN": "#CC79A7",
    "JPN": "#882255", "IDN": "#117733", "COD": "#999933", "ARG": "#44AA99", "ZAF": "#AA4499", "KAZ": "#661100",
    "VNM": "#6699CC", "MYS": "#AA7744", "PHL": "#DDAA33", "FIN": "#4477AA", "MMR": "#CC6677", "MOZ": "#997700",
    "BRA": "#66CCEE", "MAR": "#994455", "GAB": "#228833", "UZB": "#EE7733", "AUT": "#BBCC33", "RUS": "#BB5566",
}
OTHER_COUNTRY_COLORS = ["#EE3377", "#009988", "#33BBEE", "#CC3311", "#117777", "#774411", "#AAAA00", "#5566AA",
                        "#BB9955", "#8866AA"]
RECYCLED, STOCK, UNMET = "recycled", "stock", "unmet"  # what is not a country: recycling in Korea, stock, shortfall
OTHER_COLORS = {RECYCLED: "#56B4E9", STOCK: "#9AA5B1", UNMET: "#1F2933"}


def color_of(key: str) -> str:
    """The colour of a country (ISO3) or of recycling, stock or unmet tonnes, the same in every chart."""
    if key in OTHER_COLORS:
        return OTHER_COLORS[key]
    return COUNTRY_COLORS.get(key) or OTHER_COUNTRY_COLORS[zlib.crc32(key.encode("utf-8")) % len(OTHER_COUNTRY_COLORS)]


@dataclass
class Series:
    name: str
    points: list[tuple[float, float | None]]  # (x, y); None = gap in the line
    dashed: bool = False  # e.g. a policy cap drawn as a dashed reference line
    dotted: bool = False  # a line drawn over one it runs along (the refining share over the China share)
    color: str | None = None  # CSS color; None = next colour of the palette


# The stroke of a line series and its legend sample, by kind: a limit dashed, a line drawn over another dotted
# (dashes of no length, drawn as dots by round line caps).
DASH = {"dashed": ' stroke-dasharray="6 4"', "dotted": ' stroke-dasharray="0 5"', "line": ""}
ROUND_CAP = ' stroke-linecap="round"'


def _kind(s: Series) -> str:
    return "dashed" if s.dashed else "dotted" if s.dotted else "line"


def esc(value: object) -> str:
    """Text safe inside HTML/SVG elements and quoted attributes."""
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


def _num(v: object) -> float | None:
    """A finite float, or None for None/NaN/inf (drawn and shown as missing)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _auto_decimals(v: float) -> int:
    return 0 if v == int(v) else _size_decimals(v)


def _size_decimals(v: float) -> int:
    """The digits a number of its size shows: none from 100, one from 10, two below."""
    a = abs(v)
    return 0 if a >= 100 else 1 if a >= 10 else 2


def _fractions(column: list[object]) -> bool:
    """Whether a table's ``column`` holds fractions (scores from -1 to 1) of which some show digits: its whole
    numbers then show the digits of their size ('1.00' below '0.58', not '1': the plan page's HHI and alignment
    columns); elsewhere ``fmt``'s own (a column of limits of different sizes keeps a 5 typed in the workbook as 5)."""
    numbers = [x for x in map(_num, column) if x is not None]
    return all(abs(x) <= 1 for x in numbers) and any(_auto_decimals(x) for x in numbers)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def power_of_ten(x: float) -> str:
    """A small number as a reader writes it: 1e-07 as 10⁻⁷, 2.5e-06 as 2.5 × 10⁻⁶ (a proven gap); 0 as 0."""
    if x == 0:  # an optimum proven exactly
        return "0"
    mantissa, exponent = f"{x:.1e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return power if mantissa == "1" else f"{mantissa} \u00d7 {power}"


LIMIT_DECIMALS = 3  # the most digits a limit's path shows after the point


def _limit_points(path: list[tuple[int, float | None]]):
    """The years with the limit, the year beyond the first and last (or None), and the numbers a path shows."""
    path = [(y, v) for y, v in path if v is not None]
    if not path:
        return path, None, []
    first, last = path[0][1], path[-1][1]
    low = min(path, key=lambda p: (p[1], p[0]))
    high = max(path, key=lambda p: (p[1], -p[0]))
    beyond = low if low[1] < min(first, last) else high if high[1] > max(first, last) else None
    return path, beyond, [first, last] + ([beyond[1]] if beyond else [])


def limit_decimals(paths: list[list[tuple[int, float | None]]], kind: str = "percent") -> int:
    """The fewest decimals (``kind``, see FORMATS) that show exactly every number the paths show: a column of
    paths given them reads alike, never '2%' above '2.0% -> 8.0%'."""
    scaled = [v / UNIT.get(kind, 1) for path in paths for v in _limit_points(path)[2]]  # as shown: a share in %
    return next((k for k in range(LIMIT_DECIMALS) if all(abs(round(s, k) - s) < 1e-9 for s in scaled)),
                LIMIT_DECIMALS)


def limit_path(path: list[tuple[int, float | None]], kind: str = "percent", arrow: str = "\u2192",
               space: str = " ", decimals: int | None = None) -> str:
    """A limit's path over the years in a few numbers: the first and the last, and between them the year
    beyond both (the lowest of a cap that falls to the 2030 target and rises after it, the highest of a
    minimum that peaks there): first and last alone read as a rising cap, the extremes alone as a falling
    one.  Years without the limit are left out.  The numbers (``kind``, see FORMATS) share the fewest decimals
    that show each exactly: 2% -> 2.5% reads '2.0% -> 2.5%', never '2% -> 2%', and 7.5% never reads 8%;
    ``decimals`` (``limit_decimals``) gives a column's instead.
    ``space`` stands each side of an arrow (a no-break space keeps a path on one line)."""
    path, beyond, _ = _limit_points(path)
    if not path:
        return fmt(None, kind)
    first, last = path[0][1], path[-1][1]
    if decimals is None:
        decimals = limit_decimals([path], kind)

    def shown(v: float) -> str:
        return fmt(v, kind, decimals)

    if all(v == first for _y, v in path):
        return shown(first)
    if beyond is None:
        return f"{shown(first)}{space}{arrow}{space}{shown(last)}"
    return f"{shown(first)}{space}{arrow}{space}{shown(beyond[1])} ({beyond[0]}){space}{arrow}{space}{shown(last)}"


def fmt(value: object, kind: str = "number", decimals: int | None = None, sign: bool = False,
        lang: str = EN) -> str:
    """One value as text in a report format (see FORMATS); None/NaN shows as an en dash.

    ``decimals`` fixes the digits after the point (axis ticks, a table's column of probabilities); by default
    they follow the size of the value. ``sign`` adds "+" to positive numbers (deltas).  A number of days
    takes the catalogue's short day unit (``unit.day_short``) in ``lang``, the report's language.
    """
    if kind not in FORMATS:
        raise ValueError(f"unknown format {kind!r}; use one of {', '.join(FORMATS)}")
    if kind == "text":
        return EN_DASH if value is None else str(value)
    v = _num(value)
    if v is None:
        return EN_DASH if value is None or isinstance(value, (int, float)) else str(value)
    if kind == "year":
        return f"{v:.0f}" if v == int(v) else f"{v:g}"
    if kind == "probability":  # three significant digits: one draw of 1,000 is 0.001, not 0
        return f"{v:.3g}" if decimals is None else f"{v:.{decimals}f}"
    scale, unit = _scale_unit(kind, lang)
    s = v * scale
    return f"{_signed(s, _decimals(s, kind) if decimals is None else decimals, sign)}{unit}"


def nonzero_decimals(value: float | None, kind: str, lang: str = EN) -> int | None:
    """The digits after the point that ``value``, known not to be 0, needs not to read 0 in ``fmt``: those of
    its first significant digit where its usual digits round it away (a significant USD 15.2 M added to
    USD 48,301 M is 0.03%, not 0%); None where they show it, or it is 0."""
    v = _num(value)
    if not v or fmt(v, kind, lang=lang).lstrip("+-") != fmt(0.0, kind, lang=lang):
        return None
    scale, _unit = _scale_unit(kind, lang)
    return -math.floor(math.log10(abs(v * scale)))


def usd_m_range(low: float, high: float, decimals: int | None = None, sign: bool = False) -> str:
    """A proven range in USD M, "low … high"; one figure where both ends read the same (proven to less
    than the digits shown)."""
    ends = [fmt(x, "usd_m", decimals, sign=sign) for x in (low, high)]
    return ends[0] if ends[0] == ends[1] else " \u2026 ".join(ends)


def _scale_unit(kind: str, lang: str) -> tuple[float, str]:
    """What a value of ``kind`` is multiplied by to be shown, and the unit written after it."""
    return {"percent": (100, "%"), "usd_m": (1e-6, " M"), "days": (1, label("unit.day_short", lang)),
            "t": (1, " t")}.get(kind, (1, ""))


def _decimals(s: float, kind: str) -> int:
    """The digits ``fmt`` gives a shown value ``s`` of ``kind`` by default: they follow its size."""
    if kind in ("usd", "days") or (kind == "usd_m" and abs(s) >= 100):
        return 0
    return _percent_decimals(s) if kind == "percent" else _auto_decimals(s)


CHANGE_DIGITS = 2  # the most digits a change and its two figures gain to agree


def change(a: float, b: float, kind: str, lang: str = EN) -> tuple[str, str, str]:
    """Two figures of ``kind`` and the change from ``a`` to ``b``, as text that adds up: where the change shown
    is not the difference of the figures shown (128.55 and 127.47 days read '129', '127' and '-1'), all three
    take the digits, up to CHANGE_DIGITS more, at which it is ('128.6', '127.5', '-1.1')."""
    scale, _unit = _scale_unit(kind, lang)
    x, y = a * scale, b * scale
    own = [_decimals(v, kind) for v in (x, y, y - x)]
    tries = [own, *([k] * 3 for k in range(max(own), max(own) + CHANGE_DIGITS + 1))]
    digits = next((t for t in tries if abs(round(y, t[1]) - round(x, t[0]) - round(y - x, t[2])) < 1e-9), tries[-1])
    return tuple(fmt(v, kind, k, sign=n == 2, lang=lang) for n, (v, k) in enumerate(zip((a, b, b - a), digits)))


PROBABILITY_DECIMALS = 12  # the most a column of probabilities shows


def probability_decimals(values: list[object]) -> int:
    """The digits after the point one column of probabilities shares: the fewest that show each of them to the
    three significant digits ``fmt`` gives one alone (0.03, 0.0291 -> 4: '0.0300', '0.0291')."""
    shown = [float(f"{v:.3g}") for v in map(_num, values) if v]
    return next((k for k in range(PROBABILITY_DECIMALS) if all(abs(round(s, k) - s) < 1e-15 for s in shown)),
                PROBABILITY_DECIMALS)


def percent_decimals(values: list[object]) -> int | None:
    """The digits after the point one column of shares shares: one if any of them shows one alone ('52.0%'
    beside '57.9%', not '52%'), else None (each as ``fmt`` gives it: '50%')."""
    return 1 if any(_percent_decimals(v * 100) for v in map(_num, values) if v is not None) else None


def _percent_decimals(s: float) -> int:
    """The digits of a share in percent ``s``: one, none when it rounds to a whole number (50%, not 50.0%)."""
    return 0 if round(s, 1) == int(round(s, 1)) else 1


def _signed(s: float, decimals: int, sign: bool) -> str:
    """``s`` with thousands separators and ``decimals`` digits; '-' only on what does not round to 0."""
    text = f"{abs(s):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        text = "0"  # round-off such as 0.0004 t reads 0, not 0.00
    negative = s < 0 and float(text.replace(",", "")) != 0  # no "-0"
    prefix = "-" if negative else ("+" if sign and s > 0 and float(text.replace(",", "")) != 0 else "")
    return f"{prefix}{text}"


def share_points(change: float, sign: bool = False) -> str:
    """A change of a share (0.024) as the number of percentage points it is, with the digits ``fmt`` gives
    a share ('2.4', '-3'); the unit is the report's (``labels.points``)."""
    return _signed(change * 100, _percent_decimals(change * 100), sign)


# ---- numbers as text in sentences (the same in every language) ------------------------------------------

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"  # a hyphen no line breaks after


def not_significant(lang: str = EN) -> str:
    """'not significant' as one word (no-break spaces): a line wraps before it, never inside it."""
    return label("sig.no", lang).replace(" ", NBSP)


def chart_name(name: str, significant: bool, lang: str = EN, bar: str = "") -> str:
    """A category as a chart of proven figures names it: not significant where its figure is within its proven
    gap (its '0 M' may not be 0, nor a '15 M' 15); ``bar`` says which of its bars, when the others are."""
    if significant:
        return name
    sig = not_significant(lang)
    if bar:
        sig = label("sig.chart_bar", lang, bar=bar, sig=sig)
    return label("sig.chart_name", lang, name=name, sig=sig)


def usd_m(x: float, sign: bool = False, decimals: int | None = None) -> str:
    """'USD 1,978 M', '+USD 83 M', 'USD 0 M' (round-off is 0); ``decimals`` as ``fmt``'s."""
    text = fmt(abs(x), "usd_m", decimals)
    if text in ("0", "0 M"):
        text = "0 M"
    # No-break spaces: a figure never wraps inside itself in a narrow column.
    return f"{'-' if x < 0 and text != '0 M' else '+' if sign and text != '0 M' else ''}USD {text}".replace(" ", NBSP)


def tonnes(x: float, sign: bool = False) -> str:
    return fmt(x, "t", sign=sign).replace(" ", NBSP)


def pct(x: float | None, sign: bool = False) -> str:
    return fmt(x, "percent", sign=sign)


def nice_ticks(lo: float, hi: float, target: int = 5, integer: bool = False) -> list[float]:
    """Round tick values covering [lo, hi] in steps of 1, 2 or 5 times a power of ten."""
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < 1e-12 * max(1.0, abs(lo), abs(hi)):
        pad = 1.0 if integer or lo == 0 else abs(lo) * 0.1
        lo, hi = lo - pad, hi + pad
    mag = 10 ** math.floor(math.log10((hi - lo) / max(1, target)))
    steps = [m * mag for m in (1, 2, 5, 10)]
    if integer:
        steps = [max(1.0, round(s)) for s in steps]

    def intervals(step: float) -> int:
        return math.ceil(hi / step - 1e-9) - math.floor(lo / step + 1e-9)

    # Nearest the target; of two as near, the one wasting less room (a small negative bar under a tall
    # positive one gets one tick below zero, not half the chart), then the coarser.
    step = min(steps, key=lambda s: (abs(intervals(s) - target), intervals(s) * s, -s))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]


def tick_decimals(ticks: list[float], kind: str) -> int:
    """Digits after the point so that neighbouring ticks read differently."""
    if len(ticks) < 2 or kind in ("year", "text"):
        return 0
    scale = {"percent": 100, "usd_m": 1e-6}.get(kind, 1)
    step = abs(ticks[1] - ticks[0]) * scale
    return max(0, -math.floor(math.log10(step) + 1e-9))


# Advance widths (hundredths of an em, rounded up) of printable ASCII, space to tilde, in DejaVu Sans, regular
# and bold: the widest of the faces a report falls back to (the default sans-serif on Linux), measured from
# the font's own metrics, so that a text measured here is never wider in the browser.  Titles are bold: a
# title measured as regular ran past its chart.
_ASCII = [chr(c) for c in range(32, 127)]
_EM = dict(zip(_ASCII, (int(w) / 100 for w in """
    32 41 46 84 64 96 78 28 40 40 50 84 32 37 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 54 100 69 69 70 78
    64 58 78 76 30 30 66 56 87 75 79 61 79 70 64 62 74 69 99 69 62 69 40 34 40 84 50 50 62 64 55 64 62 36 64 64 28
    28 58 28 98 64 62 64 64 42 53 40 64 60 82 60 60 53 64 34 64 84""".split())))
_EM_BOLD = dict(zip(_ASCII, (int(w) / 100 for w in """
    35 46 53 84 70 101 88 31 46 46 53 84 38 42 38 37 70 70 70 70 70 70 70 70 70 70 40 40 84 84 84 59 100 78 77 74 84
    69 69 83 84 38 38 78 64 100 84 86 74 86 78 73 69 82 78 111 78 73 73 46 37 46 84 50 50 68 72 60 72 68 44 72 72 35
    35 67 35 105 72 69 72 72 50 60 48 72 66 93 65 66 59 72 37 72 84""".split())))


def text_px(text: str, px: float, bold: bool = False) -> float:
    """Rendered width of ``text`` at ``px``: DejaVu Sans's widths for ASCII (above), 1 em for a wide (Korean,
    Chinese, Japanese) character (Noto Sans CJK's Hangul are 0.92 em), 0.84 em for any other (arrows, signs)."""
    table = _EM_BOLD if bold else _EM
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else table.get(" " if ch == NBSP else ch, 0.84)
               for ch in text) * px


def wrap(text: str, max_width: float, px: float, bold: bool = False) -> list[str]:
    """``text`` broken at words into lines of as many words as fit ``max_width`` at ``px`` (``text_px``: in
    whatever unit ``px`` and ``max_width`` share); a word wider than a line stands alone (its caller cuts or
    turns it).  Words joined by no-break spaces (NBSP: 'USD 1,978 M', '(not significant)') are one word.
    No words, no lines."""
    lines: list[str] = []
    for word in filter(None, re.split(f"[^\\S{NBSP}]+", text)):  # any whitespace but NBSP
        if lines and text_px(f"{lines[-1]} {word}", px, bold) <= max_width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _whole_lines(text: str, max_width: float, px: float, max_lines: int) -> list[str] | None:
    """Words in at most ``max_lines`` lines of ``max_width``, or None if they do not fit."""
    lines = wrap(text, max_width, px) or [""]
    return None if len(lines) > max_lines or any(text_px(line, px) > max_width for line in lines) else lines


def _clip(text: str, max_width: float, px: float, bold: bool = False) -> str:
    """Text cut with an ellipsis to fit ``max_width``."""
    if text_px(text, px, bold) <= max_width:
        return text
    while len(text) > 1 and text_px(text + "\u2026", px, bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _lines(text: str, max_width: float, px: float, max_lines: int, bold: bool = False) -> list[str]:
    """Text wrapped at words in at most ``max_lines`` lines of ``max_width``; only what still does not fit
    (a word wider than a line, or more lines) is cut, in the last line."""
    lines = wrap(text, max_width, px, bold)
    if len(lines) > max_lines:  # the words left over join the last line, to be cut
        lines[max_lines - 1:] = [" ".join(lines[max_lines - 1:])]
    return [_clip(line, max_width, px, bold) for line in lines] or [""]


def _fmt_num(v: float) -> str:
    """A coordinate with two decimals and no trailing zeros, to keep the SVG small."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _svg_open(title: str, width: float, height: float, desc: str) -> list[str]:
    w, h = _fmt_num(width), _fmt_num(height)
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{esc(title)}" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" style="max-width:{w}px" font-family="{esc(FONT)}" '
            f'fill="{TEXT}">',
            f"<title>{esc(title)}</title>", f"<desc>{esc(desc)}</desc>"]


TITLE_LINES = 4  # a title longer than this many lines of its chart is cut


def _title_lines(title: str, width: float) -> list[str]:
    """A chart's title in bold, wrapped to the chart's width (the chart grows 19 px a line)."""
    return _lines(title, width - 16, TITLE_PX, TITLE_LINES, bold=True)


def _draw_title(lines: list[str]) -> str:
    return "".join(f'<text class="title" x="8" y="{20 + 19 * i}" font-size="{TITLE_PX}" font-weight="600">'
                   f'{esc(t)}</text>' for i, t in enumerate(lines))


def _no_data(title: str, width: int, height: int) -> str:
    """A framed chart that says there is nothing to show."""
    height = min(height, 160)
    out = _svg_open(title, width, height, EN_DASH)
    out.append(_draw_title(_title_lines(title, width)))
    out.append(f'<rect x="8" y="44" width="{width - 16}" height="{max(10, height - 52)}" fill="#f5f7fa" '
               f'stroke="{GRID}"/>')
    out.append(f'<text class="no-data" x="{width / 2}" y="{(height + 44) / 2}" text-anchor="middle" '
               f'font-size="13" fill="{MUTED}">{EN_DASH}</text></svg>')  # no words: the same in every language
    return "".join(out)


LEGEND_ROW, LINE_PX = 20.0, 15.0  # a legend row's height, and what each further line of a name adds


def _legend(entries: list[tuple[str, str, str]], width: float) -> tuple[list[tuple[float, float, list[str], str, str]],
                                                                      float]:
    """Entries (name, color, kind) placed left to right in rows, a name longer than the chart is wide
    wrapped (up to three lines); returns positions (x, y, lines, color, kind) and the height."""
    placed, x, y, row_h, swatch, gap = [], 8.0, 0.0, LEGEND_ROW, 26, 18
    for name, color, kind in entries:
        lines = _lines(name, width - 16 - swatch - 6, LEGEND_PX, 3)
        w = swatch + 6 + max(text_px(line, LEGEND_PX) for line in lines)
        if x > 8 and x + w > width - 8:
            x, y, row_h = 8.0, y + row_h, LEGEND_ROW
        placed.append((x, y, lines, color, kind))
        row_h = max(row_h, LEGEND_ROW + LINE_PX * (len(lines) - 1))
        x += w + gap
    return placed, (y + row_h) if entries else 0.0


def _draw_legend(placed, top: float, names: list[str]) -> str:
    out = ['<g class="legend">']
    for (x, y, lines, color, kind), full in zip(placed, names):
        cy = top + y + 10
        if kind == "box":
            out.append(f'<rect x="{_fmt_num(x + 6)}" y="{_fmt_num(cy - 6)}" width="14" height="12" rx="2" '
                       f'fill="{esc(color)}"/>')
        else:
            fill = "#fff" if kind == "dashed" else esc(color)
            out.append(f'<line x1="{_fmt_num(x)}" y1="{_fmt_num(cy)}" x2="{_fmt_num(x + 26)}" y2="{_fmt_num(cy)}" '
                       f'stroke="{esc(color)}" stroke-width="2.5"{DASH[kind]}'
                       f'{ROUND_CAP if kind == "dotted" else ""}/>'
                       f'<circle cx="{_fmt_num(x + 13)}" cy="{_fmt_num(cy)}" r="3.5" fill="{fill}" '
                       f'stroke="{esc(color)}" stroke-width="1.5"/>')
        out.append(f'<text x="{_fmt_num(x + 32)}" y="{_fmt_num(cy + 4)}" font-size="{LEGEND_PX}">'
                   f'{_tspans(lines, x + 32)}<title>{esc(full)}</title></text>')
    out.append("</g>")
    return "".join(out)


def _y_axis(ticks: list[float], kind: str, left: float, right: float, scale) -> list[str]:
    """Horizontal gridlines with tick labels, and a darker line at zero."""
    dec = tick_decimals(ticks, kind)
    out = ['<g class="y-axis">']
    for t in ticks:
        y = _fmt_num(scale(t))
        out.append(f'<line x1="{_fmt_num(left)}" y1="{y}" x2="{_fmt_num(right)}" y2="{y}" stroke="{GRID}"/>'
                   f'<text class="tick-y" x="{_fmt_num(left - 6)}" y="{y}" dy="0.35em" text-anchor="end" '
                   f'font-size="{TICK_PX}" fill="{MUTED}">{esc(fmt(t, kind, dec))}</text>')
    if ticks[0] <= 0 <= ticks[-1]:
        y = _fmt_num(scale(0))
        out.append(f'<line class="zero" x1="{_fmt_num(left)}" y1="{y}" x2="{_fmt_num(right)}" y2="{y}" '
                   f'stroke="{AXIS}" stroke-width="1.2"/>')
    out.append("</g>")
    return out


def _tspans(lines: list[str], x: float) -> str:
    """Lines of one <text>, each LINE_PX below the one before."""
    if len(lines) == 1:
        return esc(lines[0])
    return "".join(f'<tspan x="{_fmt_num(x)}" dy="{0 if i == 0 else LINE_PX}">{esc(line)}</tspan>'
                   for i, line in enumerate(lines))


def _axis_lines(label: str, length: float) -> list[str]:
    """An axis title in at most three lines of ``length`` (the axis's), none if there is no title."""
    return _lines(label, length, LEGEND_PX, 3) if label else []


def _y_plot_h(label: str, plot_h: float) -> float:
    """A plot at least as high as its y axis title needs in three lines (a tenth spare for breaks at words)."""
    return max(plot_h, 1.1 * text_px(label, LEGEND_PX) / 3) if label else plot_h


def _axis_title_h(lines: list[str]) -> float:
    """Room an x axis title takes below the tick labels."""
    return 18 + LINE_PX * (len(lines) - 1) if lines else 0.0


def _y_label(lines: list[str], top: float, bottom: float) -> str:
    """The y axis title turned upright, left of the tick labels; a second line to the right of the first
    (the plot's left edge gives each line LINE_PX)."""
    if not lines:
        return ""
    mid = _fmt_num((top + bottom) / 2)
    lines = [_clip(line, bottom - top, LEGEND_PX) for line in lines]
    spans = "".join(f'<tspan x="0" dy="{0 if i == 0 else LINE_PX}">{esc(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<text class="y-label" transform="translate(14 {mid}) rotate(-90)" text-anchor="middle" '
            f'font-size="{LEGEND_PX}" fill="{MUTED}">{spans}</text>')


def _y_label_w(lines: list[str]) -> float:
    """Room the y axis title takes left of the tick labels."""
    return 22 + LINE_PX * (len(lines) - 1) if lines else 0.0


def _x_room(middle: float, width: float) -> float:
    """How long an x axis title centred at ``middle`` may be inside a chart ``width`` wide."""
    return 2 * min(middle - 8, width - 8 - middle)


def _x_label(lines: list[str], middle: float, y: float) -> str:
    """The x axis title, centred under the plot, its first line's baseline at ``y``."""
    if not lines:
        return ""
    return (f'<text class="x-label" x="{_fmt_num(middle)}" y="{_fmt_num(y)}" text-anchor="middle" '
            f'font-size="{LEGEND_PX}" fill="{MUTED}">{_tspans(lines, middle)}</text>')


# One unit of a format's display, for the axis of values that are all zero: 1 M of usd_m, 1% of percent.
UNIT = {"usd_m": 1e6, "percent": 0.01}


def _y_range(values: list[float], zero_based: bool, kind: str = "number") -> tuple[float, float]:
    lo, hi = min(values), max(values)
    if zero_based or lo < 0:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if lo == hi == 0:
        hi = UNIT.get(kind, 1.0)  # all zero: an axis from 0 to one unit with the data on the zero line
    return lo, hi


def _tick_width(ticks: list[float], kind: str) -> float:
    dec = tick_decimals(ticks, kind)
    return max(text_px(fmt(t, kind, dec), TICK_PX) for t in ticks)


def _same_line(p: list, q: list) -> bool:
    """Two series' points the same line: the same years, each value within a hair of the other's."""
    return len(p) == len(q) and all(x == u and (y == v or (y is not None and v is not None and abs(y - v) <= 1e-9 *
                                                          max(1.0, abs(y)))) for (x, y), (u, v) in zip(p, q))


def line_chart(title: str, series: list[Series], *, y_format: str = "number", x_format: str = "year",
               x_label: str = "", y_label: str = "", width: int = 640, height: int = 320,
               zero_based: bool = True, x_reverse: bool = False) -> str:
    """An inline <svg> line chart with axes, ticks, gridlines, legend, markers, and a <title> tooltip per point.

    ``zero_based=False`` lets the y axis start near the data (a y axis still
    includes 0 when data are negative); ``x_reverse`` runs x from high to low,
    e.g. a cap tightened from left to right.
    """
    fmt(0, y_format), fmt(0, x_format)  # reject unknown formats early
    pts = [[(_num(x), _num(y)) for x, y in s.points if _num(x) is not None] for s in series]
    ys = [y for p in pts for _, y in p if y is not None]
    if not ys:
        return _no_data(title, width, height)
    xs = sorted({x for p in pts for x, y in p if y is not None})
    colors = _colors([s.color for s in series])
    # A line on top of an earlier one all along (two minerals at the same cap) is drawn dotted, or the legend
    # names a line the reader cannot see.
    series = [replace(s, dotted=True) if not (s.dashed or s.dotted) and any(
        _same_line(p, q) for t, q in zip(series[:k], pts) if not t.dashed) else s
        for k, (s, p) in enumerate(zip(series, pts))]

    title_lines = _title_lines(title, width)
    legend, legend_h = _legend([(s.name, c, _kind(s)) for s, c in zip(series, colors)], width)
    top = 24 + 19 * len(title_lines)
    x_lines = _axis_lines(x_label, width - 120)  # a first guess of the plot's width: set below
    plot_h = _y_plot_h(y_label, max(120.0, height - top - 26 - _axis_title_h(x_lines) - legend_h - 10))
    y_lines = _axis_lines(y_label, plot_h)

    lo, hi = _y_range(ys, zero_based, y_format)
    yt = nice_ticks(lo, hi, max(3, min(8, int(plot_h // 45))))
    left = 10 + _y_label_w(y_lines) + _tick_width(yt, y_format)
    right = width - 16
    x_lines = _axis_lines(x_label, _x_room((left + right) / 2, width))
    bottom_pad = 26 + _axis_title_h(x_lines)
    height = top + plot_h + bottom_pad + legend_h + 10
    x_integer = x_format == "year"
    if len(xs) <= 15 and all(x == int(x) for x in xs) or len(xs) == 1:
        xt = xs  # few round x values (years): a tick at each
    else:
        xt = [t for t in nice_ticks(xs[0], xs[-1], max(3, int((right - left) // 80)), x_integer)
              if xs[0] - 1e-9 <= t <= xs[-1] + 1e-9]
    # x values closer than any tick that read the same (plans at zero slack, apart by round-off) are one value
    one_x = len(xs) == 1 or not xt and fmt(xs[0], x_format) == fmt(xs[-1], x_format)
    xt = xt or (xs[:1] if one_x else [xs[0], xs[-1]])
    x0, x1 = (xs[0] - 1, xs[0] + 1) if one_x else (xs[0], xs[-1])
    pad = 0.03 * (right - left)  # markers clear of the axis ends

    def sx(x: float) -> float:
        f = (x - x0) / (x1 - x0)
        return left + pad + (1 - f if x_reverse else f) * (right - left - 2 * pad)

    def sy(y: float) -> float:
        return top + plot_h - (y - yt[0]) / (yt[-1] - yt[0]) * plot_h

    names = ", ".join(s.name for s in series)
    # Descriptions are names and numbers only, so that they read in the report's language.
    out = _svg_open(title, width, height, f"{names}: {fmt(xs[0], x_format)} \u2013 {fmt(xs[-1], x_format)}")
    out.append(_draw_title(title_lines))
    out += _y_axis(yt, y_format, left, right, sy)
    out.append(_y_label(y_lines, top, top + plot_h))
    x_dec = tick_decimals(xt, x_format) if len(xt) > 1 else 0
    step_px = (right - left) / max(1, len(xt))
    every = max(1, math.ceil(max(text_px(fmt(t, x_format, x_dec), TICK_PX) for t in xt) / (step_px * 0.85)))
    out.append('<g class="x-axis">')
    base = top + plot_h
    for i, t in enumerate(xt):
        x = _fmt_num(sx(t))
        out.append(f'<line x1="{x}" y1="{_fmt_num(base)}" x2="{x}" y2="{_fmt_num(base + 4)}" stroke="{AXIS}"/>')
        if i % every == 0:
            out.append(f'<text class="tick-x" x="{x}" y="{_fmt_num(base + 17)}" text-anchor="middle" '
                       f'font-size="{TICK_PX}" fill="{MUTED}">{esc(fmt(t, x_format, x_dec))}</text>')
    out.append("</g>")
    out.append(_x_label(x_lines, (left + right) / 2, base + 36))

    for s, p, color in zip(series, pts, colors):
        out.append(f'<g class="series"><title>{esc(s.name)}</title>')
        for run in _runs(sorted(p, key=lambda q: q[0])):
            if len(run) > 1:
                coords = " ".join(f"{_fmt_num(sx(x))},{_fmt_num(sy(y))}" for x, y in run)
                out.append(f'<polyline points="{coords}" fill="none" stroke="{esc(color)}" stroke-width="2.5" '
                           f'stroke-linejoin="round"{ROUND_CAP}{DASH[_kind(s)]}/>')
        fill = "#fff" if s.dashed else esc(color)
        r = 2 if s.dotted else 3.5  # the marker of the line below shows around it
        for x, y in p:
            if y is not None:
                out.append(f'<circle cx="{_fmt_num(sx(x))}" cy="{_fmt_num(sy(y))}" r="{r}" fill="{fill}" '
                           f'stroke="{esc(color)}" stroke-width="1.5"><title>{esc(s.name)} \u2014 '
                           f'{esc(fmt(x, x_format))}: {esc(fmt(y, y_format))}</title></circle>')
        out.append("</g>")
    out.append(_draw_legend(legend, base + bottom_pad + 6, [s.name for s in series]))
    out.append("</svg>")
    return "".join(out)


def _runs(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Consecutive points without a gap, each drawn as one line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def _colors(given: list[str | None]) -> list[str]:
    """Each given colour, and for each None the next palette colour no other series was given: a second supply
    option from a country took the palette's orange beside Australia's own, and the legend could not tell
    them apart."""
    taken = {c.lower() for c in given if c}
    free = [c for c in PALETTE if c.lower() not in taken] or PALETTE
    out, k = [], 0
    for c in given:
        if c:
            out.append(c)
        else:
            out.append(free[k % len(free)])
            k += 1
    return out


def _bar_values(chart: str, title: str, categories: list[str], bars: dict[str, list[float | None]],
                kind: str) -> tuple[list[str], dict[str, list[float | None]]]:
    """The keys of a bar chart's ``bars`` and their values as numbers (None for a gap); a clear error for an
    unknown format ``kind`` or a key without a value for each category."""
    fmt(0, kind)
    for key, values in bars.items():
        if len(values) != len(categories):
            raise ValueError(f"{chart} {title!r}: {key!r} has {len(values)} values for {len(categories)} categories")
    return list(bars), {k: [_num(v) for v in values] for k, values in bars.items()}


def bar_chart(title: str, categories: list[str], stacks: dict[str, list[float]], *, y_format: str = "number",
              stacked: bool = True, y_label: str = "", width: int = 640, height: int = 320,
              value_labels: bool = True, zero_based: bool = True, colors: list[str | None] | None = None,
              label_lines: int = 3, legend: bool | None = None) -> str:
    """An inline <svg> bar chart: one bar (or group when stacked=False) per category, one segment per stacks key.
    Negative values go below the zero line (needed for deltas vs a base case). Legend, value tooltips.
    A category's label wraps in up to ``label_lines`` lines (more for names that are sentences).

    ``value_labels`` writes each bar's total (stacked) or value (grouped) on
    the chart where it fits.  ``colors`` gives a key's colour (``color_of`` for a country); None
    takes the next of the palette.  ``legend``: whether the keys are named under the chart (None: when there
    are two or more; True for a chart whose one key is not named elsewhere, as a mineral of a chart by mineral).
    """
    keys, vals = _bar_values("bar_chart", title, categories, stacks, y_format)
    if not categories or not keys or all(v is None for k in keys for v in vals[k]):
        return _no_data(title, width, height)
    colors = _colors(list(colors) if colors else [None] * len(keys))
    n = len(categories)
    if stacked:
        ups = [sum(max(0.0, vals[k][i] or 0.0) for k in keys) for i in range(n)]
        downs = [sum(min(0.0, vals[k][i] or 0.0) for k in keys) for i in range(n)]
        extent = ups + downs
    else:
        extent = [v for k in keys for v in vals[k] if v is not None]

    title_lines = _title_lines(title, width)
    named = len(keys) > 1 if legend is None else legend
    legend_rows, legend_h = _legend([(k, c, "box") for k, c in zip(keys, colors)], width) if named else ([], 0)
    top = 24 + 19 * len(title_lines)
    lo, hi = _y_range(extent, zero_based, y_format)
    plot_h = height - top - 60 - legend_h  # before the labels' room
    yt = nice_ticks(lo, hi, max(3, min(8, int(plot_h // 45))))
    y_lines = _axis_lines(y_label, _y_plot_h(y_label, max(120.0, plot_h)))
    left = 10 + _y_label_w(y_lines) + _tick_width(yt, y_format)
    right = width - 12
    band = (right - left) / n

    # Category labels: wrapped in up to label_lines lines; if any word does not fit its band, all are rotated
    # (and cut only beyond 180 px), so no label loses letters it had room for.
    wrapped = [_whole_lines(str(c), band - 4, TICK_PX, label_lines) for c in categories]
    rotate = any(w is None for w in wrapped)
    if rotate:
        labels = [[_clip(str(c), 180, TICK_PX)] for c in categories]
        label_h = 14 + 0.64 * max(text_px(line[0], TICK_PX) for line in labels)
        # A label turned 40° reaches cos 40° of its width to the left of its bar: move the plot right
        # until the first one ends inside the chart.
        reach = ROTATED_COS * text_px(labels[0][0], TICK_PX) + 6
        while left + band / 2 + 4 - reach < 2:
            left = reach - band / 2
            band = (right - left) / n
    else:
        labels = wrapped
        label_h = 8 + 14 * max(len(w) for w in wrapped)
    plot_h = _y_plot_h(y_label, max(120.0, height - top - label_h - legend_h - 14))
    height = top + plot_h + label_h + legend_h + 14

    def sy(y: float) -> float:
        return top + plot_h - (y - yt[0]) / (yt[-1] - yt[0]) * plot_h

    out = _svg_open(title, width, height, f"{', '.join(keys)}: {', '.join(map(str, categories))}")
    out.append(_draw_title(title_lines))
    out += _y_axis(yt, y_format, left, right, sy)
    out.append(_y_label(y_lines, top, top + plot_h))
    zero = sy(0.0)
    base = top + plot_h
    out.append('<g class="bars">')
    for i, cat in enumerate(categories):
        x_band = left + i * band
        bar_w = band * (0.62 if stacked else 0.8)
        if stacked:
            up, down = 0.0, 0.0
            for k, color in zip(keys, colors):
                v = vals[k][i]
                if not v:
                    continue
                start = up if v > 0 else down
                end = start + v
                up, down = (end, down) if v > 0 else (up, end)
                out.append(_bar(x_band + (band - bar_w) / 2, bar_w, sy(start), sy(end), color,
                                f"{cat} \u2014 {k}: {fmt(v, y_format)}"))
            if value_labels and any(vals[k][i] is not None for k in keys):  # a gap has no total, not 0
                total = sum(vals[k][i] or 0.0 for k in keys)
                out.append(_value_label(x_band + band / 2, sy(up) if total >= 0 else sy(down), total >= 0,
                                        fmt(total, y_format), band * 0.95))
        else:
            w = bar_w / len(keys)
            for j, (k, color) in enumerate(zip(keys, colors)):
                v = vals[k][i]
                if v is None:
                    continue
                x = x_band + (band - bar_w) / 2 + j * w
                out.append(_bar(x + 0.5, w - 1, zero, sy(v), color, f"{cat} \u2014 {k}: {fmt(v, y_format)}"))
                if value_labels:
                    out.append(_value_label(x + w / 2, sy(v), v >= 0, fmt(v, y_format), w))
        cx = x_band + band / 2
        if rotate:
            out.append(f'<text class="category" transform="translate({_fmt_num(cx + 4)} {_fmt_num(base + 14)}) '
                       f'rotate(-40)" text-anchor="end" font-size="{TICK_PX}">{esc(labels[i][0])}'
                       f'<title>{esc(cat)}</title></text>')
        else:
            spans = "".join(f'<tspan x="{_fmt_num(cx)}" dy="{0 if j == 0 else 14}">{esc(line)}</tspan>'
                            for j, line in enumerate(labels[i]))
            out.append(f'<text class="category" x="{_fmt_num(cx)}" y="{_fmt_num(base + 17)}" text-anchor="middle" '
                       f'font-size="{TICK_PX}">{spans}<title>{esc(cat)}</title></text>')
    out.append("</g>")
    out.append(f'<line x1="{_fmt_num(left)}" y1="{_fmt_num(zero)}" x2="{_fmt_num(right)}" y2="{_fmt_num(zero)}" '
               f'stroke="{AXIS}" stroke-width="1.2"/>')  # the zero line over the bars' ends
    out.append(_draw_legend(legend_rows, base + label_h + 4, keys))
    out.append("</svg>")
    return "".join(out)


def _bar(x: float, w: float, y_from: float, y_to: float, color: str, tip: str) -> str:
    y, h = min(y_from, y_to), abs(y_to - y_from)
    return (f'<rect class="bar" x="{_fmt_num(x)}" y="{_fmt_num(y)}" width="{_fmt_num(max(w, 1))}" '
            f'height="{_fmt_num(h)}" fill="{esc(color)}"><title>{esc(tip)}</title></rect>')


def _value_label(cx: float, y: float, above: bool, text: str, room: float) -> str:
    """A bar's value just beyond its end; left out when it is wider than the bar's band."""
    px = 10.5
    if text_px(text, px) > room - 2:
        return ""
    dy = -5 if above else 13
    return (f'<text class="value" x="{_fmt_num(cx)}" y="{_fmt_num(y + dy)}" text-anchor="middle" '
            f'font-size="{px}" fill="{MUTED}">{esc(text)}</text>')


NAME_LINES, BAR_PX, VALUE_PX = 3, 14.0, 10.5  # a ranked chart's name lines, one bar's height, its value's size


def ranked_chart(title: str, categories: list[str], groups: dict[str, list[float | None]], *,
                 x_format: str = "number", x_label: str = "", width: int = 960, value_labels: bool = True,
                 colors: list[str | None] | None = None) -> str:
    """An inline <svg> of horizontal bars that reads as a ranked list: a row per category in the order given
    (the largest first), its name whole on the left (wrapped in up to NAME_LINES lines in at most 40% of the
    chart: the 15 costliest disruptions' names, turned under upright bars, were cut to 180 px), a bar per
    key of ``groups`` from zero, each with its value at its end, and a legend of two keys or more."""
    keys, vals = _bar_values("ranked_chart", title, categories, groups, x_format)
    drawn = [v for k in keys for v in vals[k] if v is not None]
    if not categories or not drawn:
        return _no_data(title, width, 200)
    colors = _colors(list(colors) if colors else [None] * len(keys))
    lo, hi = _y_range(drawn, zero_based=True, kind=x_format)
    title_lines = _title_lines(title, width)
    names = [_lines(str(c), 0.4 * width - 14, TICK_PX, NAME_LINES) for c in categories]
    left = 8 + max(text_px(line, TICK_PX) for lines in names for line in lines) + 14
    shown = [fmt(v, x_format) for v in drawn] if value_labels else []
    right = width - 16 - max((text_px(t, VALUE_PX) + 6 for t in shown), default=0.0)
    ticks = nice_ticks(lo, hi, max(3, int((right - left) // 90)))
    right = min(right, width - 4 - _tick_width(ticks, x_format) / 2)  # the last tick's label inside the chart
    legend, legend_h = _legend([(k, c, "box") for k, c in zip(keys, colors)], width) if len(keys) > 1 else ([], 0)
    top = 24 + 19 * len(title_lines)
    heights = [max(LINE_PX * len(lines) + 8, BAR_PX * len(keys) + 8) for lines in names]
    base = top + sum(heights)
    out, sx, legend_top = _horizontal_frame(title, title_lines, f"{', '.join(keys)}: {', '.join(map(str, categories))}",
                                            width, left, right, top, base, ticks, x_format, x_label, legend_h)
    zero = sx(0.0)
    out.append('<g class="bars">')
    row_top = top
    for i, (cat, lines, h) in enumerate(zip(categories, names, heights)):
        first = row_top + h / 2 - LINE_PX * (len(lines) - 1) / 2 + 4  # the name's lines centred on the row
        out.append(f'<text class="category" x="{_fmt_num(left - 6)}" y="{_fmt_num(first)}" text-anchor="end" '
                   f'font-size="{TICK_PX}">{_tspans(lines, left - 6)}<title>{esc(cat)}</title></text>')
        y = row_top + (h - BAR_PX * len(keys)) / 2
        for k, (key, color) in enumerate(zip(keys, colors)):
            v = vals[key][i]
            if v is None:
                continue
            x0, x1 = sorted((zero, sx(v)))
            out.append(f'<rect class="bar" x="{_fmt_num(x0)}" y="{_fmt_num(y + k * BAR_PX + 1)}" '
                       f'width="{_fmt_num(max(x1 - x0, 1))}" height="{_fmt_num(BAR_PX - 2)}" fill="{esc(color)}">'
                       f'<title>{esc(f"{cat} — {key}: {fmt(v, x_format)}")}</title></rect>')
            if value_labels:
                out.append(f'<text class="value" x="{_fmt_num(x1 + 4 if v >= 0 else x0 - 4)}" '
                           f'y="{_fmt_num(y + k * BAR_PX + BAR_PX / 2 + 3.5)}" '
                           f'text-anchor="{"start" if v >= 0 else "end"}" font-size="{VALUE_PX}" fill="{MUTED}">'
                           f'{esc(fmt(v, x_format))}</text>')
        row_top += h
    out.append(f'<line x1="{_fmt_num(zero)}" y1="{_fmt_num(top)}" x2="{_fmt_num(zero)}" y2="{_fmt_num(base)}" '
               f'stroke="{AXIS}" stroke-width="1.2"/></g>')
    out.append(_draw_legend(legend, legend_top, keys))
    out.append("</svg>")
    return "".join(out)


@dataclass
class RangeRow:
    label: str  # the item, e.g. a supplier
    low: float | None
    high: float | None
    marker: float | None = None  # a reference value drawn as a dot (e.g. the least-cost plan's)
    group: str = ""  # rows of one group are drawn together under its name


def _horizontal_x_axis(ticks: list[float], sx, top: float, base: float, x_format: str, x_lines: list[str],
                       middle: float) -> str:
    """The value axis of a chart of horizontal bars: a gridline and a label per tick, and its title."""
    dec = tick_decimals(ticks, x_format)
    out = ['<g class="x-axis">']
    for t in ticks:
        x = _fmt_num(sx(t))
        out.append(f'<line x1="{x}" y1="{_fmt_num(top)}" x2="{x}" y2="{_fmt_num(base)}" stroke="{GRID}"/>'
                   f'<text class="tick-x" x="{x}" y="{_fmt_num(base + 16)}" text-anchor="middle" '
                   f'font-size="{TICK_PX}" fill="{MUTED}">{esc(fmt(t, x_format, dec))}</text>')
    out.append("</g>")
    out.append(_x_label(x_lines, middle, base + 34))
    return "".join(out)


def _horizontal_frame(title: str, title_lines: list[str], desc: str, width: int, left: float, right: float,
                      top: float, base: float, ticks: list[float], x_format: str, x_label: str, legend_h: float):
    """The start of a chart of horizontal bars drawn from ``top`` to ``base`` between ``left`` and ``right``:
    the <svg> parts (its title and value axis), the value scale, and where the legend goes."""
    x_lines = _axis_lines(x_label, _x_room((left + right) / 2, width))
    legend_top = base + 26 + _axis_title_h(x_lines)

    def sx(x: float) -> float:
        return left + (x - ticks[0]) / (ticks[-1] - ticks[0]) * (right - left)

    out = _svg_open(title, width, legend_top + legend_h + 12, desc)
    out.append(_draw_title(title_lines))
    out.append(_horizontal_x_axis(ticks, sx, top, base, x_format, x_lines, (left + right) / 2))
    return out, sx, legend_top


def range_chart(title: str, rows: list[RangeRow], *, x_format: str = "number", x_label: str = "",
                width: int = 960, bar_name: str = "range", marker_name: str = "reference",
                row_px: int = 17) -> str:
    """An inline <svg> of horizontal ranges: one row per item, a bar from its low to its high value and a
    dot at its marker; a range of zero width shows as a short upright line.  Rows of a group are
    headed by the group's name.  An item's name is whole on the left, wrapped in up to NAME_LINES lines
    in at most 40% of the chart (as a ranked chart's: one line of 280 px cut a supply option's name).
    Tooltips give each row's figures."""
    fmt(0, x_format)
    drawn = [r for r in rows if _num(r.low) is not None and _num(r.high) is not None]
    if not drawn:
        return _no_data(title, width, 200)
    values = [v for r in drawn for v in (r.low, r.high, r.marker) if _num(v) is not None]
    lo, hi = _y_range(values, zero_based=True)
    title_lines = _title_lines(title, width)
    names = [_lines(r.label, 0.4 * width - 14, TICK_PX, NAME_LINES) for r in drawn]
    label_w = max(text_px(line, TICK_PX) for lines in names for line in lines) + 14
    left, right = 8 + label_w, width - 16
    ticks = nice_ticks(lo, hi, max(3, int((right - left) // 90)))
    right = min(right, width - 4 - _tick_width(ticks, x_format) / 2)  # the last tick's label inside the chart
    legend, legend_h = _legend([(bar_name, PALETTE[0], "box"), (marker_name, TEXT, "line")], width)
    top = 24 + 19 * len(title_lines)
    lines: list[tuple[str, RangeRow | None, list[str]]] = []  # (group heading, None, []) or ("", row, its name)
    group = None
    for r, name in zip(drawn, names):
        if r.group and r.group != group:
            lines.append((r.group, None, []))
        group = r.group
        lines.append(("", r, name))
    heights = [row_px + LINE_PX * max(len(name) - 1, 0) for _, _, name in lines]
    base = top + sum(heights)
    # Names and numbers only, so that they read in the report's language.
    out, sx, legend_top = _horizontal_frame(title, title_lines,
                                            f"{bar_name}: {fmt(lo, x_format)} \u2013 {fmt(hi, x_format)}", width,
                                            left, right, top, base, ticks, x_format, x_label, legend_h)
    out.append('<g class="ranges">')
    row_top = top
    for (heading, r, name), h in zip(lines, heights):
        cy = row_top + h / 2
        row_top += h
        if r is None:
            out.append(f'<text class="group" x="8" y="{_fmt_num(cy + 4)}" font-size="{TICK_PX}" '
                       f'font-weight="600">{esc(_clip(heading, width - 16, TICK_PX, bold=True))}</text>')
            continue
        tip = f"{r.label}: {fmt(r.low, x_format)} \u2013 {fmt(r.high, x_format)}" + (
            f"; {marker_name} {fmt(r.marker, x_format)}" if _num(r.marker) is not None else "")
        first = cy + 4 - LINE_PX * (len(name) - 1) / 2  # the name's lines centred on the row
        out.append(f'<g class="range"><title>{esc(tip)}</title>'
                   f'<text x="{_fmt_num(left - 6)}" y="{_fmt_num(first)}" text-anchor="end" '
                   f'font-size="{TICK_PX}">{_tspans(name, left - 6)}</text>')
        x0, x1 = sx(float(r.low)), sx(float(r.high))
        if x1 - x0 < 2:  # forced: no room to move
            out.append(f'<line x1="{_fmt_num(x0)}" y1="{_fmt_num(cy - 6)}" x2="{_fmt_num(x0)}" '
                       f'y2="{_fmt_num(cy + 6)}" stroke="{PALETTE[0]}" stroke-width="3"/>')
        else:
            out.append(f'<rect x="{_fmt_num(x0)}" y="{_fmt_num(cy - 5)}" width="{_fmt_num(x1 - x0)}" height="10" '
                       f'rx="2" fill="{PALETTE[0]}" fill-opacity="0.55"/>')
        if _num(r.marker) is not None:
            out.append(f'<circle cx="{_fmt_num(sx(float(r.marker)))}" cy="{_fmt_num(cy)}" r="3.5" '
                       f'fill="{TEXT}"/>')
        out.append("</g>")
    out.append("</g>")
    out.append(_draw_legend(legend, legend_top, [bar_name, marker_name]))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Route:
    """Tonnes mined in one country and refined in another (or the same) on their way home."""

    origin: str  # ISO3 of the mining country
    refiner: str  # ISO3 of the refining country
    tonnes: float


@dataclass(frozen=True)
class MapPanel:
    title: str
    routes: list[Route]
    caption: str = ""  # plain text under the map (recycling at home, what is not drawn)


WORLD_ID = "planner-world"  # the one copy of the country shapes a page's maps draw on
MAP_LINE_PX = 14.0  # the widest route


@functools.lru_cache(maxsize=1)
def world() -> dict:
    """Country shapes shipped with the planner (planner/reports/data/world-110m.json: Natural Earth 1:110m,
    Equal Earth centred on 150°E, 1,000 units wide; see make_world.py beside it)."""
    text = resources.files("planner.reports").joinpath("data/world-110m.json").read_text(encoding="utf-8")
    return json.loads(text)


def world_defs() -> str:
    """A hidden <svg> holding every country once, for the maps of a page to <use>."""
    w = world()
    paths = "".join(f'<path d="{c["d"]}"/>' for c in w["countries"].values())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" style="position:absolute" '
            f'aria-hidden="true"><defs><g id="{WORLD_ID}" fill="#e4e7eb" stroke="#fff" stroke-width="0.6">'
            f'{paths}</g></defs></svg>')


def flow_map(title: str, panels: list[MapPanel], names: dict[str, str], *, home: str, legend: str,
             width: int = 1280) -> str:
    """Maps side by side, one per panel, of the routes tonnes take: from the mining country to the
    refining country (a leg in the mining country's colour) and on to ``home`` (in the refining
    country's colour), each leg as wide as its tonnes on one scale for every panel; mining countries
    shaded in their colour.  ``names`` gives each country's label; a country with no shape is left out
    and said so in its panel's caption.  Drawn on ``world_defs``, which ``page`` adds once."""
    w = world()
    shapes = w["countries"]
    gap = 16.0
    pw = (width - 16 - gap * (len(panels) - 1)) / max(1, len(panels))
    k = pw / w["width"]
    ph = w["height"] * k
    title_lines = _title_lines(title, width)
    top = 24 + 19 * len(title_lines) + 20
    legs = [_legs(p.routes, home) for p in panels]
    widest = max((t for first, second in legs for t in [*first.values(), *second.values()]), default=0.0)
    captions = [_whole_lines(p.caption, pw, LEGEND_PX, 3) or [_clip(p.caption, pw, LEGEND_PX)] if p.caption else []
                for p in panels]
    caption_h = 16 * max((len(c) for c in captions), default=0)
    height = top + ph + 8 + caption_h + 34
    # What a screen reader says for the map: each route by its countries' names, as the legs' own hover notes.
    out = _svg_open(title, width, height, "; ".join(f"{p.title}: " + ", ".join(
        f"{names.get(r.origin, r.origin)} \u2192 {names.get(r.refiner, r.refiner)} {fmt(r.tonnes, 't')}"
        for r in p.routes) for p in panels))
    out.append(_draw_title(title_lines))
    for i, (panel, (first, second), caption) in enumerate(zip(panels, legs, captions)):
        x0 = 8 + i * (pw + gap)
        out.append(f'<text class="panel" x="{_fmt_num(x0)}" y="{_fmt_num(top - 6)}" font-size="{LEGEND_PX + 1}" '
                   f'font-weight="600">{esc(_clip(panel.title, pw, LEGEND_PX + 1, bold=True))}</text>')
        out.append(f'<g class="map" transform="translate({_fmt_num(x0)} {_fmt_num(top)})">'
                   f'<rect width="{_fmt_num(pw)}" height="{_fmt_num(ph)}" fill="#f3f8fc"/>'
                   f'<use href="#{WORLD_ID}" transform="scale({k:.5f})"/>')
        mined = {r.origin for r in panel.routes if r.tonnes > 0}
        for c in sorted(mined & shapes.keys()):
            out.append(f'<path d="{shapes[c]["d"]}" transform="scale({k:.5f})" fill="{color_of(c)}" '
                       f'fill-opacity="0.3" stroke="none"><title>{esc(names.get(c, c))}</title></path>')

        def at(c: str) -> tuple[float, float]:
            x, y = shapes[c]["at"]
            return x * k, y * k

        drawn = [(a, b, t, a) for (a, b), t in first.items()] + [(a, home, t, a) for a, t in second.items()]
        lines = []  # each leg as points along it and half its width: the labels keep off them
        for a, b, t, colour in sorted(drawn, key=lambda leg: -leg[2]):
            if a not in shapes or b not in shapes:
                continue
            (ax, ay), (bx, by) = at(a), at(b)
            # A bow to the left of the way travelled, so a leg there and one back do not overlap.
            mx, my = (ax + bx) / 2 - (by - ay) * 0.18, (ay + by) / 2 + (bx - ax) * 0.18
            stroke = max(1.0, MAP_LINE_PX * t / widest) if widest else 1.0
            lines.append((_quadratic_points((ax, ay), (mx, my), (bx, by)), stroke / 2))
            out.append(f'<path class="route" d="M{_fmt_num(ax)} {_fmt_num(ay)}Q{_fmt_num(mx)} {_fmt_num(my)} '
                       f'{_fmt_num(bx)} {_fmt_num(by)}" fill="none" stroke="{color_of(colour)}" stroke-opacity="0.85" '
                       f'stroke-width="{_fmt_num(stroke)}" stroke-linecap="round"><title>'
                       f'{esc(names.get(a, a))} \u2192 {esc(names.get(b, b))}: {esc(fmt(t, "t"))}</title></path>')
        nodes = {c for r in panel.routes if r.tonnes > 0 for c in (r.origin, r.refiner)} | {home}
        tonnes = {c: sum(r.tonnes for r in panel.routes if c in (r.origin, r.refiner)) for c in nodes}
        placed = sorted(nodes & shapes.keys(), key=lambda c: (c != home, -tonnes[c], c))
        # Labels keep clear of every node, not only of each other.
        boxes = [(x - 6, y - 6, x + 6, y + 6) for x, y in map(at, placed)]
        for c in placed:
            x, y = at(c)
            r = 5.0 if c == home else 3.0
            out.append(f'<circle cx="{_fmt_num(x)}" cy="{_fmt_num(y)}" r="{r}" fill="#fff" stroke="{TEXT}" '
                       f'stroke-width="{1.6 if c == home else 1}"/>')
            out.append(_map_label(names.get(c, c), x, y, pw, ph, boxes, lines, bold=c == home))
        out.append("</g>")
        for j, line in enumerate(caption):
            out.append(f'<text class="caption" x="{_fmt_num(x0)}" y="{_fmt_num(top + ph + 20 + 16 * j)}" '
                       f'font-size="{LEGEND_PX}" fill="{MUTED}">{esc(line)}</text>')
    if widest:
        sample = max(t for t in nice_ticks(0, widest) if t <= widest) or widest
        key = _clip(f"{fmt(sample, 't')} \u00b7 {legend}", width - 70, LEGEND_PX)
        y = height - 16
        out.append(f'<g class="legend"><line x1="8" y1="{_fmt_num(y)}" x2="48" y2="{_fmt_num(y)}" stroke="{MUTED}" '
                   f'stroke-width="{_fmt_num(max(1.0, MAP_LINE_PX * sample / widest))}" stroke-linecap="round"/>'
                   f'<text x="58" y="{_fmt_num(y + 4)}" font-size="{LEGEND_PX}" fill="{MUTED}">'
                   f'{esc(key)}</text></g>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class TornadoRow:
    label: str  # an input
    at_low: float | None  # the output at the input's low end, less the base value (None: no value there)
    at_high: float | None
    note: str = ""  # shown in place of a missing end, e.g. "no plan"


def tornado_chart(title: str, rows: list[TornadoRow], *, x_format: str = "number", x_label: str = "",
                  width: int = 960, low_name: str = "low end", high_name: str = "high end", row_px: int = 20) -> str:
    """An inline <svg> tornado: one row per input, a bar from the base value (0) to the output at the
    input's low end and one to its high end, in two colours, rows in the order given (widest first);
    also any two figures per row drawn from zero (Morris's mu* and sigma).
    A missing end's note ("no plan (high end)") stands right of the plot, clear of
    the bars.  Tooltips give each row's figures."""
    fmt(0, x_format)
    drawn = [r for r in rows if _num(r.at_low) is not None or _num(r.at_high) is not None or r.note]
    if not drawn:
        return _no_data(title, width, 200)
    values = [v for r in drawn for v in (r.at_low, r.at_high) if _num(v) is not None] or [0.0]
    lo, hi = min(min(values), 0.0), max(max(values), 0.0)
    title_lines = _title_lines(title, width)
    label_w = min(0.5 * width, max(text_px(r.label, TICK_PX) for r in drawn) + 14)  # the inputs named whole
    # A name wider than half the chart on two lines, the rows taller, rather than cut: the sensitivity page's
    # 'neodymium, dysprosium and terbium: chance new projects deliver (x0.5 to x1....' lost its range.
    names = [_whole_lines(r.label, label_w - 8, TICK_PX, 2) or [_clip(r.label, label_w - 8, TICK_PX)]
             for r in drawn]
    if any(len(n) > 1 for n in names):
        row_px = max(row_px, int(LINE_PX + 2 * TICK_PX))
    notes = [f"{r.note} (" + ", ".join(name for name, v in ((low_name, r.at_low), (high_name, r.at_high))
                                         if _num(v) is None) + ")"
             if r.note and None in map(_num, (r.at_low, r.at_high)) else "" for r in drawn]
    note_w = min(0.3 * width, max((text_px(n, TICK_PX) + 12 for n in notes if n), default=0.0))
    left, right = 8 + label_w, width - 16 - note_w  # missing ends' notes in a column of their own
    ticks = nice_ticks(lo, hi, max(3, int((right - left) // 100)))
    right = min(right, width - 4 - _tick_width(ticks, x_format) / 2)  # the last tick's label inside the chart
    colors = (PALETTE[0], PALETTE[1])
    # The legend names the series some row draws (Morris's sigma is absent where every input took one step).
    keyed = [(name, color) for name, color, end in ((low_name, colors[0], "at_low"), (high_name, colors[1], "at_high"))
             if any(_num(getattr(r, end)) is not None for r in drawn)]
    legend, legend_h = _legend([(name, color, "box") for name, color in keyed], width)
    top = 24 + 19 * len(title_lines)
    base = top + row_px * len(drawn)
    # Names and numbers only, so that they read in the report's language.
    out, sx, legend_top = _horizontal_frame(title, title_lines, f"{low_name}, {high_name}: {len(drawn)}", width,
                                            left, right, top, base, ticks, x_format, x_label, legend_h)
    zero = sx(0.0)
    out.append('<g class="tornado">')
    for i, r in enumerate(drawn):
        cy = top + row_px * (i + 0.5)
        shown = [f"{name} {fmt(v, x_format, sign=True) if _num(v) is not None else r.note or EN_DASH}"
                 for name, v in ((low_name, r.at_low), (high_name, r.at_high))]
        out.append(f'<g class="row"><title>{esc(r.label)}: {esc("; ".join(shown))}</title>'
                   f'<text x="{_fmt_num(left - 6)}" y="{_fmt_num(cy + 4 - LINE_PX * (len(names[i]) - 1) / 2)}" '
                   f'text-anchor="end" font-size="{TICK_PX}">{_tspans(names[i], left - 6)}</text>')
        for k, (v, color) in enumerate(zip((r.at_low, r.at_high), colors)):
            if _num(v) is None:
                continue
            x0, x1 = sorted((zero, sx(float(v))))
            y = cy - row_px * 0.4 + k * row_px * 0.4
            out.append(f'<rect class="bar" x="{_fmt_num(x0)}" y="{_fmt_num(y)}" width="{_fmt_num(max(x1 - x0, 1))}" '
                       f'height="{_fmt_num(row_px * 0.38)}" fill="{colors[k]}"/>')
        if notes[i]:
            out.append(f'<text class="missing-end" x="{_fmt_num(right + 8)}" y="{_fmt_num(cy + 4)}" '
                       f'font-size="{TICK_PX}" fill="{MUTED}" font-style="italic">'
                       f'{esc(_clip(notes[i], note_w - 12, TICK_PX))}</text>')
        out.append("</g>")
    out.append(f'<line x1="{_fmt_num(zero)}" y1="{_fmt_num(top)}" x2="{_fmt_num(zero)}" y2="{_fmt_num(base)}" '
               f'stroke="{AXIS}" stroke-width="1.2"/></g>')
    out.append(_draw_legend(legend, legend_top, [name for name, _color in keyed]))
    out.append("</svg>")
    return "".join(out)


def _legs(routes: list[Route], home: str) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """Tonnes on each mining -> refining leg (across borders) and on each refining country -> home leg."""
    first: dict[tuple[str, str], float] = {}
    second: dict[str, float] = {}
    for r in routes:
        if r.tonnes <= 0:
            continue
        if r.origin != r.refiner:
            first[r.origin, r.refiner] = first.get((r.origin, r.refiner), 0.0) + r.tonnes
        if r.refiner != home:
            second[r.refiner] = second.get(r.refiner, 0.0) + r.tonnes
    return first, second


def _quadratic_points(a: tuple[float, float], m: tuple[float, float], b: tuple[float, float],
                      step_px: float = 2.0) -> list[tuple[float, float]]:
    """Points along the quadratic Bézier from ``a`` through control ``m`` to ``b``, at most ``step_px``
    apart (the control polygon is never shorter than the curve)."""
    n = max(2, math.ceil((math.dist(a, m) + math.dist(m, b)) / step_px))
    return [((1 - u) ** 2 * a[0] + 2 * (1 - u) * u * m[0] + u * u * b[0],
             (1 - u) ** 2 * a[1] + 2 * (1 - u) * u * m[1] + u * u * b[1]) for u in (i / n for i in range(n + 1))]


def _crossed(box: tuple[float, float, float, float], lines: list) -> int:
    """How many points of ``lines`` (points along a route, half its width) fall in ``box``: 0 where no route
    passes through it."""
    return sum(box[0] - r <= x <= box[2] + r and box[1] - r <= y <= box[3] + r for points, r in lines
               for x, y in points)


# Where a node's name goes, in order of preference: beside it, above, below, at a corner; then the same
# places a step further out, for a node whose routes leave it on every side (Korea on the gallium map).
LABEL_PLACES = [(dx, dy, anchor) for step in (0, 6) for dx, dy, anchor in (
    (7 + step, 4, "start"), (-7 - step, 4, "end"), (0, -8 - step, "middle"), (0, 15 + step, "middle"),
    (7 + step, 15 + step, "start"), (-7 - step, 15 + step, "end"), (7 + step, -8 - step, "start"),
    (-7 - step, -8 - step, "end"))]


def _map_label(text: str, x: float, y: float, pw: float, ph: float, boxes: list, lines: list,
               bold: bool = False) -> str:
    """A node's name at the first of ``LABEL_PLACES`` where it overlaps no label placed before, crosses no
    route (``lines``: the leg from Canada was drawn through Korea's name on the gallium map) and stays inside
    the map: a corner where a neighbour 10 px away (Japan beside Korea on a world map) takes every side, a
    step further out where routes leave on every side; where every place crosses a route, where it crosses
    least; left out (the tooltip keeps it) where every place overlaps a label.  A bold name is measured
    bold: measured regular, Korea's label reached over Japan's."""
    px = TICK_PX
    w, h = text_px(text, px, bold), px
    places = []
    for dx, dy, anchor in LABEL_PLACES:
        left = x + dx - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        box = (left, y + dy - h, left + w, y + dy + 2)
        inside = box[0] >= 2 and box[2] <= pw - 2 and box[1] >= 2 and box[3] <= ph - 2
        if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            places.append((dx, dy, anchor, box))
    if not places:
        return ""
    dx, dy, anchor, box = min(places, key=lambda p: _crossed(p[3], lines))  # the first that crosses least
    boxes.append(box)
    weight = ' font-weight="600"' if bold else ""
    return (f'<text class="place" x="{_fmt_num(x + dx)}" y="{_fmt_num(y + dy)}" text-anchor="{anchor}" '
            f'font-size="{px}"{weight} stroke="#fff" stroke-width="3" stroke-linejoin="round" '
            f'paint-order="stroke">{esc(text)}</text>')


def table(headers: list[str], rows: list[list[object]], *, formats: list[str] | None = None,
          delta_columns: frozenset[int] = frozenset(), signed_columns: frozenset[int] = frozenset(),
          lang: str = EN, whole: tuple[str, ...] = (), ids_break: frozenset[int] = frozenset()) -> str:
    """An HTML <table>; formats per column as above plus "text"; delta columns show a sign (+/-) and
    are coloured (red for cost increases = positive, green for negative); signed columns show the sign
    only, for a change neither better nor worse (tonnes moving from one country to another). None shows
    as an en dash.  ``whole``: names a header keeps whole (a scenario's id, 'mined there, gallium_ban (t)'):
    it breaks at their spaces, not after their _ ('gallium_' over 'ban').  ``ids_break``: columns whose ids
    may break after their _ as a header's do, where they would widen the table past the page (the
    alternatives' 'least found by', 'least cathode_scrap_hydro').
    A column of probabilities shares one number of decimals (``probability_decimals``).  ``lang``: the
    report's language, for the unit of days (as ``fmt``'s).

    Days in a report: a workbook cell is a bare number under a header that names the unit.  A page's
    column of days either names the unit in its header and shows bare numbers (a measure's or limit's
    words such as 'stockpile days 2030', 'mu* (days)') or gives each cell the short unit: format "days",
    '127 d' / '127일'.  A column whose rows are different measures gives each cell its unit: the short one
    beside 'M' and 't' (compare's outputs that moved), else ``labels.days`` as sentences do, '127 days' /
    '127일'."""
    width = max([len(headers)] + [len(r) for r in rows])
    columns = [[r[j] for r in rows if j < len(r)] for j in range(width)]
    if formats is None:  # a column of numbers (and blanks) as numbers, anything else as text
        formats = ["number" if _numeric(c) else "text" for c in columns]
    for f in formats:
        fmt(0, f)
    kinds = list(formats) + ["text"] * (width - len(formats))
    decimals = [probability_decimals(c) if kind == "probability" else percent_decimals(c) if kind == "percent"
                else None for kind, c in zip(kinds, columns)]
    fractions = [kind == "number" and _fractions(c) for kind, c in zip(kinds, columns)]  # once a column, not a cell
    head = "".join(f'<th scope="col"{_num_class(kinds[j])}>{_head(h, whole)}</th>'
                   for j, h in enumerate(list(headers) + [""] * (width - len(headers))))
    body = []
    for r in rows:
        cells = []
        for j in range(width):
            v = r[j] if j < len(r) else None
            cls = "num" if kinds[j] != "text" else ""
            digits, x = decimals[j], _num(v)
            if fractions[j] and x is not None and x == int(x):
                digits = _size_decimals(x)
            if j in delta_columns | signed_columns and _num(v) is not None:
                text = fmt(v, kinds[j] if kinds[j] != "text" else "number", digits, sign=True, lang=lang)
                if j in delta_columns:  # coloured by the sign shown: a change that rounds to 0 is no change
                    cls += " up" if text.startswith("+") else " down" if text.startswith("-") else ""
            else:
                text = fmt(v, kinds[j], digits, lang=lang)
            if cls:  # a figure keeps its unit ('107,689' over 't' in a narrow printed column), as written here or not
                text = _FIGURE_UNIT.sub(NBSP, text)
            cls = cls.strip()
            if cls:
                cells.append(f'<td class="{cls}">{esc(text)}</td>')
            else:  # a short text (a status of two words, a scale 0-10) on one line
                short = ' class="short"' if len(text) <= SHORT_CELL and (" " in text or "-" in text) else ""
                cells.append(f"<td{short}>{_breakable(text, '_+' if j in ids_break else '+')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    # A wide table scrolls inside its own box instead of widening the page.
    return (f'<div class="table-wrap"><table class="data"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def assumptions(heading: str, items: list[str]) -> str:
    """The box of what a page assumes: ``heading`` and a bullet per item (plain text, escaped; an empty item
    is left out).  No ``heading`` for a box that is a section of its own, whose heading names it already
    ('Assumptions' above 'Assumptions')."""
    title = f"<strong>{esc(heading)}</strong>" if heading else ""
    return f'<div class="assumptions">{title}<ul>' + "".join(f"<li>{esc(i)}</li>" for i in items if i) + "</ul></div>"


_FIGURE_UNIT = re.compile(r"(?<=\d) (?=[^\W\d]{1,4}\b)")  # the space between a figure and its unit: '38,744.748 M'
SHORT_CELL = 10  # characters: a text cell this short stays on one line ('실행 불가' broke in two in a narrow column,
# the Korean definitions' scale '0-10' after its dash)


def _head(header: str, whole: tuple[str, ...]) -> str:
    """A table's header, escaped, its closing unit whole (``unit_whole``): no break after its '/' either, which
    broke the coalition's 'Korea pays to settle (USD/' over 'yr)'."""
    unit = _UNIT.search(header)
    return _breakable(unit_whole(header), whole=(*whole, unit_whole(unit.group())) if unit else whole)


_UNIT = re.compile(r"\([ -~]{1,16}\)$")  # a header's closing unit: short, in Latin letters


def unit_whole(header: str) -> str:
    """A header's closing unit in parentheses ('(USD M)', '(VSS, USD M)': short, in Latin letters) with
    no-break spaces, so that it never breaks inside: the Korean hedged page's narrow '값 (USD M)' wrapped as
    '값 (USD' over 'M)' (balanced lines prefer the even split); so do the plan workbook's Summary labels and the
    brief workbook's headers, printed by LibreOffice.  A hyphen inside a word of it is a no-break hyphen
    (NB_HYPHEN): the plan's Summary printed 'binding limits (mineral-' over 'years)'.  A longer note in
    parentheses wraps as text."""
    return _UNIT.sub(lambda unit: re.sub(r"(?<=\w)-(?=\w)", NB_HYPHEN, unit.group()).replace(" ", NBSP), header)


def _breakable(text: str, joints: str = "_+/", whole: tuple[str, ...] = ()) -> str:
    """Escaped text with a line break allowed (<wbr>) after each of ``joints`` inside a word: a header's id
    (korea_settlement_usd_per_yr) or joined names (lithium+nickel+cobalt) wrap there instead of widening
    their table past the page.  A cell's ids and references (ce_chn_chn, doi:10.2760/73303) stay whole:
    only its + joins break; and so do the names in ``whole`` wherever they stand.  A '+' before a digit is a
    sign, kept with its number ('(+6,000 t)'), as a figure's no-break space (NBSP) keeps it with its unit."""
    names = sorted({w for w in whole if w}, key=len, reverse=True)
    if names:  # the names (the odd parts) stay whole, the text between them breaks as any text does
        parts = re.split(f"({'|'.join(map(re.escape, names))})", text)
        return "".join(esc(p) if k % 2 else _breakable(p, joints) for k, p in enumerate(parts))
    return re.sub(f"([{re.escape(joints)}])(?=(?<!\\+)\\w|[^\\W\\d])", r"\1<wbr>", esc(text))


def _numeric(column: list[object]) -> bool:
    values = [v for v in column if v is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _num_class(kind: str) -> str:
    return ' class="num"' if kind != "text" else ""


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: #1f2933; font: 15px/1.5 %(font)s; }
main { max-width: 1360px; margin: 0 auto; padding: 28px 36px 48px; background: #fff; min-height: 100vh; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 4px; }
.subtitle { color: #52606d; margin: 0; font-size: 15px; }
.stopped { background: #fdf1e6; border-left: 5px solid #D55E00; padding: 10px 20px; margin: 0 0 20px;
  border-radius: 0 6px 6px 0; font-weight: 600; }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e4e7eb; }
.what-changed { background: #eef6fc; border-left: 5px solid #0072B2; padding: 10px 20px 12px;
  border-radius: 0 6px 6px 0; }
.what-changed h2 { border: 0; margin: 4px 0 6px; font-size: 17px; }
.what-changed p { margin: 6px 0; max-width: 95ch; }
.blocks { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%%, 540px), 1fr));
  gap: 20px 32px; align-items: start; }
.block { min-width: 0; break-inside: avoid; page-break-inside: avoid; }
.block.wide { grid-column: 1 / -1; overflow-x: auto; }
.block > p { max-width: 95ch; margin: 4px 0; }
svg.chart { display: block; width: 100%%; height: auto; }
.table-wrap { overflow-x: auto; max-width: 100%%;
  /* A table wider than its box scrolls in it, a shadow at each edge with more of it beyond: the white
     ends scroll with the table and cover the shadow at an edge it has reached. */
  background: linear-gradient(to right, #fff 30%%, rgba(255,255,255,0)) left / 40px 100%% no-repeat local,
    linear-gradient(to left, #fff 30%%, rgba(255,255,255,0)) right / 40px 100%% no-repeat local,
    radial-gradient(farthest-side at 0 50%%, rgba(31,41,51,.22), rgba(31,41,51,0)) left / 14px 100%% no-repeat,
    radial-gradient(farthest-side at 100%% 50%%, rgba(31,41,51,.22), rgba(31,41,51,0)) right / 14px 100%% no-repeat; }
table.data { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 5px 9px; border-bottom: 1px solid #e4e7eb; text-align: left;
  vertical-align: top; word-break: keep-all; }
table.data thead th { border-bottom: 2px solid #9aa5b1; background: rgba(82,96,109,.07); font-weight: 600;
  text-wrap: balance; }  /* a header's lines alike (its closing unit kept whole: unit_whole) */
table.data tbody tr:nth-child(even) { background: rgba(82,96,109,.03); }  /* see-through: the shadows show */
table.data .num { text-align: right; white-space: nowrap; }
table.data td.short { white-space: nowrap; }
table.data th.num { white-space: normal; }
table.data .up { color: #b42318; font-weight: 600; }
table.data .down { color: #067647; font-weight: 600; }
footer { margin-top: 36px; color: #7b8794; font-size: 13px; border-top: 1px solid #e4e7eb; padding-top: 8px; }
.answers { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%%, 600px), 1fr));
  gap: 16px 24px; margin: 8px 0 12px; }
.answer { border: 1px solid #d9e2ec; border-top: 4px solid #0072B2; border-radius: 6px; padding: 10px 16px 12px;
  min-width: 0; break-inside: avoid; page-break-inside: avoid; }
.answer h2 { font-size: 16px; margin: 2px 0 4px; padding: 0; border: 0; }
.answer .figure { font-size: 24px; font-weight: 700; line-height: 1.2; margin: 2px 0 4px;
  font-variant-numeric: tabular-nums; }
.answer .figure .unit { font-size: 14px; font-weight: 400; color: #52606d; }
.answer p { margin: 4px 0; }
.answer table.data { font-size: 13px; width: 100%%; }
.note { color: #52606d; font-size: 13.5px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; background: #eef2f6;
  color: #52606d; white-space: nowrap; }
.assumptions { background: #f5f7fa; border-radius: 6px; padding: 8px 16px; font-size: 13.5px; color: #3e4c59; }
.assumptions ul { margin: 4px 0; padding-left: 20px; }
@media print {
  @page { size: A4; margin: 12mm; }
  html, body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; min-height: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .answer, .assumptions { break-inside: avoid; page-break-inside: avoid; }
  /* A story or a table longer than a page flows on from where it starts (kept whole, it left the page
     before it blank); its rows, paragraphs and charts do not split. */
  .what-changed, .block.wide { break-inside: auto; page-break-inside: auto; }
  .what-changed p { break-inside: avoid; page-break-inside: avoid; }
  .answers, .blocks { display: block; }
  .answer, .block { margin: 0 0 10px; }
  .block.wide { overflow: visible; }
  /* A chart taller than a page (the alternatives' 80 supplier ranges) prints whole, shrunk to the page, not
     split with its legend on the next; its heading still fits above it. */
  svg.chart { max-width: 100%% !important; max-height: 245mm; break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; background: none; }
  table.data { width: 100%%; font-size: 8pt; }
  table.data th, table.data td { padding: 2px 4px; overflow-wrap: break-word; }
  table.data .num { white-space: normal; }
  table.data tr { break-inside: avoid; page-break-inside: avoid; }
  table.data thead { display: table-header-group; }
}
""" % {"font": FONT}


def _is_narrow_chart(fragment: str) -> bool:
    """An SVG chart of at most 720 px, placed side by side with the next one on a wide screen."""
    m = re.match(r'\s*<svg[^>]*\swidth="([\d.]+)"', fragment)
    return bool(m) and float(m.group(1)) <= 720


def page(title: str, subtitle: str, narrative: list[str], sections: list[tuple[str, list[str]]], *,
         footer: str = "", narrative_heading: str = "What changed", lang: str = "en", answers: str = "",
         notice: str = "") -> str:
    """A complete HTML5 document: <h1> title, subtitle, ``notice`` (plain text, if any) in a box right under
    them (what a reader must know before anything else: a run stopped before it finished), a 'What changed'
    box with the narrative paragraphs (plain text, escaped), ``answers`` (trusted HTML: a report's first
    screen), then each (heading, [html fragments]) section. Inline CSS only, print-friendly (charts do not
    split across pages, tables wrap to the page), readable on a laptop screen, no JavaScript needed.
    ``lang`` is the page's language.

    Fragments are trusted HTML (from the functions above); ``footer`` is plain text.  A page with maps
    gets the country shapes once (``world_defs``).
    """
    parts = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>",
             f"<header><h1>{esc(title)}</h1>"]
    if subtitle:
        parts.append(f'<p class="subtitle">{esc(subtitle)}</p>')
    parts.append("</header>")
    if notice:
        parts.append(f'<p class="stopped" role="alert">{esc(notice)}</p>')
    if any(f'href="#{WORLD_ID}"' in f for _, fragments in sections for f in fragments):
        parts.append(world_defs())
    if narrative:
        parts.append(f'<section class="what-changed"><h2>{esc(narrative_heading)}</h2>')
        parts += [f"<p>{esc(p)}</p>" for p in narrative]
        parts.append("</section>")
    if answers:
        parts.append(answers)
    for heading, fragments in sections:
        parts.append(f'<section><h2>{esc(heading)}</h2><div class="blocks">')
        for f in fragments:
            wide = "" if _is_narrow_chart(f) else " wide"
            parts.append(f'<div class="block{wide}">{f}</div>')
        parts.append("</div></section>")
    if footer:
        parts.append(f"<footer>{esc(footer)}</footer>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
