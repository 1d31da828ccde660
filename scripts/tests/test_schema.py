"""The row schema: the fields the binary writes are the ones Python reads, and a result file from
before the binary wrote them gets the same fields from its names (analysis/schema.py)."""
import json
import subprocess
from dataclasses import replace

import pytest

from fpubench_cli import paths
from fpubench_cli.analysis import result_sets, schema
from fpubench_cli.errors import UserError

PROFILES = sorted(p for p in (paths.REPO / "bench" / "tests" / "testdata" / "machines").iterdir() if p.is_dir())
REFERENCE = paths.REPO / "results" / "reference" / "kvm-guest-spr-amx.json"


def planned_rows(profile, *flags):
    if not paths.BINARY.exists():
        pytest.skip("build/host/fpubench is not built (scripts/fpubench setup)")
    out = subprocess.run([str(paths.BINARY), "plan", f"--profile={profile}", "--json", *flags],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["rows"]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_the_names_of_an_old_file_give_the_fields_the_binary_writes(profile):
    rows = planned_rows(profile)
    assert rows
    for r in rows:
        # An old file measured every cost as two benchmarks: the one field its names cannot give.
        written = replace(schema.Row(**r["row"]), cost_figure="")
        assert schema.from_name(r["name"]) == written, r["name"]
        assert written.name == r["name"]


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
        assert schema.from_name(r["name"]) == replace(schema.Row(**r["row"]), cost_figure="")


def test_an_entry_with_fields_is_read_by_its_fields_not_its_name():
    entry = {"name": "x/y/manual_time", "run_name": "x/y/manual_time",
             "row": {"suite": "signal", "family": "signal/self", "variant": "avx", "baseline": "signal/self/none"}}
    row = schema.of_entry(entry)
    assert (row.suite, row.family, row.baseline, row.placement) == ("signal", "signal/self", "signal/self/none", "")


def test_an_old_result_file_loads_with_fields_from_its_names():
    rs = result_sets.load(str(REFERENCE))
    assert not any("row" in e for entries in rs.runs.values() for e in entries)  # it predates the fields
    row = rs.rows["pingpong/futex/same-pu/avx512"]
    assert (row.mechanism, row.placement, row.state, row.partner_state, row.baseline) == \
        ("futex", "same-pu", "avx512", "avx512", "pingpong/futex/same-pu/none")
    assert rs.rows["kvm/pio-exit/guest-sse/host-init"].partner_state == "sse"
    assert rs.rows["xsave/XSAVEOPT/avx512/unmodified"].condition == "unmodified"


def test_held_state_is_the_component_set_the_xstate_cost_is_about():
    assert schema.from_name("pingpong/pipe/cross-llc/avx512-pong").held_state == "avx512"
    assert schema.from_name("pingpong/pipe/cross-llc/avx").held_state == "avx"
    assert schema.from_name("kvm/mmio-exit/guest-sse/host-dirty").held_state == "sse"
    assert schema.from_name("signal/self/none").held_state == "none"
    assert schema.from_name("xstate-cost/pingpong/spin/cross-llc/avx").kernel_free
    assert not schema.from_name("xstate-cost/pingpong/futex/cross-llc/avx").kernel_free


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_row_says_what_can_move_it_and_which_way_is_better(profile):
    rows = [schema.Row(**r["row"]) for r in planned_rows(profile)]
    assert {r.role for r in rows} <= {"kernel", "control", "kernel-free"} and {r.better for r in rows} == {"lower"}
    assert all(r.control == (r.suite in ("reference", "xsave")) for r in rows)
    assert all(r.kernel_free == (r.role != "kernel") for r in rows)
    assert any(r.role == "kernel" for r in rows) and any(r.control for r in rows)


def test_an_entry_without_its_row_in_a_file_the_binary_wrote_is_an_error_not_a_name_to_parse(tmp_path):
    data = json.loads(REFERENCE.read_text()) | {"fpubench_schema": 2}  # a current file...
    (tmp_path / "run.json").write_text(json.dumps(data))  # ...whose entries lost their rows
    with pytest.raises(UserError, match="has no row, although the file is fpubench_schema 2"):
        result_sets.load(tmp_path / "run.json")
    del data["fpubench_schema"]  # an older file: rows from names
    (tmp_path / "run.json").write_text(json.dumps(data))
    assert result_sets.load(tmp_path / "run.json").rows
