"""The third sweep (issue "Unattended on a lab's machine"), one test per class: the exit-status
contract, the right cause in each message, per-command help, options refused before the lock,
nothing half-written after a signal or on a full disk. Real entry point and binary throughout."""
import errno
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from fpubench_cli import cli, errors, paths
from fpubench_cli.errors import Terminated, UserError
from fpubench_cli.running import child
from test_bad_inputs import BINARY, QUICK_ROW, files_in, fpubench
from test_bad_inputs_second_sweep import label_of, one_clear_line


def binary(*args, **kw):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=120, **kw)


# The contract: one meaning per status, in the binary and the script alike.
@pytest.mark.parametrize("rc, error", [(errors.BAD_INPUT, UserError), (errors.INTEGRITY, errors.IntegrityError),
                                       (errors.MACHINE, errors.MachineError), (1, errors.MachineError),
                                       (-9, errors.MachineError)])
def test_a_childs_status_becomes_the_contracts_error(rc, error):
    with pytest.raises(error) as caught:
        child.raise_for_status(rc)
    assert type(caught.value) is error and caught.value.status == {UserError: 2, errors.IntegrityError: 3}.get(error, 4)


def test_a_guests_exit_status_keeps_its_meaning_an_integrity_failure_in_the_guest_is_one_here():
    assert child.error_for(errors.INTEGRITY) is errors.IntegrityError
    assert child.error_for(errors.BAD_INPUT) is UserError
    assert child.error_for(errors.INTERRUPTED) is errors.MachineError  # the guest's, not ours: not a Ctrl-C


def test_an_interrupted_child_interrupts_us_too():
    with pytest.raises(KeyboardInterrupt):
        child.raise_for_status(130)
    with pytest.raises(Terminated):
        child.raise_for_status(143)
    child.raise_for_status(0)


@pytest.mark.parametrize("raised, status, needle", [
    (errors.MachineError("apt failed"), 4, "apt failed"),
    (errors.IntegrityError("state changed"), 3, "state changed"),
    (OSError(errno.ENOSPC, "No space left on device", "/r/x.json"), 4, "no space left on the file system of /r/x.json"),
    (OSError(errno.ENAMETOOLONG, "File name too long", "/r/" + "x" * 300), 2, "is too long"),
])
def test_main_turns_each_failure_into_its_status_and_one_line(monkeypatch, capsys, raised, status, needle):
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # main may replace it after a full disk
    def dispatch(args):
        raise raised
    monkeypatch.setattr(cli, "dispatch", dispatch)
    assert cli.main(["system", "show"]) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_every_commands_help_ends_with_the_contract(tmp_path):
    for command in ["run", "compare", "torture", "selfcheck", "test"]:
        out = fpubench(tmp_path, command, "--help")
        assert out.returncode == 0 and "exit status:" in out.stdout
        assert all(f"  {code}" in out.stdout for code, _ in errors.CONTRACT)


def test_the_binarys_statuses(tmp_path):
    assert binary("--no-such-flag").returncode == errors.BAD_INPUT
    corrupted = binary("torture", "--seconds=1", "--only=host/pingpong", "--corrupt=host/pingpong-same-pu")
    assert corrupted.returncode == errors.INTEGRITY, corrupted.stderr


# Per-command help: the command's own, not the top level's.
@pytest.mark.parametrize("args, first", [(["plan", "--help"], "every benchmark a run"),
                                         (["torture", "-h"], "the FPU state integrity torture"),
                                         (["probe", "--help"], "what fpubench sees"),
                                         (["probe", "xstate", "--help"], "[DUMP]: the xstate layout")])
def test_the_binary_answers_help_per_command(args, first):
    out = binary(*args)
    assert out.returncode == 0 and out.stdout.startswith(first) and "Google Benchmark" not in out.stdout
    assert "Exit status:" in out.stdout and f"Usage: fpubench {' '.join(args[:-1])}" in out.stdout


def test_an_unknown_probe_lists_the_probes():
    line = one_clear_line(binary("probe", "nonsense"), "probe needs one of: cpuid, xstate", "record-profile")
    assert "(see fpubench probe --help)" in line


# Options are refused before anything waits or runs.
def test_torture_options_are_checked_before_the_lock(tmp_path):
    holder = subprocess.Popen([str(BINARY), "torture", "--seconds=30", "--only=host/signals"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)  # it holds the measurement lock now
        for flag in ("--only=nonsense", "--corrupt=nonsense", "--corrupt=host/signals"):
            started = time.monotonic()
            out = binary("torture", "--seconds=1", flag)
            assert out.returncode == errors.BAD_INPUT and "names no" in out.stderr
            assert "waiting" not in out.stderr and time.monotonic() - started < 20
    finally:
        holder.send_signal(signal.SIGINT)
        holder.wait(timeout=60)


def test_a_torture_interrupted_while_it_waits_for_the_lock_is_interrupted_and_keeps_nothing(tmp_path):
    holder = subprocess.Popen([str(BINARY), "torture", "--seconds=30", "--only=host/signals"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)  # it holds the measurement lock now
        waiting = subprocess.Popen([str(paths.REPO / "scripts" / "fpubench"), "torture", "--seconds", "5",
                                    "--label", "t"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=dict(os.environ, FPUBENCH_RESULTS=str(tmp_path)),
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(3)  # set up, and waiting for the lock
        waiting.send_signal(signal.SIGINT)
        out, err = waiting.communicate(timeout=60)
        assert waiting.returncode == errors.INTERRUPTED, err
        assert "before it started" in err and "Traceback" not in err
        assert not list(tmp_path.rglob("*.json"))
    finally:
        holder.send_signal(signal.SIGINT)
        holder.wait(timeout=60)


def test_a_bad_benchmark_format_is_refused_not_answered_with_usage():
    one_clear_line(binary("--benchmark_format=xml"), "--benchmark_format takes console, json or csv, got 'xml'")


@pytest.mark.parametrize("extra, needle", [(["--benchmark_format=xml"], "the result file is JSON already"),
                                           (["plan"], "is a command of build/host/fpubench, not a flag")])
def test_run_names_the_flag_it_cannot_pass_not_a_damaged_result(tmp_path, extra, needle):
    one_clear_line(fpubench(tmp_path, "run", "--label", "x", "--", *extra), needle)
    assert files_in(tmp_path) == []


# The right cause in each message.
def test_record_profile_wants_a_new_folder(tmp_path):
    (tmp_path / "old").mkdir()
    one_clear_line(binary("probe", "record-profile", str(tmp_path / "old")), "into a new folder only")
    assert not any((tmp_path / "old").iterdir())


def test_a_folder_that_is_not_a_profile_says_so():
    one_clear_line(binary("plan", "--profile=/"), "is not a recorded machine (it has no facts.txt)")


def test_paths_that_cannot_be_read_are_named_for_their_cause(tmp_path):
    (tmp_path / "dangling").symlink_to(tmp_path / "gone.json")
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    for spec, needle in [(str(tmp_path / "dangling"), "which does not exist: fix the link"),
                         (str(tmp_path / "loop-a"), "symbolic link loop"), ("x" * 300, "is too long"),
                         (str(tmp_path / "nowhere.json"), "does not exist: give")]:
        for command in ("compare", "report"):
            line = one_clear_line(fpubench(tmp_path, command, spec, spec), needle)
            assert "run --label" not in line


def test_an_overlong_name_in_plot_is_one_line(tmp_path):
    label_of(tmp_path, "a")
    one_clear_line(fpubench(tmp_path / "results", "plot", "a", "y" * 300), "is too long")


# Nothing half-written: a full disk, a signal.
@pytest.fixture
def full_disk(tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full file system needs a tmpfs mounted by root")
    mnt = tmp_path / "full"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)]).returncode != 0:
        pytest.skip("mounting a tmpfs failed here")
    (mnt / "filler").write_bytes(b"\0" * 60 * 1024)
    try:
        with open(mnt / "filler2", "wb") as f:
            f.write(b"\0" * 64 * 1024)
    except OSError:
        pass
    yield mnt
    subprocess.run(["umount", str(mnt)])


def test_a_run_onto_a_full_disk_is_one_line_and_leaves_no_folder(tmp_path, full_disk):
    out = fpubench(full_disk, "run", "--label", "full", "--quick", "--", *QUICK_ROW)
    assert out.returncode == errors.MACHINE, out.stderr
    assert "Traceback" not in out.stderr and "no space left" in out.stderr.lower()
    assert not (full_disk / "full").exists()


def test_compare_into_a_full_disk_is_one_line(tmp_path, full_disk):
    label_of(tmp_path, "a", runs=3)
    label_of(tmp_path, "b", runs=3)
    with open(full_disk / "out.txt", "w") as f:
        env = dict(os.environ, FPUBENCH_RESULTS=str(tmp_path / "results"))
        out = subprocess.run([str(paths.REPO / "scripts" / "fpubench"), "compare", "a", "b", "--details"],
                             stdout=f, stderr=subprocess.PIPE, text=True, env=env, timeout=300)
    assert out.returncode == errors.MACHINE, out.stderr
    lines = out.stderr.strip().splitlines()
    assert "Traceback" not in out.stderr and "no space left" in lines[-1], out.stderr


def test_sigint_to_the_binary_leaves_the_previous_result_whole_and_says_so(tmp_path):
    target = tmp_path / "out.json"
    target.write_text('{"previous": true}\n')
    proc = subprocess.Popen([str(BINARY), f"--benchmark_out={target}", "--benchmark_filter=^signal/self/",
                             "--benchmark_min_time=0.5", "--benchmark_repetitions=50"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert target.read_text() == '{"previous": true}\n'
    assert f"no result written to {target}" in err
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_an_interrupted_self_check_is_named_incomplete(monkeypatch, capsys):
    def dispatch(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "dispatch", dispatch)
    assert cli.main(["selfcheck"]) == 130
    assert "the self-check is incomplete and no summary was kept" in capsys.readouterr().err
