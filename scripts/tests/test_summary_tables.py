"""The compact tables a run prints: the XSAVE grid and the round-trip families."""
from fpubench_cli.analysis import result_sets
from fpubench_cli.presentation import summary_tables
from written import entry, result


RESULT = result([
    entry("xsave/XSAVEC/avx/init", ticks_per_insn=100.0), entry("xsave/XSAVEC/avx/init", 1, ticks_per_insn=102.0),
    entry("xsave/XSAVEC/avx/modified", ticks_per_insn=130.0),
    entry("pingpong/futex/same-pu/none", rtt_p50_ns=1000.0, rtt_p99_ns=1500.0),
    entry("pingpong/futex/same-pu/avx", rtt_p50_ns=1100.0, rtt_p99_ns=1600.0),
    entry("kvm/pio-exit/guest-sse/host-init", rtt_p50_ns=9000.0, rtt_p99_ns=12000.0),
    entry("pingpong/futex/same-pu/avx") | {"name": "pingpong/futex/same-pu/avx/manual_time_mean", "run_type": "aggregate",
                                           "rtt_p50_ns": 5.0},
]) | {"xstate_prediction": {"rows": [{"benchmark": "pingpong/futex/same-pu/avx", "measured_ns": 100.0,
                                   "predicted_ns": 60.0, "unexplained_ns": 40.0}]}}


def test_the_xsave_grid_has_one_line_per_instruction_and_set_and_a_column_per_condition():
    grid = summary_tables.xsave_grid(result_sets.of_result(RESULT)).splitlines()
    assert grid[0].split()[-3:] == ["init", "modified", "unmodified"]
    assert grid[2].split() == ["XSAVEC", "avx", "101.0", "130.0", "-"]  # median of repetitions


def test_round_trip_rows_show_the_median_p50_its_range_and_p99():
    lines = summary_tables.round_trip_tables(result_sets.of_result(RESULT)).splitlines()
    assert lines[0].split()[:4] == ["round", "trip", "(median", "of"]
    futex = next(l for l in lines if l.startswith("pingpong/futex/same-pu/avx "))
    assert futex.split()[1] == "1100.0" and futex.split()[-1] == "1600.0"


def wide(value, rep=0):
    return entry("pingpong/futex/same-pu/avx512-pong", rep, rtt_p50_ns=value, rtt_p99_ns=value * 10)


def test_wide_values_never_run_together_and_one_repetition_has_no_range():
    rs = result_sets.of_result(result([wide(677105.610380584), wide(0.5, 1), wide(380584.9, 2)]))
    for line in summary_tables.round_trip_tables(rs).splitlines()[2:]:
        assert len(line.split()) == 4, line  # name, p50, range, p99: each its own field
    one = summary_tables.round_trip_tables(result_sets.of_result(result([wide(1000.0)]))).splitlines()[2]
    assert one.split()[2] == "-"  # a range needs two repetitions


def test_an_absurd_spin_floor_and_repetitions_far_apart_are_named():
    rs = result_sets.of_result(result([
        entry("pingpong/spin/shared-l3/none", rtt_p50_ns=29.95e6), entry("pingpong/futex/shared-l3/none", rtt_p50_ns=50_000.0),
        entry("pingpong/pipe/same-pu/none", rtt_p50_ns=2000.0), entry("pingpong/pipe/same-pu/none", 1, rtt_p50_ns=9000.0)]))
    notes = summary_tables.remarks(rs)
    assert any(n.startswith("pingpong/spin/shared-l3/none: the spin floor (29950000 ns) is above the futex") for n in notes)
    assert any(n.startswith("pingpong/pipe/same-pu/none: its repetitions differ 4.5x") for n in notes)
    assert "note: pingpong/spin/shared-l3/none" in summary_tables.all_tables(rs)


def test_a_result_without_rows_prints_nothing():
    assert summary_tables.all_tables(result_sets.of_result(result([]))) == ""


def halting_result(cpuidle):
    return result_sets.of_result(result([entry("pingpong/futex/cross-llc/none", rtt_p50_ns=52_000.0),
                                         entry("pingpong/futex/same-pu/none", rtt_p50_ns=6_000.0)],
                                        **{"system.cpuidle": cpuidle, "hypervisor": "KVMKVMKVM"}))


def test_a_cross_pu_figure_on_a_machine_whose_idle_halts_is_explained_with_its_remedies():
    notes = [n for n in summary_tables.remarks(halting_result("driver none")) if n.startswith("cross-PU rows")]
    assert len(notes) == 1
    assert "takes 52.0 us against 6.0 us on one PU" in notes[0] and "hypervisor to wake the halted vCPU" in notes[0]
    assert "idle=poll" in notes[0] and "cpuidle_haltpoll" in notes[0] and "same-PU rows" in notes[0]


def test_a_machine_whose_idle_polls_gets_no_such_note():
    polling = summary_tables.remarks(halting_result("driver haltpoll: POLL (0 us), haltpoll idle (0 us)"))
    assert not [n for n in polling if n.startswith("cross-PU rows")]
