"""selfcheck --across-runs against a stand-in for run_suite that writes recorded runs: the protocol
alternates, the comparison at 3/5/10 runs a side is compare's own, the summary is stored and
compare shows it for the same machine."""
import json

import numpy as np
import pytest

from fpubench_cli.analysis import result_sets
from fpubench_cli.errors import UserError
from fpubench_cli.running import selfcheck_runs
from test_compare import reference_copy


def fake_run_suite(order, noise=0.003, seed=5):
    """Writes the reference run scaled by run-to-run noise; an --inject-ns=N run is 1% slower per
    100 ns on every row the binary delays (ping-pong and KVM exits)."""
    rng = np.random.default_rng(seed)

    def run_suite(label, extra, results_dir, do_setup, console_lines):
        inject = next((float(f.split("=")[1]) for f in extra if f.startswith("--inject-ns=")), 0.0)
        machine = float(np.exp(rng.normal(0, noise)))

        def slow_pingpong(data):
            for b in data["benchmarks"]:
                row = b["row"]  # what the binary delays: ping-pong and KVM exit round trips
                if (row["suite"] == "pingpong" or row["mechanism"] in ("pio-exit", "mmio-exit")) and "rtt_p50_ns" in b:
                    for k in ("rtt_p50_ns", "rtt_mean_ns"):
                        b[k] += inject * 0.1 * b[k] / 1000.0
        data, hist = reference_copy(machine, slow_pingpong, run=len(order) % 24)
        folder = results_dir / label
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"run{len(order):03d}.json"
        path.write_text(json.dumps(data))
        order.append(label)
        return path
    return run_suite


def test_runs_alternate_and_a_large_delay_is_found_at_every_number_of_runs(tmp_path, capsys):
    order = []
    e = selfcheck_runs.selfcheck_across_runs([100.0, 1000.0], 10, "sc", "^pingpong/", results_dir=tmp_path,
                                             run_suite=fake_run_suite(order))
    assert order[:4] == ["base-for-100ns", "inject-100ns", "base-for-100ns", "inject-100ns"]
    assert len(order) == 2 * 10 * 2
    assert e["found"]["1000"] == {"3": 1.0, "5": 1.0, "10": 1.0}
    assert e["smallest_found_ns"]["10"] in (100.0, 1000.0)
    out = capsys.readouterr().out
    assert "smallest delay found" in out and "run summaries" in out
    stored = list((tmp_path / "sc").glob("*.across-runs.json"))
    assert len(stored) == 1
    assert json.loads(stored[0].read_text())["selfcheck_across_runs"]["runs_a_side"] == 10


def test_each_candidate_summary_reports_its_spread_and_its_response_to_the_delay(tmp_path):
    e = selfcheck_runs.selfcheck_across_runs([1000.0], 3, "sc", "^pingpong/", results_dir=tmp_path,
                                             run_suite=fake_run_suite([]))
    candidates = e["summary_candidates"]["1000"]
    assert set(candidates) == {"median", "mean", "trimmed-mean", "lower-quartile"}
    assert all(c["run_to_run_cv"] > 0 for c in candidates.values())
    # The stand-in adds 10% of each row's p50 per microsecond of delay: the median row is ~1.6 us.
    assert 0.1 < candidates["median"]["response"] < 1.0


def test_compare_names_the_latest_across_runs_self_check_of_the_same_machine(tmp_path):
    selfcheck_runs.selfcheck_across_runs([1000.0], 3, "sc", "^pingpong/", results_dir=tmp_path,
                                         run_suite=fake_run_suite([]))
    context = result_sets.load(next((tmp_path / "sc").glob("across-runs-*/base-for-1000ns"))).context
    line = selfcheck_runs.latest_for_machine(context, tmp_path)
    assert line.startswith("self-check across runs on this machine (") and "3 runs a side" in line
    assert selfcheck_runs.latest_for_machine({"cpu_brand": "another"}, tmp_path) is None


@pytest.mark.parametrize("sizes, runs, message", [([], 10, "no delay to try"), ([100.0], 2, "at least 3")])
def test_an_empty_or_too_short_protocol_is_refused_before_anything_runs(tmp_path, sizes, runs, message):
    order = []
    with pytest.raises(UserError, match=message):
        selfcheck_runs.selfcheck_across_runs(sizes, runs, "sc", "^pingpong/", results_dir=tmp_path, run_suite=fake_run_suite(order))
    assert order == []
