"""The second sweep of bad inputs (issue "Bad input, second sweep"), one test per class: every
case is one clear line naming what, why and the fix, a non-zero exit, no traceback, and nothing
half-written or empty kept. They run the real entry point, with results in a temporary folder."""
import errno
import json
import os
from pathlib import Path

import pytest

from fpubench_cli import folders, publish
from fpubench_cli.errors import UserError
from test_bad_inputs import REFERENCE, files_in, fpubench


def label_of(tmp_path, name, edit=None, raw=None, runs=1):
    d = tmp_path / "results" / name
    d.mkdir(parents=True, exist_ok=True)
    for i in range(runs):
        if raw is not None:
            (d / f"run{i}.json").write_bytes(raw)
            continue
        data = json.loads(REFERENCE.read_text())
        if edit:
            edit(data, i)
        (d / f"run{i}.json").write_text(json.dumps(data))
    return d


def set_first_p50(value):
    def edit(data, _):
        next(b for b in data["benchmarks"] if "rtt_p50_ns" in b)["rtt_p50_ns"] = value
    return edit


def one_clear_line(out, *needles):
    assert out.returncode not in (0, 1), out.stderr
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


BAD_FILES = [
    ("strings", dict(edit=set_first_p50("fast")), "'rtt_p50_ns' is \"fast\", not a number"),
    ("negative", dict(edit=set_first_p50(-1)), "'rtt_p50_ns' is -1"),
    ("infinite", dict(raw=b'{"context": {}, "benchmarks": [{"name": "x/manual_time", "real_time": 1e999}]}'),
     "'real_time' is inf"),
    ("random-bytes", dict(raw=bytes(range(256)) * 4), "is not UTF-8 text"),
    ("no-name", dict(raw=b'{"context": {}, "benchmarks": [{"real_time": 1}]}'), "has no name"),
    ("a-round-trip-of-years", dict(edit=set_first_p50(1e308)), "'rtt_p50_ns' is 1e+308, beyond what any"),
    ("ticks-past-2^53", dict(raw=b'{"context": {}, "benchmarks": [{"name": "x/manual_time", "ticks_per_insn": 1e17}]}'),
     "'ticks_per_insn' is 1e+17, beyond what any measurement gives (at most 2^53)"),
]


@pytest.mark.parametrize("command", ["compare", "plot", "report"])
@pytest.mark.parametrize("case, kwargs, message", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_result_with_bad_figures_or_bytes_is_one_line_naming_the_file_and_field(tmp_path, command, case,
                                                                                   kwargs, message):
    label_of(tmp_path, "good", runs=3)
    bad = label_of(tmp_path, "bad", runs=3, **kwargs)
    before = files_in(tmp_path / "results")
    out = fpubench(tmp_path / "results", command, "good", "bad")
    line = one_clear_line(out, message)
    assert str(bad) in line
    assert files_in(tmp_path / "results") == before


@pytest.mark.parametrize("code, needle", [
    (errno.EROFS, "read-only file system"),
    (errno.ENAMETOOLONG, "too long"),
    (errno.ELOOP, "symbolic link loop"),
    (errno.EACCES, "not writable by this user"),
    (errno.ENOSPC, "no space left"),
])
def test_each_reason_a_folder_cannot_be_made_has_its_own_fix(tmp_path, code, needle):
    text = folders.why(tmp_path / "x", OSError(code, os.strerror(code)))
    assert needle in text and "FPUBENCH_RESULTS" in text or code == errno.ENAMETOOLONG


def test_a_file_in_the_way_a_symlink_loop_and_a_long_name_are_named_for_what_they_are(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(UserError, match="afile is a file, not a folder"):
        folders.make_folder(tmp_path / "afile" / "label")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(UserError, match="symbolic link loop"):
        folders.make_folder(tmp_path / "loop" / "label")
    with pytest.raises(UserError, match="too long"):
        folders.make_folder(tmp_path / ("n" * 300))


def test_fpubench_results_naming_a_file_is_one_line_saying_so(tmp_path):
    (tmp_path / "results-file").write_text("")
    out = fpubench(tmp_path / "results-file", "selfcheck", "--sizes", "50", "--label", "x")
    one_clear_line(out, "is a file, not a folder")


@pytest.mark.parametrize("label", ["plots", "reports", "reference", "a" * 300, "."])
def test_reserved_overlong_and_dot_labels_are_refused_before_anything_runs(tmp_path, label):
    with pytest.raises(UserError):
        publish.check_label(label)
    out = fpubench(tmp_path / "results", "run", "--label", label, "--", "--benchmark_filter=^reference/")
    one_clear_line(out, "label")
    assert files_in(tmp_path / "results") == []


def test_a_label_of_two_kernels_is_refused_and_force_lists_them(tmp_path):
    def two_kernels(data, i):
        data["context"]["kernel_release"] = "6.1.0" if i % 2 else "6.2.0"
    label_of(tmp_path, "mixed", two_kernels, runs=4)
    label_of(tmp_path, "good", runs=3)
    out = fpubench(tmp_path / "results", "compare", "good", "mixed")
    one_clear_line(out, "'mixed' holds runs of 2 kernels", "6.1.0", "6.2.0", "--force")
    forced = fpubench(tmp_path / "results", "compare", "good", "mixed", "--force")
    assert forced.returncode in (0, 1) and "holds runs of 2 kernels (--force)" in forced.stdout


def test_comparing_a_label_with_itself_says_so(tmp_path):
    label_of(tmp_path, "same", runs=3)
    out = fpubench(tmp_path / "results", "compare", "same", "same")
    assert out.returncode == 0 and "A and B are the same 3 files" in out.stdout


@pytest.mark.parametrize("sizes, needle", [("", "no delay to try"), ("-10", "--sizes takes delays above 0"),
                                           ("abc", "--sizes takes nanoseconds")])
def test_an_empty_or_impossible_self_check_is_an_error_not_a_result(tmp_path, sizes, needle):
    out = fpubench(tmp_path / "results", "selfcheck", "--sizes", sizes, "--label", "sc")
    one_clear_line(out, needle)
    assert not list((tmp_path / "results").rglob("*.json"))


@pytest.mark.parametrize("args, needle", [
    (["torture", "--only", ""], "--only '' names no scenario"),
    (["torture", "--only", ","], "names no scenario"),
    (["run", "--", "--seconds=5"], "--seconds is a flag of 'fpubench torture'"),
    (["run", "--", "--benchmark_repetitions=99999999999"], "from 1 to 10000"),
    (["run", "--", "--histograms-out=/tmp"], "'--histograms-out"),
])
def test_options_are_checked_against_their_mode_before_anything_runs(tmp_path, args, needle):
    out = fpubench(tmp_path / "results", *args)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert needle in out.stderr, out.stderr
    assert not list((tmp_path / "results").rglob("*Z.json"))


@pytest.mark.parametrize("args, needle", [
    (["guest", "--accel", "tcg", "--kernel", "/etc/hostname"], "is not a kernel image"),
    (["ab", "--accel", "tcg", "--kernel", "debian", "--kernel", "/etc/hostname"], "is not a kernel image"),
])
def test_guest_inputs_are_checked_before_qemu_starts_and_name_the_option(tmp_path, args, needle):
    out = fpubench(tmp_path / "results", *args, timeout=60)
    one_clear_line(out, needle)
    assert files_in(tmp_path / "results") == []


def test_a_guest_memory_too_small_for_the_initramfs_names_memory(tmp_path):
    from fpubench_cli.linux_guest import boot
    initrd = tmp_path / "initrd"
    initrd.write_bytes(b"\0" * (40 * 2**20))
    with pytest.raises(UserError, match="--memory 64 MiB is too small for this guest.*--memory"):
        boot.check_memory(64, initrd)
    boot.check_memory(1024, initrd)


@pytest.mark.parametrize("command", ["plot", "report"])
def test_plot_and_report_into_a_folder_that_cannot_be_made_are_one_line(tmp_path, command):
    good = tmp_path / "good"
    label_of(tmp_path, "good", runs=3)
    (tmp_path / "results" / "good").rename(good)
    out = fpubench(Path("/proc/sys/fpubench-results"), command, str(good), str(good))
    line = one_clear_line(out, "FPUBENCH_RESULTS")
    assert "/proc/sys/fpubench-results" in line


def test_pinning_to_pus_this_machine_does_not_have_is_refused_before_qemu_starts(tmp_path):
    out = fpubench(tmp_path / "results", "guest", "--accel", "tcg", "--pin-vcpus", "pu:70,pu:90", timeout=120)
    one_clear_line(out, "'pu:70' is no PU of this machine")
    assert files_in(tmp_path / "results") == []
