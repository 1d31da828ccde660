"""The run command against a stand-in binary: result placement, context flags, and cleanup."""
import json
import stat

import pytest

from fpubench_cli.errors import UserError
from fpubench_cli.running import run
import written


def fake_binary(tmp_path, body):
    path = tmp_path / "fake-fpubench"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


ENTRY = written.reference_entry("reference/user-loop")
WRITES_RESULT = r"""
for a in "$@"; do
  case "$a" in --benchmark_out=*) out="${a#--benchmark_out=}";; esac
done
echo "$@" > "$(dirname "$out")/args.txt"
cat > "$out" <<'END'
""" + json.dumps(written.result([ENTRY])) + r"""
END
for a in "$@"; do
  case "$a" in --histograms-out=*) printf '{"histograms": []}' > "${a#--histograms-out=}";; esac
done
"""


def test_writes_results_under_label_and_passes_context(tmp_path):
    binary = fake_binary(tmp_path, WRITES_RESULT)
    final = run.run_suite(label="kernA", quick=True, extra=["--benchmark_filter=xsave"],
                          results_dir=tmp_path / "results", binary=binary, do_setup=False)
    assert final.parent == tmp_path / "results" / "kernA"
    assert json.loads(final.read_text())["benchmarks"] == [ENTRY]
    args = (final.parent / "args.txt").read_text()
    assert "--benchmark_context=label=kernA,fpubench_commit=" in args
    assert "--quick" in args and "--benchmark_filter=xsave" in args
    assert [p.name for p in final.parent.glob(".*")] == []
    assert (final.parent / (final.stem + ".histograms.json")).exists()


def test_failed_binary_leaves_no_result(tmp_path):
    binary = fake_binary(tmp_path, WRITES_RESULT + "exit 1\n")
    with pytest.raises(UserError, match="status 1"):
        run.run_suite(label="k", results_dir=tmp_path / "r", binary=binary, do_setup=False)
    assert list((tmp_path / "r" / "k").glob("*.json")) == []


def test_truncated_output_leaves_no_result(tmp_path):
    binary = fake_binary(tmp_path, WRITES_RESULT.replace('}]}', '') )
    with pytest.raises(UserError, match="not valid JSON"):
        run.run_suite(label="k", results_dir=tmp_path / "r", binary=binary, do_setup=False)
    assert list((tmp_path / "r" / "k").iterdir()) == [tmp_path / "r" / "k" / "args.txt"]


def test_corrupted_state_exit_is_explained(tmp_path):
    binary = fake_binary(tmp_path, WRITES_RESULT + "exit 3\n")
    with pytest.raises(UserError, match="FPU state changed"):
        run.run_suite(label="k", results_dir=tmp_path / "r", binary=binary, do_setup=False)
    assert list((tmp_path / "r" / "k").glob("*.json")) == []


def test_default_label_is_the_kernel_release(tmp_path, monkeypatch):
    import os
    binary = fake_binary(tmp_path, WRITES_RESULT)
    final = run.run_suite(results_dir=tmp_path / "r", binary=binary, do_setup=False)
    assert final.parent.name == os.uname().release


def test_git_commit_outside_git_is_unknown(tmp_path):
    assert run.git_commit(tmp_path) == "unknown"


def test_the_console_logs_everything_and_shows_progress_warnings_and_a_skip_count():
    import io
    log, terminal = io.StringIO(), io.StringIO()
    console = run.Console(log, terminal=terminal)
    for line in ["fpubench: skipped kvm/*: no /dev/kvm\n", "fpubench: skipped */amx: no AMX\n",
                 "***WARNING*** Library was built as DEBUG. Timings may be affected.\n",
                 "fpubench: [1/2] signal/self/none (about 0 s left)\n", "fpubench: warning: the TSC is not invariant\n"]:
        console.line(line)
    console.close()
    assert log.getvalue().count("\n") == 5
    shown = terminal.getvalue()
    assert "[1/2] signal/self/none" in shown and "TSC is not invariant" in shown
    assert "DEBUG" not in shown and "no /dev/kvm" not in shown
    assert "2 benchmark patterns are skipped" in shown


def test_a_run_keeps_the_binarys_console_output_beside_the_result(tmp_path):
    binary = fake_binary(tmp_path, WRITES_RESULT + 'echo "fpubench: skipped x: why" >&2\necho console-line\n')
    final = run.run_suite(label="k", results_dir=tmp_path / "r", binary=binary, do_setup=False)
    log = final.with_name(final.stem + ".log").read_text()
    assert "console-line" in log and "fpubench: skipped x: why" in log
