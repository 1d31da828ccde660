"""Plots render headless; the HTML report is self-contained and opens in headless Chromium."""
import shutil
import subprocess

import matplotlib
import pytest

from fpubench_cli import compare, plots, report, results
from test_compare import copy_reference


def sets(tmp_path):
    a = results.load(copy_reference(tmp_path, "A"))
    b = results.load(copy_reference(tmp_path, "B", 1.10))
    return a, b, compare.compare_sets(a, b)


def test_plots_render_headless_as_png_and_svg(tmp_path):
    a, b, c = sets(tmp_path)
    pngs = plots.plot_all([a, b], tmp_path / "plots", c)
    assert matplotlib.get_backend().lower() == "agg"
    names = {p.stem for p in pngs}
    assert {"latency-pingpong-futex-same-pu", "xsave-cost-vs-bytes", "changes", "counters"} <= names
    for p in pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert p.with_suffix(".svg").read_text().lstrip().startswith("<?xml")


def test_percentile_curve_of_known_histogram():
    pct, lat = plots.percentile_curve([([100, 200, 400], [50, 40, 10])])
    assert list(pct) == [50.0, 90.0, 100.0]
    assert list(lat) == [100.0, 200.0, 400.0]


def test_report_is_self_contained_and_opens_in_headless_chromium(tmp_path):
    a, b, c = sets(tmp_path)
    html = report.render(c, plots.plot_all([a, b], tmp_path / "plots", c))
    assert "data:image/png;base64," in html and "src=\"http" not in html
    page = tmp_path / "report.html"
    page.write_text(html)
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed (scripts/fpubench setup installs it)")
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
         f"--screenshot={shot}", f"file://{page}"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
