"""Result data as the binary writes it, for tests to read on the users' path: rows from
`build/host/fpubench plan --json` of recorded machines, entries shaped as host/app/result_file.cc
writes them, and the reference run the binary wrote on one of those machines. The one file of
the old format, read only by the legacy module's tests, is LEGACY."""
import json
import subprocess
from functools import lru_cache

import pytest

from fpubench_cli import paths
from fpubench_cli.analysis import schema

MACHINES = paths.REPO / "bench" / "tests" / "testdata" / "machines"
PROFILES = sorted(p for p in MACHINES.iterdir() if p.is_dir())
# A run of the binary (scripts/fpubench run; results/reference/README.md says how it was made).
REFERENCE = paths.REPO / "results" / "reference" / "zen5-vm-no-rdtscp.json"
# Google Benchmark's file from before the binary wrote rows: the legacy module's input.
LEGACY = paths.REPO / "results" / "reference" / "kvm-guest-spr-amx.json"
# Where entry() finds a row: this project's machine first, then one with KVM and AMX, then the rest.
ENTRY_PROFILES = tuple(dict.fromkeys([MACHINES / "zen5-vm-no-rdtscp", MACHINES / "intel-amx-kvm-pvm", *PROFILES]))


def needs_binary():
    if not paths.BINARY.exists():
        pytest.skip("build/host/fpubench is not built (scripts/fpubench setup)")


@lru_cache
def planned_rows(profile, *flags):
    """`plan --json`'s rows ({name, row, lab}) for a recorded machine."""
    needs_binary()
    out = subprocess.run([str(paths.BINARY), "plan", f"--profile={profile}", "--json", *flags],
                         capture_output=True, text=True, check=True)
    return tuple(json.loads(out.stdout)["rows"])


def planned(profile=ENTRY_PROFILES[0], *flags):
    """{name: row fields} as the binary plans them for a recorded machine."""
    return {r["name"]: r["row"] for r in planned_rows(profile, *flags)}


def _planned_anywhere(name):
    for profile in ENTRY_PROFILES:
        for r in planned_rows(profile):
            if r["name"] == name:
                return r
    raise KeyError(f"{name} is planned on none of {[p.name for p in ENTRY_PROFILES]}")


def entry(name, rep=0, row=None, **figures):
    """One repetition's entry of a planned row, as the binary's result file has it (its own copy of the
    row: the plans are cached)."""
    planned_row = _planned_anywhere(name) if row is None else {"row": row, "lab": {"figure": "", "cost": ""}}
    return {"name": name + "/manual_time", "family_index": 0, "per_family_instance_index": 0,
            "run_name": name + "/manual_time", "row": dict(planned_row["row"]), "lab": dict(planned_row["lab"]),
            "run_type": "iteration", "repetitions": rep + 1, "repetition_index": rep, "threads": 1,
            "iterations": 1, **figures}


def result(benchmarks, **context):
    """A result file's data around entries."""
    return {"fpubench_schema": schema.CURRENT, "context": context, "benchmarks": list(benchmarks)}


def reference():
    """The reference run's data and its histograms, fresh copies."""
    return (json.loads(REFERENCE.read_text()),
            json.loads(REFERENCE.with_name(REFERENCE.stem + ".histograms.json").read_text()))


def reference_entry(name):
    """The first repetition of one row in the reference run: an entry the binary wrote."""
    data, _ = reference()
    return next(e for e in data["benchmarks"] if e["run_type"] == "iteration" and e["row"]["name"] == name)
