"""The xstate-cost prediction: counts per operation x extra instruction cost, against the paired
measurement; the instruction choice, the count sources and the cases where it is unavailable."""
import pytest

from fpubench_cli.analysis import result_sets, xstate_model
from fpubench_cli.presentation import summary_tables
import written
from written import entry


def xsave_rows(insn_save="XSAVEC", insn_restore="XRSTOR-compacted", cset="avx"):
    # 1 tick = 1 ns (tsc_hz 1e9). An avx save costs 30 more than init, a restore 45 more; the
    # standard-format rows signal frames use: 20 and 10 more. The kernel's rows come first.
    rows = {}
    for e in _rows(insn_save, insn_restore, cset):
        rows.setdefault(e["name"], e)
    return list(rows.values())


def _rows(insn_save, insn_restore, cset):
    return [entry(f"xsave/{insn_save}/{cset}/init", ticks_per_insn=50.0),
            entry(f"xsave/{insn_save}/{cset}/unmodified", ticks_per_insn=80.0),
            entry(f"xsave/{insn_restore}/{cset}/init", ticks_per_insn=60.0),
            entry(f"xsave/{insn_restore}/{cset}/modified", ticks_per_insn=105.0),
            entry(f"xsave/XSAVE/{cset}/init", ticks_per_insn=70.0),
            entry(f"xsave/XSAVE/{cset}/unmodified", ticks_per_insn=90.0),
            entry(f"xsave/XRSTOR/{cset}/init", ticks_per_insn=60.0),
            entry(f"xsave/XRSTOR/{cset}/modified", ticks_per_insn=70.0)]


def result(benchmarks, **context):
    ctx = {"tsc_hz": "1000000000", "kernel_xsave_insn": "XSAVES", "kernel_xrstor_insn": "XRSTORS"}
    ctx.update(context)
    return result_sets.of_result(written.result(benchmarks, **ctx))


def rows_by_name(prediction):
    return {r["benchmark"]: r for r in prediction["rows"]}


def pingpong(placement="same-pu", state="avx", extra=None):
    extra = extra or {}
    out = []
    for rep, (none, dirty) in enumerate([(1000.0, 1200.0), (1010.0, 1190.0), (990.0, 1220.0)]):
        out.append(entry(f"pingpong/futex/{placement}/none", rep, rtt_p50_ns=none, **extra))
        out.append(entry(f"pingpong/futex/{placement}/{state}", rep, rtt_p50_ns=dirty, cost_p50_ns=dirty - none, **extra))
    return out


def test_same_pu_round_trip_is_two_saves_and_two_restores_with_the_kernels_instructions():
    r = rows_by_name(xstate_model.predict(result(xsave_rows() + pingpong())))["pingpong/futex/same-pu/avx"]
    assert r["measured_ns"] == pytest.approx(200.0) and r["measured_min_ns"] == 180.0 and r["measured_max_ns"] == 230.0
    assert (r["saves"], r["restores"]) == (2, 2) and r["counts_source"].startswith("model")
    assert r["predicted_ns"] == pytest.approx(2 * 30 + 2 * 45)
    assert r["unexplained_ns"] == pytest.approx(200 - 150)
    assert "kernel XSAVES/XRSTORS, measured as XSAVEC/XRSTOR-compacted" in r["instructions"]


def test_counted_switches_replace_the_model_and_partner_only_state_counts_half():
    counted = {"x86_fpu:x86_fpu_regs_activated/op": 2.0, "perf::CONTEXT-SWITCHES/op": 2.0}
    p = xstate_model.predict(result(xsave_rows(cset="avx512") + pingpong(state="avx512-pong", extra=counted)))
    r = rows_by_name(p)["pingpong/futex/same-pu/avx512-pong"]
    assert (r["saves"], r["restores"]) == (1, 1) and r["counts_source"].startswith("counted")
    assert r["predicted_ns"] == pytest.approx(30 + 45)


def test_threads_on_two_pus_copy_nothing():
    r = rows_by_name(xstate_model.predict(result(xsave_rows() + pingpong(placement="shared-l3"))))
    assert r["pingpong/futex/shared-l3/avx"]["predicted_ns"] == 0


def test_signal_frames_use_the_standard_format_instructions():
    sig = [entry("signal/self/none", 0, rtt_p50_ns=800.0), entry("signal/self/avx", 0, rtt_p50_ns=850.0, cost_p50_ns=50.0)]
    r = rows_by_name(xstate_model.predict(result(xsave_rows() + sig)))["signal/self/avx"]
    assert r["predicted_ns"] == pytest.approx(20 + 10) and "XSAVE/XRSTOR" in r["instructions"]


def test_kvm_exits_take_their_counts_from_kvm_fpu_when_counted():
    kvm = [entry("kvm/pio-exit/guest-init/host-init", 0, rtt_p50_ns=5000.0, **{"kvm:kvm_fpu/op": 2.0}),
           entry("kvm/pio-exit/guest-sse/host-init", 0, rtt_p50_ns=5100.0, cost_p50_ns=100.0, **{"kvm:kvm_fpu/op": 2.0})]
    r = rows_by_name(xstate_model.predict(result(xsave_rows(cset="sse") + kvm)))["kvm/pio-exit/guest-sse/host-init"]
    assert (r["saves"], r["restores"]) == (1, 1) and "kvm:kvm_fpu" in r["counts_source"]


@pytest.mark.parametrize("save,restore,rows", [("XSAVEOPT", "XRSTOR", ("XSAVEOPT", "XRSTOR")),
                                                ("XSAVEC", "XRSTOR-compacted", ("XSAVEC", "XRSTOR-compacted"))])
def test_each_kernel_choice_reads_its_own_rows(save, restore, rows):
    p = xstate_model.predict(result(xsave_rows(*rows) + pingpong(), kernel_xsave_insn=save, kernel_xrstor_insn=restore))
    assert rows_by_name(p)["pingpong/futex/same-pu/avx"]["predicted_ns"] == pytest.approx(150)


def test_without_xsave_rows_the_prediction_is_unavailable_and_says_why():
    p = xstate_model.predict(result(pingpong()))
    assert "no XSAVE-family rows" in p["unavailable"]
    assert "prediction unavailable" in summary_tables.xstate_table(p)


def test_a_result_that_does_not_name_the_kernel_instructions_keeps_the_measurement_only():
    p = xstate_model.predict(result(xsave_rows() + pingpong(), kernel_xsave_insn=None))
    r = rows_by_name(p)["pingpong/futex/same-pu/avx"]
    assert r["measured_ns"] == pytest.approx(200) and "kernel_xsave_insn" in r["unavailable"]


def test_the_table_lines_up_measured_predicted_and_unexplained():
    text = summary_tables.xstate_table(xstate_model.predict(result(xsave_rows() + pingpong())))
    header, rule, line = text.splitlines()[:3]
    assert "measured ns [95% interval]" in header and "predicted ns" in header and "measured vs predicted" in header
    assert line.split()[:2] == ["pingpong/futex/same-pu/avx", "+200.0"]
    assert "+150.0" in line and line.rstrip().endswith("[1]")
    assert text.splitlines()[-1].startswith("  [1] counts: ")


@pytest.mark.parametrize("low, high, predicted, verdict", [
    (40.0, 60.0, 50.0, "consistent"), (80.0, 120.0, 50.0, "more than predicted"),
    (10.0, 30.0, 50.0, "less than predicted"), (-400.0, 400.0, 50.0, "too noisy to say")])
def test_each_xstate_row_says_what_the_measurement_says_of_the_prediction(low, high, predicted, verdict):
    row = {"predicted_ns": predicted, "measured_low_ns": low, "measured_high_ns": high, "repetitions": 11}
    assert xstate_model.explanation(row) == verdict
    assert xstate_model.explanation({"predicted_ns": 1.0, "repetitions": 3}).startswith("too few repetitions (3)")
