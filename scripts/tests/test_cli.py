import subprocess
import sys
from pathlib import Path

from fpubench_cli import cli

SCRIPT = Path(__file__).resolve().parents[1] / "fpubench"


def test_help_lists_the_subcommands():
    out = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("setup", "run", "test", "counters"):
        assert command in out.stdout


def test_run_accepts_flags_for_the_binary_after_double_dash():
    args = cli.parser().parse_args(["run", "--quick", "--label", "x", "--",
                                    "--benchmark_filter=xsave"])
    assert args.quick and args.label == "x" and args.extra == ["--benchmark_filter=xsave"]


def test_bad_label_is_one_line_and_exit_2(capsys, monkeypatch):
    monkeypatch.setattr(cli.build, "setup", lambda: None)
    assert cli.main(["run", "--label", "a/b"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "label 'a/b'" in err


def test_run_counters_option_goes_to_the_binary(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli.run, "run_suite", lambda **kw: seen.update(kw))
    assert cli.main(["run", "--counters", "fpu", "--", "--benchmark_filter=pingpong"]) == 0
    assert seen["extra"] == ["--counters=fpu", "--benchmark_filter=pingpong"]
