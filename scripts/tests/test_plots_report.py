"""Plots render headless; the HTML report is self-contained and opens in headless Chromium."""
import shutil
import subprocess

import matplotlib
import pytest

from fpubench_cli.analysis import compare, result_sets
from fpubench_cli.presentation import plots, report
from test_compare import copy_reference, make_label


def sets(tmp_path):
    a = result_sets.load(copy_reference(tmp_path, "A"))
    b = result_sets.load(copy_reference(tmp_path, "B", 1.10))
    return a, b, compare.compare_sets(a, b)


def test_plots_render_headless_as_png_and_svg(tmp_path):
    a, b, c = sets(tmp_path)
    pngs = plots.plot_all([a, b], tmp_path / "plots", c)
    assert matplotlib.get_backend().lower() == "agg"
    names = {p.stem for p in pngs}
    assert {"latency-pingpong-futex-same-pu", "xsave-cost-vs-bytes", "forest-relative", "forest-xstate-cost",
            "counters"} <= names
    assert all(plots.caption(name) for name in names), "every figure has a caption"
    for p in pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert p.with_suffix(".svg").read_text().lstrip().startswith("<?xml")


def test_percentile_curve_of_known_histogram():
    pct, lat = plots.percentile_curve([([100, 200, 400], [50, 40, 10])])
    assert list(pct) == [50.0, 90.0, 100.0]
    assert list(lat) == [100.0, 200.0, 400.0]


@pytest.mark.slow
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
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom", f"file://{page}"],
        capture_output=True, text=True, timeout=120).stdout
    assert dom.index("<h2>Summary</h2>") < dom.index("<table") and dom.index("forest-relative") < dom.index("<table")
    assert dom.count("<img") == dom.count("data:image/png;base64,") == html.count("<img")  # no broken image
    assert dom.count("<figcaption>") == dom.count("<img")
    assert "Files: A = " in dom and "run0.json" in dom  # the files the short legends stand for


@pytest.fixture
def drawn(monkeypatch):
    """Every figure plot_all saves, as (stem, figure), kept open for the test and closed after it."""
    figures = []
    real_save, real_close = plots._save, plots.plt.close

    def capture(fig, out_dir, stem):
        figures.append((stem, fig))
        return real_save(fig, out_dir, stem)
    monkeypatch.setattr(plots.plt, "close", lambda fig: None)
    monkeypatch.setattr(plots, "_save", capture)
    yield figures
    real_close("all")


def test_every_figure_has_a_title_and_no_legend_names_a_file(tmp_path, drawn):
    a, b, c = sets(tmp_path)  # labels are paths to folders under tmp_path
    plots.plot_all([a, b], tmp_path / "plots", c)
    for stem, fig in drawn:
        assert fig._suptitle is not None or any(ax.get_title() for ax in fig.axes), stem
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + fig.legends
        texts = [t.get_text() for legend in legends for t in legend.get_texts()]
        assert not [t for t in texts if str(tmp_path) in t or ".json" in t], (stem, texts)


def test_an_outlier_run_does_not_flatten_the_axis(tmp_path, drawn):

    def one_wild_run(data):
        for bench in data["benchmarks"]:
            if bench["name"].startswith("pingpong/futex/same-pu/none") and "rtt_p50_ns" in bench:
                bench["rtt_p50_ns"] *= 1e5
    a = result_sets.load(make_label(tmp_path, "A", [1.0, 1.01, 0.99], first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", [1.0, 1.02, 0.98], first_hour=1, hour_step=2))
    (tmp_path / "B" / "run1.json").write_text((tmp_path / "B" / "run1.json").read_text())
    wild = result_sets.load(make_label(tmp_path, "W", [1.0], one_wild_run))
    b.by_file[1] = wild.by_file[0]
    c = compare.compare_sets(a, b)
    plots.plot_all([a, b], tmp_path / "plots", c)
    forest = dict(drawn)["forest-relative"]
    ax = forest.axes[0]
    assert ax.get_xscale() == "symlog", "one run 100000x off gets a log scale beyond the bulk..."
    assert ax.xaxis.get_transform().linthresh < 1000, "...while the bulk stays linear"
    assert "linear within" in ax.get_xlabel()
