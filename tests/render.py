"""Open outputs in real tools, headless: HTML in Chromium, workbooks in LibreOffice.

Both run with a private, throw-away profile, so tests may run side by side,
and are killed with all their child processes if they hang.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

SVG_NS = "http://www.w3.org/2000/svg"
_URL = re.compile(r"https?://[^\s\"'<>)]*", re.IGNORECASE)
# Chromium logs console messages as `INFO:CONSOLE:12] "msg", source: ...` (older: `CONSOLE(12)`).
_CONSOLE = re.compile(r"CONSOLE[:(]\d*\)?\]\s*(.*)")


def id_headers(page: str) -> list[str]:
    """A page's table headers that read as workbook ids (least_cost, low_found_by): a page is read, so its
    English headers are the catalogue's words (workbooks keep ids as their English headers)."""
    heads = (re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S))
    return [h for h in heads if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]


def external_urls(text: str) -> list[str]:
    """Every http(s) URL in a document except the SVG namespace, which is a name, not a fetch."""
    return [u for u in _URL.findall(text) if u != SVG_NS]


def _run(cmd: list[str], timeout: float) -> tuple[int | None, str]:
    """Run ``cmd``; its exit code (None on timeout, after killing its process group) and its stderr."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        finally:  # also reap the browser's or office's helper processes
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        err.seek(0)
        return code, err.read().decode("utf-8", "replace")


def chromium_binary() -> str | None:
    """The path of an installed Chromium or Chrome, or None."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def render_html(html_path: Path, screenshot_path: Path, *, window_size: tuple[int, int] = (1280, 2400),
                timeout: float = 90) -> list[str]:
    """Open ``html_path`` in headless Chromium with no network and save a PNG of the window.

    Returns the problems found: every console message (a report has no
    scripts, so any message is one: a script error, a blocked load), every
    request the page made to the network (from Chromium's NetLog; the proxy
    and DNS rules make each fail offline), and a crash, timeout or missing
    screenshot. An empty list means the page rendered cleanly and self-contained.
    """
    binary = chromium_binary()
    if binary is None:
        raise RuntimeError("Chromium is not installed")
    html_path, screenshot_path = Path(html_path).resolve(), Path(screenshot_path).resolve()
    problems = _render_once(binary, html_path, screenshot_path, window_size, timeout)
    if problems == [f"Chromium timed out after {timeout} s", "no screenshot written"]:
        # Headless Chromium now and then hangs as it starts, on a loaded machine (a suite run once saw it on a
        # page that renders in 3 s): a hang with nothing else wrong is tried once more; any other problem stands.
        problems = _render_once(binary, html_path, screenshot_path, window_size, timeout)
    return problems


def _render_once(binary: str, html_path: Path, screenshot_path: Path, window_size: tuple[int, int],
                 timeout: float) -> list[str]:
    screenshot_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="render-chromium-") as tmp:
        netlog = Path(tmp) / "netlog.json"
        code, log = _run([
            binary, "--headless=new", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
            f"--user-data-dir={tmp}/profile", f"--screenshot={screenshot_path}",
            f"--window-size={window_size[0]},{window_size[1]}", "--force-device-scale-factor=1",
            "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}",
            # No network: names do not resolve and everything goes to a closed local port.
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update",
            html_path.as_uri()], timeout)
        problems = [f"console: {m.group(1)}" for m in map(_CONSOLE.search, log.splitlines()) if m]
        problems += [f"network request: {url}" for url in _page_requests(netlog)]
    if code is None:
        problems.append(f"Chromium timed out after {timeout} s")
    elif code != 0:
        problems.append(f"Chromium exited with code {code}")
    if not screenshot_path.exists():
        problems.append("no screenshot written")
    return problems


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page (not the browser's own background services) asked the network for.

    The NetLog has one event per line, so a log cut short by a crash still
    reads. A page loaded from a file has the network isolation key ``file://``;
    Chromium's update, sync and dictionary requests have other keys.
    """
    urls: list[str] = []
    text = netlog.read_text(encoding="utf-8", errors="replace") if netlog.exists() else ""
    for line in text.splitlines():
        if '"url"' not in line or '"network_isolation_key":"file://' not in line:
            continue
        try:
            url = json.loads(line.rstrip(","))["params"]["url"]
        except (ValueError, KeyError, TypeError):
            continue
        if url not in urls:
            urls.append(url)
    return urls


def soffice_binary() -> str | None:
    """The path of LibreOffice's ``soffice``, or None; None too without poppler's pdftotext and pdftoppm, which
    read what it prints (a machine with LibreOffice and no poppler-utils failed 14 render tests, not skipped)."""
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def xlsx_to_pdf(xlsx_path: Path, out_dir: Path, *, timeout: float = 180) -> Path:
    """Convert a workbook to PDF with headless LibreOffice; the PDF's path.

    Raises RuntimeError with LibreOffice's messages when it fails or times out.
    """
    (pdf,) = xlsx_to_pdfs([xlsx_path], out_dir, timeout=timeout)
    return pdf


def xlsx_to_pdfs(xlsx_paths: list[Path], out_dir: Path, *, timeout: float = 180) -> list[Path]:
    """Convert workbooks (of different names) to PDF in one LibreOffice run, which takes longer to start than
    to convert one; the PDFs' paths, in order.  Raises RuntimeError as ``xlsx_to_pdf`` does."""
    binary = soffice_binary()
    if binary is None:
        raise RuntimeError("LibreOffice is not installed")
    xlsx_paths, out_dir = [Path(p).resolve() for p in xlsx_paths], Path(out_dir).resolve()
    pdfs = [out_dir / (p.stem + ".pdf") for p in xlsx_paths]
    with tempfile.TemporaryDirectory(prefix="render-soffice-") as profile:
        code, log = _run([binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, xlsx_paths)], timeout)
    if code != 0 or not all(pdf.exists() for pdf in pdfs):
        why = "timed out" if code is None else f"exit code {code}"
        names = ", ".join(p.name for p in xlsx_paths)
        raise RuntimeError(f"LibreOffice could not convert {names} ({why}): {log.strip()[-2000:]}")
    return pdfs


def chart_problems(xlsx_path: Path) -> list[str]:
    """What keeps a workbook's native charts from drawing alike in Excel and LibreOffice, read from the
    chart XML: a line series without an explicit smooth=0 (LibreOffice curves it), a plot area not placed
    by hand (LibreOffice lets a long legend eat it), and a legend that overlaps the plot area or has less
    than 0.45 cm of height per row of entries (each entry about 3.6 cm wide)."""
    import zipfile
    import xml.etree.ElementTree as ET

    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    xdr = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
    problems = []
    with zipfile.ZipFile(xlsx_path) as z:
        sizes = {}  # chart part -> (width, height) in cm, from the drawings' anchors
        for name in z.namelist():
            if name.startswith("xl/drawings/_rels/"):
                rels = ET.fromstring(z.read(name))
                targets = {r.get("Id"): "xl/charts/" + r.get("Target").rsplit("/", 1)[-1] for r in rels}
                drawing = ET.fromstring(z.read(name.replace("_rels/", "").replace(".rels", "")))
                for anchor in drawing:
                    ext = anchor.find(f"{xdr}ext")
                    chart = anchor.find(f".//{c}chart")
                    if ext is not None and chart is not None:
                        rid = chart.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                        sizes[targets[rid]] = (int(ext.get("cx")) / 360000, int(ext.get("cy")) / 360000)
        for name, (width, height) in sorted(sizes.items()):
            root = ET.fromstring(z.read(name))
            plot = root.find(f".//{c}plotArea")
            for ser in root.iterfind(f".//{c}lineChart/{c}ser"):
                smooth = ser.find(f"{c}smooth")
                if smooth is None or smooth.get("val") not in ("0", "false"):
                    problems.append(f"{name}: a line series without smooth=0")
            layout = plot.find(f"{c}layout/{c}manualLayout") if plot is not None else None
            if layout is None:
                problems.append(f"{name}: no plot area placed by hand")
                continue
            bottom = float(layout.find(f"{c}y").get("val")) + float(layout.find(f"{c}h").get("val"))
            legend = root.find(f".//{c}legend")
            entries = len(root.findall(f".//{c}ser"))
            if legend is None:
                continue
            box = legend.find(f"{c}layout/{c}manualLayout")
            if box is None:
                problems.append(f"{name}: a legend of {entries} entries placed automatically")
                continue
            top, h = float(box.find(f"{c}y").get("val")), float(box.find(f"{c}h").get("val"))
            rows = -(-entries // max(1, int((width - 1) // 3.6)))
            if top < bottom or h * height < 0.45 * rows:
                problems.append(f"{name}: legend of {entries} entries in {h * height:.1f} cm "
                                f"(needs {0.45 * rows:.1f}), top {top:.2f}, plot bottom {bottom:.2f}")
    return problems


# Measures every text of every chart as the browser lays it out, and says which end outside their chart.
_CHART_TEXT_PROBE = """<script>(() => {
  let texts = 0;
  const problems = [];
  document.querySelectorAll('svg.chart').forEach(svg => {
    const box = svg.getBoundingClientRect();
    const chart = (svg.getAttribute('aria-label') || '').slice(0, 80);
    svg.querySelectorAll('text').forEach(t => {
      const words = Array.from(t.childNodes).filter(n => n.nodeName !== 'title').map(n => n.textContent).join('');
      if (!words.trim()) return;
      texts++;
      const r = t.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) problems.push(`EMPTY ${chart}: ${words}`);
      else if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push(`CLIPPED ${chart}: ${words} [${Math.round(r.left - box.left)}, ${Math.round(r.top - box.top)},
          ${Math.round(box.right - r.right)}, ${Math.round(box.bottom - r.bottom)}]`.replace(/\\s+/g, ' '));
    });
  });
  console.log(`CHART TEXTS ${texts}`);
  problems.forEach(p => console.log(p));
})();</script>"""


def chart_text_problems(html_path: Path, tmp_dir: Path, *, width: int = 1280) -> tuple[int, list[str]]:
    """Open a copy of the page with a probe in headless Chromium: how many chart texts it lays out, and
    each chart text that has no size or ends outside its chart (cut at an edge), besides the problems
    ``render_html`` finds (the probe's own messages aside)."""
    text = Path(html_path).read_text(encoding="utf-8").replace("</body>", _CHART_TEXT_PROBE + "</body>", 1)
    probe = Path(tmp_dir) / f"probe-{Path(html_path).name}"
    probe.write_text(text, encoding="utf-8")
    messages = render_html(probe, Path(tmp_dir) / f"{probe.stem}.png", window_size=(width, 2000))
    counted = [m for m in messages if "CHART TEXTS " in m]
    texts = int(counted[0].rsplit("CHART TEXTS ", 1)[1].split('"')[0]) if counted else 0
    return texts, [m for m in messages if "CHART TEXTS " not in m]


_TABLE_PROBE = """<script>(() => {
  document.querySelectorAll('%s').forEach(wrap => {
    const hidden = wrap.scrollWidth - wrap.clientWidth;
    const head = (wrap.querySelector('th') || {}).textContent || '';
    if (hidden > 1) console.log(`SCROLLS ${hidden}px: ${head}`);
  });
  console.log('TABLES PROBED');
})();</script>"""


def tables_that_scroll(html_path: Path, tmp_dir: Path, selector: str = ".table-wrap", *,
                       width: int = 1280) -> list[str]:
    """Open a copy of the page with a probe in headless Chromium at ``width`` px: each table box matched by
    ``selector`` whose table is wider than the box (its last columns out of sight until scrolled), by its
    first header, besides the problems ``render_html`` finds (the probe's own messages aside)."""
    text = Path(html_path).read_text(encoding="utf-8").replace("</body>", _TABLE_PROBE % selector + "</body>", 1)
    probe = Path(tmp_dir) / f"tables-{Path(html_path).name}"
    probe.write_text(text, encoding="utf-8")
    messages = render_html(probe, Path(tmp_dir) / f"{probe.stem}.png", window_size=(width, 2000))
    if not any("TABLES PROBED" in m for m in messages):
        return ["the probe did not run", *messages]
    return [m for m in messages if "TABLES PROBED" not in m]


def pdf_page_colors(pdf: Path, page: int, colors: list[str], *, tolerance: int = 40) -> dict[str, int]:
    """Pixels near each of ``colors`` (#RRGGBB) on one page of a PDF, rendered by pdftoppm at 72 dpi."""
    with tempfile.TemporaryDirectory(prefix="render-pdf-") as tmp:
        code, log = _run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                          f"{tmp}/page"], 60)
        ppm = next(Path(tmp).glob("page*.ppm"), None)
        if code != 0 or ppm is None:
            raise RuntimeError(f"pdftoppm could not render page {page} of {pdf}: {log}")
        pixels = _pnm_pixels(ppm.read_bytes())
    wanted = {c: tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colors}
    counts = dict.fromkeys(colors, 0)
    for i in range(0, len(pixels) - 2, 3):
        r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
        for c, (wr, wg, wb) in wanted.items():
            if abs(r - wr) <= tolerance and abs(g - wg) <= tolerance and abs(b - wb) <= tolerance:
                counts[c] += 1
    return counts


def _pnm_pixels(data: bytes) -> bytes:
    """The pixel bytes of a binary PNM image (P5 gray, P6 RGB), after its header: magic, width, height,
    maxval."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    return data[pos + 1:]


def pdf_blank_pages(pdf: Path, *, ink: float = 0.002) -> list[int]:
    """The pages of a PDF (numbered from 1) with less than ``ink`` of their area printed, rendered in gray by
    pdftoppm at 20 dpi: a page a printer would feed out empty, or with a stray line on it."""
    with tempfile.TemporaryDirectory(prefix="render-pdf-") as tmp:
        code, log = _run(["pdftoppm", "-gray", "-r", "20", str(pdf), f"{tmp}/page"], 120)
        pages = sorted(Path(tmp).glob("page*.pgm"))
        if code != 0 or not pages:
            raise RuntimeError(f"pdftoppm could not render {pdf}: {log}")
        pixels = [_pnm_pixels(f.read_bytes()) for f in pages]
    dark = bytes(range(200))  # gray levels a printer inks
    return [i for i, px in enumerate(pixels, start=1) if (len(px) - len(px.translate(None, dark))) / len(px) < ink]


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext)."""
    code, _ = _run(["pdftotext", "-layout", str(pdf), str(pdf.with_suffix(".txt"))], 60)
    if code != 0:
        raise RuntimeError(f"pdftotext could not read {pdf}")
    return pdf.with_suffix(".txt").read_text(encoding="utf-8", errors="replace").split("\f")


def html_to_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 90) -> Path:
    """Print a page to PDF with headless Chromium (its print style sheet, A4 as the page asks), offline."""
    binary = chromium_binary()
    if binary is None:
        raise RuntimeError("Chromium is not installed")
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    for _ in range(2):  # a hang as Chromium starts is tried once more, as render_html does
        with tempfile.TemporaryDirectory(prefix="render-print-") as tmp:
            code, log = _run([binary, "--headless=new", "--disable-gpu", "--no-sandbox",
                              f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                              f"--print-to-pdf={pdf_path}", "--proxy-server=127.0.0.1:9",
                              "--host-resolver-rules=MAP * ~NOTFOUND", html_path.as_uri()], timeout)
        if code is not None:
            break
    if code != 0 or not pdf_path.exists():
        raise RuntimeError(f"Chromium could not print {html_path.name}: {log.strip()[-2000:]}")
    return pdf_path


def pdf_words_past_margin(pdf: Path, margin_mm: float = 12) -> list[str]:
    """Words of a PDF whose right end lies past the page's right margin (cut by the printer), by pdftotext."""
    code, _ = _run(["pdftotext", "-bbox", str(pdf), str(pdf.with_suffix(".bbox.html"))], 60)
    if code != 0:
        raise RuntimeError(f"pdftotext could not read {pdf}")
    text = pdf.with_suffix(".bbox.html").read_text(encoding="utf-8", errors="replace")
    out = []
    for page in re.split(r"<page ", text)[1:]:
        limit = float(re.match(r'width="([\d.]+)"', page).group(1)) - margin_mm / 25.4 * 72 + 1
        out += [w for x, w in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)'
                                           r'</word>', page) if float(x) > limit]
    return out


def pdf_word_heights(pdf: Path, page: int) -> list[float]:
    """The heights (pt) of the words on a page of a PDF (pdftotext -bbox): a page's print scale against the same
    text printed at 100%."""
    with tempfile.TemporaryDirectory(prefix="render-bbox-") as tmp:
        out = Path(tmp) / "words.html"
        code, _ = _run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), str(out)], 60)
        if code != 0:
            raise RuntimeError(f"pdftotext could not read page {page} of {pdf}")
        boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out.read_text(encoding="utf-8"))
    return [float(bottom) - float(top) for top, bottom in boxes]
