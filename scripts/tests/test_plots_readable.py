"""What a person sees in the figures, checked on the drawn figures themselves: for a 3 + 3
comparison where B's ping-pong round trips take 1 us longer, and for a single run: no text names a
file, every tick label lies inside its figure, and hardly any point sits at an axis limit."""
import shutil

import matplotlib
import pytest

from fpubench_cli.analysis import compare, result_sets
from fpubench_cli.presentation import plots
from test_compare import REFERENCE, make_label

MOST_AT_A_LIMIT = 0.02


def one_microsecond_slower(data):
    for bench in data["benchmarks"]:
        if bench["name"].startswith("pingpong/"):
            for key in [k for k in bench if k.startswith("rtt_") and k.endswith("_ns")]:
                bench[key] += 1000.0


@pytest.fixture
def drawn(monkeypatch):
    """Every figure plot_all saves, as (stem, figure, svg path), kept open for the test."""
    figures = []
    real_save, real_close = plots._save, plots.plt.close

    def capture(fig, out_dir, stem):
        png = real_save(fig, out_dir, stem)
        figures.append((stem, fig, png.with_suffix(".svg")))
        return png
    monkeypatch.setattr(plots.plt, "close", lambda fig: None)
    monkeypatch.setattr(plots, "_save", capture)
    yield figures
    real_close("all")


def comparison_figures(tmp_path, drawn):
    a = result_sets.load(make_label(tmp_path, "A", [1.0, 1.004, 0.997], first_hour=0, hour_step=2))
    b = result_sets.load(make_label(tmp_path, "B", [1.002, 0.998, 1.003], one_microsecond_slower,
                                    first_hour=1, hour_step=2))
    plots.plot_all([a, b], tmp_path / "plots", compare.compare_sets(a, b))
    return drawn


def single_run_figures(tmp_path, drawn):
    folder = tmp_path / "kernel-a"
    folder.mkdir()
    run = folder / "20261202T150439Z.json"
    shutil.copy(REFERENCE, run)
    shutil.copy(REFERENCE.with_name(REFERENCE.stem + ".histograms.json"), folder / "20261202T150439Z.histograms.json")
    plots.plot_all([result_sets.load(run)], tmp_path / "plots")
    return drawn


CASES = {"comparison 3 + 3, B 1 us slower": comparison_figures, "single run": single_run_figures}


def texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


@pytest.mark.parametrize("case", CASES)
def test_no_text_names_a_file(tmp_path, drawn, case):
    for stem, fig, svg in CASES[case](tmp_path, drawn):
        named = [t for t in texts(fig) if ".json" in t or str(tmp_path) in t]
        assert not named, (stem, named)
        assert ".json" not in svg.read_text(), stem  # matplotlib writes each text into the SVG too


def outside(fig, texts):
    """(text, extent) of each drawn text that reaches past the figure's edge."""
    fig.canvas.draw()
    renderer, box = fig.canvas.get_renderer(), fig.bbox
    out = []
    for t in texts:
        if not (t.get_visible() and t.get_text()):
            continue
        e = t.get_window_extent(renderer)
        if not (e.x0 >= box.x0 - 0.5 and e.x1 <= box.x1 + 0.5 and e.y0 >= box.y0 - 0.5 and e.y1 <= box.y1 + 0.5):
            out.append((t.get_text(), e))
    return out


@pytest.mark.parametrize("case", CASES)
def test_every_title_axis_label_and_legend_entry_lies_inside_its_figure(tmp_path, drawn, case):
    for stem, fig, _ in CASES[case](tmp_path, drawn):
        texts = [fig._suptitle] if fig._suptitle else []
        for ax in fig.axes:
            texts += [ax.title, ax.xaxis.label, ax.yaxis.label]
            if ax.get_legend():
                texts += ax.get_legend().get_texts()
        assert not outside(fig, texts), stem


@pytest.mark.parametrize("case", CASES)
def test_every_tick_label_lies_inside_its_figure(tmp_path, drawn, case):
    for stem, fig, _ in CASES[case](tmp_path, drawn):
        fig.canvas.draw()
        shown = []  # ticks outside the view limits are not drawn
        for ax in fig.axes:
            (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
            shown += [t for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1] + \
                     [t for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1]
        assert not outside(fig, shown), stem


def points_at_a_limit(fig):
    """(points drawn at an x limit or beyond it, points drawn) over the figure's marker plots."""
    at, total = 0, 0
    for ax in fig.axes:
        lo, hi = sorted(ax.get_xlim())
        span = hi - lo
        for line in ax.get_lines():
            if line.get_marker() in (None, "None", "", " "):
                continue
            for x in line.get_xdata():
                total += 1
                at += not (lo + 1e-3 * span < float(x) < hi - 1e-3 * span)
    return at, total


@pytest.mark.parametrize("case", CASES)
def test_hardly_any_point_sits_at_an_axis_limit(tmp_path, drawn, case):
    at, total = 0, 0
    for stem, fig, _ in CASES[case](tmp_path, drawn):
        a, t = points_at_a_limit(fig)
        at, total = at + a, total + t
    assert total == 0 or at / total <= MOST_AT_A_LIMIT, f"{at} of {total} points at an axis limit"


def test_a_far_point_gets_a_log_scale_beyond_the_bulk_not_a_pinned_edge():
    lo, hi, linthresh = plots.axis_scale([1.0, -2.0, 0.5, 3.0, -1.0, 2.5, 1e6])
    assert hi > 1e6 and lo < -2.0
    assert linthresh is not None and linthresh < 10
    assert plots.axis_scale([1.0, 2.0, 3.0])[2] is None  # no far point: a linear axis


def test_a_single_runs_series_are_named_by_state_and_its_title_by_label_and_time(tmp_path, drawn):
    figures = dict((stem, fig) for stem, fig, _ in single_run_figures(tmp_path, drawn))
    latency = next(fig for stem, fig in figures.items() if stem.startswith("latency-"))
    legend = [t.get_text() for t in latency.axes[0].get_legend().get_texts()]
    assert legend and all("(" not in t and "kernel-a" not in t for t in legend), legend
    assert "kernel-a 20261202T150439Z" in latency.axes[0].get_title()


@pytest.mark.parametrize("case", CASES)
def test_every_value_axis_shows_at_least_two_labelled_values(tmp_path, drawn, case):
    """A log axis within one decade gets no decade tick, or one: the reader cannot read a value off it."""
    for stem, fig, _ in CASES[case](tmp_path, drawn):
        fig.canvas.draw()
        for ax in fig.axes:
            if not ax.get_ylabel() or not ax.get_visible():
                continue
            y0, y1 = sorted(ax.get_ylim())
            labelled = [t for t in ax.get_yticklabels() if t.get_text() and y0 <= t.get_position()[1] <= y1]
            assert len(labelled) >= 2, f"{stem}: '{ax.get_ylabel()}' shows {[t.get_text() for t in labelled]}"


@pytest.mark.parametrize("lo, hi", [(4509, 59109), (2641, 48324), (5300, 5600), (3000, 8500), (100, 1e6), (0.5, 3)])
def test_a_log_axis_of_any_span_shows_three_to_eight_plain_values(lo, hi):
    """The spans of real latency plots (the first two, from one run on a 2-PU VM) and the extremes."""
    fig, ax = plots.plt.subplots()
    try:
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
        plots.label_log_values(ax.yaxis)
        fig.canvas.draw()
        shown = [t.get_text() for t in ax.get_yticklabels() if t.get_text() and lo <= t.get_position()[1] <= hi]
    finally:
        plots.plt.close(fig)
    assert 3 <= len(shown) <= 8 and not any("^" in s or "e" in s for s in shown), shown
