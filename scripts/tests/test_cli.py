import subprocess
from pathlib import Path

from fpubench_cli import cli
from fpubench_cli.running import build

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
    monkeypatch.setattr(build, "setup", lambda *command: None)
    assert cli.main(["run", "--label", "a/b"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "label 'a/b'" in err


def test_run_counters_option_goes_to_the_binary(monkeypatch):
    seen = {}
    from fpubench_cli.running import run
    monkeypatch.setattr(build, "setup", lambda *command: None)
    monkeypatch.setattr(run, "run_suite", lambda **kw: seen.update(kw))
    monkeypatch.setattr(run, "report_run", lambda final: None)
    assert cli.main(["run", "--counters", "fpu", "--", "--benchmark_filter=pingpong"]) == 0
    assert seen["extra"] == ["--counters=fpu", "--benchmark_filter=pingpong"]


def _blocked_path(tmp_path):
    """A path entry whose numpy, scipy and matplotlib raise ImportError, as on a fresh machine."""
    for module in ("numpy", "scipy", "matplotlib"):
        (tmp_path / module).mkdir()
        (tmp_path / module / "__init__.py").write_text(f"raise ImportError('{module} is not installed')\n")
    return str(tmp_path)


def _run_without_reporting_packages(tmp_path, *args):
    env = dict(__import__("os").environ, PYTHONPATH=_blocked_path(tmp_path))
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=600)


def test_help_works_before_numpy_scipy_matplotlib_are_installed(tmp_path):
    out = _run_without_reporting_packages(tmp_path, "--help")
    assert out.returncode == 0 and "setup" in out.stdout and "Traceback" not in out.stderr


def test_setup_starts_before_numpy_scipy_matplotlib_are_installed(tmp_path, monkeypatch):
    # setup itself is what installs them: it must get as far as the build without importing any.
    out = _run_without_reporting_packages(tmp_path, "setup")
    assert "Traceback" not in out.stderr
    assert "numpy" not in out.stderr


def test_a_command_that_needs_numpy_names_the_debian_package(tmp_path):
    out = _run_without_reporting_packages(tmp_path, "compare", "a", "b")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1
    assert "numpy" in out.stderr and "python3-numpy" in out.stderr and "fpubench setup" in out.stderr


def test_ctrl_c_after_a_result_was_written_does_not_say_none_was(monkeypatch, capsys):
    def interrupted(args):
        print("fpubench: results written to results/x/1.json")
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "dispatch", interrupted)
    assert cli.main(["run"]) == 130
    err = capsys.readouterr().err
    assert "no result was written" not in err and "results written before this line are kept" in err


def test_ctrl_c_while_plotting_says_the_figures_are_incomplete_and_how_to_redraw(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "dispatch", interrupted)
    assert cli.main(["plot", "x"]) == 130
    assert "incomplete set: run 'scripts/fpubench plot ...' again" in capsys.readouterr().err
