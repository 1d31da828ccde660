"""The row schema: the fields the binary writes are the ones Python reads, a current file's rows
are whole and known or the file is refused, and a file from before the binary wrote them gets the
same fields from its names in the one legacy module, which says when it is used."""
import json
import re
import subprocess
from dataclasses import replace

import pytest

from fpubench_cli import paths
from fpubench_cli.analysis import legacy_names, result_sets, schema
from fpubench_cli.errors import UserError
from written import LEGACY, PROFILES, entry, needs_binary, planned, planned_rows, result


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_the_names_of_an_old_file_give_the_fields_the_binary_writes(profile):
    rows = planned_rows(profile)
    assert rows
    for r in rows:
        # An old file measured every cost as two benchmarks: the one field its names cannot give.
        written = replace(schema.Row(**r["row"]), cost_figure="")
        assert legacy_names.from_name(r["name"]) == written, r["name"]
        assert written.name == r["name"] == legacy_names.name_for(r["row"])


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_row_with_a_baseline_is_measured_in_time_paired_blocks(profile):
    for r in planned_rows(profile):
        paired = r["row"]["cost_figure"] == "cost_p50_ns"
        assert paired == bool(r["row"]["baseline"]), r["name"]


def test_self_check_rows_name_their_variant_and_have_no_baseline():
    rows = planned_rows(PROFILES[0], "--selfcheck=pingpong/futex/same-pu/avx", "--inject-ns=100")
    assert [r["row"]["selfcheck"] for r in rows] == ["a", "a-again", "inject"]
    for r in rows:
        assert r["row"]["baseline"] == "" and r["row"]["family"] == "pingpong/futex/same-pu"
        assert r["row"]["name"] == f"selfcheck/{r['row']['selfcheck']}/pingpong/futex/same-pu/avx"
        assert legacy_names.from_name(r["name"]) == replace(schema.Row(**r["row"]), cost_figure="")


def test_an_entry_of_a_current_file_is_read_by_its_fields_not_its_name():
    e = entry("signal/self/avx") | {"name": "x/y/manual_time", "run_name": "x/y/manual_time"}
    rs = result_sets.of_result(result([e]))
    row = rs.rows["signal/self/avx"]
    assert (row.suite, row.family, row.baseline, row.placement) == ("signal", "signal/self", "signal/self/none", "")


@pytest.mark.parametrize("edit, message", [
    (lambda row: row.pop("role"), "a row this fpubench does not know (no role)"),
    (lambda row: row.update(colour="blue"), "unknown fields colour"),
    (lambda row: row.update(role="sometimes"), "role 'sometimes'"),
    (lambda row: row.update(suite=7), "suite not text"),
])
def test_a_row_that_is_not_whole_or_not_known_is_refused_in_one_line(tmp_path, edit, message):
    e = entry("signal/self/avx")
    e["row"] = dict(e["row"])
    edit(e["row"])
    (tmp_path / "run.json").write_text(json.dumps(result([e])))
    with pytest.raises(UserError, match=re.escape(message)) as error:
        result_sets.load(tmp_path / "run.json")
    assert "run.json" in str(error.value) and "\n" not in str(error.value)


def test_a_file_newer_than_this_checkout_is_refused(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps(result([entry("signal/self/avx")]) | {"fpubench_schema": 99}))
    with pytest.raises(UserError, match="fpubench_schema 99, newer than this fpubench reads"):
        result_sets.load(tmp_path / "run.json")


def test_an_old_result_file_loads_with_fields_from_its_names_and_says_so(capsys):
    rs = result_sets.load(str(LEGACY))
    assert not any("row" in e for entries in rs.runs.values() for e in entries)  # it predates the fields
    row = rs.rows["pingpong/futex/same-pu/avx512"]
    assert (row.mechanism, row.placement, row.state, row.partner_state, row.baseline) == \
        ("futex", "same-pu", "avx512", "avx512", "pingpong/futex/same-pu/none")
    assert rs.rows["kvm/pio-exit/guest-sse/host-init"].partner_state == "sse"
    assert rs.rows["xsave/XSAVEOPT/avx512/unmodified"].condition == "unmodified"
    assert f"{LEGACY} predates fpubench_schema {schema.CURRENT}" in capsys.readouterr().err


def test_a_name_fpubench_never_made_in_an_old_file_is_an_error_not_a_row(tmp_path):
    data = json.loads(LEGACY.read_text())
    data["benchmarks"].append({"name": "mystery/row/manual_time", "run_name": "mystery/row/manual_time",
                               "run_type": "iteration", "real_time": 1.0, "time_unit": "ns"})
    (tmp_path / "run.json").write_text(json.dumps(data))
    with pytest.raises(UserError, match="'mystery/row' is not a benchmark fpubench made"):
        result_sets.load(tmp_path / "run.json")


def test_a_row_of_fpubench_schema_2_gets_its_name_and_role():
    e = entry("pingpong/futex/same-pu/avx512")
    old = {k: v for k, v in e["row"].items() if k not in ("name", "role", "better")}
    rs = result_sets.of_result({"fpubench_schema": 2, "context": {}, "benchmarks": [e | {"row": old}]})
    assert rs.rows["pingpong/futex/same-pu/avx512"] == schema.Row(**e["row"])


def test_held_state_is_the_component_set_the_xstate_cost_is_about():
    rows = {name: schema.Row(**row) for name, row in planned().items()}
    assert rows["pingpong/pipe/cross-llc/avx512-pong"].held_state == "avx512"
    assert rows["pingpong/pipe/cross-llc/avx"].held_state == "avx"
    assert rows["signal/self/none"].held_state == "none"
    assert schema.cost_row(rows["pingpong/spin/cross-llc/avx"]).kernel_free
    assert not schema.cost_row(rows["pingpong/futex/cross-llc/avx"]).kernel_free
    kvm = schema.Row(**entry("kvm/mmio-exit/guest-sse/host-dirty")["row"])
    assert kvm.held_state == "sse"


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_row_says_what_can_move_it_and_which_way_is_better(profile):
    rows = [schema.Row(**r["row"]) for r in planned_rows(profile)]
    assert {r.role for r in rows} <= set(schema.ROLES) and {r.better for r in rows} == {"lower"}
    assert all(r.control == (r.suite in ("reference", "xsave")) for r in rows)
    assert all(r.kernel_free == (r.role != "kernel") for r in rows)
    assert all(legacy_names.role_of(r.suite, r.mechanism) == r.role for r in rows)  # what imports give
    assert any(r.role == "kernel" for r in rows) and any(r.control for r in rows)


def test_an_entry_without_its_row_in_a_file_the_binary_wrote_is_an_error_not_a_name_to_parse(tmp_path):
    data = json.loads(LEGACY.read_text()) | {"fpubench_schema": schema.CURRENT}  # a current file...
    (tmp_path / "run.json").write_text(json.dumps(data))  # ...whose entries lost their rows
    with pytest.raises(UserError, match=f"has no row, although the file is fpubench_schema {schema.CURRENT}"):
        result_sets.load(tmp_path / "run.json")
    del data["fpubench_schema"]  # an older file: rows from names
    (tmp_path / "run.json").write_text(json.dumps(data))
    assert result_sets.load(tmp_path / "run.json").rows


def _strict(text, what):
    """JSON as a strict parser reads it: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise AssertionError(f"{what} holds {constant}")
    return json.loads(text, parse_constant=refuse)


def test_every_file_a_run_writes_is_strict_json_and_its_histograms_are_of_its_rows(tmp_path):
    needs_binary()
    out, hist = tmp_path / "run.json", tmp_path / "run.histograms.json"
    # A paired row (time-paired blocks), its baseline, and the signal: three kinds of histogram.
    done = subprocess.run([str(paths.BINARY), "--benchmark_filter=^(pingpong/futex/same-pu/(none|sse)|signal/self/none)/",
                           "--benchmark_min_time=0.001", "--benchmark_repetitions=2",
                           f"--benchmark_out={out}", f"--histograms-out={hist}"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    doc = _strict(out.read_text(), out.name)
    names = {e["row"]["name"] for e in doc["benchmarks"]}
    assert {"pingpong/futex/same-pu/sse", "signal/self/none"} <= names
    histograms = _strict(hist.read_text(), hist.name)
    assert histograms["tsc_hz"] > 0 and histograms["buckets_per_octave"] > 0
    kept = {(h["name"], h["repetition_index"]) for h in histograms["histograms"]}
    assert {n for n, _ in kept} == names and {i for _, i in kept} == {0, 1}
    for h in histograms["histograms"]:
        assert len(h["buckets"]) == len(h["bucket_lower_ns"]) == len(h["counts"]) and sum(h["counts"]) == h["samples"]
