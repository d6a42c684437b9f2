"""roundtrip --format html in a real browser: headless Chromium (Debian's `chromium`) loads the page and reports
what it shows; a screenshot of each page goes to the CI artefacts ($KUBEBRIDGE_ARTIFACTS, else build/artifacts).

A probe page (the test's, not the report's) holds the report in an iframe and, once everything has loaded,
reads what the browser made of it: the computed colour of each kind of change, which lines carry which kind,
the numbered changes and their rewrites, the links, where the two sides are laid out, and how many resources
the report fetched (none).  Chromium prints the probe's DOM (--dump-dom), the result in it.

Without Chromium the tests are skipped, unless KUBEBRIDGE_REQUIRE_BROWSER=1 (.ci/run sets it): then a missing
browser fails them, as KUBEBRIDGE_REQUIRE_PODMAN does for Podman.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import kubebridge
from kubebridge.fidelity import describe

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KUBEBRIDGE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("KUBEBRIDGE_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(os.environ.get("KUBEBRIDGE_ARTIFACTS") or ROOT / "build" / "artifacts")
TIME = "2026-11-21T00:00:00Z"
SIZE = (1400, 2400)  # the window, in CSS pixels (the screenshot's size)
# the backgrounds of render/roundtrip_html.py's STYLE, as the browser computes them
BACKGROUNDS = {"added": (218, 251, 225), "lost": (255, 235, 233), "renamed": (221, 244, 255),
               "rewritten": (255, 248, 197)}

pytestmark = pytest.mark.skipif(CHROMIUM is None and not REQUIRED,
                                reason="Chromium is not installed (apt-get install chromium; set "
                                       "KUBEBRIDGE_REQUIRE_BROWSER=1 to require it)")

PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<iframe id="report" src="report.html" style="width: %dpx; height: %dpx; border: 0"></iframe>
<script>
window.addEventListener("load", () => {
  const w = document.getElementById("report").contentWindow, d = w.document;
  const style = e => w.getComputedStyle(e);
  const kinds = ["added", "lost", "renamed", "rewritten", "unexplained"];
  const out = {
    title: d.title,
    lines: Object.fromEntries(kinds.map(k => [k, [...d.querySelectorAll("pre .l." + k)].map(
      e => e.firstChild.textContent)])),
    backgrounds: Object.fromEntries(kinds.map(k => [k, [...new Set([...d.querySelectorAll("pre .l." + k)].map(
      e => style(e).backgroundColor))]])),
    changes: [...d.querySelectorAll("ol.changes li")].map(li => ({
      id: li.id, kind: li.querySelector(".kind").textContent, colour: style(li.querySelector(".kind")).color,
      rewrite: (li.querySelector("a[href^='#rewrite-']") || {}).textContent || ""})),
    rows: [...d.querySelectorAll("table tr[class]")].map(tr => [tr.className, style(tr).backgroundColor,
      tr.cells[1].textContent]),
    broken: [...d.querySelectorAll("a[href]")].map(a => a.getAttribute("href")).filter(
      h => !h.startsWith("#") || !d.getElementById(h.slice(1))),
    why: Object.fromEntries([...d.querySelectorAll("dl.why dt")].map(dt => [dt.id, dt.nextElementSibling.textContent])),
    sides: [...d.querySelectorAll(".pair > div")].slice(0, 2).map(e => {
      const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; }),
    wrapped: [...d.querySelectorAll("pre .l a")].filter(
      a => Math.abs(a.getBoundingClientRect().top - a.parentElement.getBoundingClientRect().top) > 1).length,
    numbered: d.querySelectorAll("pre .l a").length,
    overflow: d.documentElement.scrollWidth > w.innerWidth,
    fetched: w.performance.getEntriesByType("resource").length,
  };
  const p = document.createElement("pre"); p.id = "probe"; p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
});
</script></body></html>
"""


def chromium(tmp_path: Path, *args: str) -> str:
    if CHROMIUM is None:
        pytest.fail("Chromium is required (KUBEBRIDGE_REQUIRE_BROWSER=1) but not found: apt-get install chromium, "
                    "or name it with KUBEBRIDGE_CHROMIUM")
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
                           f"--window-size={SIZE[0]},{SIZE[1]}", *args], capture_output=True, text=True, timeout=180,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def shown(tmp_path: Path, html: str) -> dict:
    """What Chromium shows of the report: the probe's findings."""
    (tmp_path / "report.html").write_text(html)
    (tmp_path / "probe.html").write_text(PROBE % SIZE)
    dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", (tmp_path / "probe.html").as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def screenshot(tmp_path: Path, html: str, name: str) -> dict[tuple[int, int, int], int]:
    """A screenshot of the report in the CI artefacts; the number of pixels of each colour in it."""
    (tmp_path / "report.html").write_text(html)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    chromium(tmp_path, f"--screenshot={target}", (tmp_path / "report.html").as_uri())
    width, height, pixels = read_png(target.read_bytes())
    assert (width, height) == SIZE
    counts: dict[tuple[int, int, int], int] = {}
    for pixel in pixels:
        counts[pixel] = counts.get(pixel, 0) + 1
    return counts


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels) of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    return width, height, [tuple(row[i:i + 3]) for row in rows for i in range(0, stride, step)]


def rgb(colour: tuple[int, int, int]) -> str:
    return f"rgb({colour[0]}, {colour[1]}, {colour[2]})"


def report(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "roundtrip", "--format", "html", "--timestamp", TIME,
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_a_manifests_round_trip_page_shows_both_sides_each_change_coloured_and_linked(tmp_path):
    args = ["--no-stat", "--image-inspect", "examples/play/images.json", "examples/play/sidecars.yaml"]
    trip = kubebridge.roundtrip(ROOT / "examples/play/sidecars.yaml", images=[ROOT / "examples/play/images.json"],
                                timestamp=TIME)
    page = shown(tmp_path, report(*args))

    assert page["title"] == "examples/play/sidecars.yaml: a round trip through Podman 5.8.6 (play, then generate)"
    # each change listed, numbered, with its kind in its colour and its rewrite
    assert [(c["id"], c["kind"], c["rewrite"]) for c in page["changes"]] == [
        (f"change-{n}", c.kind, c.rewrite) for n, c in enumerate(trip.changes, 1)]
    colours = {"added": "rgb(26, 127, 55)", "lost": "rgb(207, 34, 46)", "renamed": "rgb(9, 105, 218)"}
    assert {(c["kind"], c["colour"]) for c in page["changes"]} == set(colours.items())
    # the lines the changes touch, in the background of their kind, on the side they belong to
    for kind, background in BACKGROUNDS.items():
        assert page["backgrounds"][kind] in ([], [rgb(background)]), kind
    assert "    restartPolicy: Always" in page["lines"]["lost"]  # the native sidecar's, on the manifest's side
    assert "    - containerPort: 9000" in page["lines"]["lost"]
    assert "  creationTimestamp: \"2026-11-21T00:00:00Z\"" in page["lines"]["added"]
    assert {"  - name: log-shipper", "  - name: sidecars-log-shipper"} <= set(page["lines"]["renamed"])
    # every link lands, and each rewrite says what Podman does
    assert page["broken"] == []
    assert page["why"] == {f"rewrite-{r}": describe(r) for r in {c.rewrite for c in trip.changes}}
    # side by side: the manifest on the left, what comes back on the right, level, within the window
    (left_x, left_y, left_w), (right_x, right_y, _) = page["sides"]
    assert left_x + left_w <= right_x and left_y == right_y and not page["overflow"]
    assert page["fetched"] == 0  # self-contained: nothing loaded

    pixels = screenshot(tmp_path, report(*args), "roundtrip-manifest.png")
    for kind in ("added", "lost", "renamed"):  # each kind's lines are there to see
        assert pixels.get(BACKGROUNDS[kind], 0) > 2000, kind


def test_a_snapshots_round_trip_page_shows_each_field_before_and_after(tmp_path):
    files = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "examples/web-sidecar").glob("*.json"))]
    trip = kubebridge.roundtrip(*[ROOT / f for f in files], timestamp=TIME)
    page = shown(tmp_path, report(*files))

    assert [(r[0], r[2]) for r in page["rows"]] == [(c.kind, c.where) for c in trip.changes]
    assert {(r[0], r[1]) for r in page["rows"]} == {(k, rgb(BACKGROUNDS[k])) for k in {c.kind for c in trip.changes}}
    assert page["broken"] == [] and page["fetched"] == 0 and not page["overflow"]
    assert page["why"] == {f"rewrite-{r}": describe(r) for r in {c.rewrite for c in trip.changes}}
    assert all(page["why"].values())

    pixels = screenshot(tmp_path, report(*files), "roundtrip-snapshot.png")
    assert pixels.get(BACKGROUNDS["rewritten"], 0) > 2000 and pixels.get(BACKGROUNDS["renamed"], 0) > 500


def test_long_lines_keep_their_change_numbers_and_the_sides_their_widths(tmp_path):
    """The trial's report: a change number on a long line wrapped below it, and a long line widened its side."""
    pod = "a-pod-whose-name-is-long-enough-to-push-lines-past-the-edge-of-its-column"
    ctr = "a-container-whose-name-is-long-enough-too-for-the-renamed-line-to-overflow"
    manifest = tmp_path / "long.yaml"
    manifest.write_text(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\nspec:\n  containers:\n"
                        f"  - name: {ctr}\n    image: registry.example.com/app:1.0\n")
    page = shown(tmp_path, report("--no-stat", str(manifest)))
    assert f"  - name: {pod}-{ctr}" in page["lines"]["renamed"]  # a line wider than its column
    assert page["numbered"] > 0 and page["wrapped"] == 0
    (left_x, _, left_w), (right_x, _, right_w) = page["sides"]
    assert abs(left_w - right_w) < 1 and left_x + left_w <= right_x and not page["overflow"]
