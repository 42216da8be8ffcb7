"""HTML reports: charts parse as SVG, text is escaped, nothing is fetched, and Chromium renders them cleanly."""

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from planner.reports.html import (
    COUNTRY_COLORS, CSS, NBSP, OTHER_COLORS, OTHER_COUNTRY_COLORS, WORLD_ID, MapPanel, RangeRow, Route, Series,
    bar_chart, change, color_of, flow_map, fmt, line_chart, nice_ticks, page, range_chart, ranked_chart,
    share_points, table, text_px, usd_m_range,
)
from render import (
    chart_text_problems, chromium_binary, external_urls, html_to_pdf, pdf_pages_text, pdf_words_past_margin,
    render_html,
)

NS = {"s": "http://www.w3.org/2000/svg"}
YEARS = list(range(2024, 2031))
EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("evil.example/x","click")'


def svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("aria-label") is not None
    assert root.find("s:title", NS) is not None
    assert not external_urls(text)
    return root


def ticks_of(root: ET.Element) -> list[str]:
    return [t.text for t in root.iterfind(".//s:text[@class='tick-y']", NS)]


def demo_page() -> str:
    """A scenario comparison with every chart type and edge case, as the report will have."""
    scenarios = ["Base case", "China cap 50% by 2030", "No new recycling", "Stockpile 100 days",
                 "Lithium price shock +40%", EVIL]
    cost = bar_chart("Total present-value cost per scenario", scenarios,
                     {"Purchases": [9.1e9, 9.6e9, 9.4e9, 9.2e9, 11.8e9, 9.0e9],
                      "Contracts": [0.4e9, 0.5e9, 0.4e9, 0.4e9, 0.4e9, 0.4e9],
                      "Recycling": [0.3e9, 0.35e9, 0.0, 0.3e9, 0.3e9, 0.3e9],
                      "Stockpile": [0.2e9, 0.2e9, 0.25e9, 0.6e9, 0.2e9, 0.2e9]}, y_format="usd_m",
                     y_label="USD million (PV)")
    delta = bar_chart("Cost change against the base case", scenarios[1:],
                      {"Purchases": [0.5e9, 0.3e9, 0.1e9, 2.7e9, -0.1e9],
                       "Recycling": [0.05e9, -0.3e9, 0.0, 0.0, 0.0],
                       "Stockpile": [0.0, 0.05e9, 0.4e9, 0.0, 0.0]}, y_format="usd_m")
    share = line_chart("China share of lithium supply", [
        Series("Base case", [(y, s) for y, s in zip(YEARS, [0.80, 0.78, 0.74, 0.70, 0.64, 0.58, 0.50])]),
        Series("No new recycling", [(y, s) for y, s in zip(YEARS, [0.80, 0.79, 0.77, 0.72, None, 0.60, 0.50])]),
        Series("China cap", [(y, c) for y, c in zip(YEARS, [0.80, 0.75, 0.70, 0.65, 0.60, 0.55, 0.50])],
               dashed=True, color="#444")], y_format="percent", y_label="share of supply")
    countries = ["China", "Chile", "Australia", "Indonesia", "Argentina", "Japan", "USA", "Canada", "Morocco",
                 "DR Congo", "Philippines", "Korea (recycled)", "Germany", "Brazil", "Vietnam"]
    mix = bar_chart("Supply by country of origin, 2030 (all minerals)", ["Base case", "China cap 50%", "No recycling"],
                    {c: [1000.0 * (15 - i), 900.0 * (15 - i) if i else 6000.0, 800.0 * (15 - i)]
                     for i, c in enumerate(countries)}, y_format="t")
    ramp = line_chart("Recycling share of demand", [
        Series(s, [(y, 0.02 + k * (y - 2024) * 0.006) for y in YEARS]) for k, s in enumerate(scenarios[:4], 1)],
        y_format="percent")
    days = bar_chart("Stockpile cover in 2030", ["Lithium", "Cobalt", "Nickel", "Graphite", "Manganese",
                                                 "Rare earths (NdFeB magnets)", "Gallium", "Tungsten"],
                     {"Base": [100, 112, 100, 130, 100, 104, 150, 100], "Stockpile 100 days": [100] * 8},
                     y_format="days", stacked=False)
    curve = line_chart("Price of security: total cost against the China cap", [
        Series("Total cost", [(0.8, 10.0e9), (0.7, 10.1e9), (0.6, 10.35e9), (0.5, 10.9e9), (0.4, None)])],
        y_format="usd_m", x_format="percent", x_label="China cap in 2030 (tightening \u2192)",
        y_label="USD million (PV)", x_reverse=True)
    costliest = ranked_chart("Disruption cost, the costliest scenarios (USD M, present value)",
                             [f"{2027 + i}: {s} halts exports for eight months" for i, s in enumerate(scenarios)],
                             {"Least-cost plan": [89.7e6, 47.4e6, 43.4e6, 28.9e6, 17.6e6, 11.6e6],
                              "Hedged plan": [40.2e6, 30.1e6, None, 20.0e6, 15.5e6, 12.9e6]}, x_format="usd_m",
                             x_label="USD M")
    step = bar_chart("Marginal cost per 10-point step", ["80\u219270%", "70\u219260%", "60\u219250%"],
                     {"USD per step": [0.1e9, 0.25e9, 0.55e9]}, y_format="usd_m")
    rows = [[s, c, d, sh] for s, c, d, sh in zip(scenarios, [10.0e9, 10.65e9, 10.05e9, 10.5e9, 12.7e9, None],
                                                   [0.0, 0.65e9, 0.05e9, 0.5e9, 2.7e9, -0.1e9],
                                                   [0.5, 0.5, 0.5, 0.5, 0.5, 0.62])]
    rows.append([FORMULA, 0.0, None, None])
    summary = table(["Scenario", "Total cost (USD M)", "Change", "China share 2030"], rows,
                    formats=["text", "usd_m", "usd_m", "percent"], delta_columns=frozenset({2}))
    return page("What-if scenarios: Korea 2024\u20132030 sourcing plan",
                "Default case korea_2030.xlsx \u00b7 6 scenarios \u00b7 present-value USD, 2024 prices",
                ["Capping China at 50% by 2030 costs USD 650 M more than the base case, mostly in lithium "
                 "and graphite purchases.", f"A supplier named {EVIL} is shown literally."],
                [("Cost", [cost, delta, costliest, summary]), ("China share", [share, curve, step]),
                 ("Supply mix", [mix, ramp]), ("Stockpile", [days]),
                 ("Empty", [line_chart("Nothing yet", []), bar_chart("Nothing", [], {})])],
                footer="Generated by the planner test suite.")


def test_every_chart_is_svg_without_external_urls():
    html = demo_page()
    assert html.startswith("<!DOCTYPE html>")
    assert external_urls(html) == []
    assert "<script" not in html  # escaped, not live
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    charts = html.count("<svg")
    assert charts == 11
    start = 0
    for _ in range(charts):
        a = html.index("<svg", start)
        start = html.index("</svg>", a) + len("</svg>")
        svg(html[a:start])


def test_user_text_is_escaped_everywhere():
    chart = line_chart(EVIL, [Series(EVIL, [(2024, 1.0)]), Series(FORMULA, [(2024, 2.0)])], x_label=EVIL,
                       y_label=EVIL)
    bars = bar_chart(EVIL, [EVIL, FORMULA], {EVIL: [1.0, 2.0]})
    for text in (chart, bars, table([EVIL], [[EVIL], [FORMULA]]), page(EVIL, EVIL, [EVIL], [(EVIL, [])])):
        assert "<script>" not in text
        assert "&lt;script&gt;" in text
    root = svg(bars)
    assert any(t.get("class") == "category" and "".join(t.itertext()).startswith(FORMULA)
               for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert svg(line_chart("x\x00\x07y", [Series("a\x0bb", [(1, 1)])])) is not None  # control characters dropped


def test_nice_ticks_are_1_2_5_steps_and_cover_the_data():
    for lo, hi in [(0, 0.85), (0, 1), (0, 7.3e9), (-1.2e9, 3.4e9), (0, 54), (0, 123456), (0, 0.003), (-5, -1)]:
        t = nice_ticks(lo, hi)
        step = t[1] - t[0]
        mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
        assert round(mantissa, 6) in (1, 2, 5), (lo, hi, t)
        assert t[0] <= lo and t[-1] >= hi and 3 <= len(t) <= 12, (lo, hi, t)
    assert nice_ticks(0, 0.85) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(2024, 2030, 3, integer=True) == [2024, 2026, 2028, 2030]
    assert nice_ticks(2024.0, 2024.0, integer=True) == [2023, 2024, 2025]


def test_axis_labels_read_well():
    root = svg(line_chart("share", [Series("a", [(2024, 0.85), (2030, 0.5)])], y_format="percent"))
    assert ticks_of(root) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert [t.text for t in root.iterfind(".//s:text[@class='tick-x']", NS)] == ["2024", "2030"]
    root = svg(bar_chart("cost", ["a"], {"x": [7.3e9]}, y_format="usd_m"))
    assert ticks_of(root)[-1] == "8,000 M"


def test_formats():
    assert fmt(0.5, "percent") == "50%" and fmt(0.523, "percent") == "52.3%"
    assert fmt(1.2e9, "usd_m") == "1,200 M" and fmt(12345, "usd") == "12,345"
    assert fmt(54, "days") == "54 d" and fmt(1234, "t") == "1,234 t" and fmt(2026, "year") == "2026"
    assert fmt(1234, "number") == "1,234" and fmt(None, "usd") == "\u2013"
    assert fmt(3e8, "usd_m", sign=True) == "+300 M" and fmt(-3e8, "usd_m", sign=True) == "-300 M"
    assert fmt(-0.0001, "usd") == "0"  # no "-0"
    with pytest.raises(ValueError):
        fmt(1, "euros")


def test_a_change_shown_beside_its_two_figures_is_their_difference_as_shown():
    """The compare page once read '129 d -> 127 d, change -1 d' (128.55 and 127.47 days): where the figures'
    own digits do not add up, all three take the digits at which they do."""
    assert change(128.55, 127.47, "days") == ("128.6 d", "127.5 d", "-1.1 d")
    assert change(128.55, 127.47, "days", "ko") == ("128.6일", "127.5일", "-1.1일")
    assert change(127.0, 131.2, "days") == ("127 d", "131 d", "+4 d")  # they add up as they are
    assert change(48_317.12e6, 48_317.49e6, "usd_m") == ("48,317.12 M", "48,317.49 M", "+0.37 M")
    assert change(48_317e6, 87_596e6, "usd_m") == ("48,317 M", "87,596 M", "+39,279 M")
    assert change(0.0, 571_326.0, "t") == ("0 t", "571,326 t", "+571,326 t")
    assert change(5.0, 5.0004, "days")[2] == "0 d"  # too small to show: no sign, so no change to report


def test_a_change_of_a_share_in_points_has_the_digits_of_the_share():
    """Percentage points from the number itself, as many digits as ``fmt`` gives a share."""
    assert share_points(-0.024, sign=True) == "-2.4" and share_points(0.03, sign=True) == "+3"
    assert share_points(0.4999) == "50" == fmt(0.4999, "percent").removesuffix("%")
    assert share_points(-1e-5, sign=True) == "0"  # no "-0", no "+0"


def test_negative_bars_go_below_the_zero_line():
    for stacked in (True, False):
        root = svg(bar_chart("delta", ["up", "down"], {"a": [2.0, -3.0], "b": [1.0, -1.0]}, stacked=stacked))
        zero = float(root.find(".//s:line[@class='zero']", NS).get("y1"))
        bars = {r.find("s:title", NS).text: r for r in root.iterfind(".//s:rect[@class='bar']", NS)}
        assert len(bars) == 4
        for tip, r in bars.items():
            y, h = float(r.get("y")), float(r.get("height"))
            if tip.startswith("down"):
                assert y >= zero - 0.01 and h > 0, tip
            else:
                assert y + h <= zero + 0.01 and h > 0, tip
        assert float(ticks_of(root)[0]) < 0


def test_table_signs_colours_and_blanks():
    html = table(["s", "cost", "delta"], [["a", 1.5e9, 2e8], ["b", None, -1e8], ["c", 1.0, 0.0]],
                 formats=["text", "usd_m", "usd_m"], delta_columns=frozenset({2}))
    assert '<td class="num up">+200\u00a0M</td>' in html
    assert '<td class="num down">-100\u00a0M</td>' in html
    assert '<td class="num">\u2013</td>' in html and '<td class="num">0\u00a0M</td>' in html
    assert "<td>1.00</td>" not in table(["n"], [[1.0]])  # numbers are right-aligned numbers by default
    ET.fromstring(html)  # well-formed


@pytest.mark.parametrize("chart", [
    lambda: line_chart("empty", []),
    lambda: line_chart("no points", [Series("a", [])]),
    lambda: line_chart("all gaps", [Series("a", [(2024, None), (2025, float("nan"))])]),
    lambda: line_chart("one point", [Series("a", [(2024, 5.0)])]),
    lambda: line_chart("all zero", [Series("a", [(y, 0.0) for y in YEARS])]),
    lambda: line_chart("negative", [Series("a", [(y, -y + 2027.5) for y in YEARS])], zero_based=False),
    lambda: line_chart("many years", [Series("a", [(y, y % 7) for y in range(2000, 2101)])]),
    lambda: line_chart("15 series", [Series(f"series {i}", [(y, i * y / 1000) for y in YEARS]) for i in range(15)]),
    lambda: bar_chart("empty", [], {}),
    lambda: bar_chart("no stacks", ["a"], {}),
    lambda: bar_chart("all zero", ["a", "b"], {"x": [0.0, 0.0]}),
    lambda: bar_chart("one", ["a"], {"x": [5.0]}),
    lambda: bar_chart("missing", ["a", "b"], {"x": [None, 3.0]}),
    lambda: bar_chart("long labels", [f"A very long scenario name number {i} with words" for i in range(12)],
                      {f"stack {i}": [float(i + j) for j in range(12)] for i in range(15)}),
    lambda: bar_chart("tiny", ["a"], {"x": [1.0]}, width=120, height=80),
    lambda: ranked_chart("empty", [], {}),
    lambda: ranked_chart("all missing", ["a"], {"x": [None]}),
    lambda: ranked_chart("all zero", ["a", "b"], {"x": [0.0, 0.0]}),
    lambda: ranked_chart("negative", ["a", "b"], {"x": [-2.0, 3.0], "y": [1.0, None]}),
    lambda: ranked_chart("a word wider than the room", ["x" * 200], {"x": [1.0]}, width=320),
])
def test_edge_cases_draw_a_chart(chart):
    root = svg(chart())
    assert float(root.get("height")) > 0


def test_a_no_data_chart_says_so():
    root = svg(bar_chart("empty", [], {}))
    assert root.find(".//s:text[@class='no-data']", NS).text == "\u2013"


def test_mismatched_bar_lengths_are_a_clear_error():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart("t", ["a", "b", "c"], {"x": [1.0, 2.0]})


def test_a_ranked_chart_names_each_category_whole_beside_its_bars():
    """Horizontal bars in the order given, one row per category: its name whole on the left in as many lines
    as it needs (up to three), each bar from zero with its value at its end, a missing value left out."""
    names = ["2027: DR Congo halts cobalt exports for eight months",
             "2029: Indonesia restricts exports of nickel intermediates for a year in 2029", "2031: short"]
    root = svg(ranked_chart("costliest", names, {"least-cost": [89.7e6, 17.6e6, 11.6e6],
                                                 "hedged": [40.0e6, None, 12.0e6]}, x_format="usd_m", width=640))
    labels = list(root.iterfind(".//s:text[@class='category']", NS))
    shown = [[span.text for span in t.findall("s:tspan", NS)] or [t.text] for t in labels]
    assert [" ".join(lines) for lines in shown] == names and len(shown[1]) > 1  # whole, the long one in lines
    assert not any("\u2026" in line for lines in shown for line in lines)
    assert len({t.get("x") for t in labels}) == 1 and all(t.get("text-anchor") == "end" for t in labels)
    bars = [(float(r.get("x")), float(r.get("y")), float(r.get("width"))) for r in root.iterfind(".//s:rect[@class='bar']", NS)]
    assert len(bars) == 5 and len({x for x, _y, _w in bars}) == 1  # from zero, the missing one left out
    assert [y for _x, y, _w in bars] == sorted(y for _x, y, _w in bars)
    assert bars[0][2] > bars[2][2] > bars[4][2] and bars[0][2] > bars[1][2]
    values = [t.text for t in root.iterfind(".//s:text[@class='value']", NS)]
    assert values == [fmt(v, "usd_m") for v in (89.7e6, 40.0e6, 17.6e6, 11.6e6, 12.0e6)]
    assert [t.text for t in root.iterfind(".//s:g[@class='legend']/s:text", NS)] == ["least-cost", "hedged"]
    with pytest.raises(ValueError, match="1 values for 3 categories"):
        ranked_chart("t", names, {"x": [1.0]})


def test_a_dotted_line_drawn_over_one_it_runs_along_leaves_both_in_sight():
    """The plan page's China share is mostly its refining share: the refining line comes after it, dotted (dashes
    of no length with round caps), its markers smaller than those of the line below, and its legend sample
    dotted too, so that the reader sees both lines and both names."""
    points = [(y, 0.5 + 0.01 * k) for k, y in enumerate(YEARS)]
    root = svg(line_chart("China share", [Series("China share", points, color="#D55E00"),
                                          Series("China share, refining", points, color="#882255", dotted=True)],
                          y_format="percent"))
    below, above = root.iterfind(".//s:g[@class='series']", NS)
    line = above.find("s:polyline", NS)
    assert line.get("stroke-dasharray") == "0 5" and line.get("stroke-linecap") == "round"
    assert below.find("s:polyline", NS).get("stroke-dasharray") is None
    assert {c.get("r") for c in above.iterfind("s:circle", NS)} == {"2"}
    assert {c.get("r") for c in below.iterfind("s:circle", NS)} == {"3.5"}
    samples = list(root.iterfind(".//s:g[@class='legend']/s:line", NS))
    assert [(x.get("stroke-dasharray"), x.get("stroke-linecap")) for x in samples] == [(None, None), ("0 5", "round")]


def test_a_line_that_lies_on_an_earlier_one_all_along_is_drawn_dotted_over_it():
    """A sweep's China shares of two minerals held at the same cap are one line: the later is dotted, so the
    legend names no line the reader cannot see; a line that parts from it anywhere, and a limit, keep theirs."""
    at_cap = [(2030, 0.5), (2031, 0.5), (2032, 0.45)]
    root = svg(line_chart("China share", [Series("graphite", at_cap), Series("gallium", list(at_cap)),
                                          Series("cobalt", [(2030, 0.5), (2031, 0.5), (2032, 0.44)]),
                                          Series("cap", at_cap, dashed=True)], y_format="percent"))
    dashes = {g.find("s:title", NS).text: g.find("s:polyline", NS).get("stroke-dasharray")
              for g in root.iterfind(".//s:g[@class='series']", NS)}
    assert dashes == {"graphite": None, "gallium": "0 5", "cobalt": None, "cap": "6 4"}


def test_the_plan_page_draws_the_refining_share_dotted_over_the_china_share(opts):
    from factory import case, supplier
    from models.solve import solve_case
    from planner.reports.plan_report import china_section
    from planner.verify import verify

    d = case([supplier("cn", "CHN", 100, 80, end=2025), supplier("au", "AUS", 150, 80, end=2025)], 100,
             years=(2024, 2025))
    ev = verify(d, solve_case(d, opts))
    chart = svg(china_section(d, ev, "en")[0])
    names = [g.find("s:title", NS).text for g in chart.iterfind(".//s:g[@class='series']", NS)]
    assert names.index("China share, refining") == names.index("China share") + 1
    dotted = [g.find("s:title", NS).text for g in chart.iterfind(".//s:g[@class='series']", NS)
              for line in g.iterfind("s:polyline", NS) if line.get("stroke-dasharray") == "0 5"]
    assert "China share, refining" in dotted  # (and any line that lies on an earlier one all along)


def test_long_category_labels_are_rotated_and_cut():
    root = svg(bar_chart("t", ["x " * 80] * 10, {"a": [1.0] * 10}))
    label = root.find(".//s:text[@class='category']", NS)
    assert "rotate" in label.get("transform") and label.text.endswith("\u2026")


chromium = pytest.mark.skipif(chromium_binary() is None, reason="Chromium not installed")


@chromium
def test_demo_page_renders_in_chromium(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(demo_page(), encoding="utf-8")
    shot = tmp_path / "report.png"
    assert render_html(path, shot, window_size=(1280, 4200)) == []
    assert shot.stat().st_size > 10_000


@chromium
def test_every_chart_text_is_laid_out_inside_its_chart(tmp_path):
    """Titles, ticks, rotated category labels (the first one was cut at the left edge), legends and values."""
    path = tmp_path / "report.html"
    path.write_text(demo_page(), encoding="utf-8")
    texts, problems = chart_text_problems(path, tmp_path)
    assert problems == [] and texts > 100


def test_a_country_has_one_colour_everywhere():
    assert color_of("CHN") == color_of("CHN") != color_of("KOR")
    assert len({color_of(c) for c in ("CHN", "KOR", "AUS", "CHL", "USA", "CAN", "JPN", "IDN")}) == 8
    assert color_of("ZZZ") == color_of("ZZZ")  # a country not listed still keeps its colour
    root = svg(bar_chart("by country", ["2030"], {"China": [1.0], "Korea": [2.0]},
                         colors=[color_of("CHN"), color_of("KOR")]))
    fills = [r.get("fill") for r in root.iterfind(".//s:rect[@class='bar']", NS)]
    assert fills == [color_of("CHN"), color_of("KOR")]


def _lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour #RRGGBB."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883]
    x, y, z = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * y - 16, 500 * (x - y), 200 * (y - z)


def test_the_fixed_colours_of_countries_tell_them_apart():
    """The plan page's tungsten refining chart drew Korea (#0072B2) and Austria (#0077BB) in one blue (2.9 apart
    in CIE76 Delta E, under what an eye tells apart beside each other): no two fixed colours are that close, and
    none is a spare colour (a second option from a country, a country not listed)."""
    colours = {**COUNTRY_COLORS, **OTHER_COLORS}
    close = [(a, b, round(d, 1)) for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2)
             if (d := sum((p - q) ** 2 for p, q in zip(_lab(ca), _lab(cb))) ** 0.5) < 5]
    assert close == []
    assert not set(COUNTRY_COLORS.values()) & set(OTHER_COUNTRY_COLORS)  # the spare ones name no listed country


def test_a_series_without_a_colour_of_its_own_takes_none_another_series_has():
    """compare's story chart colours an option by its mining country and a second option from there by the
    palette: Australia's orange was given again to Argentina's second option, beside Australia's first."""
    names = ["Chile", "Australia", "Argentina", "Australia 2", "stock", "Argentina 2"]
    given = [color_of("CHL"), color_of("AUS"), color_of("ARG"), None, color_of("stock"), None]
    root = svg(bar_chart("who replaces whom", ["2030"], {n: [1.0] for n in names}, colors=given))
    fills = [r.get("fill") for r in root.iterfind(".//s:rect[@class='bar']", NS)]
    assert len(fills) == 6 and len({f.lower() for f in fills}) == 6, fills
    assert [f for f, g in zip(fills, given) if g] == [g for g in given if g]  # a given colour stays


def test_a_flow_map_draws_each_leg_on_one_scale_and_says_what_it_cannot_draw():
    panels = [MapPanel("before", [Route("AUS", "CHN", 100.0), Route("CHL", "CHL", 50.0)]),
              MapPanel("after", [Route("AUS", "KOR", 100.0), Route("XXX", "XXX", 5.0)], "not on the map: XXX")]
    names = {"AUS": "Australia", "CHN": "China", "CHL": "Chile", "KOR": "Korea"}
    root = svg(flow_map("routes", panels, names, home="KOR", legend="line width in tonnes"))
    legs = {r.find("s:title", NS).text: float(r.get("stroke-width")) for r in root.iterfind(".//s:path[@class='route']", NS)}
    assert legs == {"Australia \u2192 China: 100 t": 14.0, "China \u2192 Korea: 100 t": 14.0,
                    "Chile \u2192 Korea: 50 t": 7.0, "Australia \u2192 Korea: 100 t": 14.0}
    assert root.find(".//s:use", NS).get("href") == f"#{WORLD_ID}"
    assert any(t.text == "not on the map: XXX" for t in root.iterfind(".//s:text[@class='caption']", NS))
    page_html = page("maps", "", [], [("maps", [ET.tostring(root, encoding="unicode")])])
    assert page_html.count(f'id="{WORLD_ID}"') == 1


@pytest.mark.parametrize("names", [{"CHN": "China", "KOR": "Korea", "JPN": "Japan"},
                                   {"CHN": "중국", "KOR": "한국", "JPN": "일본"}])
def test_a_maps_labels_keep_clear_of_each_other_where_korea_and_japan_are_10_px_apart(names):
    """On the brief's gallium map (two panels of a 960 px map) Japan's dot is 10 px from Korea's: Korea's bold
    label, measured as if regular, went above its dot and Japan's beside its own reached under it.  A bold
    label is measured bold, and a name that finds every side taken goes to a corner; every node keeps its name."""
    routes = [Route("CHN", "CHN", 10.0), Route("JPN", "JPN", 1.0)]
    root = svg(flow_map("gallium", [MapPanel("before", routes), MapPanel("the plan", routes)], names, home="KOR",
                        legend="t", width=960))
    for panel in root.iterfind(".//s:g[@class='map']", NS):
        boxes = {}
        for t in panel.iterfind("s:text[@class='place']", NS):
            x, y, w = float(t.get("x")), float(t.get("y")), text_px(t.text, 11.5, t.get("font-weight") == "600")
            left = x - {"start": 0, "middle": w / 2, "end": w}[t.get("text-anchor")]
            boxes[t.text] = (left, y - 11.5, left + w, y + 2)
        assert set(boxes) == set(names.values())
        for a, b in itertools.combinations(boxes.values(), 2):
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), boxes


def _place_boxes(panel: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """Each place label of a map panel: its box as drawn (11.5 px text, bold measured bold)."""
    boxes = {}
    for t in panel.iterfind("s:text[@class='place']", NS):
        x, y, w = float(t.get("x")), float(t.get("y")), text_px(t.text, 11.5, t.get("font-weight") == "600")
        left = x - {"start": 0, "middle": w / 2, "end": w}[t.get("text-anchor")]
        boxes[t.text] = (left, y - 11.5, left + w, y + 2)
    return boxes


def _route_points(path: ET.Element, n: int = 400) -> tuple[list[tuple[float, float]], float]:
    """Points along a drawn route ('M ax ay Q mx my bx by') and half its stroke width."""
    ax, ay, mx, my, bx, by = map(float, re.findall(r"-?[\d.]+", path.get("d")))
    points = [((1 - u) ** 2 * ax + 2 * (1 - u) * u * mx + u * u * bx,
               (1 - u) ** 2 * ay + 2 * (1 - u) * u * my + u * u * by) for u in (i / n for i in range(n + 1))]
    return points, float(path.get("stroke-width")) / 2


@pytest.mark.parametrize("names", [{"CHN": "China", "KOR": "Korea", "JPN": "Japan", "KAZ": "Kazakhstan",
                                    "CAN": "Canada"},
                                   {"CHN": "중국", "KOR": "한국", "JPN": "일본", "KAZ": "카자흐스탄", "CAN": "캐나다"}])
def test_no_route_on_a_map_crosses_a_countrys_name(names):
    """The brief's gallium map of the default plan (2030): the leg from Canada bowed up through Korea's name,
    drawn above its dot where Japan's takes the side.  A name goes to the first side clear of the routes too,
    and every node keeps its name."""
    routes = [Route("CHN", "CHN", 3.3), Route("JPN", "JPN", 2.5), Route("CAN", "CAN", 2.45), Route("KAZ", "KAZ", 2.4)]
    root = svg(flow_map("gallium", [MapPanel("before", [Route("CHN", "CHN", 10.0)]), MapPanel("the plan", routes)],
                        names, home="KOR", legend="t", width=960))
    panel = root.findall(".//s:g[@class='map']", NS)[1]
    boxes = _place_boxes(panel)
    assert set(boxes) == set(names.values())
    for path in panel.iterfind("s:path[@class='route']", NS):
        points, r = _route_points(path)
        for name, (x0, y0, x1, y1) in boxes.items():
            assert not any(x0 - r <= x <= x1 + r and y0 - r <= y <= y1 + r for x, y in points), \
                (name, path.find("s:title", NS).text)


@chromium
def test_render_reports_a_script_error(tmp_path):
    path = tmp_path / "error.html"
    path.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); notDefined();</script>")
    problems = render_html(path, tmp_path / "error.png")
    assert any("Uncaught ReferenceError: notDefined" in p for p in problems), problems
    assert any("boom" in p for p in problems), problems


@chromium
def test_render_reports_network_requests(tmp_path):
    html = '<!DOCTYPE html><p>x</p><img src="https://example.com/logo.png">'
    assert external_urls(html) == ["https://example.com/logo.png"]
    path = tmp_path / "net.html"
    path.write_text(html)
    assert render_html(path, tmp_path / "net.png") == ["network request: https://example.com/logo.png"]


def test_a_limit_path_names_the_low_point_of_a_cap_that_falls_and_rises_again():
    """The Policy's China caps fall to the 2030 target and rise after it: first and last alone (70% -> 75%)
    read as a rising cap, the highest and lowest alone (75% -> 50%) as a falling one."""
    from planner.reports.html import limit_path

    v_shape = [(2026, 0.7), (2028, 0.6), (2030, 0.5), (2031, 0.5), (2035, 0.75)]
    assert limit_path(v_shape, "percent", "->") == "70% -> 50% (2030) -> 75%"
    assert limit_path([(2026, 0.8), (2030, 0.5), (2035, 0.5)], "percent", "->") == "80% -> 50%"
    assert limit_path([(2026, 0.5), (2035, 0.5)]) == "50%"
    assert limit_path([(2026, None), (2030, 0.5), (2035, 0.6)], "percent", "->") == "50% -> 60%"
    assert limit_path([(2026, None)]) == "\u2013"
    peak = [(2026, 0.02), (2030, 0.2), (2035, 0.02)]  # a minimum that peaks at its 2030 target
    assert limit_path(peak, "percent", "->") == "2% -> 20% (2030) -> 2%"
    assert limit_path([(2026, 30.0), (2030, 100.0)], "number", "->") == "30 -> 100"


def test_a_limit_path_shows_the_decimals_its_values_need():
    """The default case's recycling minimums: manganese 2% -> 2.5% (2028) -> 2% once read '2% -> 2% (2028)
    -> 2%', nickel 2% -> 8% (2028) -> 7.5% read '... -> 8%'.  One decimal for all, as any needs it."""
    from planner.reports.html import limit_path

    assert limit_path([(2026, 0.02), (2028, 0.025), (2035, 0.02)], "percent", "->") == "2.0% -> 2.5% (2028) -> 2.0%"
    assert limit_path([(2026, 0.02), (2028, 0.08), (2035, 0.075)], "percent", "->") == "2.0% -> 8.0% (2028) -> 7.5%"
    assert limit_path([(2026, 0.125), (2035, 0.125)]) == "12.5%"
    assert limit_path([(2026, 0.0125), (2035, 0.5)], "percent", "->") == "1.25% -> 50.00%"
    assert limit_path([(2026, 54.5), (2035, 100.0)], "number", "->") == "54.5 -> 100.0"


def test_a_proven_gap_reads_as_a_power_of_ten():
    from planner.reports.html import power_of_ten

    assert power_of_ten(1e-7) == "10\u207b\u2077"
    assert power_of_ten(2.5e-6) == "2.5 \u00d7 10\u207b\u2076"
    assert power_of_ten(1e-10) == "10\u207b\u00b9\u2070"
    assert power_of_ten(0.0) == "0"


# Texts as long as the reports' (the sensitivity tornado's titles, the alternatives page's axis title, the
# plan page's limit series), in English and in Korean, whose characters are wider.
LONG_TITLE = {
    "en": "China share of imports in 2030, mean over minerals (not tonne-weighted): change from the base (49.9%) "
          "with each input alone at the ends of its range",
    "ko": "2030년 중국 의존도 (수입 기준, 광물 평균, 물량 가중 아님): 각 입력을 범위의 양 끝에 두었을 때 기준 "
          "(49.9%) 대비 변화",
}
LONG_AXIS = {
    "en": "China-linked tonnes (mined or refined in China, on the Settings reliance basis) per tonne of demand, "
          "mean over minerals and years (not the plan's tonne-weighted China share)",
    "ko": "중국 연계 물량 (중국에서 채굴 또는 제련, 설정 시트의 의존도 기준) 수요 톤당, 광물과 연도 평균 "
          "(계획의 물량 가중 중국 의존도 아님)",
}
LONG_SERIES = {
    "en": ["China share of imports, tonne-weighted over minerals", "minimum (each mineral's, weighted the same way)",
           "cap (each mineral's, weighted the same way, over the whole horizon of the plan)"],
    "ko": ["중국 의존도 (수입 기준, 광물 간 물량 가중)", "하한 (광물별 하한, 같은 가중)",
           "상한 (광물별 상한, 같은 가중, 계획 기간 전체)"],
}


def long_text_charts(lang: str) -> list[str]:
    from planner.reports.html import TornadoRow, tornado_chart

    title, axis, names = LONG_TITLE[lang], LONG_AXIS[lang], LONG_SERIES[lang]
    rows = [TornadoRow(f"{n} (x0.8 - x1.2)", -0.02 * (i + 1), 14000.0 * (i + 1)) for i, n in enumerate(names)]
    rows.append(TornadoRow(names[0], None, 0.5, note=names[1]))  # a missing end's note, right of the plot
    return [
        tornado_chart(title, rows, x_label=axis, low_name=names[0], high_name=names[1]),
        line_chart(title, [Series(n, [(y, 0.1 * k + 0.01 * (y - 2024)) for y in YEARS]) for k, n in enumerate(names)],
                   y_format="percent", x_label=axis, y_label=axis, width=620, height=300),
        line_chart(title, [Series(n, [(0.5 + 0.02 * k, 0.01 * k)]) for k, n in enumerate(names)],
                   y_format="percent", x_format="percent", x_label=axis, y_label=names[1], width=960, height=440),
        bar_chart(title, ["2026", "2030"], {n: [1.0e9, 2.0e9] for n in names}, y_format="usd_m", y_label=axis,
                  width=620),
        range_chart(title, [RangeRow(n, 0.1, 0.4, 0.2, group=names[0]) for n in names], x_format="percent",
                    x_label=axis, bar_name=names[0], marker_name=names[2]),
        ranked_chart(title, [f"{2026 + k}: {n}, {title}" for k, n in enumerate(names)],
                     {names[0]: [9.0e7, 4.7e7, 1.2e7], names[1]: [8.0e7, None, 1.5e7]}, x_format="usd_m",
                     x_label=axis),
    ]


def _text_boxes(root: ET.Element):
    """(text, left, right, font px, bold, rotated) of each line of each <text>, placed by its anchor and
    measured by the charts' own text widths."""
    from planner.reports.html import text_px

    for t in root.iter(f"{{{NS['s']}}}text"):
        px, bold = float(t.get("font-size")), t.get("font-weight") == "600"
        anchor, rotated = t.get("text-anchor", "start"), "rotate" in (t.get("transform") or "")
        spans = t.findall("s:tspan", NS)
        for x, line in ([(float(s.get("x")), s.text or "") for s in spans] if spans else
                        [(float(t.get("x", 0)), t.text or "")]):
            w = text_px(line, px, bold)
            left = x - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
            yield line, left, left + w, px, bold, rotated


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_chart_titles_axis_titles_and_legends_fit_their_chart_whole(lang):
    """Titles (bold: measured as regular they ran past the tornado's edge), axis titles and legend names
    wrap inside the chart instead of being cut or running out of it."""
    for chart in long_text_charts(lang):
        root = svg(chart)
        width, height = float(root.get("width")), float(root.get("height"))
        lines = list(_text_boxes(root))
        for line, left, right, px, bold, rotated in lines:
            if rotated:  # the y axis title runs along the plot's height
                assert right - left <= height, line
            else:
                assert left >= 0 and right <= width + 0.01, (line, left, right, width)
        title = " ".join(t.text for t in root.iterfind(".//s:text[@class='title']", NS))
        assert title.split() == LONG_TITLE[lang].split()  # every word of the title, none cut
        for cls in ("x-label", "y-label"):
            for t in root.iterfind(f".//s:text[@class='{cls}']", NS):
                assert "\u2026" not in "".join(t.itertext()), (cls, "".join(t.itertext()))
        legend = [t.text or " ".join(s.text for s in t.findall("s:tspan", NS))
                  for t in root.iterfind(".//s:g[@class='legend']/s:text", NS)]
        assert not any("\u2026" in name for name in legend), legend
        assert all(name in LONG_SERIES[lang] for name in legend), legend  # whole, a name in lines


def test_a_legend_name_wraps_in_lines_below_the_plot_inside_the_chart():
    name = LONG_SERIES["en"][2] + " and a good deal more words to say about it"
    root = svg(line_chart("t", [Series(name, [(2024, 1)]), Series("b", [(2024, 2)])], width=320))
    entry = root.find(".//s:g[@class='legend']/s:text", NS)
    lines = [s.text for s in entry.findall("s:tspan", NS)]
    assert len(lines) == 3 and " ".join(lines) == name
    plot_bottom = max(float(t.get("y")) for t in root.iterfind(".//s:text[@class='tick-x']", NS))
    last = float(entry.get("y")) + sum(float(s.get("dy")) for s in entry.findall("s:tspan", NS))
    assert plot_bottom < float(entry.get("y")) - 10 and last <= float(root.get("height")) - 4


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("bold", [False, True])
def test_wrap_fills_each_line_with_the_words_that_fit_and_keeps_every_word(lang, bold):
    """The one word wrap of chart titles, legends and labels on the pages and of the workbooks' chart titles:
    every word in order, each line as full as its width allows (the next word would run past it), a word
    wider than the line alone on its own; bold measured as bold."""
    from planner.reports.html import text_px, wrap

    text = LONG_TITLE[lang] + " Supercalifragilisticexpialidocious"
    for px, width in ((15, 300), (12, 160), (11.5, 60)):
        lines = wrap(text, width, px, bold)
        assert " ".join(lines).split() == text.split()
        assert all(text_px(line, px, bold) <= width for line in lines if " " in line)
        assert all(text_px(f"{line} {after.split()[0]}", px, bold) > width for line, after in zip(lines, lines[1:]))
    assert len(wrap(text, 300, 15, bold=True)[0]) < len(wrap(text, 300, 15)[0])  # bold is wider
    assert wrap(" \n ", 100, 12) == []


def test_wrap_breaks_at_ordinary_spaces_only_and_a_bar_label_too_long_for_its_band_turns_whole():
    """Words joined by no-break spaces ('(not significant)', 'USD 1,978 M') are one word: the brief's bar
    'China cap (not significant)' wrapped as '(not / significant)'.  Such a phrase wider than a bar's band
    does not overflow it: the labels turn, each whole (or cut with an ellipsis past 180 px)."""
    from planner.reports.html import NBSP, wrap

    label = f"China cap (not{NBSP}significant)"
    assert wrap(label, text_px("China cap (not", 11), 11) == ["China cap", f"(not{NBSP}significant)"]
    assert wrap(f"a{NBSP}b c", 1000, 11) == [f"a{NBSP}b c"]
    assert text_px(NBSP, 11) == text_px(" ", 11)  # measured as the space it is drawn as

    def categories(width: int) -> list:
        svg = bar_chart("t", ["Risk cap", label], {"k": [1.0, 2.0]}, width=width)
        return ET.fromstring(svg).findall(".//s:text[@class='category']", NS)

    wrapped = categories(280)[1]
    assert [t.text for t in wrapped.findall("s:tspan", NS)] == ["China cap", f"(not{NBSP}significant)"]
    turned = categories(160)[1]
    assert "rotate" in turned.get("transform") and turned.text == label


def test_a_chart_label_cut_to_its_lines_keeps_what_fits_and_ends_the_last_line_in_an_ellipsis():
    from planner.reports.html import _lines, text_px, wrap

    text = LONG_TITLE["en"]
    whole = wrap(text, 200, 12)
    cut = _lines(text, 200, 12, 3)
    assert len(whole) > 3 and cut[:2] == whole[:2]
    assert cut[2].endswith("\u2026") and whole[2].startswith(cut[2][:-1].rstrip())
    assert text_px(cut[2], 12) <= 200
    assert _lines(text, 2000, 12, 3) == [text] and _lines("", 100, 12, 3) == [""]


@chromium
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_long_chart_texts_lay_out_inside_their_charts_in_chromium(tmp_path, lang):
    path = tmp_path / f"long-{lang}.html"
    path.write_text(page("long texts", "", [], [("charts", long_text_charts(lang))], lang=lang), encoding="utf-8")
    texts, problems = chart_text_problems(path, tmp_path)
    assert problems == [] and texts > 40


# A table as wide as the stockpile and coalition pages' (ids for headers, minerals joined with +): it printed
# past the page's edge and scrolled at 800 px.
WIDE_HEADS = ["mineral", "coalition_members", "risk_based_days", "mandate_days", "expected_cost_above_risk_based_usd",
              "cvar_above_risk_based_usd", "shortfall_probability", "korea_settlement_usd",
              "korea_settlement_usd_per_yr", "korea_fees_usd_per_yr", "fees_minus_settlement_usd", "agreements"]
WIDE_ROWS = [["lithium+nickel+cobalt+manganese+graphite", "KOR+JPN+USA", 96.0, 100.0, 1.2345e7, 2.3456e7, 0.24,
              173241.0, 20951.0, 527438.0, 4188033.0, "kor_jpn_ni_swap, kor_usa_graphite_stock"]] * 3


def test_ids_and_joined_names_in_a_table_may_break_after_each_joint():
    html = table(WIDE_HEADS, WIDE_ROWS)
    assert ">fees_<wbr>minus_<wbr>settlement_<wbr>usd</th>" in html
    assert "<td>lithium+<wbr>nickel+<wbr>cobalt+<wbr>manganese+<wbr>graphite</td>" in html
    assert "<td>kor_jpn_ni_swap, kor_usa_graphite_stock</td>" in html  # ids in cells stay whole, to search
    assert table(["<b>_x"], [["<b>+x"]]).count("&lt;b&gt;") == 2  # escaped first


def test_a_signed_figure_in_a_table_cell_never_breaks_after_its_sign():
    """A Korean hedged page's reason '... 협정 물량(+6,000 t)으로 보유' broke after '(+' in a narrow column: the
    '+' that joins names (lithium+nickel) allowed a break before any word character, a digit too.  A sign stays
    with its number, as the no-break space keeps the number with its unit."""
    cell = "6,000\u00a0t 감소, 대신 일본 니켈 광물 스와프 협정 물량(+6,000\u00a0t)으로 보유"
    assert "<td>" + cell + "</td>" in table(["이유"], [[cell]])
    assert "nickel+<wbr>cobalt (+1.5\u00a0t)" in table(["why"], [["nickel+cobalt (+1.5\u00a0t)"]])


def test_a_short_text_cell_stays_on_one_line_and_a_long_one_wraps():
    """'실행 불가' (infeasible) broke in two in the Korean compare page's narrow status column."""
    html = table(["status", "case"], [["실행 불가", "China stops graphite exports from 2026"]])
    assert '<td class="short">실행 불가</td>' in html and "table.data td.short { white-space: nowrap; }" in CSS
    assert "<td>China stops graphite exports from 2026</td>" in html


def test_a_header_wraps_into_lines_alike_keeping_its_unit_whole():
    """Korean headers are short words before their unit: '변화 (USD M)' wrapped as '변화 (USD' over 'M)' in
    the compare, hedged and stress pages; balanced, it reads '변화' over '(USD M)'."""
    rule = re.search(r"table\.data thead th \{([^}]*)\}", CSS).group(1)
    assert "text-wrap: balance" in rule
    # Balanced, the hedged page's narrow '값 (USD M)' still read '값 (USD' over 'M)': a closing unit never breaks.
    head = table(["값 (USD M)", "확률적 해의 가치 (VSS, USD M)", "case"], [[1.0, 2.0, "a b"]]).split("<tbody>")[0]
    assert ">값 (USD\u00a0M)</th>" in head and ">확률적 해의 가치 (VSS,\u00a0USD\u00a0M)</th>" in head, head
    assert ">상한 (광물별 상한, 같은 가중)</th>" in table(["상한 (광물별 상한, 같은 가중)"], [[1.0]])  # a note wraps


def test_ids_break_after_their_underscores_only_in_the_columns_named():
    """The alternatives' ranges table on the whole case: 'least cathode_scrap_hydro' in each of its two 'found by'
    columns held them 172 px wide and the table past a 1,300 px window.  Those columns break an id after its _;
    other cells keep theirs whole, to search."""
    html = table(["item", "found by"], [["cathode_scrap_hydro", "least cathode_scrap_hydro"]],
                 ids_break=frozenset({1}))
    assert "<td>cathode_scrap_hydro</td>" in html and "<td>least cathode_<wbr>scrap_<wbr>hydro</td>" in html


def test_a_short_scale_or_range_in_a_table_cell_never_breaks_at_its_dash():
    """The Korean definitions' scale '0-10' broke after its dash, '0-' over '10', under the narrow header '단위'."""
    html = table(["지표", "단위"], [["위험 가중 집중도 (HHI_WGI)", "0-10"], ["연도", "2028-2032"]])
    assert '<td class="short">0-10</td>' in html and '<td class="short">2028-2032</td>' in html


_TABLE_WIDTH_PROBE = """<script>window.addEventListener('load', () => {
  const d = document.documentElement;
  if (d.scrollWidth > d.clientWidth + 1) console.log('PAGE WIDER ' + d.scrollWidth + ' ' + d.clientWidth);
  document.querySelectorAll('.table-wrap').forEach(w => {
    if (w.scrollWidth > w.clientWidth + 1) console.log('TABLE WIDER ' + w.scrollWidth + ' ' + w.clientWidth); });
});</script>"""


@chromium
@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="pdftotext not installed")
def test_a_wide_table_fits_the_page_or_scrolls_in_its_box_and_prints_whole(tmp_path):
    """On a 1300 px screen the table fits; on a narrow one it scrolls inside its own box, never widening
    the page; printed on A4 no word runs past the margin."""
    path = tmp_path / "wide.html"
    path.write_text(page("wide", "", [], [("a table", [table(WIDE_HEADS, WIDE_ROWS)])]), encoding="utf-8")
    assert pdf_words_past_margin(html_to_pdf(path, tmp_path / "wide.pdf")) == []
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", _TABLE_WIDTH_PROBE + "</body>"))
    assert render_html(probe, tmp_path / "wide.png", window_size=(1300, 800)) == []
    narrow = render_html(probe, tmp_path / "narrow.png", window_size=(700, 800))
    assert narrow and all("TABLE WIDER" in m for m in narrow), narrow


@chromium
@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="pdftotext not installed")
def test_a_chart_taller_than_a_page_prints_whole_on_one_page(tmp_path):
    """The alternatives' supplier ranges on the default case (80 options, 1,500 px tall) printed over two pages:
    its axis title and legend alone at the top of the second.  Printed, a chart is no taller than a page."""
    rows = [RangeRow(f"option {i:02}", 0.1, 0.2 + i / 200, 0.15, group=f"mineral {i // 8}") for i in range(80)]
    chart = range_chart("tall ranges", rows, x_format="percent", x_label="share of the demand", bar_name="range",
                        marker_name="least cost")
    path = tmp_path / "tall.html"
    path.write_text(page("tall", "", [], [("a tall chart", [chart])]), encoding="utf-8")
    pages = pdf_pages_text(html_to_pdf(path, tmp_path / "tall.pdf"))
    (drawn,) = [p for p in pages if "option" in p]
    assert all(t in drawn for t in ("tall ranges", "option 00", "option 79", "share of the demand", "least cost"))


def test_a_tornado_names_its_inputs_whole():
    """The sensitivity page's inputs ('Refining: battery minerals capital_cost_usd_per_module (x0.7 to
    x1.3)') were cut at 400 px of a 960 px chart."""
    from planner.reports.html import TornadoRow, tornado_chart

    name = "Refining: battery minerals capital_cost_usd_per_module (x0.7 to x1.3)"
    root = svg(tornado_chart("t", [TornadoRow(name, -1e6, 2e6), TornadoRow("b", None, 1e6, note="no plan")],
                             x_format="usd_m"))
    assert [t.text for t in root.iterfind(".//s:g[@class='row']/s:text", NS)][0] == name
    for line, left, right, *_ in _text_boxes(root):
        assert 0 <= left and right <= 960, line


def test_a_tornado_name_wider_than_half_the_chart_wraps_whole():
    """The sensitivity page cut 'neodymium, dysprosium and terbium: chance new projects deliver (x0.5 to
    x1.429)' at half the chart's width, its range lost: it takes two lines, its row as tall as they need,
    and the rows' names stay clear of each other."""
    from planner.reports.html import LINE_PX, TornadoRow, tornado_chart

    name = "neodymium, dysprosium and terbium: chance new projects deliver (x0.5 to x1.429)"
    root = svg(tornado_chart("t", [TornadoRow(name, -1e6, 2e6), TornadoRow("b", -1.0, 1e6)], x_format="usd_m"))
    rows = list(root.iterfind(".//s:g[@class='row']/s:text", NS))
    assert " ".join(s.text for s in rows[0].findall("s:tspan", NS)) == name
    assert all("\u2026" not in line and 0 <= left and right <= 960 for line, left, right, *_ in _text_boxes(root))
    last_line_y = float(rows[0].get("y")) + LINE_PX
    assert float(rows[1].get("y")) - last_line_y >= LINE_PX  # the next row's name a full line below


def test_a_tornado_legend_names_only_the_series_it_draws():
    """Morris's chart had a sigma key with no sigma bar where every input took one step."""
    from planner.reports.html import TornadoRow, tornado_chart

    def keys(rows):
        root = svg(tornado_chart("t", rows, low_name="mu*", high_name="sigma"))
        return [t.find("s:title", NS).text for t in root.iterfind(".//s:g[@class='legend']/s:text", NS)]

    assert keys([TornadoRow("a", 3.0, 1.0), TornadoRow("b", 2.0, None, note="one step only")]) == ["mu*", "sigma"]
    assert keys([TornadoRow("a", 3.0, None, note="one step only"), TornadoRow("b", 2.0, None)]) == ["mu*"]


def test_a_table_writes_days_in_the_reports_language():
    """A number of days carries the catalogue's unit in the table's language: '127 d' in English, '127일' in
    Korean; a value alone too."""
    for lang, cell in (("en", "127 d"), ("ko", "127일")):
        assert f">{cell.replace(' ', NBSP)}</td>" in table(["days"], [[127.0]], formats=["days"], lang=lang)
        assert fmt(-3, "days", sign=True, lang=lang) == cell.replace("127", "-3")
    assert fmt(3, "days") == "3 d"


def test_a_column_of_probabilities_shares_one_format():
    """Every probability of a column has the same digits after the point, the fewest that show each to three
    significant digits (0.03 beside 0.0291 reads 0.0300, not 0.03); alone, a probability keeps its three."""
    rows = [[0.03], [0.0291], [0.028227], [0.02], [None]]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table(["p"], rows, formats=["probability"]))
    assert cells == ["0.0300", "0.0291", "0.0282", "0.0200", "\u2013"]
    sampled = re.findall(r'<td class="num">([^<]*)</td>', table(["p"], [[0.05], [1 / 2000]], formats=["probability"]))
    assert sampled == ["0.0500", "0.0005"]
    assert re.findall(r'<td class="num">([^<]*)</td>', table(["p"], [[0.05], [0.5]], formats=["probability"])) == \
        ["0.05", "0.50"]
    assert fmt(0.0291, "probability") == "0.0291" and fmt(0.03, "probability") == "0.03"


def test_a_proven_range_reads_as_one_figure_where_its_ends_do():
    """The brief's policy costs, compare's policy prices and its hedged changes write a proven range
    the same way: "low … high" in USD M, one figure where both ends read the same at the digits shown
    (the brief wrote "5.2 M … 5.2 M")."""
    assert usd_m_range(1_234_000, 1_236_000, 3, sign=True) == "+1.234 M \u2026 +1.236 M"
    assert usd_m_range(1_234_100, 1_234_400, 3, sign=True) == "+1.234 M"
    assert usd_m_range(5.21e6, 5.24e6, 1) == "5.2 M"
    assert usd_m_range(5.21e6, 5.24e6) == "5.21 M \u2026 5.24 M"


def test_a_column_of_limit_paths_shares_its_decimals():
    """limit_decimals: the fewest decimals that show every number of every path exactly, so a column reads
    '2.0%' beside '2.0% -> 2.5% (2028) -> 2.0%', not '2%'; a path with none keeps its dash."""
    from planner.reports.html import limit_decimals, limit_path

    paths = [[(2026, 0.02), (2035, 0.02)], [(2026, 0.02), (2028, 0.025), (2035, 0.02)], [(2026, None)]]
    k = limit_decimals(paths)
    assert k == 1 and [limit_path(p, "percent", "->", decimals=k) for p in paths] == [
        "2.0%", "2.0% -> 2.5% (2028) -> 2.0%", "\u2013"]
    assert limit_decimals([[(2026, 30.0), (2030, 100.0)], [(2026, 54.5)]], "number") == 1
    assert limit_decimals([[(2026, 0.02)], [(2026, None)]]) == 0


def test_a_column_of_shares_shares_its_digits():
    """The alternatives' China-linked column read '52%' above '57.9%': a share that rounds to a whole number
    drops its decimal alone ('50%'), not beside one that keeps it."""
    html = table(["china", "recycling"], [[0.52, 0.5], [0.579, 0.25]], formats=["percent", "percent"])
    assert '<td class="num">52.0%</td>' in html and '<td class="num">57.9%</td>' in html
    assert '<td class="num">50%</td>' in html and '<td class="num">25%</td>' in html


def test_a_whole_number_in_a_column_of_fractions_shows_their_digits():
    """The plan page's partners read alignment '1' above '0.99' and HHI '1' above '0.84' (Korea, dysprosium): a
    whole number took no digits beside fractions that show two.  It takes them; 0 reads 0, a column of whole
    numbers stays whole, and so does a limit as typed (5 t/yr) in a column of limits of different sizes."""
    html = table(["alignment", "HHI", "modules", "limit"], [[1.0, 1.0, 2.0, 5.0], [0.98, 0.84, 1.0, 7.98],
                                                           [0.0, 0.5, 0.0, 1_250.0]])
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in html.split("<tbody>")[1].split("</tr>")[:3]]
    assert rows == [["1.00", "1.00", "2", "5"], ["0.98", "0.84", "1", "7.98"], ["0", "0.50", "0", "1,250"]], rows


def test_a_figure_in_a_table_cell_keeps_its_unit_on_its_line():
    """Printed, the plan page's partners table broke '107,689 t' into '107,689' over 't', and the hedged page's
    '38,744.748 M' (written by the report) into '38,744.748' over 'M', in narrow columns.  A figure and its unit
    are joined by a no-break space; a text in a column of figures still wraps at its spaces."""
    html = table(["t", "cost", "days", "high", "least cost"],
                 [[107_689.0, 38_744.748e6, 127.0, "needed: the Policy cannot be met", "38,744.748 M"]],
                 formats=["t", "usd_m", "days", "usd_m", "number"])
    assert ">107,689\u00a0t<" in html and ">38,745\u00a0M<" in html and ">127\u00a0d<" in html
    assert ">needed: the Policy cannot be met<" in html and ">38,744.748\u00a0M<" in html

