"""The compact tables a run prints: the XSAVE grid and the round-trip families."""
from fpubench_cli import summary_tables


def entry(name, rep=0, **values):
    return {"name": name + "/manual_time", "run_name": name + "/manual_time", "run_type": "iteration",
            "repetition_index": rep, **values}


RESULT = {"benchmarks": [
    entry("xsave/XSAVEC/avx/init", ticks_per_insn=100.0), entry("xsave/XSAVEC/avx/init", 1, ticks_per_insn=102.0),
    entry("xsave/XSAVEC/avx/modified", ticks_per_insn=130.0),
    entry("pingpong/futex/same-pu/none", rtt_p50_ns=1000.0, rtt_p99_ns=1500.0),
    entry("pingpong/futex/same-pu/avx", rtt_p50_ns=1100.0, rtt_p99_ns=1600.0),
    entry("kvm/pio-exit/guest-sse/host-init", rtt_p50_ns=9000.0, rtt_p99_ns=12000.0),
    {"name": "pingpong/futex/same-pu/avx/manual_time_mean", "run_type": "aggregate", "rtt_p50_ns": 5.0},
], "xstate_prediction": {"rows": [{"benchmark": "pingpong/futex/same-pu/avx", "measured_ns": 100.0,
                                   "predicted_ns": 60.0, "unexplained_ns": 40.0}]}}


def test_the_xsave_grid_has_one_line_per_instruction_and_set_and_a_column_per_condition():
    grid = summary_tables.xsave_grid(RESULT).splitlines()
    assert grid[0].split()[-3:] == ["init", "modified", "unmodified"]
    assert grid[2].split() == ["XSAVEC", "avx", "101.0", "130.0", "-"]  # median of repetitions


def test_round_trip_families_show_state_percentiles_and_the_explanation():
    lines = summary_tables.round_trip_tables(RESULT, RESULT["xstate_prediction"]).splitlines()
    assert lines[0].split()[0] == "kvm/pio-exit" and lines[1].split()[0] == "guest-sse/host-init"
    futex = lines.index(next(l for l in lines if l.startswith("pingpong/futex/same-pu")))
    assert lines[futex + 1].split() == ["avx", "1100.0", "1600.0", "+100.0", "+60.0", "+40.0"]
    assert lines[futex + 2].split() == ["none", "1000.0", "1500.0", "-", "-", "-"]


def test_a_result_without_rows_prints_nothing():
    assert summary_tables.all_tables({"benchmarks": []}) == ""
