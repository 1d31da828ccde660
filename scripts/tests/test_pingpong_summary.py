from fpubench_cli import pingpong_summary


def run(name, rep, p50, run_type="iteration"):
    return {"name": name + "/manual_time", "run_name": name + "/manual_time",
            "run_type": run_type, "repetition_index": rep, "rtt_p50_ns": p50}


RESULT = {"benchmarks": [
    run("pingpong/futex/same-pu/none", 0, 1000.0),
    run("pingpong/futex/same-pu/avx512", 0, 1100.0),
    run("pingpong/futex/same-pu/none", 1, 1200.0),
    run("pingpong/futex/same-pu/avx512", 1, 1230.0),
    run("pingpong/futex/same-pu/none", 2, 900.0),
    run("pingpong/futex/same-pu/avx512", 2, 950.0),
    run("pingpong/futex/same-pu/avx512", 0, 9999.0, run_type="aggregate"),
    run("signal/self/none", 0, 800.0),
    run("signal/self/avx512", 0, 810.0),
    run("pingpong/pipe/same-pu/avx512", 0, 5.0),  # no "none" to compare with
]}


def test_differences_are_paired_by_repetition():
    rows = pingpong_summary.xstate_costs(RESULT)
    assert rows == [("pingpong/futex/same-pu", 50.0, 30.0, 100.0, 3),
                    ("signal/self", 10.0, 10.0, 10.0, 1)]


def test_format_names_the_comparison():
    text = pingpong_summary.format_xstate_costs(RESULT)
    assert "avx512 minus none" in text
    assert "pingpong/futex/same-pu" in text and "+50.0 ns" in text


def test_nothing_to_compare_prints_nothing():
    assert pingpong_summary.format_xstate_costs({"benchmarks": []}) == ""
